"""The sources of a case: each fact file, import and live collection read into the session.

An engineer working a ticket reads material from several places and must be able to tell which
facts came from where, to take one source away again (the wrong organisation's file), to read it
again after the customer sent a corrected version, and to see what an import skipped and why.
A source is therefore an object of its own, not a name in a list: what it is, what it stands
for (files, import paths, the options of a live collection), when it was read, how many facts of
each type it gave, and for an import its import report (import-report/1). No Textual here: the
session keeps its sources, and the Sources screen shows them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from kbdoctor.engine.facts import Fact

if TYPE_CHECKING:
    from kbdoctor.collectors.import_report import ImportReport
    from kbdoctor.collectors.importing import ImportResult
    from kbdoctor.collectors.live.model import LiveOptions

SourceKind = Literal["file", "demo", "import", "live"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("file", "demo", "import", "live")


@dataclass(frozen=True)
class SourceOrigin:
    """What a source was read from, enough to read it again: fact files or import paths
    (``paths``), or the options of a live collection (``live``; its password is a ``Secret``
    held in memory only, never written anywhere)."""

    kind: SourceKind
    paths: tuple[str, ...] = ()
    live: LiveOptions | None = None


@dataclass(frozen=True)
class CaseSource:
    """One source of the session. ``files`` are the files it stands for (a report's inputs);
    ``label`` is how the status line and the Sources screen name it."""

    id: int
    origin: SourceOrigin
    label: str
    files: tuple[str, ...]
    environment: Mapping[str, str]
    read_at: datetime
    counts: tuple[tuple[str, int], ...]  # facts of each type, most first, then by type
    report: ImportReport | None = None  # an import's report (readers, blocks, skipped, why)
    result: ImportResult | None = field(default=None, compare=False)  # to redo the report

    @property
    def kind(self) -> SourceKind:
        return self.origin.kind

    @property
    def facts(self) -> int:
        return sum(count for _, count in self.counts)

    @property
    def reloadable(self) -> bool:
        """Whether reading it again can give anything new (the demo never changes)."""
        return self.kind != "demo" and (bool(self.origin.paths) or self.origin.live is not None)

    @property
    def needs_password(self) -> bool:
        """A live collection that binds as a user whose password is not held: one reopened
        from a case (a password is never written anywhere), so collecting again needs the
        password given again."""
        live = self.origin.live
        return live is not None and bool(live.user) and live.password is None


def fact_counts(facts: Iterable[Fact]) -> tuple[tuple[str, int], ...]:
    """How many facts of each type, most first, then by type name (a stable order to show)."""
    counted = Counter(fact.type for fact in facts)
    return tuple(sorted(counted.items(), key=lambda item: (-item[1], item[0])))


def now() -> datetime:
    """The time a source is read, to the second (what a person compares)."""
    return datetime.now(UTC).replace(microsecond=0)


__all__ = ["SOURCE_KINDS", "CaseSource", "SourceKind", "SourceOrigin", "fact_counts", "now"]
