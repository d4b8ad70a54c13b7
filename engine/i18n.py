"""Every text the program shows, in every language, from JSON catalogues: the one loader.

Rule texts live in the rule files; everything else a user reads (report headings, command line
messages, TUI labels, what the importer and its readers say, the collection script's comments)
is looked up here by key, so that no code branches on the language. Each area of the product
keeps its catalogues next to its code, one file a language (``locales/<lang>.json`` in
``kbdoctor.engine``, ``kbdoctor.collectors``, ``kbdoctor.tui``), so that areas can be edited at
the same time; an :class:`Area` names its package and the first key segments it owns, and no
two areas own the same one (a key's first segment says where it lives).

Adding a language is adding one catalogue file per area and its code to :data:`LANGS`; a test
checks that every language has every key with the same placeholders. A key missing in a
language falls back to English and then to the key itself, so a gap is visible but never fatal.
docs/architecture.md ("Languages") says how to add one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal, cast

Lang = Literal["en", "pl", "de"]
LANGS: tuple[Lang, ...] = ("en", "pl", "de")
"""The languages of the program's own texts, in the order the TUI's language switch cycles."""

RULE_LANGS: tuple[Lang, ...] = ("en", "pl")
"""The languages every rule file text must carry; in any other language a rule's text is shown
in English (the rule format is unchanged by a new catalogue language)."""


@dataclass(frozen=True)
class Area:
    """One area's catalogues: ``locales/<lang>.json`` in ``package``, holding only keys whose
    first segment is one of ``sections``."""

    name: str
    package: str
    sections: tuple[str, ...]

    def catalogue(self, lang: Lang) -> dict[str, str]:
        return package_catalogue(self.package, lang)

    def text(self, key: str, lang: Lang = "en", /, **params: Any) -> str:
        """The text of ``key`` in ``lang``, placeholders filled, English when ``lang`` lacks it,
        the key itself when no language has it. An operating system's reason given as
        ``detail`` reads in ``lang`` too (:mod:`kbdoctor.engine.os_reasons`)."""
        from kbdoctor.engine.os_reasons import with_reason_in  # it imports this module

        return fill(lookup(self, key, lang) or key, with_reason_in(params, lang))


ENGINE = Area(
    "engine",
    "kbdoctor.engine",
    (
        "cli",
        "docs",
        "error",
        "fact",
        "lint",
        "pydantic",
        "report",
        "ruletest",
        "scaffold",
        "status",
        "suppress",
        "why_not",
    ),
)
COLLECTORS = Area("collectors", "kbdoctor.collectors", ("collect",))
TUI = Area("tui", "kbdoctor.tui", ("tui",))
AREAS: tuple[Area, ...] = (ENGINE, COLLECTORS, TUI)


@cache
def package_catalogue(package: str, lang: Lang) -> dict[str, str]:
    """The catalogue ``locales/<lang>.json`` shipped in ``package``; an empty one when the
    package has none for ``lang`` (every text then falls back to English)."""
    path = resources.files(package).joinpath("locales", f"{lang}.json")
    if not path.is_file():
        return {}
    return cast(dict[str, str], json.loads(path.read_text("utf-8")))


def lookup(area: Area, key: str, lang: Lang) -> str | None:
    """The template of ``key`` in ``lang``, else in English, else None."""
    return area.catalogue(lang).get(key) or area.catalogue("en").get(key)


def catalogue(lang: Lang) -> dict[str, str]:
    """The engine's catalogue in ``lang``."""
    return ENGINE.catalogue(lang)


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, params: dict[str, Any]) -> str:
    """``{placeholders}`` filled; one left without a value stays visible as it is."""
    return template.format_map(_Params(params)) if params else template


def text(key: str, lang: Lang = "en", /, **params: Any) -> str:
    """The engine's text of ``key`` in ``lang`` with ``{placeholders}`` filled; falls back to
    English, then to the key itself, so a missing translation is visible but never fatal."""
    return ENGINE.text(key, lang, **params)


def plural_form(lang: Lang, count: int) -> int:
    """Which of a language's plural forms a whole number takes (CLDR's cardinal rules): English
    and German have two (1 file, 2 files), Polish three (1 plik, 2 pliki, 5 plików)."""
    if count == 1:
        return 0
    if lang == "pl" and count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return 1
    return 2 if lang == "pl" else 1


def count_text(key: str, lang: Lang, count: int, /, **params: Any) -> str:
    """The engine's text of ``key`` for ``count`` things, ``{n}`` filled: the catalogue gives
    one form per plural form of the language, separated by ``|`` (a language whose word does
    not change gives one)."""
    forms = (lookup(ENGINE, key, lang) or key).split("|")
    return fill(forms[min(plural_form(lang, count), len(forms) - 1)], {"n": count, **params})


def language_from_env(environ: dict[str, str] | None = None) -> Lang:
    """The language of the environment: the first of LC_ALL, LC_MESSAGES and LANG that is set
    (POSIX's order of precedence) names it by its first two letters (``pl_PL.UTF-8`` is Polish,
    ``de_DE.UTF-8`` German); English for any language kbdoctor has no catalogue for."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return next((lang for lang in LANGS if value.lower().startswith(lang)), "en")
    return "en"


def language_option(value: str | None, environ: dict[str, str] | None = None) -> Lang:
    """The language of a ``--lang`` value (one of :data:`LANGS`), else of the environment."""
    for lang in LANGS:
        if value == lang:
            return lang
    return language_from_env(environ)
