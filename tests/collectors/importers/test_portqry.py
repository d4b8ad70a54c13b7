"""portqry output: TCP and UDP results, targets from the output or the command line, the host."""

from __future__ import annotations

import inspect
import re
import textwrap

from kbdoctor.collectors.importers.base import Reader
from kbdoctor.collectors.importers.portqry import PortQryReader
from kbdoctor.collectors.segments import split_segments
from kbdoctor.engine.facts import PortState

from tests.collectors.importers.fixtures import text_material

READER = PortQryReader()


def docstring_sample(reader: Reader) -> str:
    """The sample input of a reader class's docstring (the block after ``::``)."""
    doc = inspect.getdoc(type(reader)) or ""
    match = re.search(r"::\n\n(.*?)\n\n(?=\S)", doc, re.DOTALL)
    assert match is not None, f"{reader.name}: no sample in the docstring"
    return textwrap.dedent(match.group(1))


def _states(text: str, host: str | None = "EX01") -> list[tuple[str, str, int, str, str]]:
    result = READER.read(text_material(text, host))
    return [
        (f.source, f.target, f.port, f.protocol, f.state)
        for f in result.facts
        if isinstance(f, PortState)
    ]


def test_the_docstring_sample_reads_as_documented() -> None:
    material = text_material(docstring_sample(READER))
    assert READER.sniff(material)
    assert _states(docstring_sample(READER)) == [
        ("EX01", "dc01", 88, "tcp", "open"),
        ("EX01", "dc01", 88, "udp", "unknown"),
    ]


def test_every_state_maps_and_listening_or_filtered_is_never_open() -> None:
    text = (
        "Querying target system called:\n\n dc02.corp.example.com\n\nquerying...\n\n"
        "TCP port 88 (kerberos service): NOT LISTENING\n"
        "TCP port 464 (kpasswd service): FILTERED\n"
        "UDP port 88 (kerberos service): LISTENING or FILTERED\n"
        "UDP port 464 (kpasswd service): NOT LISTENING\n"
    )
    assert _states(text) == [
        ("EX01", "dc02.corp.example.com", 88, "tcp", "closed"),
        ("EX01", "dc02.corp.example.com", 464, "tcp", "filtered"),
        ("EX01", "dc02.corp.example.com", 88, "udp", "unknown"),
        ("EX01", "dc02.corp.example.com", 464, "udp", "closed"),
    ]


def test_an_answer_to_the_protocol_query_makes_the_udp_port_open() -> None:
    text = (
        "Querying target system called: dc01\n"
        "UDP port 389 (unknown service): LISTENING or FILTERED\n"
        "Sending LDAP query to UDP port 389...\n\nLDAP query response:\n"
        "currentdate: 11/18/2005 21:13:30 (unadjusted GMT)\n"
        "======== End of LDAP query response ========\n\nUDP port 389 is LISTENING\n"
        "UDP port 1434 (ms-sql-m service): LISTENING or FILTERED\n"
        "Sending SQL Server query to UDP port 1434...\nServer's response:\n"
        "ServerName SQL01\n"
    )
    assert _states(text) == [
        ("EX01", "dc01", 389, "udp", "open"),
        ("EX01", "dc01", 1434, "udp", "open"),
    ]


def test_the_target_comes_from_the_command_line_when_the_output_was_cut() -> None:
    text = "portqry -n DC01 -e 88 -p udp\nUDP port 88 (kerberos service): LISTENING or FILTERED\n"
    segment = split_segments(text)[0]
    assert segment.command is not None
    assert _states(text) == [("EX01", "DC01", 88, "udp", "unknown")]


def test_a_log_file_names_the_local_computer_and_that_wins_over_the_hint() -> None:
    text = (
        "PortQry Version 2.0 Log File\n\nLocal computer name:\n\n EX02\n\n"
        "Querying target system called:\n\n 10.0.0.10\n\n"
        "TCP port 88 (kerberos service): LISTENING\n"
    )
    assert _states(text, host="folder") == [("EX02", "10.0.0.10", 88, "tcp", "open")]


def test_without_a_host_nothing_is_guessed() -> None:
    text = "Querying target system called: dc01\nTCP port 88 (kerberos service): LISTENING\n"
    result = READER.read(text_material(text, host=None))
    assert result.facts == []
    assert "--host" in result.warnings[0].message


def test_several_runs_and_a_range_each_keep_their_target() -> None:
    text = (
        "C:\\>portqry -n dc01 -r 87:89\n"
        "Querying target system called:\n dc01\n"
        "TCP port 87 (unknown service): NOT LISTENING\n"
        "TCP port 88 (kerberos service): LISTENING\n"
        "TCP port 89 (unknown service): NOT LISTENING\n"
        "C:\\>portqry -n dc02 -e 88\n"
        "Querying target system called:\n dc02\n"
        "TCP port 88 (kerberos service): FILTERED\n"
    )
    assert _states(text) == [
        ("EX01", "dc01", 87, "tcp", "closed"),
        ("EX01", "dc01", 88, "tcp", "open"),
        ("EX01", "dc01", 89, "tcp", "closed"),
        ("EX01", "dc02", 88, "tcp", "filtered"),
    ]


def test_a_result_without_any_target_and_a_resolution_failure_are_warnings() -> None:
    text = "TCP port 88 (kerberos service): LISTENING\nFailed to resolve name to IP address\n"
    result = READER.read(text_material(text))
    assert result.facts == []
    keys = sorted(w.key for w in result.warnings)
    assert keys == ["portqry.failed", "portqry.no_target"]


def test_a_target_that_is_not_a_host_name_is_not_used() -> None:
    text = (
        "Querying target system called: <your DC here>\nTCP port 88 (kerberos service): LISTENING\n"
    )
    result = READER.read(text_material(text))
    assert result.facts == []
    assert [w.key for w in result.warnings] == ["portqry.bad_host", "portqry.no_target"]


def test_other_outputs_are_not_claimed() -> None:
    for text in (
        "ComputerName : dc01\nRemotePort : 88\nTcpTestSucceeded : True\n",
        "Tracking DC01 [10.0.0.1:123].\n",
        "TCP    0.0.0.0:88    0.0.0.0:0    LISTENING\n",
    ):
        assert not READER.sniff(text_material(text))


def test_a_hostname_command_in_the_same_paste_names_the_probing_host() -> None:
    text = (
        "C:\\Users\\admin>hostname\n"
        "EX03\n"
        "C:\\Users\\admin>portqry -n dc01 -e 88\n"
        "TCP port 88 (kerberos service): LISTENING\n"
    )
    assert _states(text, host=None) == [("EX03", "dc01", 88, "tcp", "open")]
    assert _states(text.replace("EX03", "not a host name"), host=None) == []
