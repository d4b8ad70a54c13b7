"""Counts read as people say them: English and German have a form for one and one for the rest
(1 file, 2 files), Polish three (1 plik, 2 pliki, 5 plików, and 22 pliki but 12 plików)."""

from __future__ import annotations

import pytest
from kbdoctor.engine.i18n import ENGINE, LANGS, count_text, lookup

COUNTED = ("lint.count.files", "lint.count.errors", "lint.count.warnings", "ruletest.count.gaps")


@pytest.mark.parametrize(
    ("count", "english", "polish"),
    [
        (0, "0 files", "0 plików"),
        (1, "1 file", "1 plik"),
        (2, "2 files", "2 pliki"),
        (4, "4 files", "4 pliki"),
        (5, "5 files", "5 plików"),
        (12, "12 files", "12 plików"),
        (14, "14 files", "14 plików"),
        (22, "22 files", "22 pliki"),
        (101, "101 files", "101 plików"),
        (1004, "1004 files", "1004 pliki"),
    ],
)
def test_a_count_takes_the_form_of_its_number(count: int, english: str, polish: str) -> None:
    assert count_text("lint.count.files", "en", count) == english
    assert count_text("lint.count.files", "pl", count) == polish


def test_german_has_a_form_for_one_and_one_for_the_rest() -> None:
    forms = [count_text("ruletest.count.gaps", "de", n) for n in (1, 2, 5)]
    assert forms == ["1 bekannte Lücke", "2 bekannte Lücken", "5 bekannte Lücken"]


def test_a_word_that_does_not_change_gives_one_form_for_every_number() -> None:
    assert [count_text("ruletest.count.passed", "en", n) for n in (1, 2)] == [
        "1 passed",
        "2 passed",
    ]


@pytest.mark.parametrize("key", COUNTED)
def test_each_counted_text_gives_every_form_of_each_language_or_one(key: str) -> None:
    for lang in LANGS:
        template = lookup(ENGINE, key, lang)
        assert template is not None
        assert len(template.split("|")) in (1, 3 if lang == "pl" else 2), (key, lang)
