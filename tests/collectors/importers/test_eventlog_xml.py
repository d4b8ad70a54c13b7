"""Event records as XML: wevtutil qe /f:xml and /f:RenderedXml, Get-WinEvent ToXml()."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kbdoctor.collectors.decoding import decode_bytes
from kbdoctor.collectors.importers.base import Material
from kbdoctor.collectors.importers.eventlog_text import EventDetailsReader, EventListReader
from kbdoctor.collectors.importers.eventlog_xml import EventXmlReader

from tests.collectors.importers.eventlog_support import events, kerberos_errors, material

XML = EventXmlReader()


@pytest.mark.parametrize(
    "name",
    [
        "wevtutil_renderedxml_1035_en.xml",
        "wevtutil_xml_1035_nomessage_en.xml",
        "wevtutil_xml_system_en.xml",
        "toxml_frontend_1035_utf16.txt",
        "saved_events_utf16.xml",
        "wevtutil_truncated.xml",
    ],
)
def test_event_xml_is_recognised_by_the_xml_reader_only(name: str) -> None:
    item = material(name)
    assert XML.sniff(item)
    assert not EventListReader().sniff(item)
    assert not EventDetailsReader().sniff(item)


def test_details_copy_with_an_event_xml_section_is_not_taken_for_xml() -> None:
    assert not XML.sniff(material("viewer_details_1035_en.txt"))


def test_rendered_xml_gives_the_rendered_message_the_computer_and_utc_time() -> None:
    result = XML.read(material("wevtutil_renderedxml_1035_en.xml"))
    found = events(result.facts)
    assert [(e.host, e.source, e.event_id, e.log, e.level) for e in found] == [
        ("EX02.corp.example.com", "MSExchangeTransport", 1035, "Application", "Error"),
        ("EX02.corp.example.com", "MSExchangeTransport", 1035, "Application", "Error"),
    ]
    assert found[0].message.endswith("is [10.20.1.11].")
    assert found[1].message.endswith("is [10.20.1.12].")
    assert found[0].time == datetime(2024, 3, 14, 8, 12, 44, 812345, tzinfo=UTC)
    assert [e.provenance.line for e in found if e.provenance] == [1, 2]
    assert result.warnings == []


def test_plain_xml_without_rendering_makes_the_message_from_the_template() -> None:
    [event] = events(XML.read(material("wevtutil_xml_1035_nomessage_en.xml")).facts)
    assert event.message == (
        "Inbound authentication failed with error IllegalMessage for Receive connector Default "
        "EX02. The authentication mechanism is ExchangeAuth. The source IP address of the client "
        "who tried to authenticate to Microsoft Exchange is [10.20.1.11]."
    )


def test_system_log_xml_gives_kerberos_errors_kdc_and_time_events() -> None:
    result = XML.read(material("wevtutil_xml_system_en.xml"))
    assert [(e.source, e.event_id, e.host) for e in events(result.facts)] == [
        ("Microsoft-Windows-Security-Kerberos", 3, "EX02.corp.example.com"),
        ("Microsoft-Windows-Security-Kerberos", 3, "EX02.corp.example.com"),
        ("Microsoft-Windows-Security-Kerberos", 4, "EX01.corp.example.com"),
        ("Microsoft-Windows-Kerberos-Key-Distribution-Center", 11, "DC01.corp.example.com"),
        ("Microsoft-Windows-Time-Service", 129, "DC01.corp.example.com"),
    ]
    assert [(k.code, k.target) for k in kerberos_errors(result.facts)] == [
        ("KRB_AP_ERR_SKEW", "SMTPSVC/ex01.corp.example.com"),
        ("KDC_ERR_S_PRINCIPAL_UNKNOWN", "SMTPSVC/ex03.corp.example.com"),
        ("KRB_AP_ERR_MODIFIED", "SMTPSVC/ex02.corp.example.com"),
    ]
    kdc = events(result.facts)[3]
    assert "The duplicate name is SMTPSVC/ex02.corp.example.com" in kdc.message
    assert [w.message.split(" events")[0] for w in result.warnings] == ["1"]


def test_toxml_output_in_utf16_keeps_the_frontend_source_apart() -> None:
    [event] = events(XML.read(material("toxml_frontend_1035_utf16.txt")).facts)
    assert event.source == "MSExchangeFrontEndTransport"
    assert "error LogonDenied for Receive connector Client Frontend EX01" in event.message
    assert "The authentication mechanism is Login." in event.message


def test_event_viewer_saved_xml_with_declaration_and_root_is_read() -> None:
    [event] = events(XML.read(material("saved_events_utf16.xml")).facts)
    assert event.event_id == 1035


def test_a_truncated_last_event_is_a_warning_and_the_whole_events_are_kept() -> None:
    result = XML.read(material("wevtutil_truncated.xml"))
    assert len(events(result.facts)) == 1
    assert [(w.line, w.message) for w in result.warnings] == [
        (2, "truncated event XML at the end not read")
    ]


def test_a_damaged_event_in_the_middle_costs_only_that_event() -> None:
    result = XML.read(material("wevtutil_broken_middle.xml"))
    assert len(events(result.facts)) == 2
    assert [w.line for w in result.warnings] == [2]


def test_doctype_and_entities_are_refused() -> None:
    result = XML.read(material("xml_doctype_entities.xml"))
    assert result.facts == []
    assert [w.line for w in result.warnings] == [1]


@pytest.mark.fuzz
@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_on_arbitrary_text(text: str) -> None:
    item = Material("any.xml", text.encode("utf-8", "surrogatepass"), text)
    XML.sniff(item)
    XML.read(item)


@pytest.mark.fuzz
@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    item = Material("any.bin", data, decode_bytes(data).text)
    XML.sniff(item)
    XML.read(item)


_FULL = material("wevtutil_xml_system_en.xml").text or ""


@pytest.mark.fuzz
@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(_FULL)), st.integers(0, len(_FULL)), st.text(max_size=5))
def test_never_raises_on_cut_or_spliced_real_xml(start: int, end: int, insert: str) -> None:
    text = _FULL[:start] + insert + _FULL[end:]
    item = Material("cut.xml", text.encode("utf-8", "surrogatepass"), text)
    XML.sniff(item)
    XML.read(item)
