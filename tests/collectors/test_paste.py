"""Text as people paste it (issue 9, item 2): the dress of web pages, chats and tickets comes
off, line numbers stay those of the file."""

from __future__ import annotations

import pytest
from kbdoctor.collectors.importers.base import HostHint
from kbdoctor.collectors.importers.w32tm import MonitorReader
from kbdoctor.collectors.paste import clean_text, strip_decoration
from kbdoctor.collectors.segments import CommandMaterial, split_segments
from kbdoctor.engine.facts import ClockOffset, DomainController

MONITOR = """DC1.contoso.com *** PDC ***[10.0.0.1:123]:
    ICMP: 0ms delay
    NTP: +0.0000000s offset from DC1.contoso.com
DC2.contoso.com[10.0.0.2:123]:
    ICMP: 0ms delay
    NTP: -312.5000000s offset from DC1.contoso.com"""


def _read_monitor(text: str) -> tuple[list[str], list[tuple[str, float, int | None]]]:
    dcs: list[str] = []
    offsets: list[tuple[str, float, int | None]] = []
    for segment in split_segments(text):
        material = CommandMaterial(
            "p.txt",
            b"",
            segment.text,
            segment.first_line,
            HostHint("EX01", "option"),
            segment.line_map,
            command=segment.command,
        )
        reader = MonitorReader()
        if not reader.sniff(material):
            continue
        for fact in reader.read(material).facts:
            if isinstance(fact, DomainController):
                dcs.append(fact.name)
            elif isinstance(fact, ClockOffset):
                line = fact.provenance.line_end if fact.provenance else None
                offsets.append((fact.host, fact.offset_s, line))
    return dcs, offsets


EXPECTED = (["DC1.contoso.com", "DC2.contoso.com"], [("DC2.contoso.com", -312.5, 6)])


def _web(line: str) -> str:
    body = line.lstrip(" ")
    indent = "&nbsp;" * (len(line) - len(body))
    return indent + body.replace("DC2.contoso.com", '<span class="h">DC2.contoso.com</span>')


@pytest.mark.parametrize(
    "dress",
    [
        pytest.param(lambda t: t, id="as printed"),
        pytest.param(
            lambda t: "\n".join(_web(line) + "<br>" for line in t.split("\n")),
            id="web page: &nbsp; and <span>",
        ),
        pytest.param(lambda t: "```text\n" + t + "\n```", id="Markdown fence"),
        pytest.param(lambda t: "[CODE]\n" + t + "\n[/CODE]", id="forum [CODE] tags"),
        pytest.param(
            lambda t: "\n".join(f"> {line}" for line in t.split("\n")), id="quoted in a mail"
        ),
    ],
)
def test_monitor_reads_the_same_however_it_was_dressed(dress: object) -> None:
    assert callable(dress)
    text = dress(MONITOR)
    dcs, offsets = _read_monitor(text)
    assert dcs == EXPECTED[0]
    first = 2 if text.startswith(("```", "[CODE]")) else 1
    assert offsets == [(h, o, line + first - 1) for h, o, line in EXPECTED[1] if line]


def test_a_blank_line_after_every_line_is_taken_out_and_lines_keep_their_numbers() -> None:
    text = "\n\n".join(MONITOR.split("\n")) + "\n"
    dcs, offsets = _read_monitor(text)
    assert dcs == EXPECTED[0]
    assert offsets == [("DC2.contoso.com", -312.5, 11)]  # the NTP line is line 11 of the file


def test_clean_text_keeps_blank_lines_the_output_had() -> None:
    text = "a: 1\n\nb: 2\n\n\n\nc: 3\n\nd: 4\n"
    cleaned, kept = clean_text(text)
    assert cleaned.split("\n")[:5] == ["a: 1", "b: 2", "", "c: 3", "d: 4"]
    assert kept[:5] == [0, 2, 4, 6, 8]


def test_single_spaced_text_is_left_alone() -> None:
    text = "a: 1\nb: 2\n\nc: 3\n\nd: 4\n"
    assert clean_text(text) == (text, list(range(len(text.split("\n")))))


def test_xml_of_event_logs_is_not_touched() -> None:
    text = '<Event xmlns="x"><System><Provider Name="MSExchangeTransport"/></System></Event>'
    assert clean_text(text)[0] == text


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([" -> a", " -> b"], ["a", "b"]),
        (["- `a`", "- b"], ["`a`", "b"]),
        (["    a", "      b", "    c"], ["a", "  b", "c"]),
        (["a", "    b"], ["a", "    b"]),
        (["-0.5s", "-0.7s"], ["-0.5s", "-0.7s"]),
    ],
)
def test_strip_decoration(lines: list[str], expected: list[str]) -> None:
    assert strip_decoration(lines) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("TcpTestSucceeded : False   <-- blocked by the firewall", "TcpTestSucceeded : False"),
        (
            "    NTP: +0.0046926s offset from DC1 <- this one",
            "    NTP: +0.0046926s offset from DC1",
        ),
        ("RemotePort       : 88  // Kerberos", "RemotePort       : 88"),
        ("Last attempt @ 2025-07-01 11:56:55 failed", "Last attempt @ 2025-07-01 11:56:55 failed"),
        ("SMTPSVC/ex01.corp.example.com", "SMTPSVC/ex01.corp.example.com"),
    ],
)
def test_a_note_after_a_line_goes(line: str, expected: str) -> None:
    assert clean_text(line)[0] == expected


def test_test_netconnection_result_with_a_note_is_read() -> None:
    from kbdoctor.collectors.importers.test_netconnection import TestNetConnectionReader
    from kbdoctor.engine.facts import PortState

    text = (
        "ComputerName     : dc01\nRemoteAddress    : 10.0.0.10\nRemotePort       : 88\n"
        "TcpTestSucceeded : False   <-- blocked by the firewall\n"
    )
    [segment] = split_segments(text)
    material = CommandMaterial("t.txt", b"", segment.text, 1, HostHint("EX01", "option"))
    [fact] = TestNetConnectionReader().read(material).facts
    assert isinstance(fact, PortState)
    assert fact.state == "closed"
