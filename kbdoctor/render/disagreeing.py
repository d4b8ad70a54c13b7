"""The warning that readings of one moment disagree (report/1 ``disagreeing_readings``).

Two files give the clock of EX02 against DC01 at one time as 12 s and as 400 s: the engine keeps
the one that shows more of the problem, since a cause wrongly ruled out is the one nobody checks,
and sets the other aside. A report that said nothing of it would hide that the evidence
contradicts itself; the text and Markdown reports name each reading with the values that differ
and where it was read, and which one the diagnosis used, so that someone finds out which was
right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.presentation import format_value, source_text
from kbdoctor.engine.report import DisagreeingReadings


@dataclass(frozen=True)
class Reading:
    """One reading as a line shows it: ``label`` says whether the diagnosis used it, ``text``
    what it says (its summary and the values that differ), ``where`` its source ("" if none)."""

    label: str
    text: str
    where: str


def disagreeing_heading(lang: Lang) -> str:
    return text("report.disagreeing", lang)


def disagreeing_why(lang: Lang) -> str:
    """Why one reading was used, and what the reader is to do about the other."""
    return text("report.disagreeing.why", lang)


def no_source(lang: Lang) -> str:
    return text("report.disagreeing.no_source", lang)


def readings(entry: DisagreeingReadings, lang: Lang) -> list[Reading]:
    """The reading the diagnosis used first, then each reading it set aside."""
    differing = entry.differing_fields
    used = Reading(
        text("report.disagreeing.used", lang),
        _said(entry.summary, entry.fields, differing),
        _where(entry.fact, entry.source, entry.read_from),
    )
    aside = text("report.disagreeing.set_aside", lang)
    return [
        used,
        *(
            Reading(
                aside,
                _said(o.summary, o.fields, differing),
                _where(o.id, o.source, entry.read_from),
            )
            for o in entry.others
        ),
    ]


def _where(ident: str, source: dict[str, Any] | None, read_from: dict[str, str]) -> str:
    """Where the reading was read (its source), else where it was written (the fact file)."""
    if source is not None and source.get("file"):
        return source_text(source)
    return read_from.get(ident) or source_text(source)


def _said(summary: str, fields: dict[str, Any], differing: list[str]) -> str:
    """``clock of EX02 vs DC01: +12.000 s; offset_s=12``: the summary may not show the field that
    differs (a queue's message count), so those fields are always written out."""
    values = ", ".join(
        f"{name}={format_value(fields[name]) if name in fields else '-'}" for name in differing
    )
    return f"{summary}; {values}" if values else summary
