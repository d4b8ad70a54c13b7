"""A template holds at most MAX_PLACEHOLDERS placeholders (issue 10, item 1): one that repeats a
placeholder thousands of times (a 4,000-fold ``{q.last_error}`` wrote a 240 MB report) is refused
when its rule file is loaded, at its line, in the reader's language."""

from __future__ import annotations

import pytest
from kbdoctor.engine.errors import RuleFileError
from kbdoctor.engine.i18n import Lang
from kbdoctor.engine.rulebase import parse_rule_texts
from kbdoctor.engine.templates import MAX_PLACEHOLDERS, TemplateError, placeholders

PACK = """kbdoctor: rules/1
pack: many
findings:
  f1:
    title: {en: F, pl: F}
rules:
  - id: r1
    title: {en: R, pl: R}
    when:
      - bind: q
        fact: queue
    conclude: {finding: f1, cf: 0.5, subject: "{q.server}"}
    explain: {en: "EXPLAIN", pl: x}
"""


def test_a_template_may_hold_as_many_placeholders_as_the_bound() -> None:
    assert MAX_PLACEHOLDERS == 50
    assert len(placeholders("{a}" * MAX_PLACEHOLDERS)) == MAX_PLACEHOLDERS


def test_one_placeholder_more_is_refused_naming_the_count() -> None:
    with pytest.raises(TemplateError) as caught:
        placeholders("{a}" * (MAX_PLACEHOLDERS + 1))
    assert caught.value.key == "error.template_placeholders"
    assert caught.value.params["count"] == MAX_PLACEHOLDERS + 1
    assert caught.value.params["most"] == MAX_PLACEHOLDERS


@pytest.mark.parametrize(
    ("lang", "why"),
    [
        ("en", "…': 4000 placeholders; at most 50"),
        ("pl", "…': liczba pól: 4000; najwyżej 50"),
        ("de", "…': 4000 Platzhalter; höchstens 50"),
    ],
)
def test_a_rule_repeating_a_placeholder_is_refused_at_its_line(lang: Lang, why: str) -> None:
    explain = "{q.last_error}" * 4000
    with pytest.raises(RuleFileError) as caught:
        parse_rule_texts([("m.yaml", PACK.replace("EXPLAIN", explain))])
    [problem] = caught.value.problems
    shown = problem.render(lang)
    assert shown.startswith("m.yaml:13:5: ")
    assert shown.endswith(why)
    assert len(shown) < 300  # the template is quoted by its start
