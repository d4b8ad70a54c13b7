"""A text or remediation step without its English or its Polish, or with a blank one: every text
a user reads exists in both languages. Judged on the file as written (also when the schema
refused it), so the message names the language that is missing rather than a model field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kbdoctor.engine.errors import Problem
from kbdoctor.engine.i18n import RULE_LANGS
from kbdoctor.engine.lint.model import Check, LintInput


def _texts(data: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    if isinstance(data, dict):
        if any(lang in data for lang in RULE_LANGS) and set(data) <= set(RULE_LANGS):
            yield path, data
            return
        for key, value in data.items():
            yield from _texts(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, (*path, index))


def run(given: LintInput) -> list[Problem]:
    problems: list[Problem] = []
    for source in given.sources:
        for path, text in _texts(source.data, ()):
            for lang in RULE_LANGS:
                value = text.get(lang)
                if value is None:
                    key = "lint.text_missing"
                    where = path
                elif isinstance(value, str) and not value.strip():
                    key = "lint.text_blank"
                    where = (*path, lang)
                else:
                    continue
                line, col = source.locator.position(where)
                problems.append(
                    Problem(
                        source.file,
                        line,
                        col,
                        key,
                        {"lang": lang, "field": ".".join(str(p) for p in path)},
                    )
                )
    return problems


CHECK = Check("texts", "error", run)
