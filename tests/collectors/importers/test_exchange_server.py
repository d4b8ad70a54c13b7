"""Get-ExchangeServer | Format-List reader."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kbdoctor.collectors.decoding import decode_bytes
from kbdoctor.collectors.importers.base import Material
from kbdoctor.collectors.importers.exchange_server import (
    ExchangeServerReader,
    ExchangeServerTableReader,
    site_name,
)
from kbdoctor.engine.facts import ExchangeServer

DATA = Path(__file__).parents[2] / "data" / "importers" / "exchange"
READER, TABLE = ExchangeServerReader(), ExchangeServerTableReader()


def material(name: str) -> Material:
    data = (DATA / name).read_bytes()
    return Material(path=name, data=data, text=decode_bytes(data).text)


def servers(facts: Sequence[object]) -> list[ExchangeServer]:
    return [f for f in facts if isinstance(f, ExchangeServer)]


def test_every_server_record_becomes_a_fact_with_site_name_and_build() -> None:
    m = material("get_exchangeserver_fl_en.utf16.txt")
    assert READER.sniff(m)
    result = READER.read(m)
    ex01, ex02 = servers(result.facts)
    assert (ex01.name, ex01.fqdn, ex01.site, ex01.version) == (
        "EX01",
        "ex01.corp.example.com",
        "Default-First-Site-Name",
        "Version 15.2 (Build 1118.7)",
    )
    assert (ex02.name, ex02.site) == ("EX02", "Branch")
    assert ex01.provenance is not None
    assert ex01.provenance.line == 3
    assert result.warnings == []


def test_polish_site_names_are_kept_as_written() -> None:
    (server,) = servers(READER.read(material("get_exchangeserver_fl_pl.txt")).facts)
    assert server.site == "Domyślna-nazwa-pierwszej-lokacji"
    assert server.fqdn == "ex01.firma.pl"


def test_site_name_is_the_last_part_of_the_canonical_name() -> None:
    assert site_name("corp.example.com/Configuration/Sites/Main/") == "Main"
    assert site_name("") is None


def test_table_is_recognised_only_to_ask_for_format_list() -> None:
    m = material("get_exchangeserver_table_en.txt")
    assert TABLE.sniff(m)
    assert not READER.sniff(m)
    assert "Format-List" in TABLE.read(m).warnings[0].message
