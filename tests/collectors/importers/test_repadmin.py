"""repadmin readers: /showrepl text and CSV, /replsummary, in English and Polish."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pytest
from kbdoctor.collectors.decoding import decode_bytes
from kbdoctor.collectors.importers.base import HostHint, Material
from kbdoctor.collectors.importers.repadmin import (
    ReplsummaryReader,
    ShowreplCsvReader,
    ShowreplTextReader,
    parse_result,
    signed32,
)
from kbdoctor.engine.facts import CheckRun, ReplicationLink

DATA = Path(__file__).parents[2] / "data" / "importers" / "repadmin"
TEXT, CSV, SUMMARY = ShowreplTextReader(), ShowreplCsvReader(), ReplsummaryReader()


def material(name: str, host: str | None = None) -> Material:
    data = (DATA / name).read_bytes()
    hint = HostHint(host, "option") if host else None
    return Material(path=name, data=data, text=decode_bytes(data).text, host_hint=hint)


def text_material(text: str, host: str | None = None) -> Material:
    hint = HostHint(host, "option") if host else None
    return Material(path="pasted.txt", data=text.encode(), text=text, host_hint=hint)


def links(facts: Sequence[object]) -> list[ReplicationLink]:
    return [f for f in facts if isinstance(f, ReplicationLink)]


def checks(facts: Sequence[object]) -> list[CheckRun]:
    return [f for f in facts if isinstance(f, CheckRun)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("result 1722 (0x6ba):", 1722),
        ("result -2146893022 (0x80090322):", -2146893022),
        ("wynik 8524 (0x214c):", 8524),
        ("result 2148074274 (0x80090322)", -2146893022),
        ("was successful.", None),
    ],
)
def test_result_codes_are_signed_32_bit_and_the_hex_part_decides(
    text: str, expected: int | None
) -> None:
    assert parse_result(text) == expected


def test_signed32_wraps_hresults() -> None:
    assert signed32(0x80090322) == -2146893022
    assert signed32(1722) == 1722


class TestShowreplText:
    def test_fragment_without_header_needs_the_host_and_says_so(self) -> None:
        m = material("showrepl_1722_fragment_en.txt")
        assert TEXT.sniff(m)
        result = TEXT.read(m)
        assert result.facts == []
        assert "--host" in result.warnings[0].message
        assert result.warnings[0].line == 3

    def test_fragment_with_host_hint_gives_the_failing_link_but_no_check_run(self) -> None:
        result = TEXT.read(material("showrepl_1722_fragment_en.txt", host="DC1"))
        (link,) = links(result.facts)
        assert (link.source, link.destination) == ("DC2", "DC1")
        assert link.naming_context == "DC=contoso,DC=com"
        assert link.last_result == 1722
        assert link.consecutive_failures == 1
        assert link.last_success == datetime(2019, 11, 11, 8, 16, 47)
        assert link.provenance is not None
        assert (link.provenance.line, link.provenance.line_end) == (3, 8)
        assert checks(result.facts) == []
        assert any("partial" in w.message for w in result.warnings)

    def test_full_output_reads_inbound_links_only_and_counts_failures(self) -> None:
        result = TEXT.read(material("showrepl_full_0x80090322_en.txt"))
        found = links(result.facts)
        assert [(f.source, f.naming_context, f.last_result) for f in found] == [
            ("DC2", "DC=corp,DC=example,DC=com", -2146893022),
            ("DC3", "DC=corp,DC=example,DC=com", 0),
            ("DC2", "CN=Configuration,DC=corp,DC=example,DC=com", 0),
        ]
        assert {f.destination for f in found} == {"DC1"}
        assert found[0].consecutive_failures == 12
        assert found[1].consecutive_failures == 0
        (check,) = checks(result.facts)
        assert (check.check, check.found) == ("replication", 1)
        assert result.warnings == []

    def test_polish_labels_are_read_by_structure(self) -> None:
        m = material("showrepl_full_1722_pl.cp852.txt")
        assert TEXT.sniff(m)
        result = TEXT.read(m)
        found = links(result.facts)
        assert [(f.source, f.destination, f.last_result) for f in found] == [
            ("DC2", "DC1", 1722),
            ("DC2", "DC1", 0),
        ]
        assert found[0].consecutive_failures == 3
        assert found[0].last_success == datetime(2024, 3, 5, 11, 40, 7)
        assert checks(result.facts)[0].found == 1

    def test_truncated_output_keeps_links_but_is_no_evidence(self) -> None:
        result = TEXT.read(material("showrepl_truncated_en.txt"))
        assert [f.last_result for f in links(result.facts)] == [-2146893022]
        assert checks(result.facts) == []
        assert result.warnings

    def test_showrepl_star_names_each_destination_from_its_own_header(self) -> None:
        text = (
            "Site\\DC1\nDSA Options: IS_GC\n==== INBOUND NEIGHBORS ====\nDC=x\n"
            "    Site\\DC2 via RPC\n        Last attempt @ 2024-01-01 10:00:00 was successful.\n"
            "Site\\DC2\nDSA Options: (none)\n==== INBOUND NEIGHBORS ====\nDC=x\n"
            "    Site\\DC1 via RPC\n"
            "        Last attempt @ 2024-01-01 10:00:00 failed, result 8453 (0x2105):\n"
            "            Replication access was denied.\n"
            "        2 consecutive failure(s).\n"
            "        Last success @ 2023-12-31 10:00:00.\n"
        )
        result = TEXT.read(text_material(text))
        assert [(f.source, f.destination, f.last_result) for f in links(result.facts)] == [
            ("DC2", "DC1", 0),
            ("DC1", "DC2", 8453),
        ]
        assert checks(result.facts)[0].found == 1

    def test_other_formats_are_not_taken_for_showrepl(self) -> None:
        assert not TEXT.sniff(material("showrepl_csv_clean_en.txt"))
        assert not TEXT.sniff(material("replsummary_8524_en.txt"))


class TestShowreplCsv:
    def test_clean_checkmk_capture_is_evidence_of_healthy_replication(self) -> None:
        m = material("showrepl_csv_clean_en.txt")
        assert CSV.sniff(m)
        result = CSV.read(m)
        found = links(result.facts)
        assert len(found) == 15
        assert all(f.destination == "HSHPI220" and f.last_result == 0 for f in found)
        assert found[0].naming_context == "CN=Configuration,DC=internal"
        assert found[0].last_success == datetime(2015, 7, 7, 9, 15, 37)
        assert found[0].provenance is not None
        assert found[0].provenance.line == 4
        assert checks(result.facts)[0].found == 0
        assert result.warnings == []

    def test_failures_in_utf16_keep_codes_and_a_recovered_link_counts_as_healthy(self) -> None:
        result = CSV.read(material("showrepl_csv_failures_en.utf16.csv"))
        found = links(result.facts)
        rows = [(f.source, f.destination, f.last_result, f.consecutive_failures) for f in found]
        assert rows == [
            ("DC2", "DC1", -2146893022, 12),
            ("DC3", "DC1", 0, 0),
            ("DC1", "DC2", 1722, 4),
            ("DC1", "DC3", 0, 0),
        ]
        assert checks(result.facts)[0].found == 2

    def test_ten_field_layout_takes_the_destination_from_the_host(self) -> None:
        result = CSV.read(material("showrepl_csv_10_fields_de.csv", host="WIN2003"))
        found = links(result.facts)
        assert [(f.source, f.destination, f.last_result) for f in found] == [
            ("WIN2003-DC2", "WIN2003", 0),
            ("WIN2003-DC2", "WIN2003", 8453),
        ]
        assert found[1].naming_context == "CN=Configuration,DC=corp,DC=de"

    def test_ten_field_layout_without_host_warns_per_row(self) -> None:
        result = CSV.read(material("showrepl_csv_10_fields_de.csv"))
        assert links(result.facts) == []
        assert any("--host" in w.message for w in result.warnings)

    def test_localised_header_falls_back_to_positions(self) -> None:
        result = CSV.read(material("showrepl_csv_pl.cp852.csv"))
        found = links(result.facts)
        assert [(f.source, f.destination, f.last_result) for f in found] == [
            ("DC2", "DC1", 1722),
            ("DC1", "DC2", 0),
        ]
        assert checks(result.facts)[0].found == 1

    def test_rows_with_wrong_field_count_are_reported_with_their_line(self) -> None:
        text = (
            "showrepl_COLUMNS,Destination DSA Site,Destination DSA,Naming Context,"
            "Source DSA Site,Source DSA,Transport Type,Number of Failures,Last Failure Time,"
            "Last Success Time,Last Failure Status\nshowrepl_INFO,S,DC1,DC=x,S,DC2,RPC,0\n"
        )
        result = CSV.read(text_material(text))
        assert links(result.facts) == []
        assert checks(result.facts) == []
        assert next(w.line for w in result.warnings) == 2


class TestReplsummary:
    def test_single_failing_pair_becomes_a_link_and_an_empty_run_is_reported(self) -> None:
        m = material("replsummary_8524_en.txt")
        assert SUMMARY.sniff(m)
        result = SUMMARY.read(m)
        (link,) = links(result.facts)
        assert (link.source, link.destination, link.last_result) == ("DC02", "DC01", 8524)
        assert link.observed_at == datetime(2024, 4, 23, 6, 7, 59)
        assert link.provenance is not None
        assert link.provenance.inferred
        (check,) = checks(result.facts)
        assert check.found == 1
        assert [w.line for w in result.warnings] == [12]

    def test_several_failing_pairs_are_not_guessed(self) -> None:
        result = SUMMARY.read(material("replsummary_ambiguous_en.txt"))
        assert links(result.facts) == []
        messages = " ".join(w.message for w in result.warnings)
        assert "does not say which replicates to which" in messages
        assert "dc4.corp.example.com (error 58)" in messages
        assert checks(result.facts)[0].found == 4  # three failing links, one unreachable DC

    def test_polish_summary_is_read_by_structure(self) -> None:
        m = material("replsummary_1722_pl.cp852.txt")
        assert SUMMARY.sniff(m)
        result = SUMMARY.read(m)
        (link,) = links(result.facts)
        assert (link.source, link.destination, link.last_result) == ("DC2", "DC1", 1722)
        assert link.observed_at == datetime(2024, 3, 5, 14, 10)

    def test_clean_summary_is_evidence(self) -> None:
        result = SUMMARY.read(material("replsummary_clean_en.txt"))
        assert links(result.facts) == []
        assert [c.found for c in checks(result.facts)] == [0]
        assert result.warnings == []

    def test_showrepl_is_not_taken_for_a_summary(self) -> None:
        assert not SUMMARY.sniff(material("showrepl_full_0x80090322_en.txt"))
        assert not CSV.sniff(material("replsummary_8524_en.txt"))


def test_showrepl_that_lost_every_indentation_is_read_by_its_structure() -> None:
    text = (
        "Default-First-Site-Name\\DC2\nDSA Options: IS_GC\n"
        "==== INBOUND NEIGHBORS ======================================\n"
        "DC=corp,DC=com\nDefault-First-Site-Name\\DC1 via RPC\n"
        "DSA object GUID: a802b3eb-2653-4e40-97d8-9273f5ec794e\n"
        "Last attempt @ 2025-07-01 11:56:55 failed, result 1722 (0x6ba):\n"
        "The RPC server is unavailable.\n3 consecutive failure(s).\n"
        "Last success @ 2025-06-30 06:52:53.\n"
    )
    material = Material("flat.txt", b"", text, 1, HostHint("EX01", "option"))
    reader = ShowreplTextReader()
    assert reader.sniff(material)
    links = [f for f in reader.read(material).facts if isinstance(f, ReplicationLink)]
    assert [(f.source, f.destination, f.last_result, f.consecutive_failures) for f in links] == [
        ("DC1", "DC2", 1722, 3)
    ]
