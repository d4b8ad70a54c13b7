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


def _refusal(offset: str) -> tuple[str, str, str]:
    """The key of the one problem of a clock offset written as ``offset``, and its Polish and
    English text."""
    content = (
        "kbdoctor: facts/1\nfacts:\n"
        "  - {type: clock_offset, host: EX01, reference: DC01, offset_s: 1}\n"
        f"  - {{type: clock_offset, host: EX02, reference: DC01, offset_s: {offset}}}\n"
    )
    with pytest.raises(FactFileError) as caught:
        parse_fact_text(content, "f.yaml")
    (problem,) = caught.value.problems
    return problem.key, problem.render("pl"), problem.render("en")


@pytest.mark.parametrize(
    ("offset", "key"),
    [
        ("NaN", "pydantic.finite_number"),  # YAML reads these as text, written without quotes
        ("-inf", "pydantic.finite_number"),
        ("Infinity", "pydantic.finite_number"),
        ('"nan"', "pydantic.finite_number"),
        (".nan", "pydantic.finite_number"),  # YAML's own NaN
        ('"300"', "pydantic.number_not_text"),  # a number in quotes: write it without them
        ('"1e3"', "pydantic.number_not_text"),
        ("five", "pydantic.number_not_word"),  # text: no quotes to take away
        ('"five minutes"', "pydantic.number_not_word"),
    ],
)
def test_text_where_a_number_belongs_is_told_as_what_it_is(offset: str, key: str) -> None:
    found, _, english = _refusal(offset)
    assert found == key
    assert ("without quotes" in english) is (key == "pydantic.number_not_text")


def test_the_fact_a_problem_is_in_is_named_in_the_reader_s_language() -> None:
    _, polish, english = _refusal("abc")
    assert polish.startswith("f.yaml:4:55: fakt 2 (clock_offset): 'offset_s': oczekiwano liczby")
    assert english.startswith("f.yaml:4:55: fact 2 (clock_offset): 'offset_s': expected a number")
    with pytest.raises(FactFileError) as caught:
        parse_fact_text("kbdoctor: facts/1\nfacts:\n  - {host: EX01}\n", "f.yaml")
    assert caught.value.problems[0].render("pl").startswith("f.yaml:3:5: fakt 1: ")
