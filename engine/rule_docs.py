"""``kbdoctor rules docs``: the catalogue of a rule base in Markdown, for the people who read
rules rather than write them: each cause (title, description, KB steps, the rules that conclude
it), each finding, symptom and recommendation, and each rule: what it checks in sentences, its
certainty factor (and the pack that changed it or disabled it, with the pack's reason), its status
and the tests beside the rules that name it.

Everything is read from the loaded rule base, the fact models and the test files, so the
catalogue cannot drift from the rules; words come from the catalogue (English and Polish). A
field is named by what it means (``docs.field.<type>.<field>``), with its name in code after it;
a number gets the unit its field model documents; a derived field is shown as the value it is
built from; a placeholder of a rule's text is shown as ``<name>``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kbdoctor.engine.facts import FACT_TYPES, fact_fields
from kbdoctor.engine.i18n import Lang, catalogue, text
from kbdoctor.engine.rulebase import RuleBase
from kbdoctor.engine.rules_model import Absent, FieldTest, Pattern, Rule, Step, Where
from kbdoctor.engine.ruletests.discover import rule_expectations

# operator -> catalogue key of its words
_OPERATORS = {
    "eq": "docs.op.eq",
    "ne": "docs.op.ne",
    "lt": "docs.op.lt",
    "le": "docs.op.le",
    "gt": "docs.op.gt",
    "ge": "docs.op.ge",
    "abs_gt": "docs.op.abs_gt",
    "abs_ge": "docs.op.abs_ge",
    "abs_lt": "docs.op.abs_lt",
    "abs_le": "docs.op.abs_le",
    "in": "docs.op.in",
    "not_in": "docs.op.not_in",
    "matches": "docs.op.matches",
    "not_matches": "docs.op.not_matches",
    "contains": "docs.op.contains",
    "not_contains": "docs.op.not_contains",
    "contains_ref": "docs.op.contains_ref",
    "same_as": "docs.op.same_as",
    "differs_from": "docs.op.differs_from",
}
# a pattern tested on a list holds when one item matches it (engine/compiler.py)
_LIST_OPERATORS = {"matches": "docs.op.matches_list", "not_matches": "docs.op.not_matches_list"}
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?:\.([a-z][a-z0-9_]*))?(?::[^{}]*)?\}")


@dataclass(frozen=True)
class Context:
    """What a condition's words depend on besides itself: the fields the packs derive (fact
    type -> field -> template) and what each earlier binding of the rule is (alias -> kind,
    target)."""

    derive: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    bound: Mapping[str, tuple[str, str]] = field(default_factory=dict)


def rule_tests(rule_files: Sequence[str]) -> dict[str, list[str]]:
    """Rule id -> the names of the tests beside these rule files that expect it to fire or to
    stay silent."""
    return {
        rule: [name for name, _kind in named]
        for rule, named in rule_expectations(rule_files).items()
    }


def _label(kind: str, target: str, name: str, lang: Lang, context: Context) -> str:
    """What a field means, without its name in code."""
    if kind == "fact":
        key = f"docs.field.{target}.{name}"
        if key in catalogue("en"):
            return text(key, lang)
        template = context.derive.get(target, {}).get(name)
        if template is not None:
            return text("docs.derived", lang, value=_shown_template(template, target, lang))
    elif name == "subject":
        return text("docs.subject", lang)
    return text("docs.value", lang, name=name)


def _shown_template(template: str, target: str, lang: Lang) -> str:
    """A derived field's template with each field it uses shown as ``<what it means>``."""

    def one(match: re.Match[str]) -> str:
        key = f"docs.field.{target}.{match.group(1)}"
        return f"<{text(key, lang) if key in catalogue('en') else match.group(1)}>"

    return f"`{_PLACEHOLDER.sub(one, template)}`"


def _unit(kind: str, target: str, name: str) -> str:
    """The unit a number of this field is in, as its fact model documents it."""
    model = FACT_TYPES.get(target) if kind == "fact" else None
    if model is None or name not in model.model_fields:
        return ""
    description = model.model_fields[name].description or ""
    return " s" if "in seconds" in description or name.endswith("_s") else ""


def _is_list(kind: str, target: str, name: str) -> bool:
    model = FACT_TYPES.get(target) if kind == "fact" else None
    if model is None or name not in fact_fields(target):
        return False
    return "list[" in str(model.model_fields[name].annotation)


def _value(value: Any, unit: str = "") -> str:
    if isinstance(value, list):
        return ", ".join(_value(v, unit) for v in value)
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # 300, as the rule author wrote it, not 300.0
        return f"{value}{unit}"
    return f"`{value}`"


def _reference(ref: str, lang: Lang, context: Context) -> str:
    """``srv.account`` as "the computer account of `srv`"."""
    alias, _, name = ref.partition(".")
    kind, target = context.bound.get(alias, ("", ""))
    return text("docs.ref", lang, field=_label(kind, target, name, lang, context), alias=alias)


