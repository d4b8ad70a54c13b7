"""Overrides that load but may not do what their author meant: two packs changing the same rule
(the later one wins, and the earlier one's change is lost), a pack overriding a rule it writes
itself (the rule should be changed where it is written), and a cf set to the value the rule
already has (an override that changes nothing)."""

from __future__ import annotations

from kbdoctor.engine.errors import Problem
from kbdoctor.engine.lint.model import Check, LintInput
from kbdoctor.engine.packs import defining_index


def run(given: LintInput) -> list[Problem]:
    problems: list[Problem] = []
    base = given.base
    changed_by: dict[str, str] = {}
    for index, (pack, locator) in enumerate(given.packs):
        for rule_id, override in pack.model.overrides.items():
            line, col = locator.position(("overrides", rule_id))
            defining = defining_index(base, rule_id)
            params = {"rule": rule_id, "pack": changed_by.get(rule_id, "")}
            if defining == index:
                problems.append(Problem(pack.file, line, col, "lint.override_own_rule", params))
            elif rule_id in changed_by:
                problems.append(Problem(pack.file, line, col, "lint.override_conflict", params))
            elif defining is not None and defining < index and override.cf is not None:
                original = base.packs[defining].model
                rule = next(r for r in original.rules if r.id == rule_id)
                if rule.conclude.cf == override.cf:
                    problems.append(Problem(pack.file, line, col, "lint.override_same_cf", params))
            changed_by[rule_id] = pack.pack
    return problems


CHECK = Check("override-conflicts", "warning", run)
