"""Placeholders in a rule's subject, values and explanation that nothing binds: a template that
does not parse, a bare ``{name}``, an alias no condition binds, or a field the bound fact does
not have. The text would show a placeholder, or a wrong value, to the user."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kbdoctor.engine.lint.fields import field_info
from kbdoctor.engine.lint.model import Check, Reporter, per_pack, rule_context, sites
from kbdoctor.engine.rules_model import Pattern
from kbdoctor.engine.templates import TemplateError, placeholders

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack


def check(base: RuleBase, pack: RulePack, out: Reporter) -> None:
    bound_by_rule: dict[int, dict[str, Pattern]] = {}
    for site in sites(base, pack):
        bound = bound_by_rule.setdefault(site.index, {})
        bound.update(site.bound)
        pattern = site.pattern
        if not site.absent and site.known and pattern.bind and pattern.bind not in bound:
            bound[pattern.bind] = pattern
    for index, rule in enumerate(pack.model.rules):
        conclusion = rule.conclude
        subject = conclusion.subject
        templates = [
            *([subject] if isinstance(subject, str) else subject.values()),
            *conclusion.values.values(),
        ]
        bound = bound_by_rule.get(index, {})
        cpath = ("rules", index, "conclude")
        for template in templates:
            _template(base, template, bound, cpath, out, rule_context(rule))
        for template in (rule.explain.en, rule.explain.pl):
            _template(base, template, bound, ("rules", index, "explain"), out, rule_context(rule))


def _template(
    base: RuleBase,
    template: str,
    bound: dict[str, Pattern],
    path: tuple[Any, ...],
    out: Reporter,
    context: str,
) -> None:
    try:
        used = placeholders(template)
    except TemplateError as exc:
        out.add(path, "error.rules_template", context, detail=str(exc))
        return
    for name, sub in used:
        if sub is None:
            out.add(path, "error.rules_template_ref", context, ref=name)
            continue
        pattern = bound.get(name)
        if pattern is None:
            out.add(path, "error.rules_unbound", context, ref=f"{name}.{sub}")
        elif sub != "id" and field_info(base, pattern.kind, pattern.target, sub) is None:
            out.add(path, "error.rules_unknown_field", context, field=sub, type=pattern.target)


CHECK = Check("placeholders", "error", per_pack(check), loader=True)
