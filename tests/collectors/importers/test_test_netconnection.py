"""Test-NetConnection -Port output: the default view, -InformationLevel Detailed, the warning."""

from __future__ import annotations

from kbdoctor.collectors.importers.base import HostHint
from kbdoctor.collectors.importers.test_netconnection import TestNetConnectionReader
from kbdoctor.collectors.segments import CommandMaterial
from kbdoctor.engine.facts import PortState

from tests.collectors.importers.fixtures import read_with, text_material

READER = TestNetConnectionReader()


def _states(result_facts: list[object]) -> list[tuple[str, str, int, str]]:
    return [
        (f.source, f.target, f.port, f.state) for f in result_facts if isinstance(f, PortState)
    ]


def test_successful_tests_are_open_tcp_ports_probed_from_the_host() -> None:
    result = read_with(READER, "test_netconnection", "test_netconnection_port88_ok_en.txt")
    assert _states(list(result.facts)) == [
        ("EX01", "10.7.236.228", 389, "open"),
        ("EX01", "10.7.236.228", 88, "open"),
    ]
    assert all(isinstance(f, PortState) and f.protocol == "tcp" for f in result.facts)
    assert result.warnings == []


def test_failed_test_in_utf16_is_closed_once_despite_the_warning_line() -> None:
    result = read_with(READER, "test_netconnection", "tnc_port88_failed_en.utf16.txt")
    assert _states(list(result.facts)) == [("EX01", "dc01.corp.example.com", 88, "closed")]
    assert result.warnings == []


def test_detailed_view_with_a_polish_warning_and_multi_line_values() -> None:
    result = read_with(READER, "test_netconnection", "tnc_detailed_pl.txt", host="EX02")
    assert _states(list(result.facts)) == [("EX02", "dc02.firma.pl", 464, "closed")]
    assert result.warnings == []


def test_the_warning_line_alone_still_says_the_port_is_closed() -> None:
    result = read_with(READER, "test_netconnection", "tnc_warning_only_en.txt")
    assert _states(list(result.facts)) == [("EX01", "10.0.0.12", 88, "closed")]


def test_without_host_the_source_address_names_the_prober() -> None:
    result = read_with(READER, "test_netconnection", "test_netconnection_port88_ok_en.txt",
                       host=None)
    assert _states(list(result.facts))[0] == ("10.7.236.242", "10.7.236.228", 389, "open")
    assert "--host" in result.warnings[0].message  # the second block has no SourceAddress


def test_a_block_without_the_test_result_is_reported() -> None:
    text = "ComputerName : dc01\nRemotePort : 88\nTcpTestSucceeded :\n"
    result = READER.read(text_material(text))
    assert result.facts == []
    assert result.warnings[0].line == 1


def test_a_ping_only_test_is_read_without_facts_or_warnings() -> None:
    text = "ComputerName : dc01\nRemoteAddress : 10.0.0.1\nPingSucceeded : True\n"
    material = text_material(text)
    assert READER.sniff(material)
    result = READER.read(material)
    assert (result.facts, result.warnings) == ([], [])


def test_results_pasted_without_their_other_lines_take_target_and_port_from_the_command() -> None:
    """A failed run, the fix, then a successful run: both kept, in order (issue 9)."""
    text = "Result:\n\nTcpTestSucceeded : False\n\nRetested:\n\nTcpTestSucceeded : True\n"
    material = CommandMaterial(
        "t.txt", b"", text, 2, HostHint("AGENT01", "option"),
        command="Test-NetConnection 192.168.203.133 -Port 1514",
    )
    facts = TestNetConnectionReader().read(material).facts
    assert [
        (f.source, f.target, f.port, f.state, f.provenance.line if f.provenance else None)
        for f in facts
        if isinstance(f, PortState)
    ] == [
        ("AGENT01", "192.168.203.133", 1514, "closed", 4),
        ("AGENT01", "192.168.203.133", 1514, "open", 8),
    ]
