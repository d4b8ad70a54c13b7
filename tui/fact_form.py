"""What a person types in the fact edit form, made into a fact: strings coerced and validated
by the fact's own model (list fields one item a line, an empty optional field unset), and a
field's value shown back the same way."""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kbdoctor.engine.facts import FACT_TYPES, Fact
from kbdoctor.engine.presentation import format_value


def is_list_field(fact_type: str, name: str) -> bool:
    annotation = FACT_TYPES[fact_type].model_fields[name].annotation
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is list:
            return True
    return False


def is_optional_field(fact_type: str, name: str) -> bool:
    info = FACT_TYPES[fact_type].model_fields[name]
    if not info.is_required():
        return True
    annotation = info.annotation
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in (
        typing.get_args(annotation)
    )


def number_kind(fact_type: str, name: str) -> type[int] | type[float] | None:
    """``int`` or ``float`` for a field that holds a number, else None. Fact files refuse
    numbers written as text, so what a person types into the form is read as a number here,
    the one place text is meant to become one."""
    annotation = FACT_TYPES[fact_type].model_fields[name].annotation
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is typing.Annotated:
            candidate = typing.get_args(candidate)[0]
        if candidate is int or candidate is float:
            return candidate
    return None


def _typed_number(fact_type: str, name: str, typed: str) -> Any:
    """The number typed, or the text as it is when it is none (the model then says why)."""
    kind = number_kind(fact_type, name)
    if kind is None:
        return typed
    try:
        return kind(typed)
    except ValueError:
        return typed


def edit_fact(fact: Fact, raw: Mapping[str, str]) -> Fact:
    """A copy of ``fact`` with the fields a person typed (strings; list fields one item a line),
    validated by the fact's own model. An empty optional field becomes unset. Raises
    ``pydantic.ValidationError`` naming each field that is wrong."""
    data: dict[str, Any] = fact.model_dump(mode="json", by_alias=False, exclude_none=True)
    for name, typed in raw.items():
        if is_list_field(fact.type, name):
            items = [line.strip() for line in typed.splitlines() if line.strip()]
            if not items and is_optional_field(fact.type, name):
                data.pop(name, None)
            else:
                data[name] = items
        elif typed.strip() == "" and is_optional_field(fact.type, name):
            data.pop(name, None)
        else:
            data[name] = _typed_number(fact.type, name, typed.strip())
    return typing.cast(Fact, FACT_TYPES[fact.type].model_validate(data))


def editable_text(fact: Fact, name: str) -> str:
    """The current value of a field as the edit form shows it (list items one a line)."""
    value = getattr(fact, name)
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(format_value(v) for v in value)
    if isinstance(value, datetime):
        return value.isoformat()
    return format_value(value)
