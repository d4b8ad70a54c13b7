"""The undo session of one TUI run: the facts loaded so far and the what-if changes made to them.

Kept free of Textual so that the rules of editing (what an edit replaces, what undo restores,
which facts the diagnosis sees) are tested as plain Python. A fact is immutable: a what-if change
never touches the loaded fact, it records an override (a replacement fact, or ``None`` for a
disabled one) keyed by the fact's position in the session, so that undo restores exactly what
was there and the loaded material is never lost.

Sources (:mod:`kbdoctor.tui.sources`) follow the same rule: removing one, reading it again or
replacing the whole case never deletes a fact; it marks sources inactive, so undo brings them
back exactly, what-if changes included, and keys stay what they were.
"""

from __future__ import annotations

import dataclasses
import getpass
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from kbdoctor.engine.facts import Fact, FactFile, FieldChange, Source, WhatIf, fact_fields
from kbdoctor.engine.report import FactRef
from kbdoctor.tui import sources as case_sources
from kbdoctor.tui.fact_query import SearchColumns, SearchText, search_text
from kbdoctor.tui.fact_text import fact_data
from kbdoctor.tui.sources import CaseSource, SourceOrigin, fact_counts

EntryStatus = Literal["loaded", "edited", "disabled"]


class _Unset:
    """No override: the fact as loaded."""


_UNSET = _Unset()


@dataclass(frozen=True)
class Entry:
    """One loaded fact as the session shows it."""

    key: int
    loaded: Fact
    fact: Fact  # the fact the diagnosis sees (the loaded one unless edited)
    origin: str  # the file or import it came from
    status: EntryStatus


@dataclass(frozen=True)
class Change:
    """One what-if change, as the undo stack records it: the override before and after."""

    key: int
    before: Fact | _Unset | None  # None: disabled; _UNSET: as loaded
    after: Fact | _Unset | None
    # who made the change and when: saved with the facts and in a case (never guessed later)
    by: str = field(default_factory=lambda: current_user(), compare=False)
    at: datetime = field(default_factory=lambda: _now(), compare=False)


def current_user() -> str:
    """The user name of whoever runs kbdoctor (``USER``, else the system's), or ``unknown``."""
    name = os.environ.get("USER") or os.environ.get("USERNAME")
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class SourceChange:
    """One change of the case's sources, as the undo stack records it: the sources it took
    away and those it brought (a reload is both, so one undo restores the old reading)."""

    removed: tuple[int, ...]
    added: tuple[int, ...]

    @property
    def key(self) -> None:
        """No single fact changed (the same attribute as :class:`Change`'s)."""
        return None


