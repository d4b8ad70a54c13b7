"""Placeholders that nothing fills. In a rule's subject, values and explanation: a template that
does not parse, a bare ``{name}``, an alias no condition binds, or a field the bound fact does
not have. In the steps of a fix, a recommendation or a collection: a name the engine does not
give that step (:mod:`kbdoctor.engine.lint.step_templates`). The text would show a placeholder,
``?`` or a wrong value to the user, or the step would silently vanish from the report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kbdoctor.engine.lint.fields import field_info
from kbdoctor.engine.lint.model import Check, LintInput, Reporter, rule_aliases, rule_context
from kbdoctor.engine.lint.step_templates import StepTemplate, step_templates
from kbdoctor.engine.rules_model import Pattern
from kbdoctor.engine.templates import TemplateError, placeholders

if TYPE_CHECKING:
    from kbdoctor.engine.errors import Problem
    from kbdoctor.engine.rulebase import RuleBase, RulePack


def run(given: LintInput) -> list[Problem]:
    out: list[Problem] = []
    for pack, locator in given.packs:
        reporter = Reporter(pack, locator)
        check_rules(given.base, pack, reporter)
        for step in step_templates(given.base, pack, given.refused):
            _step(step, reporter)
        out.extend(reporter.problems)
    return out


def check_rules(base: RuleBase, pack: RulePack, out: Reporter) -> None:
    aliases = rule_aliases(base, pack)
    for index, rule in enumerate(pack.model.rules):
        conclusion = rule.conclude
        bound, doubtful = aliases.get(index, ({}, set()))
        context = rule_context(rule)
        # located at the conclusion and at the explanation: the same placeholder in both
        # languages (or in the subject and a value) is one problem
        subject = conclusion.subject
        given = [subject] if isinstance(subject, str) else list(subject.values())
        for template in [*given, *conclusion.values.values()]:
            _template(base, template, bound, doubtful, ("rules", index, "conclude"), out, context)
        for template in (rule.explain.en, rule.explain.pl):
            _template(base, template, bound, doubtful, ("rules", index, "explain"), out, context)


def _template(
    base: RuleBase,
    template: str,
    bound: dict[str, Pattern],
    doubtful: set[str],
    path: tuple[Any, ...],
    out: Reporter,
    context: str,
) -> None:
    try:
        used = placeholders(template)
    except TemplateError as exc:
        out.add(path, exc.key, context, **exc.params)
        return
    for name, sub in used:
        if sub is None:
            out.add(path, "error.rules_template_ref", context, ref=name)
            continue
        pattern = bound.get(name)
        if pattern is None and name in doubtful:
            continue  # the condition binding it names an unknown type: that is the problem
        if pattern is None:
            out.add(path, "error.rules_unbound", context, ref=f"{name}.{sub}")
        elif sub != "id" and field_info(base, pattern.kind, pattern.target, sub) is None:
            out.add(path, "error.rules_unknown_field", context, field=sub, type=pattern.target)


def _step(step: StepTemplate, out: Reporter) -> None:
    try:
        used = placeholders(step.template)
    except TemplateError as exc:
        if step.use != "literal":  # braces shown as written are just text
            out.add(step.path, exc.key, step.context, **exc.params)
        return
    for name, sub in used:
        ref = name if sub is None else f"{name}.{sub}"
        shown = "{" + ref + "}"
        if step.use == "literal":
            out.add(step.path, "error.rules_step_literal", step.context, ref=shown)
        elif step.use == "no_values":
            out.add(step.path, "error.rules_step_no_values", step.context, ref=shown)
        elif ref not in step.names and not (sub is None and step.open_values):
            allowed = ", ".join("{" + n + "}" for n in sorted(step.names))
            if sub is None and step.owner is not None and name not in ("org", "path"):
                kind, ident = step.owner
                out.add(
                    step.path,
                    "error.rules_step_unprovided",
                    step.context,
                    ref=shown,
                    name=name,
                    kind=kind,
                    id=ident,
                    allowed=allowed,
                )
            else:
                out.add(
                    step.path, "error.rules_step_unfilled", step.context, ref=shown, allowed=allowed
                )


CHECK = Check("placeholders", "error", run, loader=True)
