"""A cause's fix (or a finding's, a symptom's values) uses ``{name}`` values that a rule
concluding it does not provide: the fix would be shown with a hole in its command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.engine.lint.model import Check, Reporter, per_pack, rule_context
from kbdoctor.engine.templates import TemplateError, placeholders

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack


def check(base: RuleBase, pack: RulePack, out: Reporter) -> None:
    for index, rule in enumerate(pack.model.rules):
        conclusion = rule.conclude
        needed: set[str] = set()
        if conclusion.kind == "cause" and conclusion.target in base.causes:
            for step in base.causes[conclusion.target].remediation:
                for template in (step.text.en, step.text.pl, step.command or "", step.run_on or ""):
                    needed.update(n for n, sub in _safe(template) if sub is None)
        if conclusion.kind == "finding" and conclusion.target in base.findings:
            needed.update(base.findings[conclusion.target].values)
        if conclusion.kind == "symptom" and conclusion.target in base.symptoms:
            needed.update(base.symptoms[conclusion.target].values)
        subject = conclusion.subject
        parts = set(subject) if not isinstance(subject, str) else set()
        missing = sorted(needed - set(conclusion.values) - {"subject"} - parts)
        if missing:
            out.add(
                ("rules", index, "conclude"),
                "error.rules_missing_values",
                rule_context(rule),
                names=", ".join(missing),
            )


def _safe(template: str) -> list[tuple[str, str | None]]:
    try:
        return placeholders(template)
    except TemplateError:
        return []


CHECK = Check("remediation-values", "error", per_pack(check), loader=True)
