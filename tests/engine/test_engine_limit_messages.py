"""The fixed tables of durable-rules, told in a rule author's terms (issue 10, item 4): the values
of an `in` list, the alternatives of an `any`, the tests on one fact, each with the number to stay
within, in the reader's language. Each limit is pinned at its edge: the largest rule that fits is
accepted, one more value, alternative or test is refused with that number."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from kbdoctor.engine.compiler import compile_rule_base
from kbdoctor.engine.durable_backend import ALPHA_STACK, FACT_FIELDS, HASH_SUCCESSORS
from kbdoctor.engine.errors import Problem, RuleFileError
from kbdoctor.engine.i18n import Lang
from kbdoctor.engine.rulebase import parse_rule_texts

PACK = """kbdoctor: rules/1
pack: shapes
causes:
  c1:
    title: {en: C, pl: C}
    description: {en: C, pl: C}
    kb_steps: [1]
    assessed_by: [clock_offset]
    remediation:
      - text: {en: "fix {host}", pl: "napraw {host}"}
rules:
  - id: big
    title: {en: R, pl: R}
    when:
      - bind: o
        fact: clock_offset
        where: WHERE
    conclude: {cause: c1, cf: 0.5, subject: "x", values: {host: "h"}}
    explain: {en: x, pl: x}
"""


def _in_list(count: int) -> str:
    return "{host: {in: [" + ", ".join(f"H{i}" for i in range(count)) + "]}}"


def _any(count: int) -> str:
    return "{any: [" + ", ".join(f"{{offset_s: {{gt: {i}}}}}" for i in range(count)) + "]}"


def _not_matches(count: int) -> str:
    tests = ", ".join(f"{{host: {{not_matches: '^x{i}$'}}}}" for i in range(count))
    return "{all: [" + tests + "]}"


def _problems(where: str) -> list[Problem]:
    try:
        compile_rule_base(parse_rule_texts([("p.yaml", PACK.replace("WHERE", where))]))
    except RuleFileError as exc:
        return exc.problems
    return []


# (the rule's where for a count, the largest count that fits, the words of the refusal)
EDGES: list[tuple[Callable[[int], str], int, str, str]] = [
    (
        _in_list,
        HASH_SUCCESSORS,
        f"{HASH_SUCCESSORS + 1} different tests of one fact follow the same test (each value of "
        f"an `in` list counts one",
        f"at most {HASH_SUCCESSORS}: split the list over several rules",
    ),
    (
        _any,
        ALPHA_STACK - 1,
        f"one fact would start {ALPHA_STACK} tests at once besides the test of its type (each "
        "alternative of an `any`",
        f"at most {ALPHA_STACK - 1}: split the `any` over several rules",
    ),
    (
        _not_matches,
        FACT_FIELDS - 1,  # and the field they test
        f"its conditions test {FACT_FIELDS + 1} values of facts (each field tested counts one, and "
        "so does each matches and not_matches)",
        f"at most {FACT_FIELDS}: split it into smaller rules",
    ),
]


@pytest.mark.parametrize(("where", "most", "what", "bound"), EDGES)
def test_the_largest_rule_that_fits_is_accepted_and_one_more_is_refused_in_author_terms(
    where: Callable[[int], str], most: int, what: str, bound: str
) -> None:
    assert _problems(where(most)) == []
    problems = _problems(where(most + 1))
    assert len(problems) == 1
    rendered = problems[0].render("en")
    assert rendered.startswith("p.yaml")  # the line is read from a file on disk
    assert ": rule big: the inference engine (durable-rules) cannot hold this rule: " in rendered
    assert what in rendered
    assert rendered.endswith(bound)
    assert "alpha node" not in rendered
    assert "durable-rules holds" not in rendered


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("pl", f"każda wartość listy `in` liczy się osobno, tak jak każdy inny test faktu w tym "
         f"miejscu); najwyżej {HASH_SUCCESSORS}: podziel listę między kilka reguł"),
        ("de", f"ebenso jeder andere Test des Fakts an dieser Stelle); höchstens "
         f"{HASH_SUCCESSORS}: verteilen Sie die Liste auf mehrere Regeln"),
    ],
)  # fmt: skip
def test_in_the_reader_s_language(lang: Lang, words: str) -> None:
    problem = _problems(_in_list(HASH_SUCCESSORS + 1))[0]
    assert problem.render(lang).endswith(words)
