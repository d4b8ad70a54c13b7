"""What the engine cannot evaluate, although every other check passes it: more rules than one run
may hold (``KBDOCTOR_MAX_RULES``), a rule beyond a fixed table of durable-rules (facts bound at
once, also when explaining why it did not fire; joins and groups of a condition; values of an
``in`` list; alternatives of an ``any``; values of facts tested), conditions joined to no earlier
one that could keep a cross product of facts in memory, absence tests that no order of
assertion can decide. The loader refuses each (``kbdoctor rules``, ``evaluate``); this check
finds them with the loader's own functions, so that whatever ``rules lint`` passes, ``evaluate``
runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.engine.errors import Problem
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.lint.model import Check, LintInput, Reporter, rule_context

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RulePack
    from kbdoctor.engine.yamlio import YamlLocator

    Place = tuple[RulePack, YamlLocator, int]  # a rule's pack, the pack's positions, its index


def run(given: LintInput) -> list[Problem]:
    # imported here: the loader (engine/rulebase.py, which the compiler imports) imports the checks
    from kbdoctor.engine.compiler import Compiled, add_rule, refusals
    from kbdoctor.engine.rulebase import over_rule_limit

    problems = over_rule_limit(given.packs, given.limits or Limits.from_env())
    compiled = Compiled(base=given.base, rules=[])
    for rule in given.base.rules:
        if rule.status == "deprecated":  # not evaluated: the loader does not compile it either
            continue
        try:
            add_rule(compiled, rule)
        except (KeyError, ValueError):
            continue  # a join to an alias nothing binds, ...: another check reports it
    by_object, by_id = _places(given)
    reporters: dict[int, Reporter] = {}
    for refusal in refusals(compiled):
        place = by_object.get(id(refusal.rule)) or by_id.get(refusal.rule.id)
        if place is None:
            continue
        pack, locator, index = place
        reporter = reporters.setdefault(id(pack), Reporter(pack, locator))
        reason = refusal.reason
        context = rule_context(refusal.rule)
        reporter.add(("rules", index, "when"), reason.key, context, **reason.params)
    for reporter in reporters.values():
        problems.extend(reporter.problems)
    return problems


def _places(given: LintInput) -> tuple[dict[int, Place], dict[str, Place]]:
    """Where each rule is written, by the rule object and by its id: a rule whose cf an override
    sets is a copy of the one its pack holds."""
    by_object: dict[int, Place] = {}
    by_id: dict[str, Place] = {}
    for pack, locator in given.packs:
        for index, rule in enumerate(pack.model.rules):
            by_object[id(rule)] = (pack, locator, index)
            if given.base.rule_pack.get(rule.id) is pack:
                by_id.setdefault(rule.id, (pack, locator, index))
    return by_object, by_id


CHECK = Check("engine-limits", "error", run)
