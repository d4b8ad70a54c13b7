"""The facts filter's little language: ``type:clock host:ex01 skew is:edited``.

A keystroke in the filter looks at every fact of the session, so what a fact is searched by (its
machines and its text, lower-cased) is worked out once per fact (:class:`SearchText`; the session
remembers it) and a query only compares strings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbdoctor.engine.presentation import source_text
from kbdoctor.tui.fact_text import fact_hosts, fact_summary

if TYPE_CHECKING:
    from kbdoctor.tui.session import Entry


@dataclass(frozen=True)
class SearchText:
    """What the facts filter looks in for one fact, lower-cased: worked out once per fact, since
    a filter keystroke looks at every fact of the session."""

    hosts: tuple[str, ...]
    text: str


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
        for state in self.states:
            wanted = {"changed": ("edited", "disabled")}.get(state, (state,))
            if entry.status not in wanted:
                return False
        if self.hosts or self.words:
            found = text_of(entry)
            if not all(any(q in h for h in found.hosts) for q in self.hosts):
                return False
            if not all(w in found.text for w in self.words):
                return False
        return True
