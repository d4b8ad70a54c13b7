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

    at: datetime  # with its zone: in UTC; without one, as the output gave it
    what: str
    entry: Entry
    source: str

    @property
    def zoned(self) -> bool:
        """Whether the time is a point in time: an output without its zone (Format-List, a
        repadmin table, the header of an Event Viewer copy) gives the clock of the machine it
        came from, which is no point in time until that machine's zone is known."""
        return self.at.tzinfo is not None

    def order(self) -> datetime:
        """The sorting key: a time without a zone is placed as if it were UTC, so it sorts
        among the others (approximately: its machine's zone is not known) instead of failing
        to compare."""
        return self.at if self.at.tzinfo is not None else self.at.replace(tzinfo=UTC)


def _moment(value: datetime, what: str, entry: Entry, source: str) -> Moment:
    at = value.astimezone(UTC) if value.tzinfo is not None else value
    return Moment(at, what, entry, source)


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
                    found.append(_moment(value, name, entry, source))
        if fact.observed_at is not None:
            found.append(_moment(fact.observed_at, "observed_at", entry, source))
    found.sort(key=Moment.order, reverse=True)
    return found
