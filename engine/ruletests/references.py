"""Every id a test names must be one the rules define: a rule expected to stay silent, a cause
that must not be concluded or a finding that must not appear would otherwise pass forever when
its id is misspelt, and one expected to fire would fail without saying why. Each unknown id is a
problem at its own line of the test file."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from kbdoctor.engine.errors import Problem
from kbdoctor.engine.rulebase import RuleBase
from kbdoctor.engine.ruletests.model import Expectation
from kbdoctor.engine.yamlio import YamlLocator

# expectation field -> the kind of id it names, with the message for one the rules lack
_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("fires", "rule", "ruletest.rule_unknown"),
    ("silent", "rule", "ruletest.rule_unknown"),
    ("causes", "cause", "ruletest.cause_unknown"),
    ("not_concluded", "cause", "ruletest.cause_unknown"),
    ("diagnoses", "cause", "ruletest.cause_unknown"),
    ("symptoms", "symptom", "ruletest.symptom_unknown"),
    ("findings", "finding", "ruletest.finding_unknown"),
    ("not_findings", "finding", "ruletest.finding_unknown"),
    ("recommendations", "recommendation", "ruletest.recommendation_unknown"),
)


def _defined(base: RuleBase) -> dict[str, Collection[str]]:
    return {
        "rule": base.rule_pack,  # every rule a pack writes, a disabled one too
        "cause": base.causes,
        "symptom": base.symptoms,
        "finding": base.findings,
        "recommendation": base.recommendations,
    }


def _named(expect: Expectation, field: str) -> Iterator[tuple[object, str]]:
    """(key in the YAML under ``field``, id) for each id the field names."""
    value = getattr(expect, field)
    if isinstance(value, dict):
        yield from ((ident, ident) for ident in value)
    elif value is not None:
        yield from enumerate(value)


def undefined_ids(
    expect: Expectation, base: RuleBase, file: str, locator: YamlLocator, test: int
) -> list[Problem]:
    """A problem for each id that ``expect`` (test number ``test``, from 0) names and ``base``
    does not define."""
    defined = _defined(base)
    problems: list[Problem] = []
    for field, kind, key in _FIELDS:
        for where, ident in _named(expect, field):
            if ident not in defined[kind]:
                line, column = locator.position(("tests", test, "expect", field, where))
                problems.append(Problem(file, line, column, key, {kind: ident}))
    return problems
