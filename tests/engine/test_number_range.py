"""Numbers beyond what kbdoctor can compare (issue 10: "a clear message naming file, line and what
was expected"): an integer of more digits than any float has, or larger than the largest float,
is refused where it is written, in fact and rule files, JSON and YAML alike. An integer of 5,000
digits was a ValueError traceback about ``sys.set_int_max_str_digits`` from JSON (exit 1, which
says "cause diagnosed") and that raw English text from YAML."""

from __future__ import annotations

import pytest
from kbdoctor.engine.errors import FactFileError, InputRefused, RuleFileError
from kbdoctor.engine.factio import load_json_data, parse_fact_text
from kbdoctor.engine.i18n import Lang
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.number_range import MAX_DIGITS, MAX_MAGNITUDE
from kbdoctor.engine.rulebase import parse_rule_texts
from kbdoctor.engine.yamlio import load_yaml_data

LARGEST = str(int(MAX_MAGNITUDE))
OVER = str(int(MAX_MAGNITUDE) + 1)  # as many digits as the largest, and larger
YAML_FACT = (
    "kbdoctor: facts/1\nfacts:\n"
    "  - {type: queue, server: EX01, identity: 'EX01\\3', next_hop: x, status: Retry,\n"
    "     last_error: x, message_count: NUMBER}\n"
)
JSON_FACT = (
    '{"kbdoctor": "facts/1", "facts": [\n'
    ' {"type": "queue", "server": "EX01", "identity": "EX01\\\\3", "next_hop": "x",\n'
    '  "status": "Retry", "last_error": "x", "message_count": NUMBER}]}\n'
)


def _refusal(template: str, number: str, name: str, lang: Lang = "en") -> str:
    with pytest.raises(FactFileError) as caught:
        parse_fact_text(template.replace("NUMBER", number), name, Limits())
    [problem] = caught.value.problems
    return problem.render(lang)


def test_the_range_is_a_float_s() -> None:
    assert MAX_DIGITS == len(LARGEST) == len(OVER) == 309


@pytest.mark.parametrize(
    ("template", "name", "where"),
    [(YAML_FACT, "f.yaml", "f.yaml:4:36: "), (JSON_FACT, "f.json", "f.json:3:58: ")],
    ids=["yaml", "json"],
)
def test_an_integer_of_too_many_digits_is_refused_where_it_is(
    template: str, name: str, where: str
) -> None:
    for digits in (MAX_DIGITS + 1, 5000, 60_000):
        assert _refusal(template, "1" * digits, name) == (
            f"{where}a number of {digits} digits is beyond what kbdoctor can compare"
            " (at most about ±1.8e308, 309 digits)"
        )
    assert _refusal(template, "-" + "1" * 5000, name).startswith(f"{where}a number of 5000")


@pytest.mark.parametrize(
    ("template", "name", "where"),
    [(YAML_FACT, "f.yaml", "f.yaml:4:36: "), (JSON_FACT, "f.json", "f.json:3:58: ")],
    ids=["yaml", "json"],
)
def test_an_integer_larger_than_the_largest_float_is_refused_quoted_short(
    template: str, name: str, where: str
) -> None:
    assert _refusal(template, OVER, name) == (
        f"{where}{OVER[:24]}…{OVER[-24:]} is beyond what kbdoctor can compare"
        " (at most about ±1.8e308)"
    )


def test_the_refusal_is_in_the_reader_s_language() -> None:
    assert _refusal(YAML_FACT, "1" * 5000, "f.yaml", "pl") == (
        "f.yaml:4:36: liczba o 5000 cyfrach wykracza poza zakres, który kbdoctor umie porównać"
        " (najwyżej około ±1,8e308, 309 cyfr)"
    )
    assert _refusal(JSON_FACT, OVER, "f.json", "de").endswith(
        " liegt außerhalb dessen, was kbdoctor vergleichen kann (höchstens etwa ±1,8e308)"
    )


def test_a_hexadecimal_integer_is_measured_once_made() -> None:
    message = _refusal(YAML_FACT, "0x" + "f" * 300, "f.yaml")
    assert message.startswith("f.yaml:4:36: 0xffff")
    assert message.endswith(" is beyond what kbdoctor can compare (at most about ±1.8e308)")


def test_numbers_in_the_range_are_read_as_they_are() -> None:
    big = int(LARGEST)
    assert load_yaml_data(f"a: {LARGEST}\nb: -{LARGEST}\nc: 0x10\nd: 1_000\n") == {
        "a": big,
        "b": -big,
        "c": 16,
        "d": 1000,
    }
    assert load_json_data(f'{{"a": {LARGEST}, "b": -12, "c": 1.5}}', Limits()) == {
        "a": big,
        "b": -12,
        "c": 1.5,
    }
    # leading zeros are no digits of the number's size
    assert load_yaml_data("a: " + "0" * 400 + "7\n") == {"a": 7}


def test_the_position_is_of_the_number_not_of_a_text_that_spells_it() -> None:
    number = "9" * 400
    text = f'{{"a": "{number}", "b": [1, 2, {number}]}}'
    with pytest.raises(InputRefused) as caught:
        load_json_data(text, Limits())
    assert (caught.value.line, caught.value.column) == (1, text.rindex(number) + 1)


def test_a_rule_file_is_held_to_the_same_range() -> None:
    pack = (
        "kbdoctor: rules/1\npack: big\nfindings:\n  f1:\n    title: {en: F, pl: F}\nrules:\n"
        "  - id: r1\n    title: {en: R, pl: R}\n    when:\n      - bind: q\n"
        "        fact: queue\n        where: {message_count: {gt: NUMBER}}\n"
        '    conclude: {finding: f1, cf: 0.5, subject: "{q.server}"}\n'
        "    explain: {en: x, pl: x}\n"
    )
    with pytest.raises(RuleFileError) as caught:
        parse_rule_texts([("big.yaml", pack.replace("NUMBER", "1" * 5000))])
    [problem] = caught.value.problems
    assert problem.render("en").startswith("big.yaml:12:37: a number of 5000 digits is beyond")
