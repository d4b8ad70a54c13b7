"""A cause that no evaluated rule concludes with a positive certainty factor: it can be ruled
out but never diagnosed, so the report would list it as checked when nothing can find it."""

from __future__ import annotations

from kbdoctor.engine.errors import Problem
from kbdoctor.engine.lint.checks.unconcluded_premises import concluded
from kbdoctor.engine.lint.model import Check, LintInput, Reporter


def run(given: LintInput) -> list[Problem]:
    can = concluded(given.base) | given.refused.concluded
    out: list[Problem] = []
    for pack, locator in given.packs:
        reporter = Reporter(pack, locator)
        for ident in pack.model.causes:
            if ("cause", ident) not in can:
                reporter.add(("causes", ident), "lint.cause_never_concluded", None, id=ident)
        out.extend(reporter.problems)
    return out


CHECK = Check("unconcluded-cause", "warning", run)
