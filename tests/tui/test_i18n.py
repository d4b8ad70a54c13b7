"""Every text of the TUI exists in every language, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from kbdoctor.tui.i18n import LANGS, Lang, catalogue, other_language, t

TUI = Path(__file__).resolve().parents[2] / "tui"


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("lang", LANGS[1:])
def test_every_catalogue_has_the_english_keys_and_placeholders(lang: Lang) -> None:
    en, other = catalogue("en"), catalogue(lang)
    assert set(en) == set(other)
    for key in en:
        assert placeholders(en[key]) == placeholders(other[key]), key
        assert other[key].strip(), key


def test_every_literal_key_used_in_the_code_is_in_the_catalogue() -> None:
    used: set[str] = set()
    for path in TUI.rglob("*.py"):
        used.update(re.findall(r'"(tui\.[a-z_.]+[a-z_])"', path.read_text(encoding="utf-8")))
    used.discard("tui.key.")
    missing = sorted(key for key in used if key not in catalogue("en"))
    assert missing == []


@pytest.mark.parametrize("prefix", ["tui.status.", "tui.miss.", "tui.kind.", "tui.entry."])
def test_families_of_keys_built_at_run_time_are_complete(prefix: str) -> None:
    expected = {
        "tui.status.": {"diagnosed", "possible", "ruled_out", "no_evidence", "not_assessed"},
        "tui.miss.": {"missing_fact", "condition_failed", "join_failed", "blocked_by", "weak"},
        "tui.kind.": {"symptom", "finding", "cause", "recommendation"},
        "tui.entry.": {"loaded", "edited", "disabled"},
    }[prefix]
    for name in expected:
        assert prefix + name in catalogue("en")


def test_an_unknown_key_falls_back_to_the_engine_catalogue() -> None:
    assert t("no.such.key", "pl") == "no.such.key"
    assert t("tui.causes.was", "pl", value="0.90") == "(było 0.90)"


def test_the_language_switch_cycles_through_every_language() -> None:
    assert other_language("en") == "pl"
    assert other_language("pl") == "de"
    assert other_language("de") == "en"


@pytest.mark.parametrize("lang", LANGS)
def test_the_language_key_names_the_language_it_switches_to(lang: Lang) -> None:
    names = {"en": "english", "pl": "polski", "de": "deutsch"}
    assert t("tui.key.language", lang) == names[other_language(lang)]
