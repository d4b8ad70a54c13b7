"""A condition, conclusion or recommendation naming a symptom, finding, cause or recommendation
no pack defines: the rule would wait for, or conclude, something the report cannot show, and a
recommendation would wait for a symptom that never comes. A definition the schema refused is
not undefined: its schema error is the problem."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kbdoctor.engine.errors import Context, Problem
from kbdoctor.engine.lint.model import (
    Check,
    LintInput,
    Refused,
    Reporter,
    defined,
    rule_context,
    sites,
)

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack


def run(given: LintInput) -> list[Problem]:
    out: list[Problem] = []
    for pack, locator in given.packs:
        reporter = Reporter(pack, locator)
        check(given.base, pack, reporter, given.refused)
        out.extend(reporter.problems)
    return out


def check(base: RuleBase, pack: RulePack, out: Reporter, refused: Refused) -> None:
    def known(kind: str, ident: str) -> bool:
        return defined(base, kind, ident) or (kind, ident) in refused.ids

    _conditions(base, pack, out, known)
    for index, rule in enumerate(pack.model.rules):
        conclusion = rule.conclude
        if not known(conclusion.kind, conclusion.target):
            out.add(
                ("rules", index, "conclude", conclusion.kind),
                "error.rules_undefined",
                rule_context(rule),
                kind=conclusion.kind,
                id=conclusion.target,
            )
    for ident, recommendation in pack.model.recommendations.items():
        if recommendation.when is None:
            continue
        for position, symptom in enumerate(recommendation.when.symptoms_any):
            if not known("symptom", symptom):
                out.add(
                    ("recommendations", ident, "when", "symptoms_any", position),
                    "error.rules_undefined",
                    Context("lint.context.recommendation", recommendation=ident),
                    kind="symptom",
                    id=symptom,
                )


def _conditions(
    base: RuleBase, pack: RulePack, out: Reporter, known: Callable[[str, str], bool]
) -> None:
    for site in sites(base, pack):
        pattern = site.pattern
        if pattern.kind == "fact" or site.known or site.absent:
            continue
        if not known(pattern.kind, pattern.target):
            out.add(
                (*site.path, pattern.kind),
                "error.rules_undefined",
                site.context,
                kind=pattern.kind,
                id=pattern.target,
            )


CHECK = Check("undefined-id", "error", run, loader=True)
