"""``kbdoctor rules new``: a first rule and its tests, written from a few answers, so that the
first rule an engineer writes starts from a working example: a pack extending the shipped one, with
one rule that binds a fact type and tests its fields, concludes a finding about what the fact is
about, gives the values the finding declares, and explains itself in English and Polish from its
own conditions; and beside it a test file whose first test makes the rule fire and whose second
keeps it silent. Both pass ``kbdoctor rules lint --strict`` and ``kbdoctor rules test`` as written;
the fact values of the tests are the smallest that satisfy (or miss) the conditions, and the fact
type's other fields get plain values that the engineer replaces with real ones. What cannot be
written that way is refused with the reason, never written broken."""

from __future__ import annotations

import math
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kbdoctor.engine.errors import Problem, UsageError
from kbdoctor.engine.facts import FACT_TYPES, FieldKind, fact_fields, field_kind
from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.rule_docs import field_test_words
from kbdoctor.engine.rules_model import IDENT, PACK_ID, RULE_ID, ConclusionDef, FieldTest
from kbdoctor.engine.yamlio import dump_yaml, load_yaml_data
from pydantic import BaseModel

# the operators a scaffold can write a satisfying and a missing value for
OPERATORS = ("eq", "ne", "lt", "le", "gt", "ge", "abs_gt", "abs_ge", "abs_lt", "abs_le")
ALIAS = "f"
# what each kind of id must look like (the rule model's patterns), and the name it is asked by
ID_PATTERNS = {
    "rule": (RULE_ID, "RULE_ID"),
    "pack": (PACK_ID, "--pack"),
    "finding": (IDENT, "--finding"),
}
# the field kind a finding's subject (or value) of each kind must be read from
_KINDS = {"host": FieldKind.HOST, "account": FieldKind.ACCOUNT, "spn": FieldKind.SPN}
# plain test values of the fields that name things, as Windows shows them
_NAMED = {
    FieldKind.HOST: ("EX01", "DC01"),
    FieldKind.ACCOUNT: ("EX01$", "EX02$"),
    FieldKind.SPN: ("SMTPSVC/EX01", "SMTPSVC/EX02"),
}


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
    # finding value -> the fact field that gives it, where the engineer chose one
    values: tuple[tuple[str, str], ...] = ()


def _usage(key: str, **params: Any) -> UsageError:
    return UsageError([Problem("kbdoctor rules new", None, None, key, params)])


def parse_condition(given: str) -> Condition:
    """``FIELD=OP:VALUE`` (``message_count=gt:500``); the value is read as YAML (a number, a
    word, true or false)."""
    field, _, rest = given.partition("=")
    operator, _, raw = rest.partition(":")
    if not field.strip() or operator not in OPERATORS or not raw.strip():
        raise _usage("scaffold.bad_condition", value=given, operators=", ".join(OPERATORS))
    return Condition(field.strip(), operator, load_yaml_data(raw))


def parse_value(given: str) -> tuple[str, str]:
    """``NAME=FIELD`` (``source=time_source``): the finding's value NAME is the fact's FIELD."""
    name, _, field = given.partition("=")
    if not re.match(IDENT, name.strip()) or not re.match(IDENT, field.strip()):
        raise _usage("scaffold.bad_value", value=given)
    return name.strip(), field.strip()


def parse_cf(given: str) -> float:
    """A certainty factor as the rule model takes it: a finite number from -1 to 1."""
    try:
        cf = float(given)
    except ValueError:
        cf = math.nan
    if not math.isfinite(cf) or not -1.0 <= cf <= 1.0:
        raise _usage("scaffold.bad_cf", value=given)
    return cf


def check_id(kind: str, value: str) -> str:
    """``value`` when it is a valid id of ``kind`` (rule, pack, finding), else a UsageError."""
    pattern, name = ID_PATTERNS[kind]
    if not re.match(pattern, value):
        raise UsageError([Problem(name, None, None, "scaffold.bad_id", {"value": value})])
    return value


def check_fact(fact: str) -> type[BaseModel]:
    model = FACT_TYPES.get(fact)
    if model is None:
        raise _usage("scaffold.unknown_fact", fact=fact, known=", ".join(sorted(FACT_TYPES)))
    return model


