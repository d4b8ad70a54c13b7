"""Specification of the readers' label tables (issue 9, item 3): one table per reader, every
language complete or saying which label nobody has seen, and every word backed by its source."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from kbdoctor.collectors import importers
from kbdoctor.collectors.decoding import decode_bytes
from kbdoctor.collectors.localized import Language, alternation, label_names, lowered, words

ROOT = Path(__file__).resolve().parents[2]


def label_tables() -> dict[str, Mapping[str, Language[Any]]]:
    """Every reader module's ``LABELS`` table, by module name."""
    found: dict[str, Mapping[str, Language[Any]]] = {}
    for info in pkgutil.iter_modules(importers.__path__):
        module = importlib.import_module(f"{importers.__name__}.{info.name}")
        table = getattr(module, "LABELS", None)
        if table is not None:
            found[info.name] = table
    return found


TABLES = label_tables()
ENTRIES = [
    pytest.param(table, lang, entry, id=f"{module}-{lang}")
    for module, table in TABLES.items()
    for lang, entry in table.items()
]


def test_the_readers_that_match_localized_labels_each_have_a_table() -> None:
    assert set(TABLES) == {"eventlog_text", "nltest", "repadmin", "setspn", "w32tm"}


@pytest.mark.parametrize(("table", "lang", "entry"), ENTRIES)
def test_no_language_is_half_filled(
    table: Mapping[str, Language[Any]], lang: str, entry: Language[Any]
) -> None:
    # every label of the reader is either known in this language or named as a gap, never
    # silently empty; a gap is empty (no guessed word stands in for it)
    english = next(iter(table.values()))
    assert type(entry.labels) is type(english.labels)
    names = label_names(entry.labels)
    assert set(entry.gaps) <= set(names)
    for name in names:
        value = getattr(entry.labels, name)
        assert isinstance(value, tuple)
        assert all(isinstance(word, str) and word.strip() for word in value)
        assert (not value) == (name in entry.gaps), f"{lang}.{name}"


@pytest.mark.parametrize(("table", "lang", "entry"), ENTRIES)
def test_every_language_says_where_its_words_come_from(
    table: Mapping[str, Language[Any]], lang: str, entry: Language[Any]
) -> None:
    assert re.fullmatch(r"[a-z]{2}", lang)
    assert entry.sources
    for source in entry.sources:
        assert source.startswith("https://") or (ROOT / source).is_file(), source


def _decoded(path: Path) -> str:
    if ".cp852" in path.name:
        return path.read_bytes().decode("cp852")
    if ".cp850" in path.name:
        return path.read_bytes().decode("cp850")
    text = decode_bytes(path.read_bytes()).text
    assert text is not None
    return text


@pytest.mark.parametrize(("table", "lang", "entry"), ENTRIES)
def test_every_word_is_printed_in_one_of_its_sources(
    table: Mapping[str, Language[Any]], lang: str, entry: Language[Any]
) -> None:
    # the words are checked against the fixtures they cite, so that no word enters a table
    # without the material it was seen in (public addresses cannot be checked offline)
    if any(source.startswith("https://") for source in entry.sources):
        pytest.skip("a public address is cited")
    texts = [_decoded(ROOT / source).casefold() for source in entry.sources]
    for name in label_names(entry.labels):
        for word in getattr(entry.labels, name):
            assert any(word.casefold() in text for text in texts), f"{lang}.{name}: {word}"


@dataclasses.dataclass(frozen=True)
class _Labels:
    greeting: tuple[str, ...]
    farewell: tuple[str, ...]


_TABLE = {
    "en": Language(_Labels(("Hello", "Hello there"), ("Bye",)), ("tests/x_en.txt",)),
    "pl": Language(_Labels(("Cześć",), ()), ("tests/x_pl.txt",), gaps=("farewell",)),
}


def test_words_of_a_label_are_every_languages_in_table_order_each_once() -> None:
    assert words(_TABLE, "greeting") == ("Hello", "Hello there", "Cześć")
    assert words(_TABLE, "farewell") == ("Bye",)
    assert lowered(_TABLE, "greeting") == frozenset({"hello", "hello there", "cześć"})


def test_an_alternation_prefers_the_longest_label_and_matches_literally() -> None:
    pattern = re.compile(rf"^(?:{alternation(['Source', 'Event Source', 'Id. (x)'])}):")
    match = pattern.match("Event Source: MSExchangeTransport")
    assert match is not None
    assert match.group(0) == "Event Source:"
    assert pattern.match("Id. (x):") is not None
    assert pattern.match("Id  xx:") is None
