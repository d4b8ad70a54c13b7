"""w32tm /stripchart, /monitor, /query /status and /query /peers, in several languages."""

from __future__ import annotations

from datetime import datetime

import pytest
from kbdoctor.collectors.importers.w32tm import (
    MonitorReader,
    PeersReader,
    StatusReader,
    StripchartReader,
)
from kbdoctor.engine.facts import ClockOffset, DomainController, TimeStatus

from tests.collectors.importers.fixtures import materials, read_with

STRIP, MONITOR, STATUS, PEERS = StripchartReader(), MonitorReader(), StatusReader(), PeersReader()


def test_stripchart_gives_the_median_offset_of_the_target_against_this_machine() -> None:
    result = read_with(STRIP, "w32tm", "w32tm_stripchart_dataonly_en.txt", host="EX01")
    [fact] = result.facts
    assert isinstance(fact, ClockOffset)
    assert fact.host == "dcorp-dc.dollarcorp.moneycorp.local"
    assert fact.reference == "EX01"
    assert fact.offset_s == pytest.approx(0.0004693)
    assert fact.observed_at == datetime(2025, 2, 20, 4, 17, 25)
    assert fact.provenance is not None
    assert (fact.provenance.line, fact.provenance.line_end) == (5, 9)


def test_stripchart_skips_failed_samples_with_a_located_warning() -> None:
    result = read_with(STRIP, "w32tm", "w32tm_stripchart_errors_en.txt")
    [fact] = result.facts
    assert isinstance(fact, ClockOffset)
    assert fact.host == "DC01"
    assert fact.offset_s == pytest.approx(301.0004321)
    assert [w.line for w in result.warnings] == [6]


def test_stripchart_with_every_sample_failed_gives_no_fact() -> None:
    result = read_with(STRIP, "w32tm", "w32tm_stripchart_all_failed_en.txt")
    assert result.facts == []
    assert any("no sample" in w.message for w in result.warnings)


def test_polish_stripchart_with_decimal_commas() -> None:
    [fact] = read_with(STRIP, "w32tm", "w32tm_stripchart_pl.cp852.txt", host="EX02").facts
    assert isinstance(fact, ClockOffset)
    assert (fact.host, fact.reference) == ("dc01.firma.pl", "EX02")
    assert fact.offset_s == pytest.approx(-0.0123456)


def test_stripchart_without_a_host_says_how_to_give_one() -> None:
    result = read_with(STRIP, "w32tm", "w32tm_stripchart_dataonly_en.txt", host=None)
    assert result.facts == []
    assert "--host" in result.warnings[0].message


def test_monitor_names_the_dcs_the_pdc_and_offsets_from_it() -> None:
    facts = read_with(MONITOR, "w32tm", "w32tm_monitor_en.txt").facts
    dcs = [(f.name, f.pdc) for f in facts if isinstance(f, DomainController)]
    offsets = [(f.host, f.reference, f.offset_s) for f in facts if isinstance(f, ClockOffset)]
    assert dcs == [("PDC.example.com", True), ("DC1.example.com", False),
                   ("DC2.example.com", False)]
    assert offsets == [("DC1.example.com", "PDC.example.com", -0.0063029),
                       ("DC2.example.com", "PDC.example.com", 0.0046926)]


def test_monitor_reports_an_unreachable_dc_and_reads_the_others() -> None:
    result = read_with(MONITOR, "w32tm", "w32tm_monitor_error_en.txt")
    offsets = [(f.host, f.offset_s) for f in result.facts if isinstance(f, ClockOffset)]
    assert offsets == [("DC03.corp.example.com", 312.55)]
    assert [w.line for w in result.warnings] == [9]
    assert "DC02.corp.example.com" in result.warnings[0].message


def test_status_verbose_english_two_captures() -> None:
    facts = read_with(STATUS, "w32tm", "w32tm_query_status_verbose_en.txt", host="DC01").facts
    assert [(f.host, f.time_source, f.stratum, f.leap_indicator) for f in facts
            if isinstance(f, TimeStatus)] == [
        ("DC01", "time.windows.com,0x9", 4, 0),
        ("DC01", "Local CMOS Clock", 0, 3),
    ]
    first = facts[0]
    assert isinstance(first, TimeStatus)
    assert first.last_sync == datetime(2025, 9, 11, 14, 32, 5)
    assert first.phase_offset_s == pytest.approx(-0.0038147)


def test_status_german_raw_cp850_with_a_wrapped_message() -> None:
    result = read_with(STATUS, "w32tm", "w32tm_query_status_verbose_de.cp850.txt", host="DC02")
    [fact] = result.facts
    assert isinstance(fact, TimeStatus)
    assert fact.time_source == "de.pool.ntp.org"
    assert fact.stratum == 3
    assert fact.last_sync == datetime(2025, 9, 15, 13, 12, 56)
    assert fact.phase_offset_s == pytest.approx(-0.0003717)


def test_status_polish_utf16_local_cmos_clock() -> None:
    result = read_with(STATUS, "w32tm", "w32tm_query_status_verbose_pl.utf16.txt", host="DC01")
    [fact] = result.facts
    assert isinstance(fact, TimeStatus)
    assert fact.time_source == "Local CMOS Clock"
    assert (fact.stratum, fact.leap_indicator) == (1, 0)
    assert fact.last_sync == datetime(2025, 3, 14, 9, 12, 44)
    assert fact.phase_offset_s == 0.0


def test_truncated_status_without_source_line_warns() -> None:
    [material] = materials("w32tm", "w32tm_query_status_verbose_en.txt")
    lines = material.lines()[:5]
    from kbdoctor.collectors.importers.base import Material

    short = Material(material.path, b"", "\n".join(lines), 1, material.host_hint)
    result = STATUS.read(short)
    assert result.facts == []
    assert "time source" in result.warnings[0].message


def test_peers_list_every_peer() -> None:
    [fact] = read_with(PEERS, "w32tm", "w32tm_peers_en.txt", host="EX01").facts
    assert isinstance(fact, TimeStatus)
    assert fact.peers == ["dc01.corp.example.com", "dc02.corp.example.com"]


@pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("w32tm_stripchart_dataonly_en.txt", STRIP),
        ("w32tm_stripchart_pl.cp852.txt", STRIP),
        ("w32tm_monitor_en.txt", MONITOR),
        ("w32tm_query_status_verbose_de.cp850.txt", STATUS),
        ("w32tm_query_status_verbose_pl.utf16.txt", STATUS),
        ("w32tm_peers_en.txt", PEERS),
    ],
)
def test_each_output_is_recognised_only_by_its_reader(name: str, reader: object) -> None:
    for material in materials("w32tm", name):
        found = [r for r in (STRIP, MONITOR, STATUS, PEERS) if r.sniff(material)]
        assert found == [reader]
