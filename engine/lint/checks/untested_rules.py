"""A stable rule that no test beside the rules expects to fire: "stable" promises that the rule
is checked, and only a test that makes it fire keeps that promise when the rule is edited."""

from __future__ import annotations

from kbdoctor.engine.errors import Problem
from kbdoctor.engine.lint.model import Check, LintInput, rule_context


def run(given: LintInput) -> list[Problem]:
    if given.tested is None:
        return []
    problems: list[Problem] = []
    for pack, locator in given.packs:
        for index, rule in enumerate(pack.model.rules):
            if rule.status == "stable" and rule.id not in given.tested:
                line, col = locator.position(("rules", index, "status"))
                problems.append(
                    Problem(pack.file, line, col, "lint.rule_untested", {}, rule_context(rule))
                )
    return problems


CHECK = Check("untested-rule", "warning", run)
