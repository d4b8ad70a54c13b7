"""A fact type no fact file can hold (in ``derive``, a cause's ``assessed_by`` or the facts a
collection step gathers, or a condition): a typo there makes a rule silently never match, a
cause look assessed by nothing, or a collection step promise facts no importer gives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kbdoctor.engine.errors import Context
from kbdoctor.engine.facts import FACT_TYPES
from kbdoctor.engine.lint.model import Check, Reporter, per_pack, sites

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack


def check(base: RuleBase, pack: RulePack, out: Reporter) -> None:
    model = pack.model
    for fact_type in model.derive:
        if fact_type not in FACT_TYPES:
            out.add(("derive", fact_type), "error.rules_unknown_fact_type", None, type=fact_type)
    for ident, cause in model.causes.items():
        named: list[tuple[tuple[Any, ...], str]] = [
            (("causes", ident, "assessed_by", i), t) for i, t in enumerate(cause.assessed_by)
        ]
        for index, collect in enumerate(cause.collect):
            facts = ("causes", ident, "collect", index, "facts")
            named.extend(((*facts, i), t) for i, t in enumerate(collect.facts))
        for path, fact_type in named:
            if fact_type not in FACT_TYPES:
                out.add(
                    path,
                    "error.rules_unknown_fact_type",
                    Context("lint.context.cause", cause=ident),
                    type=fact_type,
                )
    for site in sites(base, pack):
        if site.pattern.kind == "fact" and not site.known:
            out.add(
                (*site.path, "fact"),
                "error.rules_unknown_fact_type",
                site.context,
                type=site.pattern.target,
            )


CHECK = Check("unknown-fact-type", "error", per_pack(check), loader=True)
