"""A rule that does not give a value its conclusion's steps use while other rules concluding the
same cause (finding, recommendation) do, or a value a finding or symptom declares: its fix would
be left out, or shown with a hole in its command, for the subjects this rule found. A name no
concluding rule gives is a problem of the step itself, reported there (``placeholders``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.engine.lint.model import Check, Reporter, per_pack, rule_context
from kbdoctor.engine.lint.step_templates import values_by_conclusion
from kbdoctor.engine.rules_model import Step
from kbdoctor.engine.templates import TemplateError, placeholders

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack


def check(base: RuleBase, pack: RulePack, out: Reporter) -> None:
    given_by = values_by_conclusion(base)
    for index, rule in enumerate(pack.model.rules):
        conclusion = rule.conclude
        kind, target = conclusion.kind, conclusion.target
        used: set[str] = set()
        declared: set[str] = set()
        if kind == "cause" and target in base.causes:
            used = _names(base.causes[target].remediation)
        if kind in ("finding", "symptom"):
            definition = base.conclusion_def(kind, target)
            if definition is not None:
                declared = set(definition.values)
                used = _names(definition.remediation)
        if kind == "recommendation" and target in base.recommendations:
            recommendation = base.recommendations[target]
            if recommendation.when is None:
                text = recommendation.text
                used = _names(recommendation.steps) | _bare(text.en) | _bare(text.pl)
        needed = declared | (used & given_by.get((kind, target), set()))
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


def _names(steps: list[Step]) -> set[str]:
    """The plain names the steps' templates use."""
    names: set[str] = set()
    for step in steps:
        for template in (step.text.en, step.text.pl, step.command or "", step.run_on or ""):
            names |= _bare(template)
    return names


def _bare(template: str) -> set[str]:
    try:
        return {name for name, sub in placeholders(template) if sub is None}
    except TemplateError:  # the placeholders check reports it
        return set()


CHECK = Check("remediation-values", "error", per_pack(check), loader=True)