def check_condition(fact: str, condition: Condition) -> Condition:
    """The condition when a scaffold can test a field of ``fact`` with it, else a UsageError."""
    if condition.field not in fact_fields(fact):
        raise _usage(
            "scaffold.unknown_field",
            fact=fact,
            field=condition.field,
            fields=", ".join(fact_fields(fact)),
        )
    _values(condition)
    return condition


def _unwrap(annotation: Any) -> Any:
    """A field's type without None and without Annotated's metadata."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _is_number(model: type[BaseModel], name: str) -> bool:
    return _unwrap(model.model_fields[name].annotation) in (int, float)


def _is_text(model: type[BaseModel], name: str) -> bool:
    annotation = _unwrap(model.model_fields[name].annotation)
    return annotation is str or typing.get_origin(annotation) is typing.Literal


def _fits(fact: str, model: type[BaseModel], name: str, kind: str) -> bool:
    """Whether field ``name`` can give a subject or value of ``kind``."""
    if kind in _KINDS:
        return field_kind(fact, name) is _KINDS[kind] and _is_text(model, name)
    if kind == "number":
        return _is_number(model, name)
    return _is_text(model, name) or _is_number(model, name)


def subject_kind(fact: str, finding: ConclusionDef | None) -> str:
    """The kind of the finding's subject: as a shipped finding declares it; for a new one, the
    first of host, account, spn and text the fact has a field for."""
    if finding is not None:
        return finding.subject
    model = check_fact(fact)
    for kind in ("host", "account", "spn"):
        if any(_fits(fact, model, name, kind) for name in fact_fields(fact)):
            return kind
    return "text"


def subject_field(fact: str, definition: ConclusionDef | None, finding: str) -> tuple[str, str]:
    """The kind of the finding's subject and the field naming it (a required one where there is
    one); refused when the fact has no field of that kind."""
    model = check_fact(fact)
    kind = subject_kind(fact, definition)
    fitting = [name for name in fact_fields(fact) if _fits(fact, model, name, kind)]
    fitting.sort(key=lambda name: not model.model_fields[name].is_required())
    if not fitting:
        raise _usage("scaffold.no_subject", fact=fact, finding=finding, kind=kind)
    return kind, fitting[0]


def value_fields(
    fact: str, finding: str, declared: Mapping[str, str], chosen: Mapping[str, str]
) -> dict[str, str]:
    """The fact field giving each value the finding declares: the one the engineer chose, else
    the field of that name, else the one field whose name is the value's with a prefix or a
    suffix (``offset`` is ``offset_s``, ``source`` is ``time_source``), of a fitting kind.
    Anything else is a guess a rule must not make silently: refused, naming the fields that fit."""
    model = check_fact(fact)
    out: dict[str, str] = {}
    for name, kind in declared.items():
        fitting = [f for f in fact_fields(fact) if _fits(fact, model, f, kind)]
        if name in chosen:
            if chosen[name] not in fitting:
                raise _usage(
                    "scaffold.bad_value_field",
                    fact=fact,
                    field=chosen[name],
                    value=name,
                    kind=kind,
                    fields=", ".join(fitting) or "-",
                )
            out[name] = chosen[name]
            continue
        near = [f for f in fitting if f.startswith(f"{name}_") or f.endswith(f"_{name}")]
        found = [name] if name in fitting else near
        if len(found) != 1:
            raise _usage(
                "scaffold.no_value",
                finding=finding,
                fact=fact,
                value=name,
                kind=kind,
                fields=", ".join(fitting) or "-",
            )
        out[name] = found[0]
    unused = sorted(set(chosen) - set(declared))
    if unused:
        raise _usage("scaffold.unknown_value", finding=finding, names=", ".join(unused))
    return out


def _plain_value(fact: str, name: str, annotation: Any, subject: str) -> Any:
    """A value of a field the conditions do not test: what its type allows, a name of the
    right kind where the field names a thing (the subject's the first of its kind)."""
    annotation = _unwrap(annotation)
    kind = field_kind(fact, name)
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return typing.get_args(annotation)[0]
    if origin is list:
        # two items: some lists hold at least two (the accounts of a duplicate SPN)
        if kind in _NAMED:
            return list(_NAMED[kind])
        return [f"{name} 1", f"{name} 2"]
    if annotation is bool:
        return False
    if annotation is int:
        return 1
    if annotation is float:
        return 1.0
    if kind in _NAMED:
        return _NAMED[kind][0 if name == subject else 1]
    return f"{name} of EX01"


def _values(condition: Condition) -> tuple[Any, Any]:
    """A value the condition holds for, and one it does not."""
    op, v = condition.operator, condition.value
    if op in ("eq", "ne"):
        if isinstance(v, bool):
            other: Any = not v
        elif isinstance(v, (int, float)):
            other = v + 1
        else:
            other = f"not {v}"
        return (v, other) if op == "eq" else (other, v)
    if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
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


def scaffold_texts(scaffold: Scaffold, shipped: Mapping[str, ConclusionDef]) -> tuple[str, str]:
    """The rule file and the test file, as YAML texts; ``shipped`` holds the findings of the
    packs the new one extends (a finding among them is used, not defined again)."""
    model = check_fact(scaffold.fact)
    if not scaffold.conditions:
        raise _usage("scaffold.no_condition")
    for condition in scaffold.conditions:
        check_condition(scaffold.fact, condition)
    definition = shipped.get(scaffold.finding)
    kind, subject = subject_field(scaffold.fact, definition, scaffold.finding)
    declared = definition.values if definition is not None else {}
    values = value_fields(scaffold.fact, scaffold.finding, declared, dict(scaffold.values))
    fires, silent = _facts(scaffold, model, subject, set(values.values()))
    where = {c.field: {c.operator: c.value} for c in scaffold.conditions}
    pack: dict[str, Any] = {"kbdoctor": "rules/1", "pack": scaffold.pack, "extends": ["kb979174"]}
    if definition is None:
        finding: dict[str, Any] = {"title": {"en": scaffold.title_en, "pl": scaffold.title_pl}}
        if kind != "host":
            finding["subject"] = kind
        pack["findings"] = {scaffold.finding: finding}
    conclude: dict[str, Any] = {
        "finding": scaffold.finding,
        "cf": scaffold.cf,
        "subject": f"{{{ALIAS}.{subject}}}",
    }
    if values:
        conclude["values"] = {name: f"{{{ALIAS}.{field}}}" for name, field in values.items()}
    pack["rules"] = [
        {
            "id": scaffold.rule_id,
            "title": {"en": scaffold.title_en, "pl": scaffold.title_pl},
            "status": "experimental",
            "when": [{"bind": ALIAS, "fact": scaffold.fact, "where": where}],
            "conclude": conclude,
            "explain": {lang: _explain(scaffold, subject, lang) for lang in ("en", "pl")},
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


def _explain(scaffold: Scaffold, subject: str, lang: Lang) -> str:
    """The rule's conditions in words after its subject; braces doubled, so that a tested
    value is never read as a placeholder."""
    words = text("docs.and", lang).join(
        field_test_words(
            scaffold.fact, c.field, FieldTest.model_validate({c.operator: c.value}), lang
        )
        for c in scaffold.conditions
    )
    words = words.replace("`", "").replace("{", "{{").replace("}", "}}")
    return text("scaffold.explain", lang, subject=f"{{{ALIAS}.{subject}}}", tests=words)


def _facts(
    scaffold: Scaffold, model: type[BaseModel], subject: str, shown: set[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A fact the rule fires on, and one it stays silent on (the first condition missed). Each
    has the fact type's required fields, the subject and the fields the values show."""
    base: dict[str, Any] = {"type": scaffold.fact}
    for name, info in model.model_fields.items():
        if name in fact_fields(scaffold.fact) and (
            info.is_required() or name == subject or name in shown
        ):
            base[name] = _plain_value(scaffold.fact, name, info.annotation, subject)
    fires = dict(base)
    for condition in scaffold.conditions:
        fires[condition.field] = _values(condition)[0]
    silent = dict(fires)
    first = scaffold.conditions[0]
    silent[first.field] = _values(first)[1]
    for fact in (fires, silent):
        try:
            model.model_validate(fact)
        except ValueError as exc:  # pydantic's message names the field and why
            raise _usage("scaffold.bad_fact", fact=scaffold.fact, detail=str(exc)) from None
    return fires, silent
