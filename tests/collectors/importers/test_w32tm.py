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

from tests.collectors.importers.fixtures import materials, read_with, text_material

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


# Import fidelity (issue 9): hosts are found by their shape, never by the position of a word.


def test_german_stripchart_takes_the_host_that_comes_first_not_the_verb() -> None:
    result = read_with(STRIP, "w32tm", "w32tm_stripchart_de.txt", host="EX01")
    [fact] = result.facts
    assert isinstance(fact, ClockOffset)
    assert (fact.host, fact.reference) == ("time.windows.com", "EX01")
    assert fact.offset_s == pytest.approx(-0.0069436)


@pytest.mark.parametrize(
    ("line", "host"),
    [
        ("Tracking dc01 [10.0.0.10:123].", "dc01"),
        ("time.windows.com wird verfolgt [104.40.149.189:123].", "time.windows.com"),
        ("Śledzenie DC01 [10.0.0.10:123].", "DC01"),
        ("Suivi de dc01.corp.example.com [10.0.0.10:123].", "dc01.corp.example.com"),
        ("Отслеживание dc01 [10.0.0.10:123].", "dc01"),
        ("正在跟踪 dc01.corp.example.com [10.0.0.10:123]。", "dc01.corp.example.com"),
        ("dc01 を追跡しています [10.0.0.10:123]。", "dc01"),
        ("Tracking DC02 [[fe80::1%6]:123].", "DC02"),
        # a language whose words are not in the table: the address the output states
        ("Bezig met volgen van server [10.0.0.10:123].", "10.0.0.10"),
    ],
)
def test_the_tracked_host_is_found_by_shape_in_any_language(line: str, host: str) -> None:
    text = f"{line}\n09:15:02, +00.0100000s\n"
    result = STRIP.read(text_material(text, host="EX01"))
    assert [f.host for f in result.facts if isinstance(f, ClockOffset)] == [host]


def test_an_unplaceable_name_with_a_masked_address_gives_no_fact() -> None:
    text = "Bezig met volgen van server [192.168.xx.xx:123].\n09:15:02, +00.0100000s\n"
    result = STRIP.read(text_material(text, host="EX01"))
    assert result.facts == []
    assert result.warnings


def test_monitor_keeps_a_dc_listed_by_ipv6_and_ignores_a_note_after_an_ntp_line() -> None:
    result = read_with(MONITOR, "w32tm", "w32tm_monitor_ipv6_note_en.txt")
    dcs = [f.name for f in result.facts if isinstance(f, DomainController)]
    offsets = [(f.host, f.reference, f.offset_s) for f in result.facts
               if isinstance(f, ClockOffset)]
    assert dcs == ["DC1.Contoso.com", "DC2.Contoso.com", "DC3.Contoso.com"]
    assert offsets == [("DC2.Contoso.com", "DC1.Contoso.com", -0.0063029),
                       ("DC3.Contoso.com", "DC1.Contoso.com", 0.0046926)]


def test_monitor_reference_that_cannot_be_placed_is_a_warning_not_a_fact() -> None:
    text = (
        "dc1[10.0.0.1:123]:\n    NTP: +0.0000000s offset from dc1\n"
        "dc2[10.0.0.2:123]:\n    NTP: +1.0000000s offset from ref 0 see note\n"
    )
    result = MONITOR.read(text_material(text))
    assert [f for f in result.facts if isinstance(f, ClockOffset)] == []
    assert [w.key for w in result.warnings] == ["w32tm.reference_unplaced"]


def test_monitor_header_whose_name_is_no_host_gives_no_dc() -> None:
    text = "<b>dc1</b>[10.0.0.1:123]:\n    NTP: +0.0000000s offset from dc1\n"
    result = MONITOR.read(text_material(text))
    assert [f for f in result.facts if isinstance(f, DomainController)] == []


def test_status_last_sync_in_the_year_first_layout_of_chinese_windows() -> None:
    text = (
        "闰指示符: 0(无警告)\n层次: 2 (次引用 - 与(S)NTP 同步)\n精度: -23 (每刻度 119.209ns)\n"
        "根延迟: 0.0312500s\n根分散: 7.8145435s\n参考 ID: 0x9D F0 A4 B0\n"
        "上次成功同步时间: 2025/9/14 23:55:21\n源: time.facebook.com\n轮询间隔: 10 (1024s)\n"
    )
    [fact] = STATUS.read(text_material(text, host="SRV01")).facts
    assert isinstance(fact, TimeStatus)
    assert fact.last_sync == datetime(2025, 9, 14, 23, 55, 21)
