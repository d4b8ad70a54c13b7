"""A condition or conclusion naming a symptom, finding, cause or recommendation no pack
defines: the rule would wait for, or conclude, something the report cannot show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.engine.lint.model import Check, Reporter, defined, per_pack, rule_context, sites

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack


def check(base: RuleBase, pack: RulePack, out: Reporter) -> None:
    for site in sites(base, pack):
        pattern = site.pattern
        if pattern.kind != "fact" and not site.known and not site.absent:
            out.add(
                (*site.path, pattern.kind),
                "error.rules_undefined",
                site.context,
                kind=pattern.kind,
                id=pattern.target,
            )
    for index, rule in enumerate(pack.model.rules):
        conclusion = rule.conclude
        if not defined(base, conclusion.kind, conclusion.target):
            out.add(
                ("rules", index, "conclude", conclusion.kind),
                "error.rules_undefined",
                rule_context(rule),
                kind=conclusion.kind,
                id=conclusion.target,
            )


CHECK = Check("undefined-id", "error", per_pack(check), loader=True)