def field_test_words(
    target: str,
    name: str,
    test: FieldTest,
    lang: Lang,
    context: Context | None = None,
    kind: str = "fact",
) -> str:
    """One field test as a sentence: what the field means (its name in code after it), the
    operator in words, the value with its unit, a pattern as a pattern, a reference as the field
    of the binding it names."""
    context = context or Context()
    label = _label(kind, target, name, lang, context)
    if kind == "fact":  # a conclusion's value is named by its name already
        label = text("docs.field", lang, label=label, name=name)
    operator = test.operator
    if operator == "exists":
        return text("docs.op.exists" if test.value else "docs.op.missing", lang, field=label)
    if operator in ("same_as", "differs_from", "contains_ref"):
        value = _reference(str(test.value), lang, context)
    else:
        value = _value(test.value, _unit(kind, target, name))
    key = _OPERATORS[operator]
    if _is_list(kind, target, name):
        key = _LIST_OPERATORS.get(operator, key)
    return text(key, lang, field=label, value=value)


def where_words(
    where: Where, lang: Lang, target: str, context: Context | None = None, kind: str = "fact"
) -> str:
    context = context or Context()
    parts = [field_test_words(target, n, t, lang, context, kind) for n, t in where.tests.items()]
    for key, group in (("docs.all", where.all), ("docs.any", where.any)):
        if group:
            inner = "; ".join(where_words(w, lang, target, context, kind) for w in group)
            parts.append(text(key, lang, tests=inner))
    if where.not_ is not None:
        inner = where_words(where.not_, lang, target, context, kind)
        parts.append(text("docs.not", lang, tests=inner))
    return text("docs.and", lang).join(parts)


def condition_words(condition: Pattern | Absent, lang: Lang, context: Context | None = None) -> str:
    context = context or Context()
    absent = isinstance(condition, Absent)
    pattern = condition.absent if isinstance(condition, Absent) else condition
    if pattern.kind == "fact":
        key = "docs.condition.fact_absent" if absent else "docs.condition.fact"
        if pattern.bind and not absent:
            key = "docs.condition.fact_bound"
        fact = text(f"docs.fact.{pattern.target}", lang)
        words = text(key, lang, fact=fact, target=pattern.target, alias=pattern.bind or "")
    else:
        key = "docs.condition.absent" if absent else "docs.condition"
        kind = text(f"docs.kind.{pattern.kind}", lang)
        words = text(key, lang, kind=kind, target=pattern.target)
        if pattern.bind:
            words += " " + text("docs.bound_as", lang, alias=pattern.bind)
    where = where_words(pattern.where, lang, pattern.target, context, pattern.kind)
    return words + (text("docs.where", lang, tests=where) if where else "")


def readable(template: str) -> str:
    """A rule's text as a reader sees it before a fact fills it: each placeholder as
    ``<name>`` (``{off.offset_s:+.1f}`` is ``<offset>``: the unit is written after it)."""

    def one(match: re.Match[str]) -> str:
        name = match.group(2) or match.group(1)
        return "<" + name.removesuffix("_s").replace("_", " ") + ">"

    protected = template.replace("{{", "\0").replace("}}", "\1")
    return _PLACEHOLDER.sub(one, protected).replace("\0", "{").replace("\1", "}")


def _override_reason(base: RuleBase, pack: str, rule_id: str, lang: Lang) -> str:
    model = next((p.model for p in base.packs if p.pack == pack), None)
    override = model.overrides.get(rule_id) if model is not None else None
    if override is None or override.reason is None:
        return ""
    return " " + text("docs.reason", lang, reason=override.reason.get(lang))


def _cf_line(base: RuleBase, rule: Rule, lang: Lang) -> str:
    if rule.id in base.disabled:
        pack = base.disabled[rule.id]
        line = text("docs.disabled", lang, pack=pack)
        return line + _override_reason(base, pack, rule.id, lang)
    if rule.id in base.changed:
        pack, original = base.changed[rule.id]
        current = next(r.conclude.cf for r in base.rules if r.id == rule.id)
        line = text("docs.cf_changed", lang, cf=f"{current:g}", original=f"{original:g}", pack=pack)
        return line + _override_reason(base, pack, rule.id, lang)
    return text("docs.cf", lang, cf=f"{rule.conclude.cf:g}")


