"""Replication as ``repadmin /showrepl`` shows it, read over LDAP from each DC: for every naming
context the DC holds and every partner it replicates from, the last result, the consecutive
failures and the last success.

Where the DC offers the constructed attribute ``msDS-NCReplInboundNeighbors`` (Windows does; its
values are ``<DS_REPL_NEIGHBOR>`` XML documents, MS-ADTS 3.1.1.4.5.x), that is read. Otherwise the
naming context head's ``repsFrom`` values are decoded as MS-DRSR 5.170 documents REPS_FROM:

====== ==================== =================================================================
offset field                use
====== ==================== =================================================================
0      dwVersion            1 or 2
8      cb                   the structure's size (see below)
12     cConsecutiveFailures consecutive failures
16     timeLastSuccess      DSTIME: whole seconds since 1601-01-01 UTC, 0 = never
24     timeLastAttempt      DSTIME, 0 = never attempted
32     ulResultLastAttempt  a Win32 error code (repadmin prints it signed)
36     cbOtherDraOffset     where the source's network address (MTX_ADDR for version 1) is
40     cbOtherDra           its size
160    uuidDsaObj           the objectGUID of the source's nTDSDSA object (GUID, little endian)
====== ==================== =================================================================

``cb`` must equal the value's length and the MTX_ADDR must lie within it, or the value is refused
(never read at a guessed offset). Samba 4.17 writes version 1 with the address right after
``uuidTransportObj`` (offset 208). A link never attempted (``timeLastAttempt`` 0) states nothing
and is not a fact.
"""

from __future__ import annotations

import dataclasses
import re
import struct
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import ldap3
from kbdoctor.collectors.live.ldap_dir import DirectoryError, RootDse
from ldap3.core.exceptions import LDAPException

_DSTIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)
_FIXED = 208  # the fixed part of REPS_FROM version 1, up to and with uuidTransportObj


class DecodeError(ValueError):
    """A value that is not a REPS_FROM (or DS_REPL_NEIGHBOR) this reader can vouch for."""


@dataclasses.dataclass(frozen=True)
class InboundLink:
    """One partner of one naming context, as the destination DC records it."""

    naming_context: str
    source_guid: str | None  # objectGUID of the source's nTDSDSA object
    source_address: str | None  # e.g. <guid>._msdcs.<forest>
    source_dn: str | None  # the source's nTDSDSA DN (DS_REPL_NEIGHBOR only)
    consecutive_failures: int
    last_success: datetime | None
    last_attempt: datetime | None
    last_result: int


def _dstime(value: int) -> datetime | None:
    return None if value == 0 else _DSTIME_EPOCH + timedelta(seconds=value)


def _signed(value: int) -> int:
    """A Win32/HRESULT code as repadmin prints it (0x80090322 -> -2146893022)."""
    return value - (1 << 32) if value & 0x80000000 else value


def decode_reps_from(blob: bytes, naming_context: str) -> InboundLink:
    """One ``repsFrom`` value. Raises :class:`DecodeError` for a blob that is not one."""
    if len(blob) < _FIXED:
        raise DecodeError(f"{len(blob)} bytes, a REPS_FROM has at least {_FIXED}")
    version, _reserved, size, failures = struct.unpack_from("<IIII", blob, 0)
    if version not in (1, 2):
        raise DecodeError(f"dwVersion {version}, expected 1 or 2")
    if size != len(blob):
        raise DecodeError(f"cb {size} does not match the value's {len(blob)} bytes")
    success, attempt = struct.unpack_from("<qq", blob, 16)
    result, other_offset, other_size = struct.unpack_from("<III", blob, 32)
    source_guid = str(uuid.UUID(bytes_le=blob[160:176]))
    address = _mtx_addr(blob, other_offset, other_size) if version == 1 else None
    return InboundLink(
        naming_context=naming_context,
        source_guid=None if source_guid == str(uuid.UUID(int=0)) else source_guid,
        source_address=address,
        source_dn=None,
        consecutive_failures=failures,
        last_success=_dstime(success),
        last_attempt=_dstime(attempt),
        last_result=_signed(result),
    )


def _mtx_addr(blob: bytes, offset: int, size: int) -> str | None:
    """MTX_ADDR: a 4-byte length (with the terminating NUL), then the name; None when the
    bytes there are not one."""
    if offset < _FIXED or offset + 4 > len(blob) or size < 5:
        return None
    (length,) = struct.unpack_from("<I", blob, offset)
    name = blob[offset + 4 : offset + 4 + length]
    if length + 4 != size or len(name) != length or not name.endswith(b"\x00"):
        return None
    try:
        return name[:-1].decode("ascii")
    except UnicodeDecodeError:
        return None


_NEIGHBOR_FIELD = re.compile(r"<(\w+)>([^<]*)</\1>")


