"""An absence test over a finding, symptom or cause: rules derive those while the session runs,
so "none exists" can hold before the rule that concludes one has fired (durable-rules cannot
negate derived facts reliably). Only base facts can be absent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.engine.lint.model import Check, Reporter, per_pack, sites

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack


def check(base: RuleBase, pack: RulePack, out: Reporter) -> None:
    for site in sites(base, pack):
        if site.absent and site.pattern.kind != "fact":
            out.add(site.path, "error.rules_absent_derived", site.context)


CHECK = Check("absent-derived", "error", per_pack(check), loader=True)