def rule_section(base: RuleBase, rule: Rule, tests: list[str], lang: Lang) -> list[str]:
    pack = base.rule_pack[rule.id].pack
    conclude = rule.conclude
    out = [f"#### `{rule.id}`: {rule.title.get(lang)}", ""]
    facts = [
        (text("docs.pack", lang), f"`{pack}`"),
        (text("docs.status", lang), text(f"docs.status.{rule.status}", lang)),
        (text("docs.kb_step", lang), str(rule.kb_step) if rule.kb_step else "-"),
        (
            text("docs.concludes", lang),
            f"{text(f'docs.kind.{conclude.kind}', lang)} `{conclude.target}`",
        ),
        (text("docs.certainty", lang), _cf_line(base, rule, lang)),
    ]
    out += [f"- {label}: {value}" for label, value in facts]
    out += ["", text("docs.checks", lang), ""]
    bound: dict[str, tuple[str, str]] = {}
    for n, condition in enumerate(rule.when, start=1):
        context = Context(base.derive, dict(bound))
        out.append(f"{n}. {condition_words(condition, lang, context)}")
        if isinstance(condition, Pattern) and condition.bind:
            bound[condition.bind] = (condition.kind, condition.target)
    out += ["", text("docs.explains", lang, text=readable(rule.explain.get(lang))), ""]
    if tests:
        out += [text("docs.tests", lang), ""] + [f"- {t}" for t in tests]
    else:
        out.append(text("docs.no_tests", lang))
    return [*out, ""]


def _rules_of(base: RuleBase, kind: str, ident: str) -> Iterable[Rule]:
    for pack in base.packs:
        for rule in pack.rules:
            if rule.conclude.kind == kind and rule.conclude.target == ident:
                yield rule


def _steps(steps: Sequence[Step], lang: Lang) -> list[str]:
    out: list[str] = []
    for n, step in enumerate(steps, start=1):
        out.append(f"{n}. {readable(step.text.get(lang))}")
        if step.command:
            out.append(f"   `{readable(step.command)}`")
    return out


def _recommendations(base: RuleBase, lang: Lang) -> list[str]:
    out = [f"## {text('docs.recommendations', lang)}", ""]
    for ident, recommendation in sorted(base.recommendations.items()):
        out += [f"### `{ident}`: {recommendation.title.get(lang)}", ""]
        out += [readable(recommendation.text.get(lang)), ""]
        steps = ", ".join(str(s) for s in recommendation.kb_steps) or "-"
        out += [f"- {text('docs.kb_steps', lang)}: {steps}"]
        if recommendation.when is not None:
            symptoms = ", ".join(f"`{s}`" for s in recommendation.when.symptoms_any)
            at_least = f"{recommendation.when.no_cause_at_least:g}"
            when = text("docs.recommendation_when", lang, symptoms=symptoms, cf=at_least)
            out += [f"- {text('docs.applies', lang)}: {when}"]
        concluding = [f"`{r.id}`" for r in _rules_of(base, "recommendation", ident)]
        out += [f"- {text('docs.rules', lang)}: {', '.join(concluding) or '-'}", ""]
        out += [text("docs.steps", lang), "", *_steps(recommendation.steps, lang), ""]
    return out


def catalogue_markdown(base: RuleBase, tests: dict[str, list[str]], lang: Lang) -> str:
    """The whole catalogue in one language."""
    packs = ", ".join(f"`{p.pack}` {p.model.version or ''}".strip() for p in base.packs)
    out = [f"# {text('docs.title', lang)}", "", text("docs.packs", lang, packs=packs), ""]
    out += [f"## {text('docs.causes', lang)}", ""]
    for ident, cause in sorted(base.causes.items()):
        steps = ", ".join(str(s) for s in cause.kb_steps)
        out += [f"### `{ident}`: {cause.title.get(lang)}", "", cause.description.get(lang), ""]
        out += [f"- {text('docs.kb_steps', lang)}: {steps}"]
        out += [f"- {text('docs.assessed_by', lang)}: {', '.join(cause.assessed_by)}"]
        concluding = [f"`{r.id}`" for r in _rules_of(base, "cause", ident)]
        out += [f"- {text('docs.rules', lang)}: {', '.join(concluding) or '-'}", ""]
    for kind, table in (("finding", base.findings), ("symptom", base.symptoms)):
        if not table:
            continue
        out += [f"## {text(f'docs.{kind}s', lang)}", ""]
        for ident, definition in sorted(table.items()):
            out += [f"### `{ident}`: {definition.title.get(lang)}", ""]
            if definition.description is not None:
                out += [definition.description.get(lang), ""]
            concluding = [f"`{r.id}`" for r in _rules_of(base, kind, ident)]
            out += [f"- {text('docs.rules', lang)}: {', '.join(concluding) or '-'}", ""]
    if base.recommendations:
        out += _recommendations(base, lang)
    out += [f"## {text('docs.rules_heading', lang)}", ""]
    for pack in base.packs:
        if not pack.rules:
            continue
        out += [f"### {text('docs.pack', lang)} `{pack.pack}`", ""]
        for rule in pack.rules:
            out += rule_section(base, rule, tests.get(rule.id, []), lang)
    return "\n".join(out).rstrip("\n") + "\n"