def parse_neighbor(xml: str) -> InboundLink:
    """One ``msDS-NCReplInboundNeighbors`` value, a ``<DS_REPL_NEIGHBOR>`` document whose
    fields are flat elements (pszNamingContext, pszSourceDsaDN, uuidSourceDsaObjGuid,
    dwLastSyncResult, cNumConsecutiveSyncFailures, ftimeLastSyncSuccess, ...)."""
    if "<DS_REPL_NEIGHBOR>" not in xml:
        raise DecodeError("not a DS_REPL_NEIGHBOR document")
    fields = {name: value.strip() for name, value in _NEIGHBOR_FIELD.findall(xml)}
    try:
        context = fields["pszNamingContext"]
        result = int(fields["dwLastSyncResult"])
        failures = int(fields["cNumConsecutiveSyncFailures"])
    except (KeyError, ValueError) as error:
        raise DecodeError(f"DS_REPL_NEIGHBOR without a readable {error}") from None
    guid = fields.get("uuidSourceDsaObjGuid") or None
    return InboundLink(
        naming_context=context,
        source_guid=guid.strip("{}").lower() if guid else None,
        source_address=fields.get("pszSourceDsaAddress") or None,
        source_dn=fields.get("pszSourceDsaDN") or None,
        consecutive_failures=failures,
        last_success=_xml_time(fields.get("ftimeLastSyncSuccess")),
        last_attempt=_xml_time(fields.get("ftimeLastSyncAttempt")),
        last_result=_signed(result & 0xFFFFFFFF),
    )


def _xml_time(text: str | None) -> datetime | None:
    """An ISO 8601 time of a DS_REPL_NEIGHBOR document; its "never" is 1601-01-01."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return None if value.year <= 1601 else value


@dataclasses.dataclass(frozen=True)
class Partners:
    """The nTDSDSA objects of the forest: objectGUID -> (server DN, dNSHostName)."""

    by_guid: dict[str, tuple[str, str | None]]

    def name(self, link: InboundLink) -> str | None:
        """The source DC's host name (or server name), None when the directory does not say."""
        if link.source_guid and link.source_guid in self.by_guid:
            server_dn, host = self.by_guid[link.source_guid]
            return host or _first_rdn(server_dn)
        if link.source_dn:
            for server_dn, host in self.by_guid.values():
                if link.source_dn.lower().endswith(server_dn.lower()):
                    return host or _first_rdn(server_dn)
            return _first_rdn(link.source_dn.split(",", 1)[1]) if "," in link.source_dn else None
        return None


def _first_rdn(dn: str) -> str | None:
    head = dn.split(",", 1)[0]
    return head.split("=", 1)[1] if "=" in head else None


def _raw(
    connection: ldap3.Connection, base: str, search_filter: str, attributes: list[str], scope: Any
) -> list[tuple[str, dict[str, list[bytes]]]]:
    try:
        connection.search(base, search_filter, search_scope=scope, attributes=attributes)
    except LDAPException as error:
        raise DirectoryError(f"{type(error).__name__}: {error}") from None
    return [
        (str(item.get("dn", "")), dict(item.get("raw_attributes") or {}))
        for item in connection.response or []
        if item.get("type") == "searchResEntry"
    ]


def partners(connection: ldap3.Connection, root: RootDse) -> Partners:
    """Every nTDSDSA object's GUID with its server's DN and ``dNSHostName``."""
    if root.config_nc is None:
        raise DirectoryError("the rootDSE names no configuration naming context")
    sites = f"CN=Sites,{root.config_nc}"
    hosts = {
        dn.lower(): (attrs.get("dNSHostName") or [b""])[0].decode("utf-8", "replace") or None
        for dn, attrs in _raw(
            connection, sites, "(objectClass=server)", ["dNSHostName"], ldap3.SUBTREE
        )
    }
    found: dict[str, tuple[str, str | None]] = {}
    for dn, attrs in _raw(
        connection, sites, "(objectClass=nTDSDSA)", ["objectGUID"], ldap3.SUBTREE
    ):
        raw = (attrs.get("objectGUID") or [b""])[0]
        if len(raw) != 16:
            continue
        server_dn = dn.split(",", 1)[1] if "," in dn else dn
        host = hosts.get(server_dn.lower())
        found[str(uuid.UUID(bytes_le=raw))] = (server_dn, host.lower() if host else None)
    return Partners(found)


@dataclasses.dataclass
class Reading:
    links: list[InboundLink]
    problems: list[str]
    reader: str  # msDS-NCReplInboundNeighbors or repsFrom


def inbound_links(connection: ldap3.Connection, contexts: list[str]) -> Reading:
    """The inbound links of every naming context in ``contexts`` held by the DC ``connection``
    is bound to; values that cannot be decoded are problems, never facts."""
    links: list[InboundLink] = []
    problems: list[str] = []
    used: set[str] = set()
    for context in contexts:
        rows = _raw(
            connection,
            context,
            "(objectClass=*)",
            ["msDS-NCReplInboundNeighbors", "repsFrom"],
            ldap3.BASE,
        )
        if not rows:
            continue
        attrs = rows[0][1]
        neighbours = attrs.get("msDS-NCReplInboundNeighbors") or []
        values: list[tuple[str, bytes]] = (
            [("msDS-NCReplInboundNeighbors", v) for v in neighbours]
            if neighbours
            else [("repsFrom", v) for v in attrs.get("repsFrom") or []]
        )
        for kind, value in values:
            try:
                link = (
                    parse_neighbor(value.decode("utf-8", "replace"))
                    if kind == "msDS-NCReplInboundNeighbors"
                    else decode_reps_from(value, context)
                )
            except DecodeError as error:
                problems.append(f"{kind} of {context}: {error}")
                continue
            used.add(kind)
            links.append(link)
    return Reading(links, problems, "+".join(sorted(used)) or "repsFrom")
