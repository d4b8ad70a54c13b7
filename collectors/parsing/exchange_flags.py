"""Exchange's flag enums as names: ``AuthMechanism`` (stored in AD as
``msExchSMTPReceiveInboundSecurityFlag``) and a receive connector's ``PermissionGroups``.

Shared by the ``Get-ReceiveConnector`` readers, which meet the values as integers or names, and the
live collector, which reads the attribute's integer straight from the configuration partition, so
that both name the same bits the same way. A bit no table knows is reported, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kbdoctor.collectors.parsing.format_list import split_list_value

AUTH_MECHANISMS: dict[str, int] = {
    "Tls": 1,
    "Integrated": 2,
    "BasicAuth": 4,
    "BasicAuthRequireTLS": 8,
    "ExchangeServer": 16,
    "ExternalAuthoritative": 32,
}
PERMISSION_GROUPS: dict[str, int] = {
    "AnonymousUsers": 1,
    "ExchangeUsers": 2,
    "ExchangeServers": 4,
    "ExchangeLegacyServers": 8,
    "Partners": 16,
    "Custom": 32,
}


@dataclass(frozen=True)
class FlagNames:
    """Names of a flags value, and what in it was not a known flag (reported, never guessed)."""

    names: list[str]
    unknown: list[str]

    @property
    def complete(self) -> bool:
        """Whether ``names`` holds every known flag the value sets. A bit no table knows
        (``0x40``) is none of the known flags, so the names stay complete; a name no table knows
        (``Integriert``, a misspelling, a word of another language) may be one of them, so a
        list without it could leave out a flag that is set."""
        return all(item.startswith("0x") for item in self.unknown)


def decode_flags(value: object, table: dict[str, int]) -> FlagNames | None:
    """Names for an enum value given as an integer (``31``), digits (``"31"``) or names
    (``"Tls, ExchangeServer"``, any case). None when ``value`` is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _names_of_bits(value, table)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if re.fullmatch(r"\d{1,10}", text):
        return _names_of_bits(int(text), table)
    canonical = {name.casefold(): name for name in table}
    names: list[str] = []
    unknown: list[str] = []
    for part in split_list_value(text):
        if part.casefold() == "none":
            continue
        known = canonical.get(part.casefold())
        if known is None:
            unknown.append(part)
        elif known not in names:
            names.append(known)
    order = list(table)
    return FlagNames(sorted(names, key=order.index), unknown)


def _names_of_bits(value: int, table: dict[str, int]) -> FlagNames:
    names = [name for name, bit in table.items() if value & bit]
    rest = value & ~sum(table.values())
    return FlagNames(names, [hex(rest)] if rest else [])
