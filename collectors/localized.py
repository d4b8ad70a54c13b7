"""The localized labels of a reader, kept in one table per reader (issue 9, item 3).

Windows prints most command output in its display language. The readers go by structure first
(numbers, GUIDs, addresses, the order of lines); where a label still helps - to tell a word of a
sentence from a host name, to find a line a layout does not place - the reader takes it from its
table, built of :class:`Language` entries keyed by language code, and never from words written
into its regexes. Adding a language is adding an entry; the reader's patterns are built from the
table by :func:`words` and :func:`alternation`.

Every entry says where its words come from (:attr:`Language.sources`: a fixture of this
repository, ``tests/data/...``, or a public address), and which labels of that language no
capture shows (:attr:`Language.gaps`): such a label is left empty rather than translated, so that
a reader never matches a word nobody saw Windows print.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Generic, TypeVar

L = TypeVar("L")


@dataclass(frozen=True)
class Language(Generic[L]):
    """The labels of one reader in one display language, where they were seen, and the labels
    of that language nobody has seen yet (each an empty tuple in ``labels``)."""

    labels: L
    sources: tuple[str, ...]
    gaps: tuple[str, ...] = ()


def label_names(labels: Any) -> tuple[str, ...]:
    """The names of the labels of a reader's labels dataclass, in declaration order."""
    return tuple(f.name for f in fields(labels))


def words(table: Mapping[str, Language[Any]], name: str) -> tuple[str, ...]:
    """Every language's words for the label ``name``, each once, in table order."""
    seen: dict[str, None] = {}
    for entry in table.values():
        for word in getattr(entry.labels, name):
            seen.setdefault(word, None)
    return tuple(seen)


def lowered(table: Mapping[str, Language[Any]], name: str) -> frozenset[str]:
    """The words of :func:`words`, in lower case, for membership tests on lowered text."""
    return frozenset(word.lower() for word in words(table, name))


def alternation(labels: Iterable[str]) -> str:
    """A regex group body matching any of ``labels`` literally, the longest first so that
    ``Event Source`` wins over ``Source``."""
    unique = sorted(set(labels), key=lambda w: (-len(w), w))
    return "|".join(re.escape(word) for word in unique)
