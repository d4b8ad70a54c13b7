"""The program's own texts in English and Polish, one JSON catalogue per language.

Rule texts live in the rule files; everything else a user reads (report headings, command line
messages, TUI labels, error messages) is looked up here by key, so that no code branches on the
language. A test checks that both catalogues have the same keys and the same placeholders.
"""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from typing import Any, Literal, cast

Lang = Literal["en", "pl"]
LANGS: tuple[Lang, ...] = ("en", "pl")


@cache
def package_catalogue(package: str, lang: Lang) -> dict[str, str]:
    """The catalogue ``locales/<lang>.json`` shipped in ``package`` (the engine's, the TUI's)."""
    raw = resources.files(package).joinpath("locales", f"{lang}.json").read_text("utf-8")
    return cast(dict[str, str], json.loads(raw))


def catalogue(lang: Lang) -> dict[str, str]:
    return package_catalogue("kbdoctor.engine", lang)


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, params: dict[str, Any]) -> str:
    """``{placeholders}`` filled; one left without a value stays visible as it is."""
    return template.format_map(_Params(params)) if params else template


def text(key: str, lang: Lang = "en", /, **params: Any) -> str:
    """The text of ``key`` in ``lang`` with ``{placeholders}`` filled; falls back to English, then
    to the key itself, so a missing translation is visible but never fatal."""
    return fill(catalogue(lang).get(key) or catalogue("en").get(key) or key, params)


def language_from_env(environ: dict[str, str] | None = None) -> Lang:
    """The language of the environment: Polish when LC_ALL, LC_MESSAGES or LANG (in that order of
    precedence, as POSIX says) starts with ``pl``; English otherwise."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "pl" if value.lower().startswith("pl") else "en"
    return "en"
