"""How many matches the conclusions of chaining can bring, round by round (issue 10).

The facts given are bounded before any rule runs (``Compiled.match_bounds``: a rule that could
keep more than a million matches is not run), but there a conclusion that a rule binds counts as
one, and conclusions arrive round by round. A rule that joins a conclusion with another of its
own kind keeps the square of their number: 500 conclusions made 275,000 matches in one
assertion, recorded for ten seconds, and the next round of 224,000 would have made billions.
``RoundBounds`` counts the conclusions asserted so far as the match bound counts facts (per
condition, those of its type, or the most that share one value of the field it is joined on), so
that a round that could take a rule past the bound is not asserted, and a round whose every
conclusion brings many matches goes into durable-rules a few at a time (``chunk``), with the
deadline and the cancel event checked in between.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kbdoctor.engine.compiler import TYPE, Compiled, _equality_join

# Matches one call into durable-rules may bring while a round of conclusions is asserted: about
# 10 microseconds each (JSON for every action, a record each), so some 0.2 s between two checks.
MATCHES_PER_CHUNK = 20_000


@dataclass(frozen=True)
class _Slot:
    """A positive condition on a conclusion: what durable sees as its type, and the field it is
    joined on by equality with an earlier binding (None: not joined that way)."""

    asserted_type: str
    joined: str | None


@dataclass
class _ChainingRule:
    index: int
    facts: int  # its bound on the facts given (conditions on conclusions counted as one)
    slots: list[_Slot]


class RoundBounds:
    """The conclusions asserted into one session so far, counted for the rules that bind them."""

    def __init__(
        self, compiled: Compiled, fact_bounds: Mapping[int, int], excluded: Collection[int] = ()
    ) -> None:
        self._rules: list[_ChainingRule] = []
        self._tracked: dict[str, set[str]] = {}  # conclusion type -> fields joined on
        for rule in compiled.rules:
            if rule.index in excluded:
                continue
            slots = [
                _Slot(p.asserted_type, _equality_join(rule.rule, p.position))
                for p in rule.positives
                if p.kind != "fact"
            ]
            if not slots:
                continue
            self._rules.append(_ChainingRule(rule.index, fact_bounds.get(rule.index, 1), slots))
            for slot in slots:
                fields = self._tracked.setdefault(slot.asserted_type, set())
                if slot.joined is not None:
                    fields.add(slot.joined)
        self._count: Counter[str] = Counter()
        self._groups: dict[tuple[str, str], Counter[str]] = {}
        self._largest: Counter[tuple[str, str]] = Counter()

    def rebase(self, fact_bounds: Mapping[int, int]) -> None:
        """New bounds on the facts of some rules (a what-if edit added facts of their types)."""
        for rule in self._rules:
            if rule.index in fact_bounds:
                rule.facts = fact_bounds[rule.index]

    def add(self, facts: Iterable[dict[str, Any]]) -> None:
        """Count conclusions about to be asserted (as facts, with the fields rules test)."""
        for fact in facts:
            kind = str(fact[TYPE])
            fields = self._tracked.get(kind)
            if fields is None:
                continue
            self._count[kind] += 1
            for name in fields:
                if name in fact:
                    key = (kind, name)
                    groups = self._groups.setdefault(key, Counter())
                    value = json.dumps(fact[name], sort_keys=True)
                    groups[value] += 1
                    self._largest[key] = max(self._largest[key], groups[value])

    def over(self, limit: int) -> list[int]:
        """The rules (by index) that could keep more than ``limit`` matches."""
        return [rule.index for rule in self._rules if self._bound(rule, None) > limit]

    def chunk(self, types: Collection[str]) -> int:
        """How many conclusions of these types to assert per call into durable-rules: each may
        complete as many matches as the rule's other conditions allow together."""
        most = 1
        for rule in self._rules:
            for position, slot in enumerate(rule.slots):
                if slot.asserted_type in types:
                    most = max(most, self._bound(rule, position))
        return max(1, MATCHES_PER_CHUNK // most)

    def _bound(self, rule: _ChainingRule, leave_out: int | None) -> int:
        total = rule.facts
        for position, slot in enumerate(rule.slots):
            if position != leave_out:
                total *= self._factor(slot)
        return total

    def _factor(self, slot: _Slot) -> int:
        if slot.joined is None:
            return self._count[slot.asserted_type]
        return self._largest[(slot.asserted_type, slot.joined)]
