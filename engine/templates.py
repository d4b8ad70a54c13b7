"""Text templates of rule files: ``{alias.field}``, ``{name}`` and an optional format spec
(``{off.offset_s:+.1f}``). Formatting only: no indexing, no attribute walks, no calls, so a rule
file can never run code through a template."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from kbdoctor.engine.i18n import text

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?:\.([a-z][a-z0-9_]*))?(?::([^{}]*))?\}")
_SPEC = re.compile(
    r"^[<>^=]?[+\- ]?#?0?(?P<width>\d*)[,_]?(?:\.(?P<precision>\d+))?[bdeEfFgGnoxX%s]?$"
)

# A format spec may pad a value to at most MAX_WIDTH characters and show at most MAX_PRECISION
# digits after the point: ``{q.message_count:>999999999}`` would write a gigabyte per placeholder.
MAX_WIDTH = 100
MAX_PRECISION = 20
# A template may hold at most MAX_PLACEHOLDERS placeholders. The shipped rules use five at most;
# a template that repeats one thousands of times is a mistake or an attack, told at load with its
# line rather than found as a cut text in a report. With texts of at most ``string_chars``
# characters each, it also bounds what one text costs to render before the report cuts it
# (:mod:`kbdoctor.engine.report_texts`).
MAX_PLACEHOLDERS = 50


class TemplateError(ValueError):
    """A template a rule file cannot use. It is data (a catalogue key and its parameters, as
    engine/errors.Problem) so that the rule checks show it in the reader's language; ``str()`` is
    the English text."""

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(text(key, "en", **params))


def placeholders(template: str) -> list[tuple[str, str | None]]:
    """The ``(name, field)`` pairs a template uses; raises TemplateError on a bad spec or a
    stray brace."""
    found = []
    protected = template.replace("{{", "").replace("}}", "")
    rest = _PLACEHOLDER.sub("", protected)
    if "{" in rest or "}" in rest:
        raise TemplateError("error.template_braces", template=template)
    for match in _PLACEHOLDER.finditer(protected):
        spec = match.group(3)
        if spec:
            _check_spec(spec, template)
        found.append((match.group(1), match.group(2)))
    if len(found) > MAX_PLACEHOLDERS:
        raise TemplateError(
            "error.template_placeholders",
            template=_shortened(template),
            count=len(found),
            most=MAX_PLACEHOLDERS,
        )
    return found


def _shortened(template: str) -> str:
    """A template as a message quotes it: a long one by its start, so that the refusal of a
    template of thousands of placeholders is one line."""
    return template if len(template) <= 80 else template[:80] + "…"


def _check_spec(spec: str, template: str) -> None:
    parsed = _SPEC.match(spec)
    if not parsed:
        raise TemplateError("error.template_spec", spec=spec, template=template)
    width, precision = parsed.group("width"), parsed.group("precision")
    if width and int(width) > MAX_WIDTH:
        raise TemplateError(
            "error.template_width", spec=spec, template=template, width=int(width), most=MAX_WIDTH
        )
    if precision and int(precision) > MAX_PRECISION:
        raise TemplateError(
            "error.template_precision",
            spec=spec,
            template=template,
            precision=int(precision),
            most=MAX_PRECISION,
        )


_Part = str | tuple[str, str | None, str | None]
_COMPILED: dict[str, tuple[_Part, ...]] = {}


def _compile(template: str) -> tuple[_Part, ...]:
    """A template split once into literal text and placeholders; rendering thousands of
    explanations then costs no regular-expression work."""
    protected = template.replace("{{", "\x00").replace("}}", "\x01")

    def literal(text: str) -> str:
        return text.replace("\x00", "{").replace("\x01", "}")

    parts: list[_Part] = []
    position = 0
    for match in _PLACEHOLDER.finditer(protected):
        if match.start() > position:
            parts.append(literal(protected[position : match.start()]))
        spec = match.group(3)
        try:
            if spec:
                _check_spec(spec, template)
        except TemplateError:  # checked at load; a template that was not is not padded
            spec = None
        parts.append((match.group(1), match.group(2), spec))
        position = match.end()
    if position < len(protected):
        parts.append(literal(protected[position:]))
    return tuple(parts)


def _text(value: Any, spec: str | None) -> str:
    if value is None:
        return "?"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if spec:
        try:
            return format(value, spec)
        except (ValueError, TypeError):
            return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def render(template: str, values: Mapping[str, Any]) -> str:
    """Fill a template. ``values`` maps a name to a scalar or to a mapping of fields; a missing
    value renders as ``?`` so an explanation never fails on an absent optional field. The text
    is whole, however long: a subject or a value names something, and cut it would name
    something else (the report's texts are bounded by :mod:`kbdoctor.engine.report_texts`)."""
    parts = _COMPILED.get(template)
    if parts is None:
        parts = _COMPILED[template] = _compile(template)
    out: list[str] = []
    for part in parts:  # render_pieces inlined: subjects are rendered thousands of times a run
        if isinstance(part, str):
            out.append(part)
            continue
        name, field, spec = part
        value = values.get(name)
        if field is not None:
            # a bound fact's view is a dict: the common case, without the ABC check
            value = value.get(field) if type(value) is dict or isinstance(value, Mapping) else None
        # text without a spec is shown as it is: most placeholders, thousands per run
        out.append(value if type(value) is str and not spec else _text(value, spec))
    return out[0] if len(out) == 1 else "".join(out)


def render_pieces(template: str, values: Mapping[str, Any]) -> Iterator[str]:
    """The pieces of a filled template in order, each made when it is asked for, so that a
    caller can keep the first ones and only count the rest, never holding the whole text."""
    parts = _COMPILED.get(template)
    if parts is None:
        parts = _COMPILED[template] = _compile(template)
    for part in parts:
        if isinstance(part, str):
            yield part
            continue
        name, field, spec = part
        value = values.get(name)
        if field is not None:
            value = value.get(field) if type(value) is dict or isinstance(value, Mapping) else None
        yield value if type(value) is str and not spec else _text(value, spec)
