"""Text templates of rule files: ``{alias.field}``, ``{name}`` and an optional format spec
(``{off.offset_s:+.1f}``). Formatting only: no indexing, no attribute walks, no calls, so a rule
file can never run code through a template."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?:\.([a-z][a-z0-9_]*))?(?::([^{}]*))?\}")
_SPEC = re.compile(r"^[<>^=]?[+\- ]?#?0?\d*[,_]?(?:\.\d+)?[bdeEfFgGnoxX%s]?$")


class TemplateError(ValueError):
    pass


def placeholders(template: str) -> list[tuple[str, str | None]]:
    """The ``(name, field)`` pairs a template uses; raises TemplateError on a bad spec or a
    stray brace."""
    found = []
    rest = _PLACEHOLDER.sub("", template.replace("{{", "").replace("}}", ""))
    if "{" in rest or "}" in rest:
        raise TemplateError(f"unbalanced or invalid placeholder in {template!r}")
    for match in _PLACEHOLDER.finditer(template):
        spec = match.group(3)
        if spec and not _SPEC.match(spec):
            raise TemplateError(f"invalid format spec {spec!r} in {template!r}")
        found.append((match.group(1), match.group(2)))
    return found


def render(template: str, values: Mapping[str, Any]) -> str:
    """Fill a template. ``values`` maps a name to a scalar or to a mapping of fields; a missing
    value renders as ``?`` so an explanation never fails on an absent optional field."""

    def substitute(match: re.Match[str]) -> str:
        name, field, spec = match.group(1), match.group(2), match.group(3)
        value = values.get(name)
        if field is not None:
            value = value.get(field) if isinstance(value, Mapping) else None
        if value is None:
            return "?"
        if isinstance(value, (list, tuple)):
            return ", ".join(str(v) for v in value)
        if spec:
            try:
                return format(value, spec)
            except (ValueError, TypeError):
                return str(value)
        if isinstance(value, float) and value.is_integer():
            return str(int(value)) if abs(value) < 1e15 else str(value)
        return str(value)

    out = _PLACEHOLDER.sub(substitute, template)
    return out.replace("{{", "{").replace("}}", "}")
