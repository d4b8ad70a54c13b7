"""JSON Schema as editors read it.

pydantic writes a bound it cannot attach to the number's own core schema (a number type with a
validator of its own, such as ``facts.Number``, given ``Field(ge=0)``) under pydantic's names
(``ge``, ``le``, ``gt``, ``lt``). JSON Schema does not know them, so a validator or an editor
ignores them and the bound is lost; here they become ``minimum``, ``maximum``,
``exclusiveMinimum`` and ``exclusiveMaximum``.
"""

from __future__ import annotations

from typing import Any

_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}
_NUMERIC = {"number", "integer"}


def standard_bounds(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with pydantic's bound names on number schemas turned into JSON Schema's.
    Only a mapping that is itself a number schema is changed, so a property named ``ge`` (a
    rule's field test) stays what it is."""
    standard: dict[str, Any] = _standard(schema)
    return standard


def _standard(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_standard(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    kind = schema.get("type")
    numeric = isinstance(kind, str) and kind in _NUMERIC
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if numeric and key in _BOUNDS and isinstance(value, int | float):
            out[_BOUNDS[key]] = value
        else:
            out[key] = _standard(value)
    return out
