"""The facts filter's little language: ``type:clock host:ex01 skew is:edited``.

A keystroke in the filter looks at every fact of the session, so what a fact is searched by (its
machines and its text, lower-cased) is worked out once per fact (:class:`SearchText`; the session
remembers it) and a query only compares strings. The texts of every fact are kept column by
column (:class:`SearchColumns`) so that a keystroke compares one term with one column in a tight
loop, and a keystroke that only narrows the query (one more letter of a word) looks only at the
facts the query before it kept (:meth:`FactQuery.narrows`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbdoctor.engine.presentation import source_text
from kbdoctor.tui.fact_text import fact_hosts, fact_summary

if TYPE_CHECKING:
    from kbdoctor.tui.session import Entry, EntryStatus


@dataclass(frozen=True)
class SearchText:
    """What the facts filter looks in for one fact, lower-cased: worked out once per fact, since
    a filter keystroke looks at every fact of the session."""

    hosts: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class SearchColumns:
    """What the filter looks at for every fact of a session, one list per attribute, the facts
    in the session's order: a term is checked against one list (a fact's hosts are joined by
    a line break, which no term holds, so a term is in the joined text exactly when it is in
    one of the hosts)."""

    keys: list[int]
    types: list[str]
    statuses: list[EntryStatus]
    hosts: list[str]
    texts: list[str]

    @classmethod
    def of(cls, rows: Iterable[tuple[int, str, EntryStatus, SearchText]]) -> SearchColumns:
        """The columns of (key, fact type, status, search text) rows."""
        columns = cls([], [], [], [], [])
        for key, type_, status, found in rows:
            columns.keys.append(key)
            columns.types.append(type_)
            columns.statuses.append(status)
            columns.hosts.append("\n".join(found.hosts))
            columns.texts.append(found.text)
        return columns


def search_text(entry: Entry) -> SearchText:
    fact = entry.fact
    return SearchText(
        tuple(h.lower() for h in fact_hosts(fact)),
        " ".join(
            (fact.type, fact_summary(fact), entry.origin, source_text(fact.provenance))
        ).lower(),
    )


@dataclass(frozen=True)
class FactQuery:
    """A filter typed by the user: ``type:clock host:ex01 skew`` keeps facts of a type starting
    with ``clock``, about a host containing ``ex01``, whose text contains ``skew``; ``is:edited``
    (or ``is:disabled``, ``is:changed``) keeps changed facts. Every term must match."""

    types: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    states: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> FactQuery:
        types_, hosts, words, states = [], [], [], []
        for term in text.lower().split():
            prefix, sep, rest = term.partition(":")
            if sep and rest and prefix == "type":
                types_.append(rest)
            elif sep and rest and prefix == "host":
                hosts.append(rest)
            elif sep and rest and prefix == "is":
                states.append(rest)
            else:
                words.append(term)
        return cls(tuple(types_), tuple(hosts), tuple(words), tuple(states))

    def matches(self, entry: Entry, text_of: Callable[[Entry], SearchText] = search_text) -> bool:
        """Whether the entry passes every term; ``text_of`` gives its search text when a term
        needs it (``Session.search_text`` remembers them)."""
        if self.types and not any(entry.fact.type.startswith(t) for t in self.types):
            return False
        if self.states and not self._in_states(entry.status):
            return False
        return not (self.hosts or self.words) or self._in_text(text_of(entry))

    def select(self, columns: SearchColumns, among: Sequence[int] | None = None) -> list[int]:
        """The positions (in ``columns``) of the facts that pass every term, in order: what
        :meth:`matches` keeps, one term at a time over one column; ``among``: only these
        positions are looked at (what a wider query kept)."""
        rows: Sequence[int] = range(len(columns.keys)) if among is None else among
        if self.types:
            types, wanted_types = columns.types, self.types
            rows = [i for i in rows if types[i].startswith(wanted_types)]
        statuses = columns.statuses
        for state in self.states:
            wanted = _STATES.get(state, (state,))
            rows = [i for i in rows if statuses[i] in wanted]
        hosts = columns.hosts
        for q in self.hosts:
            rows = [i for i in rows if q in hosts[i]]
        texts = columns.texts
        for w in self.words:
            rows = [i for i in rows if w in texts[i]]
        return list(rows)

    def narrows(self, wider: FactQuery) -> bool:
        """Whether every fact this query keeps is kept by ``wider`` too, so this query need only
        look at what ``wider`` kept: each of its terms is implied by one of this query's (a
        word or host containing it, a type starting with it), and each of this query's types
        starts with one of its (types are alternatives)."""
        if wider.types and not (self.types and all(t.startswith(wider.types) for t in self.types)):
            return False
        return (
            set(wider.states) <= set(self.states)
            and all(any(w in mine for mine in self.hosts) for w in wider.hosts)
            and all(any(w in mine for mine in self.words) for w in wider.words)
        )

    def _in_states(self, status: str) -> bool:
        return all(status in _STATES.get(state, (state,)) for state in self.states)

    def _in_text(self, found: SearchText) -> bool:
        return all(any(q in h for h in found.hosts) for q in self.hosts) and all(
            w in found.text for w in self.words
        )


_STATES = {"changed": ("edited", "disabled")}  # ``is:`` names standing for more than one status
