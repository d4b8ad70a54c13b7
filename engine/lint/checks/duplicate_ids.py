"""An id given twice, in one pack or in two: the later definition would silently replace the
earlier one, so which rule or cause the report means would depend on the order of the files.
The problem names where the id was first given, so that both places can be compared."""

from __future__ import annotations

from typing import Any

from kbdoctor.engine.errors import Problem
from kbdoctor.engine.lint.model import Check, LintInput
from kbdoctor.engine.yamlio import YamlLocator


def run(given: LintInput) -> list[Problem]:
    problems: list[Problem] = []
    # kind -> id -> where it was first given (file, path)
    first: dict[str, dict[str, tuple[str, YamlLocator, tuple[Any, ...]]]] = {}
    for pack, locator in given.packs:
        model = pack.model
        found: list[tuple[str, str, tuple[Any, ...]]] = [
            (kind, ident, (kind + "s", ident))
            for kind, table in (
                ("symptom", model.symptoms),
                ("finding", model.findings),
                ("cause", model.causes),
                ("recommendation", model.recommendations),
            )
            for ident in table
        ]
        found.extend(("rule", r.id, ("rules", i, "id")) for i, r in enumerate(model.rules))
        for kind, ident, path in found:
            seen = first.setdefault(kind, {})
            if ident not in seen:
                seen[ident] = (pack.file, locator, path)
                continue
            line, col = locator.position(path)
            file, first_locator, first_path = seen[ident]
            where = Problem(file, *first_locator.position(first_path), "").location()
            params = {"id": ident, "first": where}
            problems.append(Problem(pack.file, line, col, "error.rules_duplicate_id", params))
    return problems


CHECK = Check("duplicate-ids", "error", run, loader=True)
