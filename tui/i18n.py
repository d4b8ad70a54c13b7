"""The TUI's own texts, looked up by key in ``tui/locales/<lang>.json`` through the one loader of
every area (:mod:`kbdoctor.engine.i18n`).

The TUI keeps its catalogues apart from the engine's so that the two can be edited at the same
time; a key the TUI does not know (error messages of the engine, report headings) falls through
to the engine's catalogues, so one function serves every text a screen shows.
"""

from __future__ import annotations

from typing import Any

from kbdoctor.engine.i18n import LANGS, TUI, Lang, fill, lookup
from kbdoctor.engine.i18n import text as engine_text

__all__ = ["LANGS", "Lang", "catalogue", "other_language", "t"]


def catalogue(lang: Lang) -> dict[str, str]:
    return TUI.catalogue(lang)


def t(key: str, lang: Lang, /, **params: Any) -> str:
    """The text of ``key`` in ``lang``: the TUI's catalogues first (English when ``lang`` lacks
    it), then the engine's (which fall back to English and then to the key, so a gap shows but
    never crashes)."""
    template = lookup(TUI, key, lang)
    if template is None:
        return engine_text(key, lang, **params)
    return fill(template, params)


def other_language(lang: Lang) -> Lang:
    """The language the switch key moves to: the next of :data:`LANGS`, round."""
    return LANGS[(LANGS.index(lang) + 1) % len(LANGS)]
