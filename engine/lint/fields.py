"""What a field named in a rule is: a fact type's field (declared, derived or computed by the
engine) or a conclusion's value. Shared by the checks that judge field tests and placeholders."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from kbdoctor.engine.facts import COMPUTED_FIELDS, FACT_TYPES, fact_fields

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase

CONCLUSION_FIELDS = ("subject",)

ValueKind = Literal["number", "bool", "text", "other"]


@dataclass(frozen=True)
class FieldInfo:
    is_list: bool
    is_number: bool
    # what a single value of the field is (an item's, for a list), when the fact model says so
    kind: ValueKind = "other"
    # the only values a text field can hold (a Literal), or None when any text may appear
    choices: frozenset[str] | None = None


def field_info(base: RuleBase, kind: str, target: str, name: str) -> FieldInfo | None:
    """What a field of a fact type (with derived fields) or of a conclusion is, or None."""
    if kind == "fact":
        if name in base.derive.get(target, {}):
            return FieldInfo(False, False, "text")
        if name in COMPUTED_FIELDS.get(target, {}):
            number = COMPUTED_FIELDS[target][name]
            return FieldInfo(False, number, "number" if number else "other")
        if name not in fact_fields(target):
            return None
        annotation = FACT_TYPES[target].model_fields[name].annotation
        is_list = _is_list(annotation)
        single = _items(annotation) if is_list else _args(annotation)
        return FieldInfo(is_list, _is_number(annotation), _kind(single), _choices(single))
    if name in CONCLUSION_FIELDS:
        return FieldInfo(False, False)
    if kind == "cause":
        return None
    definition = base.conclusion_def(kind, target)
    if definition is None or name not in definition.values:
        return None
    return FieldInfo(False, definition.values[name] == "number")


def _args(annotation: Any) -> tuple[Any, ...]:
    """The types a field may hold, without None and without Annotated's metadata (the strict
    ``Number`` of a fact field is a float)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return tuple(_bare(a) for a in typing.get_args(annotation) if a is not type(None))
    return (_bare(annotation),)


def _bare(annotation: Any) -> Any:
    if typing.get_origin(annotation) is typing.Annotated:
        return typing.get_args(annotation)[0]
    return annotation


def _is_list(annotation: Any) -> bool:
    return any(typing.get_origin(a) is list for a in _args(annotation))


def _is_number(annotation: Any) -> bool:
    return any(a in (int, float) for a in _args(annotation))


def _items(annotation: Any) -> tuple[Any, ...]:
    """The types of a list field's items."""
    for arg in _args(annotation):
        if typing.get_origin(arg) is list:
            return _args(typing.get_args(arg)[0])
    return ()


def _kind(args: tuple[Any, ...]) -> ValueKind:
    if args and all(a in (int, float) for a in args):
        return "number"
    if args and all(a is bool for a in args):
        return "bool"
    if args and all(a is str or typing.get_origin(a) is Literal for a in args):
        return "text"
    return "other"


def _choices(args: tuple[Any, ...]) -> frozenset[str] | None:
    if args and all(typing.get_origin(a) is Literal for a in args):
        return frozenset(str(v) for a in args for v in typing.get_args(a))
    return None
