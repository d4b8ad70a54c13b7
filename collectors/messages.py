"""What the importer, its readers and ``kbdoctor collect`` say, in the user's language.

The texts are data, in the collectors' catalogues ``collectors/locales/<lang>.json`` read by the
one loader of every area (:mod:`kbdoctor.engine.i18n`); this module only knows how the
collectors name their keys. Code names a text by its stable key (``host_from_option``, a reader
warning's ``family.what`` such as ``w32tm.not_a_host``, ``reader.<reader name>.title``); the
catalogue key is that key under the collectors' section, ``collect.<key>``. The stable key is
the one the import report (import-report/1) writes, so it never changes with the catalogue.

Readers do not write sentences: they give an ``ImportWarning`` a key and its parameters, and
whoever shows the warning renders it in the reader's language (``collect --lang``, the TUI's
language switch). The list of known formats shown in help and in "no reader recognises this
file" is filled in when a message is *rendered*, not when it is made, so that a warning made
during import reads in whatever language it is later shown in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kbdoctor.engine.i18n import COLLECTORS, Lang, lookup
from kbdoctor.engine.os_reasons import with_reason_in

SECTION = "collect."
"""The first segment of every key of the collectors' catalogues."""


def catalogue_key(key: str) -> str:
    """The catalogue key of the stable key ``key``."""
    return SECTION + key


def reader_title(name: str, lang: Lang) -> str:
    """The title of the reader ``name`` in ``lang``: its one source is the catalogue (a test
    makes sure that every registered reader has one in every language)."""
    return message(f"reader.{name}.title", lang)


def _known_formats(lang: Lang) -> str:
    # Imported here: the registry imports every reader, and the readers import this module.
    from kbdoctor.collectors.importers.registry import describe_formats, known_formats

    return describe_formats(known_formats(lang=lang))


DERIVED_PLACEHOLDERS: dict[str, Callable[[Lang], str]] = {"formats": _known_formats}
"""Placeholders a message may name without its caller giving them: computed in the language the
message is rendered in."""


class _Params(dict[str, Any]):
    def __init__(self, params: dict[str, Any], lang: Lang) -> None:
        super().__init__(params)
        self.lang = lang

    def __missing__(self, key: str) -> str:
        derived = DERIVED_PLACEHOLDERS.get(key)
        return derived(self.lang) if derived is not None else "{" + key + "}"


def message(key: str, lang: Lang = "en", /, **params: Any) -> str:
    """The text of the stable key ``key`` in ``lang`` (English when missing, the key itself when
    unknown), with its placeholders filled; an operating system's reason given as ``detail``
    reads in ``lang`` too (:mod:`kbdoctor.engine.os_reasons`)."""
    template = lookup(COLLECTORS, catalogue_key(key), lang)
    if template is None:
        return key
    return template.format_map(_Params(with_reason_in(params, lang), lang))
