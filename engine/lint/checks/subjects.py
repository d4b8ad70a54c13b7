"""A conclusion's subject that does not fit what it concludes: evidence coarser than its cause's
subject (certainty factors combine per subject, so "port 88 open to DC02" would weaken "port 88
filtered to DC01"), counter-evidence naming a part it did not observe, or parts given for a
conclusion that has none (:func:`kbdoctor.engine.subjects.subject_problems`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.engine.lint.model import Check, Reporter, per_pack, rule_context
from kbdoctor.engine.rules_model import SubjectDef
from kbdoctor.engine.subjects import subject_problems

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack


def check(base: RuleBase, pack: RulePack, out: Reporter) -> None:
    for index, rule in enumerate(pack.model.rules):
        conclusion = rule.conclude
        path = ("rules", index, "conclude", "subject")
        if conclusion.kind == "cause":
            if conclusion.target not in base.causes:
                continue  # undefined-id says so; its subject cannot be judged
            declared = base.causes[conclusion.target].subject
            for key, params in subject_problems(
                rule, declared if isinstance(declared, SubjectDef) else None
            ):
                out.add(path, key, rule_context(rule), **params)
        elif not isinstance(conclusion.subject, str):
            out.add(path, "error.rules_subject_not_parts", rule_context(rule))


CHECK = Check("subject", "error", per_pack(check), loader=True)
