"""The case in time order: every time a fact carries, newest first, with the fact's source.

A 454 ticket is often a story of order (the clock jumped, then replication stopped, then the
queue filled); the facts hold the times but spread over types. Each time becomes one row that
says which time it is (an event's time, a time service's last sync, a replication link's last
success, when a fact was observed), the fact it belongs to and where that fact came from
(:func:`kbdoctor.engine.presentation.source_text`, as every report says it). A fact without any
time is not placed: no time is made up. No Textual here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from kbdoctor.engine.presentation import source_text
from kbdoctor.tui.session import Entry

# (fact type, field) of every time a fact may carry besides observed_at; a field the fact type
# does not have (a queue's last retry, a link's last attempt) is simply never found
TIME_FIELDS: tuple[tuple[str, str], ...] = (
    ("event", "time"),
    ("queue", "last_retry"),
    ("time_status", "last_sync"),
    ("replication_link", "last_success"),
    ("replication_link", "last_attempt"),
)


@dataclass(frozen=True)
class Moment:
    """One time of one fact: ``what`` names the field (``time``, ``last_sync``, ...)."""

    at: datetime
    what: str
    entry: Entry
    source: str


def _aware(value: datetime) -> datetime:
    """Times without a zone are read as UTC (as the fact files document), so they sort with
    the others instead of failing to compare."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def moments(entries: Sequence[Entry]) -> list[Moment]:
    """Every time of the facts the diagnosis sees (disabled facts are left out), newest first;
    equal times keep the order of the facts."""
    found: list[Moment] = []
    for entry in entries:
        if entry.status == "disabled":
            continue
        fact = entry.fact
        source = source_text(fact.provenance)
        for fact_type, name in TIME_FIELDS:
            if fact.type == fact_type:
                value = getattr(fact, name, None)
                if isinstance(value, datetime):
                    found.append(Moment(_aware(value), name, entry, source))
        if fact.observed_at is not None:
            found.append(Moment(_aware(fact.observed_at), "observed_at", entry, source))
    found.sort(key=lambda m: m.at, reverse=True)
    return found
