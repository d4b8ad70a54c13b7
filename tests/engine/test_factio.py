"""Fact files: every error names file, line, column and the fact, and nothing is evaluated."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from kbdoctor.engine.errors import FactFileError
from kbdoctor.engine.factio import dump_fact_file, load_fact_files, parse_fact_text
from kbdoctor.engine.facts import FactFile, facts_json_schema

DATA = Path(__file__).parent.parent / "data" / "invalid"

EXPECTED = {
    "offset-not-a-number.yaml": (8, "fact 2 (clock_offset)", "offset_s"),
    "unknown-type.yaml": (5, "fact 2", "firewall_rule"),
    "duplicate-key.yaml": (5, None, "name"),
    "missing-field.json": (4, "fact 1 (port_state)", "state"),
    "wrong-version.yaml": (1, None, "facts/1"),
    "bad-json.json": (2, None, "JSON"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_fact_file_is_reported_with_its_location(name: str) -> None:
    line, context, needle = EXPECTED[name]
    with pytest.raises(FactFileError) as caught:
        load_fact_files([str(DATA / name)])
    message = caught.value.render("en")
    assert f"{DATA / name}:{line}:" in message
    if context:
        assert context in message
    assert needle in message


def test_every_file_is_checked_before_reporting() -> None:
    with pytest.raises(FactFileError) as caught:
        load_fact_files([str(DATA / "unknown-type.yaml"), str(DATA / "wrong-version.yaml")])
    files = {p.file for p in caught.value.problems}
    assert files == {str(DATA / "unknown-type.yaml"), str(DATA / "wrong-version.yaml")}


def test_errors_are_translated() -> None:
    with pytest.raises(FactFileError) as caught:
        load_fact_files([str(DATA / "missing-field.json")])
    assert "jest wymagane" in caught.value.render("pl")


def test_standard_input_is_read_for_dash() -> None:
    stdin = io.StringIO(
        '{"kbdoctor": "facts/1", "facts": [{"type": "exchange_server", "name": "EX01"}]}'
    )
    facts = load_fact_files(["-"], stdin=stdin)
    assert facts.files == ["<stdin>"]
    assert facts.facts[0].type == "exchange_server"


def test_yaml_and_json_round_trip_to_the_same_facts() -> None:
    text = """
kbdoctor: facts/1
environment: {organizacja: Hurtownia}
facts:
  - {type: event, host: EX01, source: MSExchangeTransport, event_id: 1035, message: m,
     origin: {file: app.txt, line: 4, reader: eventlog-list}}
  - {type: spn_listing, account: EX01$, spns: [SMTPSVC/ex01], source: {file: s.txt, line: 2}}
"""
    parsed = parse_fact_text(text, "x.yaml")
    assert parse_fact_text(dump_fact_file(parsed, "yaml"), "again.yaml") == parsed
    assert parse_fact_text(dump_fact_file(parsed, "json"), "again.json") == parsed
    assert parsed.facts[0].provenance is not None
    assert parsed.facts[0].provenance.line == 4


def test_json_schema_describes_every_fact_type() -> None:
    schema = facts_json_schema()
    text = str(schema)
    for fact_type in ("exchange_server", "clock_offset", "spn_duplicate", "kerberos_error"):
        assert fact_type in text
    assert FactFile.model_json_schema()["title"] == "FactFile"
