"""Numbers in rule files are the numbers of fact files (engine/facts.py): NaN, infinities, true and
false are refused at their line and column. Before, ``cf: true`` gave a certainty of 1.0, a test
``gt: .nan`` (false for every value) silently ruled its rule out, and ``cf: .nan`` was said to be
"at most 1.0"."""

from __future__ import annotations

import pytest
from kbdoctor.engine.errors import RuleFileError
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import Event
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.rulebase import parse_rule_texts

PACK = """\
kbdoctor: rules/1
pack: numbers
causes:
  slow:
    title: {en: Slow, pl: Wolna}
    description: {en: A slow clock, pl: Wolny zegar}
    kb_steps: %(kb_steps)s
    assessed_by: [clock_offset]
    remediation:
      - text: {en: "look at {host}", pl: "sprawdź {host}"}
rules:
  - id: slow
    title: {en: S, pl: S}
    when:
      - bind: o
        fact: clock_offset
        where: %(where)s
    conclude: {cause: slow, cf: %(cf)s, subject: "{o.host}", values: {host: "{o.host}"}}
    explain: {en: x, pl: x}
"""
GOOD = {"kb_steps": "[1]", "where": "{offset_s: {gt: 300}}", "cf": "0.5"}


def _pack(**changes: str) -> str:
    return PACK % {**GOOD, **changes}


def _problems(text: str) -> list[str]:
    with pytest.raises(RuleFileError) as caught:
        parse_rule_texts([("r.yaml", text)], Limits())
    return caught.value.render("en").splitlines()


def test_the_pack_written_with_good_numbers_is_valid() -> None:
    base = parse_rule_texts([("r.yaml", _pack())], Limits())
    assert [r.conclude.cf for r in base.rules] == [0.5]


@pytest.mark.parametrize(
    ("change", "where", "expected"),
    [
        ({"cf": "true"}, "r.yaml:18:", "'rules.conclude.cf': expected a number, not true or false"),
        ({"cf": ".nan"}, "r.yaml:18:", "'rules.conclude.cf': expected a finite number"),
        ({"cf": ".inf"}, "r.yaml:18:", "'rules.conclude.cf': expected a finite number"),
        ({"where": "{offset_s: {gt: .nan}}"}, "r.yaml:17:", "offset_s.gt': expected a finite"),
        ({"where": "{offset_s: {gt: -.inf}}"}, "r.yaml:17:", "offset_s.gt': expected a finite"),
        ({"where": "{offset_s: {gt: true}}"}, "r.yaml:17:", "offset_s.gt': expected a number, not"),
        ({"where": '{offset_s: {gt: "300"}}'}, "r.yaml:17:", "gt': expected a number, not text"),
        ({"cf": '"0.5"'}, "r.yaml:18:", "'rules.conclude.cf': expected a number, not text"),
        ({"where": "{offset_s: {abs_le: .inf}}"}, "r.yaml:17:", "abs_le': expected a finite"),
        ({"where": "{offset_s: {eq: .nan}}"}, "r.yaml:17:", "offset_s.eq': expected a finite"),
        ({"where": "{offset_s: .nan}"}, "r.yaml:17:", "offset_s.eq': expected a finite"),
        ({"where": "{offset_s: {in: [1, .nan]}}"}, "r.yaml:17:", "offset_s.in': expected a finite"),
        ({"where": "{offset_s: {not_in: [-.inf]}}"}, "r.yaml:17:", "not_in': expected a finite"),
        ({"kb_steps": "[true]"}, "r.yaml:7:", "kb_steps': expected a number, not true or false"),
    ],
)  # fmt: skip
def test_nan_infinities_and_booleans_are_refused_where_they_are(
    change: dict[str, str], where: str, expected: str
) -> None:
    problems = _problems(_pack(**change))
    assert any(p.startswith(where) and expected in p for p in problems), problems


def test_a_boolean_is_still_a_value_to_compare_with() -> None:
    text = _pack().replace(
        "      - bind: o\n",
        "      - fact: domain_controller\n        where: {pdc: true}\n      - bind: o\n",
        1,
    )
    base = parse_rule_texts([("r.yaml", text)], Limits())
    test = base.rules[0].when[0].where.tests["pdc"]  # type: ignore[union-attr]
    assert test.value is True


CHAINED = """\
kbdoctor: rules/1
pack: chained
findings:
  counted:
    title: {en: Counted, pl: Policzone}
    values: {n: number}
causes:
  many:
    title: {en: Many, pl: Wiele}
    description: {en: A number was read, pl: Odczytano liczbę}
    kb_steps: [1]
    assessed_by: [event]
    remediation:
      - text: {en: "look at {subject}", pl: "sprawdź {subject}"}
rules:
  - id: count
    title: {en: C, pl: C}
    when:
      - bind: e
        fact: event
        where: {event_id: 1}
    conclude: {finding: counted, cf: 0.9, subject: "{e.host}", values: {n: "{e.message}"}}
    explain: {en: x, pl: x}
  - id: many
    title: {en: M, pl: M}
    when:
      - bind: c
        finding: counted
        where: {n: {exists: true}}
    conclude: {cause: many, cf: 0.9, subject: "{c.subject}"}
    explain: {en: x, pl: x}
"""


@pytest.mark.parametrize(
    ("message", "is_number"),
    [
        ("7", True),
        ("-2.5", True),
        ("nan", False),
        ("inf", False),
        ("-Infinity", False),
        ("x", False),
    ],
)
def test_a_number_value_of_a_conclusion_is_a_finite_number_or_absent(
    message: str, is_number: bool
) -> None:
    """A value declared ``number`` is filled from a template; text that Python would read as a
    float but is no number ("nan", "inf") must be left out like any other text, not reach the
    rules that chain on it as a NaN or an infinity."""
    base = parse_rule_texts([("r.yaml", CHAINED)], Limits())
    fact = Event(host="EX01", source="s", event_id=1, message=message)
    report = Evaluator(base).evaluate([fact])
    concluded = {c.cause for c in report.causes if c.confidence > 0}
    assert ("many" in concluded) is is_number
