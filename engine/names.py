"""Host, account and SPN names compared the way Windows compares them.

Windows treats ``EX01``, ``ex01`` and ``ex01.corp.example.com`` as the same machine when the short
name is unambiguous, compares SPNs case-insensitively, and writes one computer account as
``EX01$``, ``CORP\\EX01$``, ``EX01$@CORP.EXAMPLE.COM`` or ``CN=EX01,OU=...,DC=corp``. Collectors use
these functions to normalise what they read; the engine uses :class:`HostRegistry` to give every
host one key, so that rules join on hosts and accounts without caring how they were written.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from functools import lru_cache

_DN_CN = re.compile(r"^\s*CN=((?:\\.|[^,\\])+)", re.IGNORECASE)
_DN_DC = re.compile(r"DC=((?:\\.|[^,\\])+)", re.IGNORECASE)


@lru_cache(maxsize=65536)
def host_name(raw: str) -> str:
    """A host name in canonical spelling: trimmed, lower case, no trailing dot, no ``\\\\`` prefix
    and no ``:port`` suffix. ``\\\\EX01.corp.example.com.`` becomes ``ex01.corp.example.com``."""
    name = raw.strip().strip("\\").strip()
    if name.startswith("[") and "]" in name:  # [ipv6]:port
        name = name[1 : name.index("]")]
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    return name.rstrip(".").lower()


@lru_cache(maxsize=65536)
def short_name(host: str) -> str:
    """The first label of a host name (``ex01`` for ``ex01.corp.example.com``); IP addresses are
    returned whole."""
    canonical = host_name(host)
    if is_ip_address(canonical):
        return canonical
    return canonical.split(".", 1)[0]


def is_ip_address(name: str) -> bool:
    """True for dotted IPv4 and for IPv6 literals, which have no short form."""
    if ":" in name:
        return True
    parts = name.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) < 256 for p in parts)


@lru_cache(maxsize=65536)
def account_name(raw: str) -> str:
    """An account's canonical key: ``CORP\\EX01$``, ``EX01$@CORP.EXAMPLE.COM``, ``ex01$`` and
    ``CN=EX01,OU=Servers,DC=corp,DC=example,DC=com`` all become ``ex01``.

    The trailing ``$`` of computer accounts is dropped so that a listing made with
    ``setspn -L EX01`` (which shows the DN) and an account written ``EX01$`` meet."""
    name = raw.strip()
    match = _DN_CN.match(name)
    if match:
        name = match.group(1).replace("\\,", ",")
    if "\\" in name:
        name = name.rsplit("\\", 1)[1]
    if "@" in name:
        name = name.split("@", 1)[0]
    return name.strip().rstrip("$").lower()


def dn_domain(dn: str) -> str | None:
    """The DNS domain of a distinguished name (``corp.example.com`` for ``...,DC=corp,DC=example,
    DC=com``), or None when the DN has no DC components."""
    parts = _DN_DC.findall(dn)
    return ".".join(p.lower() for p in parts) if parts else None


@lru_cache(maxsize=65536)
def spn_name(raw: str) -> str:
    """An SPN's canonical spelling: trimmed and lower case (SPNs compare case-insensitively)."""
    return raw.strip().lower()


def spn_host(spn: str) -> str | None:
    """The host part of an SPN (``ex01.corp.example.com`` for ``SMTPSVC/ex01.corp.example.com``,
    also with ``:port`` or ``/service`` suffixes)."""
    if "/" not in spn:
        return None
    rest = spn.split("/", 1)[1]
    rest = rest.split("/", 1)[0]
    return host_name(rest) or None


class HostRegistry:
    """Gives every host name seen in a set of facts one key.

    A fully qualified name is its own key. A short name takes the key of the one FQDN that has it
    as first label; when no FQDN or several FQDNs have that label, the short name stays its own key
    (an ambiguous short name is never guessed)."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._fqdns_by_short: dict[str, set[str]] = {}
        self._keys: dict[str, str] = {}
        self._fqdns: frozenset[str] | None = None
        # host key -> "dc" or "exchange": what the facts say a machine is (set by the engine once
        # every name is known, since a key depends on every FQDN seen)
        self.roles: dict[str, str] = {}
        self._suffixes: frozenset[str] = frozenset()
        self._roles_key: frozenset[tuple[str, str]] = frozenset()
        for name in names:
            self.add(name)

    def add(self, raw: str) -> None:
        canonical = host_name(raw)
        if not canonical or is_ip_address(canonical) or "." not in canonical:
            return
        self._fqdns_by_short.setdefault(canonical.split(".", 1)[0], set()).add(canonical)
        self._keys.clear()
        self._fqdns = None

    def fqdns(self) -> frozenset[str]:
        """Every fully qualified name known: two registries with the same give the same keys."""
        if self._fqdns is None:
            self._fqdns = frozenset(n for names in self._fqdns_by_short.values() for n in names)
        return self._fqdns

    def role(self, raw: str) -> str:
        """The part a machine plays in the domain's Kerberos, as far as the facts tell:
        ``dc`` or ``exchange`` when a fact says so; ``member`` when it is presumably a machine of
        the domain (a short name, a name under a DNS suffix of the domain's machines, a private
        IP address); ``outside`` when it plainly is not (a name under no such suffix, a public
        IP address)."""
        key = self.key(raw)
        known = self.roles.get(key)
        if known is not None:
            return known
        if is_ip_address(key):
            return "member" if _private(key) else "outside"
        if "." not in key:
            return "member"
        suffixes = self.suffixes()
        if not suffixes:
            return "member"
        return "member" if any(key.endswith("." + s) for s in suffixes) else "outside"

    def suffixes(self) -> frozenset[str]:
        """The DNS suffixes of the machines the facts call DCs or Exchange servers."""
        return self._suffixes

    def set_roles(self, roles: dict[str, str]) -> None:
        self.roles = roles
        self._suffixes = frozenset(
            k.split(".", 1)[1] for k in roles if "." in k and not is_ip_address(k)
        )
        self._roles_key = frozenset(roles.items())

    def roles_key(self) -> frozenset[tuple[str, str]]:
        """The roles as one hashable value, made once: views of facts are cached by it."""
        return self._roles_key

    def key(self, raw: str) -> str:
        """The key of a host name; equal keys mean the same machine."""
        known = self._keys.get(raw)
        if known is None:
            known = self._keys[raw] = self._key(raw)
        return known

    def _key(self, raw: str) -> str:
        canonical = host_name(raw)
        if not canonical or is_ip_address(canonical) or "." in canonical:
            return canonical
        fqdns = self._fqdns_by_short.get(canonical)
        if fqdns is not None and len(fqdns) == 1:
            return next(iter(fqdns))
        return canonical

    def fqdn(self, raw: str) -> str | None:
        """The fully qualified name of a host when one is known."""
        key = self.key(raw)
        return key if "." in key and not is_ip_address(key) else None


def _private(ip: str) -> bool:
    try:
        address = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return False
    return address.is_private or address.is_link_local or address.is_loopback


def same_host(a: str, b: str) -> bool:
    """Whether two host names name the same machine, on their own (without a registry): equal
    canonical names, or equal first labels when at least one of them is a short name."""
    ca, cb = host_name(a), host_name(b)
    if ca == cb:
        return True
    if is_ip_address(ca) or is_ip_address(cb):
        return False
    if "." in ca and "." in cb:
        return False
    return ca.split(".", 1)[0] == cb.split(".", 1)[0]
