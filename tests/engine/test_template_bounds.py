"""Template output is bounded (issue 10, item 1): a width or precision in a rule's format spec
beyond the limit is refused when the rule file is loaded, with its location; a template that
escaped the check is not padded at all."""

from __future__ import annotations

import pytest
from kbdoctor.engine.errors import RuleFileError
from kbdoctor.engine.rulebase import parse_rule_texts
from kbdoctor.engine.templates import MAX_PRECISION, MAX_WIDTH, TemplateError, placeholders, render

PACK = """kbdoctor: rules/1
pack: widths
causes:
  c1:
    title: {en: C, pl: C}
    description: {en: C, pl: C}
    kb_steps: [1]
    assessed_by: [queue]
    remediation:
      - text: {en: "fix {host}", pl: "napraw {host}"}
rules:
  - id: r1
    title: {en: R, pl: R}
    when:
      - bind: q
        fact: queue
        where: {message_count: {gt: 1}}
    conclude: {cause: c1, cf: 0.5, subject: "{q.server}", values: {host: "{q.server}"}}
    explain: {en: "SPEC", pl: x}
"""


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ("{q.message_count:>999999999}", f"width 999999999 is more than {MAX_WIDTH}"),
        ("{q.message_count:0101d}", f"width 101 is more than {MAX_WIDTH}"),
        ("{q.message_count:.21f}", f"precision 21 is more than {MAX_PRECISION}"),
    ],
)
def test_huge_widths_and_precisions_are_refused_at_load(spec: str, why: str) -> None:
    with pytest.raises(RuleFileError) as caught:
        parse_rule_texts([("w.yaml", PACK.replace("SPEC", spec))])
    problems = [p.render("en") for p in caught.value.problems]
    assert len(problems) == 1
    assert problems[0].startswith("w.yaml:19:5: rule r1: invalid template: ")
    assert why in problems[0]


def test_widths_within_the_limit_are_kept() -> None:
    assert placeholders(f"{{q.n:>{MAX_WIDTH}}} {{q.x:+.{MAX_PRECISION}f}}") == [
        ("q", "n"),
        ("q", "x"),
    ]
    assert render("{q.n:>5}|{q.x:+.1f}", {"q": {"n": 7, "x": 2.25}}) == "    7|+2.2"


def test_a_template_that_was_not_checked_is_not_padded() -> None:
    assert render("{q.n:>999999999}", {"q": {"n": 5}}) == "5"
    with pytest.raises(TemplateError):
        placeholders("{q.n:>999999999}")
