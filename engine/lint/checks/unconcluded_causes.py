"""A cause that no evaluated rule concludes with a positive certainty factor: it can be ruled
out but never diagnosed, so the report would list it as checked when nothing can find it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.engine.lint.checks.unconcluded_premises import concluded
from kbdoctor.engine.lint.model import Check, Reporter, per_pack

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack


def check(base: RuleBase, pack: RulePack, out: Reporter) -> None:
    can = concluded(base)
    for ident in pack.model.causes:
        if ("cause", ident) not in can:
            out.add(("causes", ident), "lint.cause_never_concluded", None, id=ident)


CHECK = Check("unconcluded-cause", "warning", per_pack(check))
