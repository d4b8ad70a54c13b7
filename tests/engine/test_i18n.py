"""One translation system: every area's catalogues are data files read by one loader; every
language has every key with the same placeholders; every key names its area by its first
segment; every key is used by the code, literally or through a family of keys the code builds
at run time, each family listed below with why it is built."""

from __future__ import annotations

import json
import re
import string
import tomllib
from pathlib import Path

import pytest
from kbdoctor.engine.i18n import (
    AREAS,
    LANGS,
    RULE_LANGS,
    Area,
    Lang,
    catalogue,
    language_from_env,
    language_option,
    text,
)
from kbdoctor.engine.rulebase import load_rule_base
from kbdoctor.engine.rules_model import Text
from kbdoctor.engine.templates import placeholders

ROOT = Path(__file__).resolve().parents[2]
FOLDER = {"kbdoctor.engine": "engine", "kbdoctor.collectors": "collectors", "kbdoctor.tui": "tui"}
SOURCES = ("engine", "collectors", "tui", "kbdoctor")

# Families of keys the code builds at run time, written as the key with ``*`` where the code puts
# a value (``f"tui.pick.{self.mode}.title"`` is ``tui.pick.*.title``). A key is used when its
# literal is in the code or it belongs to one of these; each says what the value is, so that a
# reviewer sees why no literal exists. A test keeps the list and the code in step both ways.
DYNAMIC: dict[str, str] = {
    "pydantic.*": "pydantic's error type of a fact or rule file problem",
    "fact.summary.*": "one summary a fact type (engine/presentation.py)",
    "why_not.*": "why a rule did not count, one key a reason (engine/why_not.py)",
    "lint.severity.*": "a lint finding's severity, error or warning",
    "docs.*s": "the rule catalogue's sections, one a kind: causes, findings, symptoms",
    "docs.kind.*": "what a rule concludes or its condition matches: fact, finding, cause, ...",
    "docs.status.*": "a rule's status: stable, experimental, deprecated",
    "docs.fact.*": "a fact type in words, one a type (engine/rule_docs.py, rules new's questions)",
    "docs.field.*.*": "what a fact field means, one a type and field (engine/rule_docs.py)",
    "status.*": "a cause's status in the text report",
    "ruletest.*": "a symptom or finding believed outside the confidence a rule test expects, "
    "one a kind (engine/ruletests/compare.py)",
    "reader.*.title": "each registered reader's title (collectors/messages.py); "
    "tests/collectors/test_reader_titles.py checks one per registered reader",
    "reader.*.command": "the command of a reader whose command is prose (a menu path)",
    "tui.command.*": "the command palette's entries, one a command or a key",
    "tui.command.*.help": "the help line of each palette entry",
    "tui.request.shell.*": "the shell a line of the collection request runs in",
    "tui.tab.*": "the tabs' names",
    "tui.status.*": "a cause's status in the TUI",
    "tui.pick.*.title": "the path picker, one mode (facts, import) each",
    "tui.pick.*.hint": "the path picker's hint per mode",
    "tui.pick.*.missing": "the path picker's 'no such path' per mode",
    "tui.save.*.title": "the save dialog, one kind (facts, report, ...) each",
    "tui.save.*.hint": "the save dialog's hint per kind",
    "tui.format.*": "the save dialog's formats",
    "tui.import_report.status.*": "a file's status in the import report",
    "tui.import_report.not_output.*": "why a file is not command output",
    "tui.entry.*": "a fact's history entry: loaded, edited, disabled",
    "tui.rules.column.*": "the Rules tab's columns",
    "tui.rule_status.*": "a rule's status",
    "tui.mark.*": "a fact's mark in the reasoning pane",
    "tui.miss.*": "why a rule did not count, in the TUI",
    "tui.kind.*": "a premise's kind: symptom, finding, cause, recommendation",
    "tui.live.field.*": "the live collection form's fields",
    "tui.live.hint.*": "the live collection form's hints",
    "tui.sources.kind.*": "a source's kind in the sources screen",
    "tui.sources.column.*": "the sources screen's columns",
    "tui.server.role.*": "a machine's role in the server view and picker: exchange, dc, ...",
}

# The collectors name a text by its stable key (the import report writes it); the catalogue key
# is that key under ``collect.``, and the collection script's and the live collection's texts
# are looked up under ``script.`` and ``live.`` by the functions that own them.
_STABLE = re.compile(r"^collect\.(?:script\.|live\.)?")


def _raw(area: Area, lang: str) -> str:
    return (ROOT / FOLDER[area.package] / "locales" / f"{lang}.json").read_text(encoding="utf-8")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("area", AREAS, ids=lambda a: a.name)
@pytest.mark.parametrize("lang", LANGS)
def test_every_language_has_every_key_with_the_same_placeholders(area: Area, lang: Lang) -> None:
    english = area.catalogue("en")
    other = area.catalogue(lang)
    assert sorted(set(english) - set(other)) == [], "missing"
    assert sorted(set(other) - set(english)) == [], "not in English"
    for key, template in english.items():
        assert other[key].strip(), key
        assert _fields(other[key]) == _fields(template), key