@dataclass
class Session:
    """Loaded facts, what-if overrides, and their undo and redo stacks."""

    _facts: list[Fact] = field(default_factory=list)
    _origins: list[str] = field(default_factory=list)
    _source_of: list[int] = field(default_factory=list)  # the source id of each fact
    _sources: dict[int, CaseSource] = field(default_factory=dict)  # in the order read
    _removed: set[int] = field(default_factory=set)  # sources taken away (kept for undo)
    _overrides: dict[int, Fact | None] = field(default_factory=dict)
    _undo: list[Change | SourceChange] = field(default_factory=list)
    _redo: list[Change | SourceChange] = field(default_factory=list)
    generation: int = 0  # bumped when loaded material changes (not on what-if changes)
    changes: int = 0  # bumped on every what-if change (made, undone or redone)
    # the latest collected_at of the fact files read (saved facts keep it; never the save time)
    collected_at: datetime | None = None
    _search: dict[int, tuple[Fact, SearchText]] = field(default_factory=dict)
    _active: tuple[int, list[int]] | None = None  # (generation, keys of active sources' facts)
    _columns: tuple[tuple[int, int], SearchColumns] | None = None  # ((generation, changes), ...)

    # -- loading -------------------------------------------------------------------------------

    def add(
        self,
        facts: Iterable[Fact],
        origin: str,
        environment: Mapping[str, str] | None = None,
        files: Iterable[str] | None = None,
    ) -> int:
        """Add facts read from ``origin`` (``files``: the files it stands for, default itself);
        what is already loaded (and every change) stays. Not undoable: the material a session
        starts with (see :meth:`add_source` for what the engineer adds later)."""
        listed = list(facts)
        self._new_source(listed, origin, environment, files, SourceOrigin("file", (origin,)))
        return len(listed)

    def add_source(
        self,
        facts: Iterable[Fact],
        label: str,
        origin: SourceOrigin,
        *,
        environment: Mapping[str, str] | None = None,
        files: Iterable[str] | None = None,
        report: Any = None,
        result: Any = None,
        replace: Iterable[int] = (),
        undoable: bool = True,
        read_at: datetime | None = None,
    ) -> CaseSource:
        """A new source with its facts; the sources ``replace`` names are taken away in the
        same step (reading a source again, or replacing the case), so one undo restores them.
        ``read_at``: when it was read, when that was before (a reopened case); by default now."""
        removed = tuple(i for i in replace if i in self._sources and i not in self._removed)
        self._removed.update(removed)
        source = self._new_source(
            list(facts), label, environment, files, origin, report=report, result=result,
            read_at=read_at,
        )  # fmt: skip
        if undoable:
            self._record(SourceChange(removed, (source.id,)))
        return source

    def extend_source(
        self,
        source_id: int,
        facts: Iterable[Fact],
        *,
        environment: Mapping[str, str] | None = None,
    ) -> CaseSource:
        """More facts of a source still being read (a live collection hands its facts over as
        they are gathered), and its ``environment`` now when given (it replaces the one before:
        a collection under way says so, and says no more once it has ended). The facts join
        the same source, so one undo still takes the whole collection away and what-if changes
        to its first facts stay."""
        source = self._sources[source_id]
        listed = list(facts)
        for fact in listed:
            self._facts.append(fact)
            self._origins.append(source.label)
            self._source_of.append(source_id)
        counted = Counter(dict(source.counts))
        counted.update(fact.type for fact in listed)
        source = dataclasses.replace(
            source,
            counts=tuple(sorted(counted.items(), key=lambda item: (-item[1], item[0]))),
            environment=dict(source.environment if environment is None else environment),
        )
        self._sources[source_id] = source
        self.generation += 1
        return source

    def remove_source(self, source_id: int) -> SourceChange | None:
        """Take a source (and so its facts) out of the case; None if it is not in it."""
        if source_id not in self._sources or source_id in self._removed:
            return None
        change = SourceChange((source_id,), ())
        self._removed.add(source_id)
        self.generation += 1
        self._record(change)
        return change

    def _new_source(
        self,
        facts: list[Fact],
        label: str,
        environment: Mapping[str, str] | None,
        files: Iterable[str] | None,
        origin: SourceOrigin,
        *,
        report: Any = None,
        result: Any = None,
        read_at: datetime | None = None,
    ) -> CaseSource:
        source_id = max(self._sources, default=-1) + 1
        source = CaseSource(
            id=source_id,
            origin=origin,
            label=label,
            files=tuple(files if files is not None else [label]),
            environment=dict(environment or {}),
            read_at=read_at or case_sources.now(),  # looked up here: tests fix the clock
            counts=fact_counts(facts),
            report=report,
            result=result,
        )
        self._sources[source_id] = source
        for fact in facts:
            self._facts.append(fact)
            self._origins.append(label)
            self._source_of.append(source_id)
        self.generation += 1
        return source

    def _record(self, change: Change | SourceChange) -> None:
        self._undo.append(change)
        self._redo.clear()

    # -- sources -------------------------------------------------------------------------------

    def sources(self) -> list[CaseSource]:
        """The sources in the case now, in the order they were read."""
        return [s for i, s in self._sources.items() if i not in self._removed]

    def source(self, source_id: int) -> CaseSource:
        return self._sources[source_id]

    def source_of(self, key: int) -> CaseSource:
        return self._sources[self._source_of[key]]

    @property
    def files(self) -> list[str]:
        """The files of the sources in the case, each once, in the order read."""
        names: list[str] = []
        for source in self.sources():
            names.extend(name for name in source.files if name not in names)
        return names

    @property
    def environment(self) -> dict[str, str]:
        """The environment of the sources in the case; the first source to name a key wins."""
        merged: dict[str, str] = {}
        for source in self.sources():
            for key, value in source.environment.items():
                merged.setdefault(key, value)
        return merged

    def _keys(self) -> list[int]:
        """The keys of the facts of the sources in the case (all of them until one is taken
        away), worked out once per generation: every redraw asks for them."""
        if not self._removed:
            return list(range(len(self._facts)))
        if self._active is None or self._active[0] != self.generation:
            removed = self._removed
            keys = [k for k, s in enumerate(self._source_of) if s not in removed]
            self._active = (self.generation, keys)
        return self._active[1]

    # -- reading -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._keys())

    def keys(self) -> list[int]:
        """The keys of the facts of the case, in order."""
        return list(self._keys())

    def entry(self, key: int) -> Entry:
        loaded = self._facts[key]
        override = self._overrides.get(key, _UNSET)
        if isinstance(override, _Unset):
            return Entry(key, loaded, loaded, self._origins[key], "loaded")
        if override is None:
            return Entry(key, loaded, loaded, self._origins[key], "disabled")
        return Entry(key, loaded, override, self._origins[key], "edited")

    def holds(self, key: int) -> bool:
        """Whether ``key`` is a fact of a source in the case (a note may name one taken out)."""
        return 0 <= key < len(self._facts) and self._source_of[key] not in self._removed

    def entries(self) -> list[Entry]:
        return [self.entry(key) for key in self._keys()]

    def search_text(self, entry: Entry) -> SearchText:
        """What the filter looks in for this entry, remembered for as long as its fact stays
        the same object (an edit makes a new fact, and so a new text)."""
        cached = self._search.get(entry.key)
        if cached is not None and cached[0] is entry.fact:
            return cached[1]
        found = search_text(entry)
        self._search[entry.key] = (entry.fact, found)
        return found

    def search_columns(self) -> SearchColumns:
        """What the filter looks at for every fact of the case, worked out once per state of
        the case (loaded material and what-if changes): every filter keystroke looks at it.
        Safe to call from a worker thread: what it finds is labelled with the state read
        before it started, so a change meanwhile makes the next call work it out again."""
        state = (self.generation, self.changes)
        made = self._columns
        if made is not None and made[0] == state:
            return made[1]
        columns = SearchColumns.of(self._search_rows())
        self._columns = (state, columns)
        return columns

    def _search_rows(self) -> Iterator[tuple[int, str, EntryStatus, SearchText]]:
        """(key, fact type, status, search text) of each fact of the case, without making an
        :class:`Entry` for a fact whose search text is remembered."""
        facts, overrides, memo = self._facts, self._overrides, self._search
        status: EntryStatus
        for key in self._keys():
            override = overrides.get(key, _UNSET)
            if isinstance(override, _Unset):
                fact, status = facts[key], "loaded"
            elif override is None:
                fact, status = facts[key], "disabled"
            else:
                fact, status = override, "edited"
            cached = memo.get(key)
            if cached is not None and cached[0] is fact:
                yield key, fact.type, status, cached[1]
            else:
                yield key, fact.type, status, self.search_text(self.entry(key))

    def loaded_facts(self) -> list[Fact]:
        """The facts as loaded: the baseline a what-if diagnosis is compared with."""
        return [self._facts[key] for key in self._keys()]

    def effective_facts(self) -> list[Fact]:
        """The facts the diagnosis sees: loaded facts with every change applied."""
        if not self._overrides:
            return self.loaded_facts()
        result: list[Fact] = []
        for key in self._keys():
            fact = self._facts[key]
            override = self._overrides.get(key, fact)
            if override is not None:
                result.append(override)
        return result

    @property
    def changed(self) -> list[Entry]:
        """Entries with a what-if change, in the order of the facts (of sources in the case)."""
        removed = self._removed
        return [
            self.entry(key)
            for key in sorted(self._overrides)
            if self._source_of[key] not in removed
        ]

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def history(self) -> list[Change]:
        """The what-if changes in the order made (what undo walks back), as a case saves them."""
        return [change for change in self._undo if isinstance(change, Change)]

    def redo_stack(self) -> list[Change | SourceChange]:
        """What redo would make again, in the order it would (the next redo first)."""
        return list(reversed(self._redo))

    def restore_redo(
        self, changes: Iterable[tuple[int, Fact | _Unset | None, str | None, datetime | None]]
    ) -> None:
        """Put back what redo would make again (a reopened case): ``changes`` in the order redo
        makes them, each a fact's key, the override it sets (a fact, None: disabled, ``_UNSET``:
        as loaded), who made it and when. What each change finds (what undo restores after the
        redo) is worked out by making them in turn from the overrides of now."""
        state: dict[int, Fact | None] = dict(self._overrides)
        stack: list[Change | SourceChange] = []
        for key, after, by, at in changes:
            before = state.get(key, _UNSET)
            if isinstance(after, _Unset):
                state.pop(key, None)
            else:
                state[key] = after
            stamp: dict[str, Any] = {"by": by, "at": at}
            stack.append(Change(key, before, after, **{k: v for k, v in stamp.items() if v}))
        self._redo = list(reversed(stack))

    def saw_collected_at(self, when: datetime | None) -> None:
        """A fact file read was collected at ``when``: the session keeps the latest."""
        if when is not None and (self.collected_at is None or when > self.collected_at):
            self.collected_at = when

    # -- what-if changes -----------------------------------------------------------------------

    def replace(
        self, key: int, fact: Fact, *, by: str | None = None, at: datetime | None = None
    ) -> None:
        """Use ``fact`` instead of the loaded fact ``key``; replacing with the loaded fact itself
        removes the change. ``by`` and ``at``: who made it and when, when it was made before
        (a reopened case); by default whoever runs kbdoctor, now."""
        self._apply(key, _UNSET if fact == self._facts[key] else fact, by, at)

    def disable(self, key: int, *, by: str | None = None, at: datetime | None = None) -> None:
        self._apply(key, None, by, at)

    def toggle(self, key: int) -> None:
        """Disable an enabled fact; enable a disabled one (keeping none of its edits)."""
        self._apply(key, _UNSET if self._overrides.get(key, _UNSET) is None else None)

    def revert(self, key: int, *, by: str | None = None, at: datetime | None = None) -> None:
        self._apply(key, _UNSET, by, at)

    def undo(self) -> Change | SourceChange | None:
        if not self._undo:
            return None
        change = self._undo.pop()
        if isinstance(change, SourceChange):
            self._swap_sources(change.added, change.removed)
        else:
            self._set(change.key, change.before)
        self._redo.append(change)
        return change

    def redo(self) -> Change | SourceChange | None:
        if not self._redo:
            return None
        change = self._redo.pop()
        if isinstance(change, SourceChange):
            self._swap_sources(change.removed, change.added)
        else:
            self._set(change.key, change.after)
        self._undo.append(change)
        return change

    def _swap_sources(self, take: tuple[int, ...], bring: tuple[int, ...]) -> None:
        self._removed.update(take)
        self._removed.difference_update(bring)
        self.generation += 1

    def _apply(
        self,
        key: int,
        after: Fact | _Unset | None,
        by: str | None = None,
        at: datetime | None = None,
    ) -> None:
        before = self._overrides.get(key, _UNSET)
        if before is after or (before == after and before is not None):
            return
        self._set(key, after)
        stamp: dict[str, Any] = {"by": by, "at": at}
        self._record(Change(key, before, after, **{k: v for k, v in stamp.items() if v}))

    def _set(self, key: int, override: Fact | _Unset | None) -> None:
        if isinstance(override, _Unset):
            self._overrides.pop(key, None)
        else:
            self._overrides[key] = override
        self.changes += 1

    # -- saving --------------------------------------------------------------------------------

    def fact_file(self, note: str | None = None) -> FactFile:
        """The facts as a fact file of their own (what-if results are shareable), honest about
        what a person changed: a fact keeps its source (file, line); an edited one is marked
        ``what_if: edited`` with each field's old and new value, who and when; a disabled one is
        kept, marked ``what_if: disabled`` (the engine leaves it out). ``collected_at`` is the
        material's, never the time of saving."""
        environment = dict(self.environment)
        if note:
            environment["what_if"] = note
        return FactFile(
            kbdoctor="facts/1",
            collected_at=self.collected_at,
            environment=environment or None,
            facts=[self._saved_fact(entry) for entry in self.entries()],
        )

    def _saved_fact(self, entry: Entry) -> Fact:
        if entry.status == "loaded":
            return entry.fact
        change = next((c for c in reversed(self.history()) if c.key == entry.key), None)
        by, at = (change.by, change.at) if change is not None else (current_user(), _now())
        if entry.status == "disabled":
            mark = WhatIf(status="disabled", by=by, at=at)
            fact = entry.loaded
        else:
            before, after = fact_data(entry.loaded), fact_data(entry.fact)
            changes = [
                FieldChange(field=name, old=before.get(name), new=after.get(name))
                for name in fact_fields(entry.fact.type)
                if before.get(name) != after.get(name)
            ]
            mark = WhatIf(status="edited", changes=changes, by=by, at=at)
            fact = entry.fact
        source = fact.provenance or Source()
        return fact.model_copy(update={"provenance": source.model_copy(update={"what_if": mark})})

    # -- finding a fact of the report ----------------------------------------------------------

    def find(self, ref: FactRef) -> int | None:
        """The session key of the fact a report cites (the report carries the fact's data, not
        the session's key); edited facts are matched by their edited data."""
        for entry in self.entries():
            if entry.status != "disabled" and matches_ref(entry.fact, ref):
                return entry.key
        return None


def matches_ref(fact: Fact, ref: FactRef) -> bool:
    if fact.type != ref.type:
        return False
    data = fact_data(fact)
    return all(
        data.get(name) == _jsonable(value)
        for name, value in ref.fields.items()
        if value is not None and name != "type"
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value
