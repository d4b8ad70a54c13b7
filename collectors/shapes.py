"""The shapes a value must have before a reader may use it: one definition for every reader.

A reader that takes a word from the material as a host, an offset or a result code says so only
when the word has the shape such a value has. Positions lie (German puts the host of ``w32tm
/stripchart`` first, an engineer's note adds words after an NTP line); shapes do not::

    >>> is_host("dc01.corp.example.com"), is_host("EX01"), is_host("fe80::1%6")
    (True, True, True)
    >>> is_host("0"), is_host("<-"), is_host("C:\\\\Users")
    (False, False, False)

``is_host`` accepts a DNS name (labels of letters, digits, hyphens and underscores, not all
digits in the last label), a NetBIOS computer name (1 to 15 such characters, not all digits: a
word of a sentence has this shape too, so readers that meet prose next to a name prefer a DNS
name or an address, see :func:`pick_host`) and an IPv4 or IPv6 address (an IPv6 address may carry
its zone, ``fe80::1%6``, and brackets, ``[fe80::1]``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

_LABEL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")
_NETBIOS = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,14}$")
_OFFSET = re.compile(r"^[+-]?\d+(?:[.,]\d+)?s$")
_RESULT_CODE = re.compile(r"^(?:-?\d{1,10}|0x[0-9a-fA-F]{1,8})$")
_BRACKETED = re.compile(r"\[(?P<addr>\[[^\[\]]+\]|[^\[\]]+):(?P<port>\d{1,5})\]")


def is_ip_address(text: str) -> bool:
    """An IPv4 or IPv6 address (``10.0.0.1``, ``fe80::1%6``, ``[2001:db8::1]``)."""
    value = text.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    value = value.split("%", 1)[0] if ":" in value else value
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def is_dns_name(text: str) -> bool:
    """A DNS name of two labels or more (``dc01.corp.example.com``, trailing dot allowed)."""
    value = text[:-1] if text.endswith(".") else text
    if not value or len(value) > 253 or "." not in value:
        return False
    labels = value.split(".")
    if not all(_LABEL.match(label) for label in labels):
        return False
    if labels[0].isdigit() and labels[1].isdigit():
        return False  # an address with parts masked ("192.168.xx.xx"), not a name
    return not labels[-1].isdigit() and any(c.isalpha() for c in value)


def is_netbios_name(text: str) -> bool:
    """A computer's short name: 1 to 15 letters, digits, hyphens or underscores, not all digits
    (Windows refuses such names) and not starting with a hyphen."""
    return bool(_NETBIOS.match(text)) and not text.isdigit()


def is_host(text: str) -> bool:
    """A DNS name, a NetBIOS name or an IP address, and nothing else."""
    value = text.strip()
    if not value or value != text:
        return False
    return is_ip_address(value) or is_dns_name(value) or is_netbios_name(value)


def is_name_like(text: str) -> bool:
    """A host whose spelling no word of a sentence has: an address, a DNS name, or a short name
    holding a digit, a hyphen or an underscore, or written in capitals (``DC01``, ``EX-2``,
    ``PDC``)."""
    if not is_host(text):
        return False
    if is_ip_address(text) or is_dns_name(text):
        return True
    return any(c.isdigit() or c in "-_" for c in text) or (len(text) > 1 and text.isupper())


def pick_host(words: Iterable[str], not_names: Iterable[str] = ()) -> str | None:
    """The one host among ``words`` when it is certain, else None.

    Punctuation around a word (``"dc01",``) is dropped; words of ``not_names`` (a reader's table
    of the labels of its output in every language, lower case) are never hosts. The host is the
    only candidate that is name-like (:func:`is_name_like`), or, when no candidate is name-like,
    the only candidate at all. Two different candidates of the same rank are ambiguous: None."""
    stop = {w.lower() for w in not_names}
    candidates: list[str] = []
    for raw in words:
        word = strip_punctuation(raw)
        if word and word.lower() not in stop and is_host(word) and word not in candidates:
            candidates.append(word)
    name_like = [w for w in candidates if is_name_like(w)]
    if len({w.lower().rstrip(".") for w in name_like}) == 1:
        return name_like[0]
    if not name_like and len({w.lower() for w in candidates}) == 1:
        return candidates[0]
    return None


def strip_punctuation(word: str) -> str:
    """``word`` without the quotes, commas, colons and sentence stops around it (a trailing dot
    of a DNS name goes too: ``dc01.corp.example.com.`` ends a sentence more often than it is an
    absolute name)."""
    return word.strip(" \t\"'`“”„«»‚‘’,;:()!?。、").rstrip(".")


def bracketed_address(line: str) -> tuple[str, int, int, int] | None:
    """The ``[address:port]`` of a w32tm line (``[10.0.0.10:123]``, ``[[fe80::1%6]:123]``):
    the address without brackets, the port, and where the bracket starts and ends in ``line``.
    None when the line holds none or the address is not an address."""
    match = _BRACKETED.search(line)
    if match is None:
        return None
    address = match.group("addr").strip("[]")
    if not is_ip_address(address):
        return None
    return address, int(match.group("port")), match.start(), match.end()


def is_offset(text: str) -> bool:
    """A signed number of seconds with its unit, as w32tm prints it (``+00.0009583s``,
    ``-0,0123456s``)."""
    return _OFFSET.match(text.strip()) is not None


def is_result_code(text: str) -> bool:
    """A Win32, NTSTATUS or HRESULT code: a decimal or ``0x`` hexadecimal number."""
    return _RESULT_CODE.match(text.strip()) is not None
