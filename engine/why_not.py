"""WHY NOT: why a rule that could have concluded something did not count.

For each rule that concludes the cause (or other conclusion) asked about, the answer is the first
thing that stopped it, read from the run's near-miss probes (recorded when the run was made with
``explain``): a fact type that is absent, a condition no fact met, a join that failed although
the condition alone found facts, facts that blocked an ``absent`` pattern, or a firing too weak
to count. Rules are visited in rule order; nothing here depends on firing order.
"""

from __future__ import annotations

from typing import Any

from kbdoctor.engine.compiler import CompiledRule
from kbdoctor.engine.evaluate import Run
from kbdoctor.engine.evidence import Evidence
from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.normalize import parent_id
from kbdoctor.engine.report import FactRef, Firing, Miss, MissReason
from kbdoctor.engine.rules_model import Absent, Where


class WhyNot:
    """The misses of one run in one language; blocking facts are written out by ``evidence``."""

    def __init__(self, run: Run, lang: Lang, evidence: Evidence) -> None:
        self.run = run
        self.lang = lang
        self.evidence = evidence

    def misses(self, kind: str, ident: str) -> list[Miss]:
        """One miss per rule that concludes ``kind``/``ident`` with a positive factor."""
        misses: list[Miss] = []
        for compiled in self.run.compiled.rules:
            conclusion = compiled.rule.conclude
            if conclusion.kind != kind or conclusion.target != ident or conclusion.cf <= 0:
                continue
            fired = [r for r in self.run.firings if r.rule_index == compiled.index]
            if fired:
                best = max(
                    (
                        self.run.confidence[k]
                        for k in self.run.conclusions
                        if any(r in self.run.conclusions[k].firings for r in fired)
                    ),
                    default=0.0,
                )
                misses.append(self._miss(compiled, "weak", 0, None, [], confidence=round(best, 4)))
                continue
            misses.append(self.probe(compiled))
        return misses

    def probe(self, compiled: CompiledRule) -> Miss:
        """The first condition that stopped a rule that did not fire."""
        probes = self.run.probes or {}
        types_present = self.run.types_present
        conclusion_types = {f"{k[0]}:{k[1]}" for k in self.run.conclusions}
        positives = compiled.positives
        for k, pattern in enumerate(positives, start=1):
            if probes.get((compiled.index, f"prefix{k}")):
                continue
            present = (
                pattern.target in types_present
                if pattern.kind == "fact"
                else pattern.asserted_type in conclusion_types
            )
            if not present:
                return self._miss(
                    compiled, "missing_fact", pattern.position + 1, pattern.target, []
                )
            # the condition alone (without its joins) finds facts: then the join is what failed
            reason: MissReason = (
                "join_failed" if probes.get((compiled.index, f"solo{k}")) else "condition_failed"
            )
            return self._miss(
                compiled,
                reason,
                pattern.position + 1,
                pattern.target,
                [],
                where=describe_where(self._where(compiled, pattern.position)),
            )
        for negative in compiled.negatives:
            blocks = probes.get((compiled.index, f"block{negative.position}"), [])
            if blocks:
                blocking = sorted({parent_id(ids[-1]) for ids in blocks})
                refs = [self.evidence.fact_ref(i) for i in blocking[:5] if i in self.run.facts]
                return self._miss(
                    compiled,
                    "blocked_by",
                    negative.position + 1,
                    negative.target,
                    refs,
                    where=describe_where(self._where(compiled, negative.position)),
                )
        return self._miss(compiled, "condition_failed", 1, None, [], where="")

    def _where(self, compiled: CompiledRule, position: int) -> Where:
        condition = compiled.rule.when[position]
        pattern = condition.absent if isinstance(condition, Absent) else condition
        return pattern.where

    def _miss(
        self,
        compiled: CompiledRule,
        reason: MissReason,
        position: int,
        fact_type: str | None,
        facts: list[FactRef],
        **params: Any,
    ) -> Miss:
        rule = compiled.rule
        message = text(
            f"why_not.{reason}", self.lang, type=fact_type or "", position=position, **params
        )
        return Miss(
            rule=rule.id,
            rule_title=rule.title.get(self.lang),
            reason=reason,
            pattern=position,
            text=message,
            fact_type=fact_type,
            facts=facts,
        )


def describe_where(where: Where) -> str:
    """A compact, language-neutral rendering of a condition (``offset_s abs_gt 300``)."""
    parts = [f"{name} {test.operator} {_value(test.value)}" for name, test in where.tests.items()]
    parts += [f"all({describe_where(w)})" for w in where.all or []]
    if where.any:
        parts.append("any(" + " | ".join(describe_where(w) for w in where.any) + ")")
    if where.not_ is not None:
        parts.append(f"not({describe_where(where.not_)})")
    return ", ".join(parts)


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def rule_reasoning(run: Run, rule_id: str, lang: Lang) -> tuple[list[Firing], Miss | None]:
    """HOW a rule fired (its firings, explained) or WHY NOT (the first condition that stopped it;
    precise when the run was made with ``explain``). Used by ``kbdoctor rules test`` to show
    the reasoning behind a failed expectation. A rule that is not evaluated (deprecated) has
    neither."""
    evidence = Evidence(run, lang)
    for compiled in run.compiled.rules:
        if compiled.rule.id == rule_id:
            fired = [evidence.firing(r) for r in run.firings if r.rule_index == compiled.index]
            return fired, None if fired else WhyNot(run, lang, evidence).probe(compiled)
    return [], None
