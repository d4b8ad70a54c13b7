"""``klist``, ``klist tickets`` and ``klist get <SPN>`` (klist.exe, any language).

A failed ``klist get`` is the most direct evidence of a missing or duplicated SPN or of a clock
skew seen by Kerberos itself::

    C:\\>klist get SMTPSVC/ex02.corp.example.com

    Current LogonId is 0:0x3e7
    Error calling API LsaCallAuthenticationPackage (GetTicket substatus): 0x6fb

    klist failed with 0xc000018b/-1073741429: The SAM database on the Windows Server does not
    have a computer account for this workstation trust relationship.

Labels are localised, the status numbers are not (so this reader has no label table, it goes by
structure and codes): every ``0x...`` status of a failure is mapped
through :func:`kbdoctor.engine.kerberos_codes.kerberos_code`, the NTSTATUS of the final line
first. Successful tickets (``#0> Client: ...``) are read without producing facts. The output
does not name the machine it ran on: the host comes from ``--host`` or the folder's name; the
target is the SPN given to ``klist get``.
"""

from __future__ import annotations

import re

from kbdoctor.collectors.importers.base import (
    Material,
    ReaderBase,
    ReadResult,
    source_for,
    warning,
)
from kbdoctor.collectors.segments import command_of, prompt_command
from kbdoctor.engine.facts import KerberosError
from kbdoctor.engine.kerberos_codes import KNOWN_NAMES, kerberos_code

_LOGON_ID = re.compile(r"\b0:0x[0-9a-fA-F]+\s*$")
_SUBSTATUS = re.compile(
    r"LsaCallAuthenticationPackage(?:\s*\((?P<paren>[^)]*)\))?.*:\s*(?P<code>0x[0-9a-fA-F]+|\d+)\s*$"
)
# the call named in the parentheses, in any language: "(GetTicket substatus)",
# "(stan podrzędny GetTicket)"
_CALL = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]*)+\b")
# the two error lines of a failure that arrived on one physical line
_JOINED = re.compile(
    r"^(?P<first>.*LsaCallAuthenticationPackage.*?:\s*(?:0x[0-9a-fA-F]+|\d+))\s+(?P<second>klist\b.*)$",
    re.IGNORECASE,
)
_FAILED = re.compile(
    r"^klist\b.*?\b(?P<code>0x[0-9a-fA-F]{1,8})(?:/-?\d+)?\s*:?\s*(?P<message>.*)$",
    re.IGNORECASE,
)
_TICKET = re.compile(r"^#\d+>\s")
_LISTED_TICKET = re.compile(r"^\s*#\d+>\s")
_KLIST = re.compile(r"^\s*klist(?:\.exe)?\b", re.IGNORECASE)


def _target(command: str | None) -> str | None:
    if not command or not _KLIST.match(command):
        return None
    words = command.split()
    for index, word in enumerate(words[:-1]):
        if word.lower() == "get":
            return words[index + 1]
    return None


class KlistReader(ReaderBase):
    r"""The Kerberos error of a failed ``klist get``: the KDC's answer, from the substatus and the
    ``klist failed with`` line, in any language (structure and codes only: the labels are not
    matched). A ticket listed without failure is a success, which facts/1 does not keep.

    Example (the machine given with ``--host``)::

        C:\Windows\system32>klist get SMTPSVC/ex02.corp.example.com

        Current LogonId is 0:0x3e7
        Error calling API LsaCallAuthenticationPackage (GetTicket substatus): 0x6fb

        klist failed with 0xc000018b/-1073741429: The SAM database on the Windows Server does not have a computer account for this workstation trust relationship.

    Facts: kerberos_error
    """  # noqa: E501 - a real sample keeps its width

    program = "klist"
    name = "klist"
    command = "klist get SMTPSVC/ex02.corp.example.com > klist-get-ex02.txt"

    def _sniff(self, material: Material) -> bool:
        command = command_of(material)
        if command and _KLIST.match(command):
            return True
        for line in material.lines()[:40]:
            body = line.strip()
            if _SUBSTATUS.search(body) or (_FAILED.match(body) and "klist" in body.lower()):
                return True
            if _LOGON_ID.search(body) and not _TICKET.match(body):
                return True
        return False

    def _read(self, material: Material, result: ReadResult) -> None:
        command = command_of(material)
        target = _target(command)
        lines, indices = _physical_lines(material.lines())
        substatus: tuple[int, str] | None = None
        failures: list[tuple[int, int, str, str]] = []  # first, last, code, message
        for position, line in enumerate(lines):
            index = indices[position]
            body = line.strip()
            if not body or prompt_command(line) is not None:
                continue
            sub = _SUBSTATUS.search(body)
            if sub:
                if substatus is not None:
                    failures.append((substatus[0], substatus[0], substatus[1], ""))
                substatus = (index, _hex(sub.group("code")))
                named = _CALL.search(sub.group("paren") or "")
                call = named.group(0) if named else None
                if call and call.lower() != "getticket":
                    # ShowTickets, PurgeTickets...: the local ticket cache failed, no Kerberos
                    # exchange with a KDC did
                    result.warnings.append(
                        warning(material, index, "klist.local_failure", call=call)
                    )
                    return
                continue
            failed = _FAILED.match(body)
            if failed:
                message, after = failed.group("message").strip(), position
                while after + 1 < len(lines) and lines[after + 1].strip() and not (
                    _FAILED.match(lines[after + 1].strip())
                    or _SUBSTATUS.search(lines[after + 1])
                    or prompt_command(lines[after + 1]) is not None
                ):
                    after += 1  # the message wrapped by the console
                    message = f"{message} {lines[after].strip()}"
                last = indices[after]
                first = substatus[0] if substatus is not None else index
                code = _best_code(failed.group("code"), substatus[1] if substatus else None)
                failures.append((first, last, code, message))
                substatus = None
        if substatus is not None:
            failures.append((substatus[0], substatus[0], kerberos_code(substatus[1]), ""))
        host = material.host_hint.name if material.host_hint else None
        if failures and host is None:
            result.warnings.append(
                warning(material, failures[0][0], "klist.no_host")
            )
            return
        # tickets listed and no failure: every exchange succeeded, which facts/1 does not keep
        result.nothing_to_keep = not failures and self.any_line(material, _LISTED_TICKET)
        for first, last, code, message in failures:
            result.facts.append(
                KerberosError(
                    host=host or "",
                    code=code,
                    target=target,
                    message=message or None,
                    provenance=source_for(self, material, first, last, command=command),
                )
            )
        return


def _physical_lines(lines: list[str]) -> tuple[list[str], list[int]]:
    """The lines, with the substatus line and the ``klist failed`` line that a paste put on one
    physical line apart again; the material index of each."""
    split: list[str] = []
    indices: list[int] = []
    for index, line in enumerate(lines):
        joined = _JOINED.match(line.strip())
        parts = [joined.group("first"), joined.group("second")] if joined else [line]
        split.extend(parts)
        indices.extend([index] * len(parts))
    return split, indices


def _hex(code: str) -> str:
    """A status as ``0x...``: klist prints some substatuses in decimal (``1312``)."""
    return code if code.lower().startswith("0x") else hex(int(code))


def _best_code(final: str, substatus: str | None) -> str:
    """The canonical name of a failure: the final NTSTATUS when it is a known Kerberos error,
    else the substatus when that is, else the final status as printed."""
    for raw in (final, substatus):
        if raw is not None and kerberos_code(raw) in KNOWN_NAMES:
            return kerberos_code(raw)
    return kerberos_code(final)


READERS = (KlistReader(),)
