"""``kbdoctor rules new``: a first rule and its tests, written from a few flags, so that the first
rule an engineer writes starts from a working example: a pack extending the shipped one, with one
rule that binds a fact type and tests its fields, concludes a finding about the machine the fact
is about, and explains itself in English and Polish from its own conditions; and beside it a test
file whose first test makes the rule fire and whose second keeps it silent. Both pass ``kbdoctor
rules lint`` and ``kbdoctor rules test`` as written; the fact values of the tests are the smallest
that satisfy (or miss) the conditions, and the fact type's other required fields get plain values
that the engineer replaces with real ones."""

from __future__ import annotations

import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kbdoctor.engine.errors import Problem, UsageError
from kbdoctor.engine.facts import FACT_TYPES, FieldKind
from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.rule_docs import field_test_words
from kbdoctor.engine.rules_model import FieldTest
from kbdoctor.engine.yamlio import dump_yaml, load_yaml_data
from pydantic import BaseModel

# the operators a scaffold can write a satisfying and a missing value for
OPERATORS = ("eq", "ne", "lt", "le", "gt", "ge", "abs_gt", "abs_ge", "abs_lt", "abs_le")
ALIAS = "f"


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str
    value: Any


@dataclass(frozen=True)
class Scaffold:
    rule_id: str
    fact: str
    conditions: tuple[Condition, ...]
    finding: str
    title_en: str
    title_pl: str
    pack: str
    cf: float = 0.5


def parse_condition(given: str) -> Condition:
    """``FIELD=OP:VALUE`` (``message_count=gt:500``); the value is read as YAML (a number, a
    word, true or false)."""
    field, _, rest = given.partition("=")
    operator, _, raw = rest.partition(":")
    if not field or operator not in OPERATORS or not raw:
        raise _usage("scaffold.bad_condition", value=given, operators=", ".join(OPERATORS))
    return Condition(field.strip(), operator, load_yaml_data(raw))


def _usage(key: str, **params: Any) -> UsageError:
    return UsageError([Problem("kbdoctor rules new", None, None, key, params)])


def _subject_field(model: type[BaseModel]) -> str:
    for name, info in model.model_fields.items():
        if FieldKind.HOST in info.metadata:
            return name
    raise _usage("scaffold.no_host", fact=model.model_fields["type"].default)


def _plain_value(name: str, annotation: Any) -> Any:
    """A value of a required field the conditions do not test: what its type allows."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return typing.get_args(annotation)[0]
    if origin is list:
        return []
    if annotation is int:
        return 1
    if annotation is float:
        return 1.0
    if annotation is bool:
        return False
    return "EX01" if name in ("host", "server", "source", "name") else f"{name} of EX01"


def _values(condition: Condition) -> tuple[Any, Any]:
    """A value the condition holds for, and one it does not."""
    op, v = condition.operator, condition.value
    if op in ("eq", "ne"):
        other = v + 1 if isinstance(v, (int, float)) and not isinstance(v, bool) else f"not {v}"
        if isinstance(v, bool):
            other = not v
        return (v, other) if op == "eq" else (other, v)
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        raise _usage("scaffold.not_a_number", field=condition.field, operator=op)
    size = abs(v)
    inside, outside = {
        "gt": (v + 1, v),
        "ge": (v, v - 1),
        "lt": (v - 1, v),
        "le": (v, v + 1),
        "abs_gt": (size + 1, size),
        "abs_ge": (size, size / 2 if size else -1),
        "abs_lt": (size / 2, size),
        "abs_le": (size, size + 1),
    }[op]
    return inside, outside


def scaffold_texts(scaffold: Scaffold, shipped_findings: Sequence[str]) -> tuple[str, str]:
    """The rule file and the test file, as YAML texts."""
    model = FACT_TYPES.get(scaffold.fact)
    if model is None:
        known = ", ".join(sorted(FACT_TYPES))
        raise _usage("scaffold.unknown_fact", fact=scaffold.fact, known=known)
    fields = model.model_fields
    for condition in scaffold.conditions:
        if condition.field not in fields or condition.field in ("type", "provenance"):
            raise _usage("scaffold.unknown_field", fact=scaffold.fact, field=condition.field)
    subject = _subject_field(model)
    fires, silent = _facts(scaffold, model)  # refuses a value the operator cannot take
    where = {c.field: {c.operator: c.value} for c in scaffold.conditions}
    words = {
        lang: "; ".join(
            field_test_words(c.field, FieldTest.model_validate({c.operator: c.value}), lang)
            for c in scaffold.conditions
        ).replace("`", "")
        for lang in ("en", "pl")
    }
    pack: dict[str, Any] = {"kbdoctor": "rules/1", "pack": scaffold.pack, "extends": ["kb979174"]}
    if scaffold.finding not in shipped_findings:
        title = {"en": scaffold.title_en, "pl": scaffold.title_pl}
        pack["findings"] = {scaffold.finding: {"title": title}}
    pack["rules"] = [
        {
            "id": scaffold.rule_id,
            "title": {"en": scaffold.title_en, "pl": scaffold.title_pl},
            "status": "experimental",
            "when": [{"bind": ALIAS, "fact": scaffold.fact, "where": where}],
            "conclude": {
                "finding": scaffold.finding,
                "cf": scaffold.cf,
                "subject": f"{{{ALIAS}.{subject}}}",
            },
            "explain": {lang: _explain(lang, subject, words[lang]) for lang in ("en", "pl")},
        }
    ]
    tests = {
        "kbdoctor": "rules-test/1",
        "tests": [
            {
                "name": f"{scaffold.rule_id} fires",
                "facts": [fires],
                "expect": {"fires": [scaffold.rule_id], "findings": [scaffold.finding]},
            },
            {
                "name": f"{scaffold.rule_id} stays silent",
                "facts": [silent],
                "expect": {"silent": [scaffold.rule_id]},
            },
        ],
    }
    return dump_yaml(pack), dump_yaml(tests)


def _explain(lang: Lang, subject: str, words: str) -> str:
    return text("scaffold.explain", lang, subject=f"{{{ALIAS}.{subject}}}", tests=words)


def _facts(scaffold: Scaffold, model: type[BaseModel]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A fact the rule fires on, and one it stays silent on (the first condition missed)."""
    base: dict[str, Any] = {"type": scaffold.fact}
    for name, info in model.model_fields.items():
        if info.is_required():
            base[name] = _plain_value(name, info.annotation)
    fires = dict(base)
    for condition in scaffold.conditions:
        fires[condition.field] = _values(condition)[0]
    silent = dict(fires)
    first = scaffold.conditions[0]
    silent[first.field] = _values(first)[1]
    for fact in (fires, silent):
        try:
            model.model_validate(fact)
        except Exception as exc:  # pydantic's message names the field and why
            raise _usage("scaffold.bad_fact", fact=scaffold.fact, detail=str(exc)) from None
    return fires, silent
