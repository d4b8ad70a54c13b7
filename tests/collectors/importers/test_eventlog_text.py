"""Event records as text: Get-WinEvent/Get-EventLog | Format-List, Event Viewer's text copy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kbdoctor.collectors.decoding import decode_bytes
from kbdoctor.collectors.importers.base import HostHint, Material
from kbdoctor.collectors.importers.eventlog_text import EventDetailsReader, EventListReader

from tests.collectors.importers.eventlog_support import events, kerberos_errors, material

LIST = EventListReader()
DETAILS = EventDetailsReader()


@pytest.mark.parametrize(
    "name",
    [
        "fl_1035_transport_en.txt",
        "fl_star_1035_pl_utf16.txt",
        "fl_star_system_de_utf16.txt",
        "fl_frontend_lookalike_en.txt",
        "geteventlog_fl_2017_en.txt",
    ],
)
def test_format_list_output_is_recognised_by_the_list_reader_only(name: str) -> None:
    item = material(name)
    assert LIST.sniff(item)
    assert not DETAILS.sniff(item)


@pytest.mark.parametrize(
    "name",
    [
        "viewer_details_1035_en.txt",
        "viewer_details_kerberos4_pl.txt",
        "viewer_details_2003_kerberos4_en.txt",
        "kb979174_event1035_flattened_en.txt",
        "kb979174_event1035_flattened_pl.txt",
    ],
)
def test_event_viewer_text_is_recognised_by_the_details_reader_only(name: str) -> None:
    item = material(name)
    assert DETAILS.sniff(item)
    assert not LIST.sniff(item)


def test_format_list_1035_records_without_machine_name_take_the_host_hint() -> None:
    result = LIST.read(material("fl_1035_transport_en.txt", host="EX02"))
    found = events(result.facts)
    assert [(e.host, e.source, e.event_id) for e in found] == [
        ("EX02", "MSExchangeTransport", 1035),
        ("EX02", "MSExchangeTransport", 1035),
    ]
    assert found[0].message.endswith("Microsoft Exchange is [10.20.1.11].")
    assert "Receive connector Default EX02. The authentication mechanism is ExchangeAuth" in (
        found[0].message
    )
    assert found[0].time == datetime(2024, 3, 14, 9, 12, 44)
    assert found[0].provenance is not None
    assert (found[0].provenance.line, found[0].provenance.line_end) == (3, 8)
    assert result.warnings == []


def test_format_list_without_machine_name_or_hint_warns_per_record() -> None:
    result = LIST.read(material("fl_1035_transport_en.txt"))
    assert result.facts == []
    assert [w.line for w in result.warnings] == [3, 10]


def test_polish_format_list_star_in_utf16_keeps_tokens_and_reads_polish_fields() -> None:
    [event] = events(LIST.read(material("fl_star_1035_pl_utf16.txt")).facts)
    assert event.host == "EX02.corp.example.com"
    assert event.log == "Application"
    assert event.level == "Error"
    assert event.time == datetime(2024, 3, 14, 9, 12, 44)
    assert "z powodu błędu IllegalMessage for Receive Connector Default EX02." in event.message
    assert "Mechanizm uwierzytelniania to ExchangeAuth." in event.message


def test_german_system_log_gives_kerberos_skew_and_time_service_and_skips_the_rest() -> None:
    result = LIST.read(material("fl_star_system_de_utf16.txt"))
    assert [(e.source, e.event_id, e.level) for e in events(result.facts)] == [
        ("Microsoft-Windows-Security-Kerberos", 3, "Error"),
        ("Microsoft-Windows-Time-Service", 129, "Warning"),
    ]
    [error] = kerberos_errors(result.facts)
    assert (error.host, error.code, error.target) == (
        "EX02.corp.example.com",
        "KRB_AP_ERR_SKEW",
        "SMTPSVC/ex01.corp.example.com",
    )
    assert [w.message.split(" events")[0] for w in result.warnings] == ["1"]


def test_frontend_lookalike_keeps_its_own_source() -> None:
    [event] = events(LIST.read(material("fl_frontend_lookalike_en.txt")).facts)
    assert event.source == "MSExchangeFrontEndTransport"
    assert event.host == "EX01.corp.example.com"
    assert "LogonDenied for Receive connector Client Frontend EX01" in event.message
    assert "The authentication mechanism is Login." in event.message


def test_get_eventlog_instance_id_gives_the_event_id() -> None:
    [event] = events(LIST.read(material("geteventlog_fl_2017_en.txt", host="EX01")).facts)
    assert (event.source, event.event_id, event.level, event.host) == (
        "MSExchangeTransport",
        2017,
        "Error",
        "EX01",
    )
    assert event.message.endswith("The target is SMTPSVC/ex02.corp.example.com.")


def test_truncated_and_damaged_records_are_warnings_and_the_whole_record_is_kept() -> None:
    result = LIST.read(material("fl_truncated_en.txt", host="EX02"))
    assert len(events(result.facts)) == 1
    assert [w.line for w in result.warnings] == [10, 15]


def test_vista_details_copy_reads_the_header_and_stops_the_message_before_the_xml() -> None:
    [event] = events(DETAILS.read(material("viewer_details_1035_en.txt")).facts)
    assert (event.host, event.source, event.event_id, event.log, event.level) == (
        "EX02.corp.example.com",
        "MSExchangeTransport",
        1035,
        "Application",
        "Error",
    )
    assert event.message.endswith("is [10.20.1.11].")
    # the Event Xml part's SystemTime (UTC), which no display language changes
    assert event.time == datetime(2024, 3, 14, 8, 12, 44, 812345, tzinfo=UTC)


def test_polish_details_copy_of_kerberos_4_gives_modified_with_the_spn() -> None:
    result = DETAILS.read(material("viewer_details_kerberos4_pl.txt"))
    [event] = events(result.facts)
    assert (event.host, event.level, event.log) == ("EX01.corp.example.com", "Error", "System")
    [error] = kerberos_errors(result.facts)
    assert (error.code, error.target) == ("KRB_AP_ERR_MODIFIED", "SMTPSVC/ex02.corp.example.com")


def test_windows_2003_details_copy_names_the_legacy_source_by_its_full_name() -> None:
    result = DETAILS.read(material("viewer_details_2003_kerberos4_en.txt"))
    [event] = events(result.facts)
    assert (event.source, event.event_id, event.host) == (
        "Microsoft-Windows-Security-Kerberos",
        4,
        "EX01",
    )
    assert event.time == datetime(2010, 3, 14, 9, 20, 11)
    [error] = kerberos_errors(result.facts)
    assert error.target == "SMTPSVC/ex02.corp.example.com"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("kb979174_event1035_flattened_en.txt", "Inbound authentication failed with error"),
        ("kb979174_event1035_flattened_pl.txt", "Uwierzytelnianie przychodzące nie powiodło"),
    ],
)
def test_flattened_kb_text_uses_the_host_hint(name: str, expected: str) -> None:
    [event] = events(DETAILS.read(material(name, host="EX02")).facts)
    assert (event.host, event.source, event.event_id) == ("EX02", "MSExchangeTransport", 1035)
    assert event.message.startswith(expected)
    assert "IllegalMessage" in event.message
    assert "ExchangeAuth" in event.message


def test_polish_kb_text_with_a_garbled_label_gives_no_level() -> None:
    [event] = events(DETAILS.read(material("kb979174_event1035_flattened_pl.txt", "EX02")).facts)
    assert event.level is None


def test_details_without_an_event_id_number_is_a_warning() -> None:
    text = "Event Type: Error\nEvent Source: MSExchangeTransport\nEvent ID: n/a\nDescription: x\n"
    result = DETAILS.read(Material("x.txt", text.encode(), text, host_hint=HostHint("E", "option")))
    assert result.facts == []
    assert [w.line for w in result.warnings] == [1]


@pytest.mark.fuzz
@settings(max_examples=200, deadline=None)
@given(st.text())
def test_readers_never_raise_on_arbitrary_text(text: str) -> None:
    item = Material("any.txt", text.encode("utf-8", "surrogatepass"), text)
    for reader in (LIST, DETAILS):
        reader.sniff(item)
        reader.read(item)


@pytest.mark.fuzz
@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_readers_never_raise_on_arbitrary_bytes(data: bytes) -> None:
    item = Material("any.bin", data, decode_bytes(data).text, host_hint=HostHint("H", "option"))
    for reader in (LIST, DETAILS):
        reader.sniff(item)
        reader.read(item)


@pytest.mark.fuzz
@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "ProviderName : MSExchangeTransport",
                "Id           : 1035",
                "Message      : Inbound authentication failed",
                "               continued",
                "MachineName  : EX02",
                "TimeCreated  : 14.03.2024 09:12:44",
                "Event ID: 1035",
                "Source: Kerberos",
                "Description:",
                "Computer: EX01",
                "Event Type: Error",
                "Event Xml:",
                "",
            ]
        ),
        max_size=30,
    )
)
def test_readers_never_raise_on_shuffled_event_lines(lines: list[str]) -> None:
    text = "\n".join(lines)
    item = Material("any.txt", text.encode(), text)
    for reader in (LIST, DETAILS):
        reader.sniff(item)
        reader.read(item)
