"""The event log fixtures go through the whole import path: decoding, segments, the registry."""

from __future__ import annotations

import pytest
from kbdoctor.collectors.importing import import_paths

from tests.collectors.importers.eventlog_support import DATA, events

EXPECTED_READER = {
    "application_1035.evtx": "eventlog-evtx",
    "fl_1035_transport_en.txt": "eventlog-list",
    "fl_frontend_lookalike_en.txt": "eventlog-list",
    "fl_star_1035_pl_utf16.txt": "eventlog-list",
    "fl_star_system_de_utf16.txt": "eventlog-list",
    "fl_truncated_en.txt": "eventlog-list",
    "geteventlog_fl_2017_en.txt": "eventlog-list",
    "kb979174_event1035_flattened_en.txt": "eventlog-details",
    "kb979174_event1035_flattened_pl.txt": "eventlog-details",
    "viewer_details_1035_en.txt": "eventlog-details",
    "viewer_details_2003_kerberos4_en.txt": "eventlog-details",
    "viewer_details_kerberos4_pl.txt": "eventlog-details",
    "saved_events_utf16.xml": "eventlog-xml",
    "toxml_frontend_1035_utf16.txt": "eventlog-xml",
    "wevtutil_broken_middle.xml": "eventlog-xml",
    "wevtutil_renderedxml_1035_en.xml": "eventlog-xml",
    "wevtutil_truncated.xml": "eventlog-xml",
    "wevtutil_xml_1035_nomessage_en.xml": "eventlog-xml",
    "wevtutil_xml_system_en.xml": "eventlog-xml",
}


def test_every_fixture_is_listed_here() -> None:
    on_disk = {p.name for p in DATA.iterdir()} - {"xml_doctype_entities.xml"}
    assert on_disk == set(EXPECTED_READER)


@pytest.mark.parametrize(("name", "reader"), sorted(EXPECTED_READER.items()))
def test_fixture_is_read_by_its_event_reader_end_to_end(name: str, reader: str) -> None:
    result = import_paths([str(DATA / name)], host="EX02")
    assert result.unrecognised == []
    found = events(result.facts)
    assert found
    assert {e.provenance.reader for e in found if e.provenance} == {reader}


def test_xml_with_entities_is_recognised_and_refused_end_to_end() -> None:
    result = import_paths([str(DATA / "xml_doctype_entities.xml")], host="EX02")
    assert result.unrecognised == []
    assert result.facts == []
    assert any("DOCTYPE" in w.message for w in result.warnings)


def test_a_folder_of_event_logs_keeps_the_frontend_lookalike_apart() -> None:
    result = import_paths([str(DATA)], host="EX02")
    sources = {(e.source, e.event_id) for e in events(result.facts)}
    assert ("MSExchangeTransport", 1035) in sources
    assert ("MSExchangeFrontEndTransport", 1035) in sources
    frontend = [e for e in events(result.facts) if e.source == "MSExchangeFrontEndTransport"]
    assert all("LogonDenied" in e.message for e in frontend)
