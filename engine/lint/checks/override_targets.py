"""What a pack's ``extends`` and ``overrides`` name must exist where they say: a pack extended
is given before the pack or shipped, and an overridden rule is written by an earlier pack. An
override that matches nothing would change nothing while its author believes it does; the loader
refuses it."""

from __future__ import annotations

from kbdoctor.engine.errors import Problem
from kbdoctor.engine.lint.model import Check, LintInput
from kbdoctor.engine.packs import defining_index


def run(given: LintInput) -> list[Problem]:
    problems: list[Problem] = []
    base = given.base
    first: dict[str, int] = {}
    for index, (pack, _) in enumerate(given.packs):
        first.setdefault(pack.pack, index)
    for index, (pack, locator) in enumerate(given.packs):
        for position, ident in enumerate(pack.model.extends):
            where = first.get(ident)
            if where is None or where > index:
                line, col = locator.position(("extends", position))
                key = "error.extends_unknown" if where is None else "error.extends_later"
                problems.append(Problem(pack.file, line, col, key, {"pack": ident}))
        for rule_id in pack.model.overrides:
            defining = defining_index(base, rule_id)
            if defining is not None and defining <= index:
                continue
            if defining is None and ("rule", rule_id) in given.refused.ids:
                continue  # the rule's schema error is the problem
            line, col = locator.position(("overrides", rule_id))
            key = "error.override_unknown" if defining is None else "error.override_later"
            params = {"rule": rule_id}
            if defining is not None:
                params["pack"] = base.packs[defining].pack
            problems.append(Problem(pack.file, line, col, key, params))
    return problems


CHECK = Check("override-targets", "error", run, loader=True)
