"""``kbdoctor rules docs``: the catalogue of a rule base in Markdown, for the people who read
rules rather than write them: each cause (title, description, KB steps, the rules that conclude
it), each finding and symptom, and each rule: what it checks in words, its certainty factor (and
the pack that changed it or disabled it), its status and the tests beside the rules that name it.

Everything is read from the loaded rule base and the test files, so the catalogue cannot drift
from the rules; words come from the catalogue (English and Polish)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.rulebase import RuleBase
from kbdoctor.engine.rules_model import Absent, FieldTest, Pattern, Rule, Where
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


def rule_tests(rule_files: Sequence[str]) -> dict[str, list[str]]:
    """Rule id -> the names of the tests beside these rule files that expect it to fire or to
    stay silent."""
    return {
        rule: [name for name, _kind in named]
        for rule, named in rule_expectations(rule_files).items()
    }


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 300, as the rule author wrote it, not 300.0
    return f"`{value}`"


def field_test_words(name: str, test: FieldTest, lang: Lang) -> str:
    operator = test.operator
    if operator == "exists":
        return text("docs.op.exists" if test.value else "docs.op.missing", lang, field=name)
    return text(_OPERATORS[operator], lang, field=f"`{name}`", value=_value(test.value))


def where_words(where: Where, lang: Lang) -> str:
    parts = [field_test_words(n, t, lang) for n, t in where.tests.items()]
    if where.all:
        inner = "; ".join(where_words(w, lang) for w in where.all)
        parts.append(text("docs.all", lang, tests=inner))
    if where.any:
        inner = "; ".join(where_words(w, lang) for w in where.any)
        parts.append(text("docs.any", lang, tests=inner))
    if where.not_ is not None:
        parts.append(text("docs.not", lang, tests=where_words(where.not_, lang)))
    return text("docs.and", lang).join(parts)


def condition_words(condition: Pattern | Absent, lang: Lang) -> str:
    absent = isinstance(condition, Absent)
    pattern = condition.absent if isinstance(condition, Absent) else condition
    key = "docs.condition.absent" if absent else "docs.condition"
    words = text(key, lang, kind=text(f"docs.kind.{pattern.kind}", lang), target=pattern.target)
    if pattern.bind:
        words += " " + text("docs.bound_as", lang, alias=pattern.bind)
    where = where_words(pattern.where, lang)
    return words + (" " + text("docs.where", lang, tests=where) if where else "")


def _cf_line(base: RuleBase, rule: Rule, lang: Lang) -> str:
    if rule.id in base.disabled:
        return text("docs.disabled", lang, pack=base.disabled[rule.id])
    if rule.id in base.changed:
        pack, original = base.changed[rule.id]
        current = next(r.conclude.cf for r in base.rules if r.id == rule.id)
        return text("docs.cf_changed", lang, cf=f"{current:g}", original=f"{original:g}", pack=pack)
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
    out += [f"{n}. {condition_words(c, lang)}" for n, c in enumerate(rule.when, start=1)]
    out += ["", text("docs.explains", lang, text=rule.explain.get(lang)), ""]
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
    out += [f"## {text('docs.rules_heading', lang)}", ""]
    for pack in base.packs:
        if not pack.rules:
            continue
        out += [f"### {text('docs.pack', lang)} `{pack.pack}`", ""]
        for rule in pack.rules:
            out += rule_section(base, rule, tests.get(rule.id, []), lang)
    return "\n".join(out).rstrip("\n") + "\n"