@pytest.mark.parametrize("area", AREAS, ids=lambda a: a.name)
@pytest.mark.parametrize("lang", LANGS)
def test_no_catalogue_writes_a_key_twice(area: Area, lang: str) -> None:
    pairs = json.loads(_raw(area, lang), object_pairs_hook=lambda items: items)
    keys = [key for key, _ in pairs]
    assert sorted({k for k in keys if keys.count(k) > 1}) == []


def test_a_keys_first_segment_names_its_area_and_no_two_areas_share_one() -> None:
    owners = [section for area in AREAS for section in area.sections]
    assert len(owners) == len(set(owners))
    for area in AREAS:
        for key in area.catalogue("en"):
            assert key.split(".", 1)[0] in area.sections, f"{area.name}: {key}"
            assert re.fullmatch(r"[a-z_]+(?:\.[A-Za-z0-9_-]+)+", key), key


_FSTRING = re.compile(r"""\bf(?:"([a-z_][a-z_.]*\.[^"\n]*)"|'([a-z_][a-z_.]*\.[^'\n]*)')""")


def _families_built() -> set[str]:
    """Every f-string of the code that starts like a key, as a family: ``{...}`` becomes ``*``."""
    found: set[str] = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            for match in _FSTRING.finditer(source):
                body = match.group(1) or match.group(2)
                found.add(re.sub(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)?\}", "*", body))
    return found


def _pattern(family: str) -> re.Pattern[str]:
    return re.compile("[A-Za-z0-9_-]+".join(re.escape(part) for part in family.split("*")))


def _source() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for folder in SOURCES
        for path in (ROOT / folder).rglob("*.py")
    )


def _keys_as_code_names_them() -> list[str]:
    keys = [k for area in AREAS for k in area.catalogue("en")]
    return keys + [_STABLE.sub("", k) for k in keys]


def test_every_key_is_used_in_the_code() -> None:
    source = _source()
    patterns = [_pattern(family) for family in DYNAMIC]
    unused: list[str] = []
    for area in AREAS:
        for key in area.catalogue("en"):
            literal = _STABLE.sub("", key) if area.name == "collectors" else key
            if f'"{literal}"' in source or f"'{literal}'" in source:
                continue
            if any(p.fullmatch(literal) for p in patterns):
                continue
            unused.append(key)
    assert unused == []


def test_every_family_of_keys_built_at_run_time_is_listed_and_still_built() -> None:
    keys = _keys_as_code_names_them()
    built = {f for f in _families_built() if any(_pattern(f).fullmatch(k) for k in keys)}
    assert sorted(built - set(DYNAMIC)) == [], "families built but not listed in DYNAMIC"
    assert sorted(set(DYNAMIC) - built) == [], "listed families no code builds any more"


def test_a_family_matches_its_keys_and_only_them() -> None:
    assert _pattern("tui.command.*.help").fullmatch("tui.command.open.help")
    assert not _pattern("tui.command.*.help").fullmatch("tui.command.open")
    assert _pattern("docs.*s").fullmatch("docs.causes")


def test_rule_texts_have_the_same_placeholders_in_both_languages() -> None:
    for rule in load_rule_base().rules:
        assert (
            placeholders(rule.explain.en)
            and sorted(placeholders(rule.explain.en)) == sorted(placeholders(rule.explain.pl))
        ) or not placeholders(rule.explain.pl), rule.id


def test_rule_texts_are_english_in_a_language_rule_files_do_not_carry() -> None:
    assert RULE_LANGS == ("en", "pl")
    words = Text(en="the clock", pl="zegar")
    assert [words.get(lang) for lang in LANGS] == ["the clock", "zegar", "the clock"]


def test_language_follows_the_environment() -> None:
    assert language_from_env({"LANG": "pl_PL.UTF-8"}) == "pl"
    assert language_from_env({"LANG": "de_DE.UTF-8"}) == "de"
    assert language_from_env({"LANG": "pl_PL.UTF-8", "LC_ALL": "en_US.UTF-8"}) == "en"
    assert language_from_env({"LANG": "fr_FR.UTF-8"}) == "en"
    assert language_from_env({}) == "en"


def test_the_option_wins_over_the_environment() -> None:
    assert language_option("de", {"LANG": "pl_PL.UTF-8"}) == "de"
    assert language_option(None, {"LANG": "de_AT.UTF-8"}) == "de"
    assert language_option(None, {}) == "en"


def test_a_key_reads_in_each_language_and_an_unknown_key_shows_itself() -> None:
    assert [text("report.title", lang) for lang in LANGS] == [
        catalogue(lang)["report.title"] for lang in LANGS
    ]
    assert len({text("report.title", lang) for lang in LANGS}) == len(LANGS)
    assert text("no.such.key", "de") == "no.such.key"


def test_every_areas_catalogues_ship_with_the_installed_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = config["tool"]["setuptools"]["package-data"]
    for area in AREAS:
        assert "locales/*.json" in shipped[area.package], area.package
