"""Fact files that are hostile or quietly wrong: refused with file, line, column and what was
expected (exit 2), in bounded time and memory, never read as something else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kbdoctor.engine.errors import FactFileError
from kbdoctor.engine.factio import load_fact_files, parse_fact_text
from kbdoctor.engine.limits import Limits

from tests.hostile.bounded import assert_refused, kbdoctor

HEAD = "kbdoctor: facts/1\nfacts:\n"
CLOCK = "  - {type: clock_offset, host: EX01, reference: DC01, offset_s: %s}\n"


def _problem(text: str, name: str = "f.yaml", limits: Limits | None = None) -> str:
    with pytest.raises(FactFileError) as caught:
        parse_fact_text(text, name, limits or Limits())
    return caught.value.render("en")


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "1e999"])
def test_yaml_nan_and_infinities_are_not_numbers(value: str) -> None:
    message = _problem(HEAD + CLOCK % value)
    assert message.startswith("f.yaml:3:")
    assert "offset_s" in message
    assert "finite number" in message


@pytest.mark.parametrize("value", ["true", "false"])
def test_yaml_booleans_are_not_numbers(value: str) -> None:
    message = _problem(HEAD + CLOCK % value)
    assert message.startswith("f.yaml:3:")
    assert "expected a number, not true or false" in message


@pytest.mark.parametrize(
    "fact",
    [
        "{type: port_state, source: EX01, target: DC01, port: true, protocol: tcp, state: open}",
        "{type: event, host: EX01, source: X, event_id: true, message: m}",
        "{type: check_run, check: clocks, found: false}",
        "{type: exchange_server, name: EX01, source: {file: a.txt, line: true}}",
    ],
)
def test_booleans_are_not_whole_numbers_either(fact: str) -> None:
    assert "not true or false" in _problem(HEAD + f"  - {fact}\n")


@pytest.mark.parametrize(
    "fact",
    [
        '{type: clock_offset, host: EX01, reference: DC01, offset_s: "421.5"}',
        "{type: port_state, source: EX01, target: DC01, port: '88', protocol: tcp, state: open}",
    ],
)
def test_quoted_numbers_are_text_not_numbers(fact: str) -> None:
    """Whoever quoted it wrote text; a tool that writes numbers as text is told at the line,
    rather than kbdoctor guessing what it meant."""
    assert "expected a number, not text" in _problem(HEAD + f"  - {fact}\n")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_refused_where_they_are(constant: str) -> None:
    text = (
        '{"kbdoctor": "facts/1",\n "facts": [\n'
        '  {"type": "clock_offset", "host": "EX01", "reference": "DC01", "offset_s": '
        + constant
        + "}]}\n"
    )
    message = _problem(text, "f.json")
    assert message.startswith("f.json:3:")
    assert f"'{constant}' is not a number" in message


def test_json_huge_exponent_is_not_a_finite_number() -> None:
    text = json.dumps({"kbdoctor": "facts/1", "facts": []})[:-3] + (
        '[{"type": "clock_offset", "host": "EX01", "reference": "DC01", "offset_s": 1e999}]}'
    )
    assert "finite number" in _problem(text, "f.json")


def test_json_boolean_is_not_a_number() -> None:
    fact = {"type": "clock_offset", "host": "EX01", "reference": "DC01", "offset_s": True}
    text = json.dumps({"kbdoctor": "facts/1", "facts": [fact]}, indent=1)
    assert "not true or false" in _problem(text, "f.json")


def test_json_key_given_twice_is_an_error_with_its_line() -> None:
    text = (
        '{"kbdoctor": "facts/1",\n "facts": [\n'
        '  {"type": "queue", "server": "EX02",\n'
        '   "last_error": "454 4.7.0 Temporary authentication failure",\n'
        '   "last_error": "none"}]}\n'
    )
    message = _problem(text, "f.json")
    assert message.startswith("f.json:5:4:")
    assert "'last_error' is given twice" in message


def test_numbers_that_were_right_stay_right() -> None:
    text = HEAD + CLOCK % "-412.25" + CLOCK.replace("DC01", "DC02") % "7"
    offsets = [f.offset_s for f in parse_fact_text(text, "f.yaml").facts]  # type: ignore[union-attr]
    assert offsets == [-412.25, 7.0]


# --- limits -----------------------------------------------------------------------------------


def test_yaml_alias_is_refused_not_expanded() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    message = _problem(bomb)
    assert message.startswith("f.yaml:2:")
    assert "alias" in message


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100 + "]" * 100,
        "- " * 100 + "x\n",
        "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 101)),
    ],
    ids=["flow", "compact", "block"],
)
def test_yaml_nesting_deeper_than_the_limit_is_refused(text: str) -> None:
    message = _problem(text)
    assert "nested deeper than 64 levels (limit KBDOCTOR_MAX_DEPTH)" in message
    assert message.startswith("f.yaml:")


def test_json_nesting_deeper_than_the_limit_is_refused_at_its_position() -> None:
    message = _problem(
        '{"kbdoctor": "facts/1",\n "facts": ' + "[" * 1000 + "]" * 1000 + "}", "f.json"
    )
    assert message.startswith("f.json:2:")
    assert "KBDOCTOR_MAX_DEPTH" in message


def test_brackets_inside_json_strings_do_not_count_as_nesting() -> None:
    fact = {"type": "queue", "server": "EX02", "last_error": "[" * 500}
    text = json.dumps({"kbdoctor": "facts/1", "facts": [fact]})
    assert parse_fact_text(text, "f.json", Limits()).facts


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_a_text_longer_than_the_limit_is_refused(suffix: str) -> None:
    fact = {"type": "queue", "server": "EX02", "last_error": "x" * 101}
    data = {"kbdoctor": "facts/1", "facts": [fact]}
    text = json.dumps(data, indent=1) if suffix == "json" else HEAD + f"  - {json.dumps(fact)}\n"
    message = _problem(text, f"f.{suffix}", Limits(string_chars=100))
    assert "a text longer than 100 characters (limit KBDOCTOR_MAX_STRING)" in message
    assert message.startswith(f"f.{suffix}:")
    assert message.split(":")[1].isdigit()


def test_facts_per_run_count_all_files_and_point_at_the_first_over(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(HEAD + CLOCK % 1 + CLOCK % 2, encoding="utf-8")
    second.write_text(HEAD + CLOCK % 3 + CLOCK % 4, encoding="utf-8")
    assert len(load_fact_files([str(first)], limits=Limits(facts=3)).facts) == 2
    with pytest.raises(FactFileError) as caught:
        load_fact_files([str(first), str(second)], limits=Limits(facts=3))
    assert caught.value.render("en") == (
        f"{second}:4:5: more than 3 facts in this run (limit KBDOCTOR_MAX_FACTS)"
    )


def test_bytes_per_file(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(HEAD + CLOCK % 1 * 20, encoding="utf-8")
    with pytest.raises(FactFileError) as caught:
        load_fact_files([str(path)], limits=Limits(file_bytes=100))
    assert "larger than 100 bytes (limit KBDOCTOR_MAX_FILE_BYTES)" in caught.value.render("en")


# --- the command line, bounded ------------------------------------------------------------------


def test_evaluate_dev_zero_stops_quickly_with_a_message() -> None:
    result = kbdoctor("evaluate", "/dev/zero", memory=768 * 1024 * 1024, cpu=20)
    assert_refused(result, "/dev/zero", "KBDOCTOR_MAX_FILE_BYTES")


def test_standard_input_is_bounded_too() -> None:
    result = kbdoctor("evaluate", "-", stdin=b"x" * 2000, env={"KBDOCTOR_MAX_FILE_BYTES": "1000"})
    assert_refused(result, "<stdin>", "larger than 1000 bytes")


def test_an_alias_bomb_costs_a_message(tmp_path: Path) -> None:
    lines = ["kbdoctor: facts/1", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    lines.append("facts: *a9")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_refused(kbdoctor("evaluate", str(path), cpu=20), f"{path}:3:", "alias")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.yaml", "[" * 30000 + "]" * 30000),
        ("compact.yaml", "- " * 30000 + "x\n"),
        ("deep.json", "[" * 30000 + "]" * 30000),
    ],
)
def test_nesting_30000_deep_is_refused_without_a_crash(
    tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert_refused(kbdoctor("evaluate", str(path), cpu=20), f"{path}:1:", "KBDOCTOR_MAX_DEPTH")


def test_a_bad_limit_setting_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(HEAD + CLOCK % 1, encoding="utf-8")
    result = kbdoctor("evaluate", str(path), env={"KBDOCTOR_MAX_DEPTH": "deep"})
    assert_refused(result, "KBDOCTOR_MAX_DEPTH: must be a positive whole number, not 'deep'")


def test_raising_a_limit_lets_the_input_through(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(HEAD + CLOCK % 1 + CLOCK.replace("DC01", "DC02") % 2, encoding="utf-8")
    assert kbdoctor("evaluate", str(path), env={"KBDOCTOR_MAX_FACTS": "1"}).returncode == 2
    assert kbdoctor("evaluate", str(path), env={"KBDOCTOR_MAX_FACTS": "2"}).returncode == 0


def test_a_fact_file_that_is_not_utf8_is_refused_at_its_line_and_column(tmp_path: Path) -> None:
    """Not the byte offset Python's decoder gives ("position 53"): the line and column an editor
    shows."""
    path = tmp_path / "latin.yaml"
    path.write_bytes(b'kbdoctor: facts/1\nfacts:\n - {type: queue, server: "EX\xff"}\n')
    result = kbdoctor("evaluate", str(path))
    assert_refused(
        result, f"{path}:3:29: not UTF-8 text: byte 0xff cannot be read; save the file as UTF-8"
    )
    assert "position" not in result.stderr
