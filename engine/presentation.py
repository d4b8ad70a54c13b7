"""How a fact and its provenance read to a person: one definition for every renderer.

The text and Markdown reports, the JSON report's ``summary``, and the TUI all show facts; each
used to format them its own way, and the same source read ``a.txt:3 (w32tm)`` in a report and
``a.txt:3 w32tm`` in the TUI. An engineer comparing a ticket with the screen must see the same
words, so every renderer takes them from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kbdoctor.engine.facts import Source
from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.templates import render

SUMMARY_MESSAGE_CHARS = 90


def source_text(source: Source | Mapping[str, Any] | None) -> str:
    """Where a fact came from, as a person looks for it: ``file:line-line (reader) @host`` for
    imported material, ``collector @host`` for a live probe or a derived fact, the inference when
    nothing else is known, and ``""`` when nothing is."""
    if source is None:
        return ""
    data = source.model_dump(exclude_none=True) if isinstance(source, Source) else dict(source)
    parts: list[str] = []
    producer = data.get("reader") or data.get("collector")
    file = data.get("file")
    if file:
        where = str(file)
        line, line_end = data.get("line"), data.get("line_end")
        if line:
            where += f":{line}"
            if line_end and line_end != line:
                where += f"-{line_end}"
        parts.append(f"{where} ({producer})" if producer else where)
    elif producer:
        parts.append(str(producer))
    if data.get("host"):
        parts.append(f"@{data['host']}")
    if not parts and data.get("inferred"):
        parts.append(str(data["inferred"]))
    if not parts and data.get("command"):
        parts.append(str(data["command"]))
    return " ".join(parts)


def format_value(value: Any) -> str:
    """A field's value as text: lists joined by commas, booleans as ``true``/``false``, floats
    without trailing zeros."""
    if isinstance(value, list):
        return ", ".join(format_value(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def fields_text(data: Mapping[str, Any]) -> str:
    """Every data field as ``name=value``, in the order given: the raw view, where a person
    checks one value (the TUI's facts table, the what-if line)."""
    return " ".join(f"{name}={format_value(value)}" for name, value in data.items())


def fact_summary(display: Mapping[str, Any], fact_type: str, lang: Lang) -> str:
    """One line in ``lang`` that tells a person what a fact says (the catalogue's
    ``fact.summary.<type>``); a long message is cut to its first words."""
    values = dict(display)
    if fact_type == "clock_offset" and isinstance(display.get("offset_s"), int | float):
        values["offset"] = f"{display['offset_s']:+.3f}"
    for name in ("spns", "accounts", "auth_mechanisms", "peers"):
        if isinstance(values.get(name), list):
            values[f"{name}_n"] = len(values[name])
    message = values.get("message") or values.get("last_error")
    if isinstance(message, str):
        limit = SUMMARY_MESSAGE_CHARS
        values["short"] = message if len(message) <= limit else message[: limit - 3] + "..."
    return render(text(f"fact.summary.{fact_type}", lang), values)
