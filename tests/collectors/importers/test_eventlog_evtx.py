"""Event log files (.evtx), written by tests/support/evtx_writer.py after the published format."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kbdoctor.collectors.importers.base import Material, ReadResult
from kbdoctor.collectors.importers.eventlog_evtx import EvtxReader

from tests.collectors.importers.eventlog_support import DATA, events, kerberos_errors
from tests.support.evtx_writer import EvtxEvent, evtx_bytes

EVTX = EvtxReader()
EX02 = "EX02.corp.example.com"
AT = datetime(2024, 3, 14, 8, 12, 44, tzinfo=UTC)


def transport_1035(ip: str) -> EvtxEvent:
    return EvtxEvent(
        "MSExchangeTransport",
        1035,
        EX02,
        "Application",
        AT,
        [(None, "IllegalMessage"), (None, "Default EX02"), (None, "ExchangeAuth"), (None, ip)],
        qualifiers=49156,
    )


SKEW = EvtxEvent(
    "Microsoft-Windows-Security-Kerberos",
    3,
    EX02,
    "System",
    AT,
    [
        ("ErrorCode", "0x25"),
        ("ErrorMessage", "KRB_AP_ERR_SKEW"),
        ("ServerName", "SMTPSVC/ex01.corp.example.com"),
    ],
)
OTHER = EvtxEvent(
    "Service Control Manager",
    7036,
    EX02,
    "System",
    AT,
    [("param1", "Windows Update"), ("param2", "running")],
    level=4,
)


def read(data: bytes) -> tuple[list[str], list[str], ReadResult]:
    result = EVTX.read(Material("app.evtx", data, None))
    return [f.type for f in result.facts], [w.message for w in result.warnings], result


def test_sniff_is_by_the_file_signature_not_the_name() -> None:
    data = evtx_bytes([transport_1035("10.0.0.1")])
    assert EVTX.sniff(Material("anything.bin", data, None))
    assert not EVTX.sniff(Material("app.evtx", b"<Event/>", "<Event/>"))


def test_the_saved_application_log_gives_1035_and_the_frontend_lookalike() -> None:
    data = (DATA / "application_1035.evtx").read_bytes()
    result = EVTX.read(Material("application_1035.evtx", data, None))
    found = events(result.facts)
    assert [(e.source, e.event_id, e.host) for e in found] == [
        ("MSExchangeTransport", 1035, EX02),
        ("MSExchangeTransport", 1035, EX02),
        ("MSExchangeFrontEndTransport", 1035, EX02),
    ]
    assert found[0].message.startswith(
        "Inbound authentication failed with error IllegalMessage for Receive connector Default"
    )
    assert found[0].time == AT
    assert (found[0].log, found[0].level) == ("Application", "Error")
    assert found[0].provenance is not None
    assert found[0].provenance.line is None
    assert [w.message.split(" events")[0] for w in result.warnings] == ["1"]


def test_kerberos_records_give_kerberos_errors_and_other_records_are_counted() -> None:
    types, warnings, result = read(evtx_bytes([OTHER, SKEW, OTHER]))
    assert types == ["event", "kerberos_error"]
    [error] = kerberos_errors(result.facts)
    assert (error.code, error.target) == ("KRB_AP_ERR_SKEW", "SMTPSVC/ex01.corp.example.com")
    assert warnings[0].startswith("2 events of other sources/ids skipped")


def test_a_file_cut_inside_its_chunk_keeps_the_records_before_the_cut() -> None:
    whole = evtx_bytes([transport_1035("10.0.0.1"), transport_1035("10.0.0.2")])
    types, warnings, _ = read(whole[: 0x1000 + 0x200 + 0x400])
    assert types == ["event"]
    assert any("truncated" in w for w in warnings)


def test_a_file_cut_inside_its_header_is_one_warning() -> None:
    types, warnings, _ = read(evtx_bytes([transport_1035("10.0.0.1")])[:3000])
    assert types == []
    assert len(warnings) == 1
    assert "truncated" in warnings[0]


def test_a_damaged_record_is_a_warning_and_later_chunks_are_still_read() -> None:
    first = bytearray(evtx_bytes([transport_1035("10.0.0.1")]))
    first[0x1000 + 0x200 + 0x30 : 0x1000 + 0x200 + 0x60] = b"\xff" * 0x30
    second = evtx_bytes([SKEW])[0x1000:]
    types, warnings, _ = read(bytes(first) + second)
    assert types == ["event", "kerberos_error"]
    assert any(w.startswith("chunk 0") for w in warnings)


def test_a_file_header_with_a_bad_checksum_is_a_warning_and_the_chunks_are_read() -> None:
    data = bytearray(evtx_bytes([transport_1035("10.0.0.1")]))
    data[0x20] ^= 0xFF
    types, warnings, _ = read(bytes(data))
    assert types == ["event"]
    assert any("header is damaged" in w for w in warnings)


_VALID = evtx_bytes([transport_1035("10.0.0.1"), SKEW, OTHER])


@pytest.mark.fuzz
@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_VALID) - 1), st.integers(0, 255)), max_size=12))
def test_never_raises_on_a_corrupted_file(changes: list[tuple[int, int]]) -> None:
    data = bytearray(_VALID)
    for offset, value in changes:
        data[offset] = value
    EVTX.read(Material("bad.evtx", bytes(data), None))


@pytest.mark.fuzz
@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(_VALID)))
def test_never_raises_on_a_truncated_file(length: int) -> None:
    EVTX.read(Material("cut.evtx", _VALID[:length], None))


@pytest.mark.fuzz
@settings(max_examples=150, deadline=None)
@given(st.binary())
def test_never_raises_on_arbitrary_bytes_behind_the_signature(data: bytes) -> None:
    EVTX.read(Material("any.evtx", b"ElfFile\x00" + data, None))
    EVTX.read(Material("any.bin", data, None))
