"""A rule waiting for a symptom, finding or cause that no rule of the loaded packs concludes (a
deprecated rule is not evaluated, a negative certainty factor is no conclusion): it can never
fire with these packs. A warning: another pack loaded with it may conclude it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.engine.errors import Problem
from kbdoctor.engine.lint.model import Check, LintInput, Reporter, sites

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase


def concluded(base: RuleBase) -> set[tuple[str, str]]:
    """What the evaluated rules can conclude: (kind, id)."""
    return {
        (r.conclude.kind, r.conclude.target)
        for r in base.rules
        if r.status != "deprecated" and r.conclude.cf > 0
    }


def run(given: LintInput) -> list[Problem]:
    # a rule the schema refused may conclude it: its schema error is the problem
    can = concluded(given.base) | given.refused.concluded
    out: list[Problem] = []
    for pack, locator in given.packs:
        reporter = Reporter(pack, locator)
        for site in sites(given.base, pack):
            pattern = site.pattern
            if site.absent or pattern.kind == "fact" or not site.known:
                continue
            if (pattern.kind, pattern.target) not in can:
                reporter.add(
                    (*site.path, pattern.kind),
                    "lint.premise_never_concluded",
                    site.context,
                    kind=pattern.kind,
                    id=pattern.target,
                )
        out.extend(reporter.problems)
    return out


CHECK = Check("unconcluded-premise", "warning", run)
