"""An id given twice, in one pack or in two: the later definition would silently replace the
earlier one, so which rule or cause the report means would depend on the order of the files."""

from __future__ import annotations

from kbdoctor.engine.errors import Problem
from kbdoctor.engine.lint.model import Check, LintInput


def run(given: LintInput) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, set[str]] = {}
    for pack, locator in given.packs:
        model = pack.model
        for kind, table in (
            ("symptom", model.symptoms),
            ("finding", model.findings),
            ("cause", model.causes),
            ("recommendation", model.recommendations),
        ):
            ids = seen.setdefault(kind, set())
            for ident in table:
                if ident in ids:
                    line, col = locator.position((kind + "s", ident))
                    problems.append(
                        Problem(pack.file, line, col, "error.rules_duplicate_id", {"id": ident})
                    )
                ids.add(ident)
        rules = seen.setdefault("rule", set())
        for index, rule in enumerate(model.rules):
            if rule.id in rules:
                line, col = locator.position(("rules", index, "id"))
                problems.append(
                    Problem(pack.file, line, col, "error.rules_duplicate_id", {"id": rule.id})
                )
            rules.add(rule.id)
    return problems


CHECK = Check("duplicate-ids", "error", run, loader=True)
