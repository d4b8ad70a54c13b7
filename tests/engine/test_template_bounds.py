"""Template output is bounded (issue 10, item 1): a width or precision in a rule's format spec
beyond the limit is refused when the rule file is loaded, with its location; a template that
escaped the check is not padded at all."""

from __future__ import annotations

import pytest
from kbdoctor.engine.errors import RuleFileError
from kbdoctor.engine.i18n import Lang, text
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
        ("{q.message_count:>999999999}", f"pads to 999999999 characters; at most {MAX_WIDTH}"),
        ("{q.message_count:0101d}", f"pads to 101 characters; at most {MAX_WIDTH}"),
        ("{q.message_count:.21f}", f"shows 21 digits after the point; at most {MAX_PRECISION}"),
    ],
)
def test_huge_widths_and_precisions_are_refused_at_load(spec: str, why: str) -> None:
    with pytest.raises(RuleFileError) as caught:
        parse_rule_texts([("w.yaml", PACK.replace("SPEC", spec))])
    problems = [p.render("en") for p in caught.value.problems]
    assert len(problems) == 1
    assert problems[0].startswith(f"w.yaml:19:5: rule r1: invalid template '{spec}': the format ")
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


@pytest.mark.parametrize(
    ("lang", "why"),
    [
        (
            "pl",
            "nieprawidłowy szablon '{q.message_count:>999}': format '>999' dopełnia do 999 "
            "znaków; najwyżej 100",
        ),
        (
            "de",
            "ungültige Vorlage '{q.message_count:>999}': das Format '>999' füllt auf 999 "
            "Zeichen auf; höchstens 100",
        ),
    ],
)
def test_the_refusal_is_in_the_reader_s_language(lang: Lang, why: str) -> None:
    with pytest.raises(RuleFileError) as caught:
        parse_rule_texts([("w.yaml", PACK.replace("SPEC", "{q.message_count:>999}"))])
    assert caught.value.problems[0].render(lang).endswith(why)


@pytest.mark.parametrize(
    ("template", "key", "params"),
    [
        ("{q.n", "error.template_braces", {"template": "{q.n"}),
        ("{q.n:zz}", "error.template_spec", {"spec": "zz", "template": "{q.n:zz}"}),
        (
            "{q.n:.30f}",
            "error.template_precision",
            {"spec": ".30f", "template": "{q.n:.30f}", "precision": 30, "most": MAX_PRECISION},
        ),
    ],
)
def test_a_refusal_is_a_message_key_and_its_parameters(
    template: str, key: str, params: dict[str, object]
) -> None:
    with pytest.raises(TemplateError) as caught:
        placeholders(template)
    assert (caught.value.key, caught.value.params) == (key, params)
    assert str(caught.value) == text(key, "en", **params)
