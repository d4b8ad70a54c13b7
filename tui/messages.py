"""Messages the whole application listens to (a widget's own messages live on the widget).

Workers run in threads; ``post_message`` is the one thread-safe way back to the screen, so every
result of slow work arrives as one of these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from kbdoctor.engine.facts import Fact
from kbdoctor.engine.report import Report
from textual.message import Message
from textual.notifications import SeverityLevel

if TYPE_CHECKING:
    from kbdoctor.tui.sources import SourceOrigin


@dataclass
class ReportReady(Message):
    """An evaluation finished. ``baseline`` is the diagnosis of the facts as loaded (what-if
    changes are compared with it); ``ticket`` orders evaluations so that a late one never
    overwrites a newer one. ``baseline_pending``: the baseline shown until now is of other
    material (or rules, or language) and the new one follows as ``BaselineReady``."""

    report: Report
    baseline: Report | None
    ticket: int
    elapsed_ms: float
    baseline_pending: bool = False


@dataclass
class BaselineReady(Message):
    """The diagnosis of the facts as loaded, evaluated after the what-if diagnosis of the same
    ``ticket`` was posted (so that the diagnosis is painted without waiting for it)."""

    baseline: Report
    ticket: int


@dataclass
class WorkProgressed(Message):
    """Slow work advanced: ``done`` of ``total`` steps (total 0: no measure), on ``label``."""

    label: str
    done: int
    total: int


@dataclass
class WorkFinished(Message):
    """Slow work ended; ``message`` and ``problems`` say how (problems are already located and
    translated)."""

    message: str
    problems: list[str]
    severity: SeverityLevel = "information"


FactIntent = Literal["open", "edit", "toggle", "revert"]


@dataclass
class FactRequested(Message):
    """The user asked to open, edit, disable/enable or revert one fact of the session (from the
    fact table, the reasoning tree or the fact's own screen)."""

    key: int
    intent: FactIntent = "open"


@dataclass
class MaterialRead(Message):
    """Facts were read (from fact files, the demo incident, an import or a live collection) and
    can join the session. ``origin`` makes them a source of their own (what it was read from, to
    read it again); ``replace`` names the sources it takes the place of (a reload, or a new case);
    ``undoable``: read at the engineer's request, so that undo takes it away again."""

    facts: list[Fact]
    files: list[str]
    environment: dict[str, str]
    origin: SourceOrigin | None = None
    report: Any = None  # an import's ImportReport
    result: Any = None  # the ImportResult it was built from
    replace: tuple[int, ...] = ()
    undoable: bool = False
    label: str | None = None  # how the source is named (default: its files)


@dataclass
class LiveFactsArrived(Message):
    """A batch of a live collection's facts became final (``run`` numbers the collection, so
    that a late batch of an earlier one is told apart)."""

    run: int
    facts: list[Fact]


@dataclass
class LiveCollectionEnded(Message):
    """A live collection ended: its fact file's ``environment`` (``kbdoctor.live.incomplete``
    says why when it was cut short) and each probe without an answer, as the runner said it."""

    run: int
    environment: dict[str, str]
    problems: list[str]


class RulesLoaded(Message):
    """The rule files were (re)loaded; the diagnoser says whether they loaded and what is wrong."""
