"""A fact and its source read the same in every renderer: text, Markdown, JSON and the TUI."""

from __future__ import annotations

from typing import Any

import pytest
from kbdoctor.engine.facts import Source
from kbdoctor.engine.presentation import fact_summary, fields_text, format_value, source_text


@pytest.mark.parametrize(
    ("source", "text"),
    [
        (Source(file="a.txt", line=3, reader="w32tm"), "a.txt:3 (w32tm)"),
        (Source(file="a.txt", line=3, line_end=6), "a.txt:3-6"),
        (Source(file="a.txt", line=3, line_end=3, reader="setspn"), "a.txt:3 (setspn)"),
        (Source(file="EX01/tnc.txt", line=2, reader="tnc", host="EX01"),
         "EX01/tnc.txt:2 (tnc) @EX01"),
        (Source(collector="live", host="dc01.corp.example.com"), "live @dc01.corp.example.com"),
        ({"collector": "engine", "inferred": "from spn_listing"}, "engine"),
        ({"inferred": "from spn_listing"}, "from spn_listing"),
        ({"command": "setspn -X -F"}, "setspn -X -F"),
        (None, ""),
    ],
)
def test_a_source_reads_as_file_line_and_reader_or_collector_and_host(
    source: Source | dict[str, Any] | None, text: str
) -> None:
    assert source_text(source) == text


def test_values_read_as_a_person_writes_them() -> None:
    assert format_value([1, "b"]) == "1, b"
    assert format_value(True) == "true"
    assert format_value(312.0) == "312"
    assert fields_text({"host": "EX01", "offset_s": 312.5}) == "host=EX01 offset_s=312.5"


def test_a_summary_is_in_the_readers_language_and_cuts_long_messages() -> None:
    offset = {"host": "EX01", "reference": "DC01", "offset_s": 312.0}
    assert fact_summary(offset, "clock_offset", "en") == "clock of EX01 vs DC01: +312.000 s"
    assert fact_summary(offset, "clock_offset", "pl") != fact_summary(offset, "clock_offset", "en")
    event = {"host": "EX01", "source": "MSExchangeTransport", "event_id": 1035,
             "message": "x" * 200}
    summary = fact_summary(event, "event", "en")
    assert summary.endswith("x...")
    assert len(summary) < 150
