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
    ReaderBase,
    ReadResult,
    source_for,
    warning,
)
from kbdoctor.collectors.parsing.format_list import (
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


class ExchangeServerReader(ReaderBase):
    """Every Exchange server with its FQDN, site and version.

    Example (``Get-ExchangeServer | Format-List``, shortened)::

        Name                : EX01
        Domain              : corp.example.com
        Fqdn                : ex01.corp.example.com
        ServerRole          : Mailbox
        Site                : corp.example.com/Configuration/Sites/Default-First-Site-Name
        AdminDisplayVersion : Version 15.2 (Build 1118.7)
        Identity            : EX01

    Facts: exchange_server
    """

    name = "exchange-server"
    command = "Get-ExchangeServer | Format-List"

    def _sniff(self, material: Material) -> bool:
        return (
            looks_like_listing(material, _SERVER_FIELDS, needed=1)
            and looks_like_listing(material, ("Name", "Fqdn"), needed=1)
            and not looks_like_listing(material, ("AuthMechanism", "NextHopDomain"), needed=1)
        )

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


class ExchangeServerTableReader(ReaderBase):
    """The default table of ``Get-ExchangeServer`` truncates Site and version; ask for a list.

    Example::

        Name                 Site                 ServerRole           Edition              AdminDisplayVersion
        ----                 ----                 ----------           -------              -------------------
        EX01                 corp.example.com/... Mailbox              Standard             Version 15.2 (Bu...

    Facts: none (warns exchange_server.table_output)
    """  # noqa: E501 - a real sample keeps its width


    name = "exchange-server-table"
    command = "Get-ExchangeServer"

    def _sniff(self, material: Material) -> bool:
        return find_table_header(material, ("Name", "Site", "ServerRole")) is not None

    def _read(self, material: Material, result: ReadResult) -> None:
        index = find_table_header(material, ("Name", "Site", "ServerRole"))
        result.warnings.append(warning(material, index, "exchange_server.table_output"))


READERS = (ExchangeServerReader(), ExchangeServerTableReader())
