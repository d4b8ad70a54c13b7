"""The TUI's own texts, looked up by key in ``tui/locales/<lang>.json``.

The TUI keeps its catalogue apart from the engine's so that the two can be edited at the same
time; a key the TUI does not know (error messages of the engine, report headings) falls through
to :func:`kbdoctor.engine.i18n.text`, so one function serves every text a screen shows.
"""

from __future__ import annotations

from typing import Any

from kbdoctor.engine.i18n import LANGS, Lang, fill, package_catalogue
from kbdoctor.engine.i18n import text as engine_text

__all__ = ["LANGS", "Lang", "catalogue", "other_language", "t"]


def catalogue(lang: Lang) -> dict[str, str]:
    return package_catalogue("kbdoctor.tui", lang)


def t(key: str, lang: Lang, /, **params: Any) -> str:
    """The text of ``key`` in ``lang``: the TUI catalogue first, then the engine's (which falls
    back to English and then to the key, so a gap shows but never crashes)."""
    template = catalogue(lang).get(key)
    if template is None:
        return engine_text(key, lang, **params)
    return fill(template, params)


def other_language(lang: Lang) -> Lang:
    """The language the switch key moves to (the two languages alternate)."""
    return LANGS[(LANGS.index(lang) + 1) % len(LANGS)]
