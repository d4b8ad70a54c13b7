"""Reader of ``Get-ExchangeServer | Format-List``: which machines are Exchange servers, their
FQDN, AD site and build, so that rules know whose clocks, SPNs and connectors matter.

Sample (one record per server, blank lines between them; shortened)::

    Name                : EX01
    Fqdn                : ex01.corp.example.com
    Site                : corp.example.com/Configuration/Sites/Default-First-Site-Name
    ServerRole          : Mailbox
    AdminDisplayVersion : Version 15.2 (Build 1118.7)

``Site`` is the site object's canonical name; the fact keeps its last part, the site's name
(localised on non-English forests, for example ``Domyslna-nazwa-pierwszej-lokacji``).
The default table cuts Site short, so a table is recognised only to ask for ``Format-List``.
"""

from __future__ import annotations

from kbdoctor.collectors.importers.base import (
    Material,
    ReadResult,
    claims_before_reading,
    source_for,
    warning,
)
from kbdoctor.collectors.importers.format_list import (
    find_table_header,
    looks_like_listing,
    parse_records,
)
from kbdoctor.engine.facts import ExchangeServer

# Fields of Get-ExchangeServer that other Exchange objects (connectors, queues) do not have.
_SERVER_FIELDS = ("AdminDisplayVersion", "ServerRole", "IsMailboxServer", "IsHubTransportServer")


def site_name(canonical: str | None) -> str | None:
    """``corp.example.com/Configuration/Sites/Main`` -> ``Main``."""
    if not canonical:
        return None
    return canonical.strip().rstrip("/").rsplit("/", 1)[-1].strip() or None


@claims_before_reading
class ExchangeServerReader:
    name = "exchange-server"
    title = "Get-ExchangeServer | Format-List: Exchange servers, sites and versions"
    command = "Get-ExchangeServer | Format-List"

    def sniff(self, material: Material) -> bool:
        return (
            looks_like_listing(material, _SERVER_FIELDS, needed=1)
            and looks_like_listing(material, ("Name", "Fqdn"), needed=1)
            and not looks_like_listing(material, ("AuthMechanism", "NextHopDomain"), needed=1)
        )

    def read(self, material: Material) -> ReadResult:
        result = ReadResult()
        try:
            self._read(material, result)
        except Exception as error:  # defensive: a reader never raises
            result.warnings.append(warning(material, None, "exchange_server.failed", detail=error))
        if not result.facts and not result.warnings:
            result.warnings.append(warning(material, None, "exchange_server.none_found"))
        return result

    def _read(self, material: Material, result: ReadResult) -> None:
        for record in parse_records(material):
            if not any(record.get(name) is not None for name in _SERVER_FIELDS):
                continue  # another object type in the same listing
            name = record.value("Name")
            fqdn = record.value("Fqdn")
            if name is None and fqdn is not None:
                name = fqdn.split(".", 1)[0]
            if name is None:
                result.warnings.append(
                    warning(material, record.first, "exchange_server.without_name")
                )
                continue
            result.facts.append(
                ExchangeServer(
                    name=name,
                    fqdn=fqdn,
                    site=site_name(record.value("Site")),
                    version=record.value("AdminDisplayVersion"),
                    provenance=source_for(self, material, record.first, record.last),
                )
            )


@claims_before_reading
class ExchangeServerTableReader:
    """The default table of ``Get-ExchangeServer`` truncates Site and version; ask for a list."""

    name = "exchange-server-table"
    title = "Get-ExchangeServer (table): values cut short, Format-List needed"
    command = "Get-ExchangeServer"

    def sniff(self, material: Material) -> bool:
        return find_table_header(material, ("Name", "Site", "ServerRole")) is not None

    def read(self, material: Material) -> ReadResult:
        try:
            index = find_table_header(material, ("Name", "Site", "ServerRole"))
        except Exception:  # defensive: a reader never raises
            index = None
        return ReadResult([], [warning(material, index, "exchange_server.table_output")])


READERS = (ExchangeServerReader(), ExchangeServerTableReader())
