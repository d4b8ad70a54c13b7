"""A what-if edit evaluated on the session of the last run: only the facts that changed are
retracted and asserted, and only the firings that used a retracted fact are forgotten.

A full run of 1,000 servers asserts some 20,000 facts for one edited clock offset; the edit
itself is a retraction and an assertion (issue 14). The result must be the one a full run of the
same facts gives, byte for byte in the report, so everything here is about when that holds and
what a full run would have decided differently:

- **Absence.** durable-rules has no truth maintenance: a fact asserted after the match it
  blocks has fired does not withdraw that firing. A change to a fact of any type that a rule
  tests for absence is therefore not followed (a full run asserts those types first).
- **Host context.** Host names are keyed by every FQDN and role in the facts: when the edit
  changes that context, every fact's match view may change, and nothing is followed.
- **Rules left out** (too many matches) and runs cut short are never kept.
- **Which firing speaks for a conclusion.** A full run records firings round by round (the base
  facts, then the conclusions of round 1, ...), each round in sorted order; a conclusion takes
  its subject as displayed and its values from the first firing it gets. After an edit, the
  rounds are worked out again from the firings themselves (``_rounds``), and each conclusion's
  first firing with them. A conclusion that other rules read (asserted into durable) whose
  first firing now says something else is not followed; one that no rule reads is corrected.
- **Conclusions without a base.** Two conclusions that only support each other once their base
  firing is gone would never be reached by a full run: not followed.

Everything else a full run decides (certainty factors, the order of firings and conclusions in
the report) is computed from the record after each edit, as after a full run. The tests compare
reports of followed edits with full runs (tests/engine/test_incremental.py).
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kbdoctor.engine.chain_bounds import RoundBounds
from kbdoctor.engine.compiler import TYPE, Compiled
from kbdoctor.engine.evaluate import (
    MAX_CHAIN_ROUNDS,
    MAX_MATCHES_PER_RULE,
    Conclusion,
    ConclusionKey,
    FiringRecord,
    Run,
    _assert_round,
    _check_chaining,
    _confidences,
    _new,
)
from kbdoctor.engine.names import HostRegistry
from kbdoctor.engine.normalize import History, PreparedFact, member_facts, parent_id

if TYPE_CHECKING:
    from kbdoctor.engine.durable_backend import Ruleset, Session
    from kbdoctor.engine.evaluate import Evaluator


def asserted_of(
    item: PreparedFact, compiled: Compiled, registry: HostRegistry
) -> list[dict[str, Any]]:
    """What one prepared fact puts into durable-rules: its match view, when a rule tests its
    type, and its member facts that a rule tests."""
    out = [item.match] if item.type in compiled.phases else []
    out.extend(m for m in member_facts(item, compiled, registry) if m[TYPE] in compiled.phases)
    return out


@dataclass
class Kept:
    """A run whose durable-rules session is still open, and what following it needs."""

    ruleset: Ruleset
    session: Session
    context: tuple[int, int] | None  # the host context its facts were prepared in
    run: Run  # changed in place by each edit; callers get ``snapshot``s
    asserted: dict[str, list[dict[str, Any]]]  # fact id -> what it put into durable
    seen: set[FiringRecord]  # every firing recorded
    owners: dict[FiringRecord, ConclusionKey]  # firing -> the conclusion it supports
    # the conclusions asserted into the session, counted for the rules that bind them (never
    # fewer than there are: one retracted is still counted, and a bound passed makes a full run)
    chain: RoundBounds
    users: dict[str, set[FiringRecord]] = field(default_factory=dict)  # id -> firings binding it
    rounds: dict[FiringRecord, int] = field(default_factory=dict)  # firing -> its round
    created: dict[ConclusionKey, int] = field(default_factory=dict)  # conclusion -> its round
    # per conclusion, its first firing as (round, rule, ids): the order a full run makes them in
    first: dict[ConclusionKey, tuple[int, int, tuple[str, ...]]] = field(default_factory=dict)
    firings: list[FiringRecord] = field(default_factory=list)  # ``seen``, sorted
    # what the last snapshot gave, by conclusion, and the conclusions changed since: a snapshot
    # copies only those (a snapshot is read by reports, never changed)
    copies: dict[ConclusionKey, Conclusion] = field(default_factory=dict)
    dirty: set[ConclusionKey] = field(default_factory=set)
    # the certainty of each conclusion, and the conclusions edits changed since it was given
    confidence: dict[ConclusionKey, float] | None = None
    reached: set[ConclusionKey] = field(default_factory=set)

    @classmethod
    def of(
        cls,
        evaluator: Evaluator,
        ruleset: Ruleset,
        session: Session,
        run: Run,
        record: tuple[
            set[FiringRecord], dict[FiringRecord, ConclusionKey], dict[FiringRecord, int]
        ],
        asserted: dict[str, list[dict[str, Any]]],
        chain: RoundBounds,
    ) -> Kept:
        """The kept state of a full run just made: ``record`` is its firings, the conclusion
        each supports and the round each came in, ``chain`` the conclusions it asserted. Called
        before the run sorts its firings, so a conclusion's first firing is the one it was made
        by."""
        seen, owners, rounds = record
        context = evaluator._cache.current
        kept = cls(ruleset, session, context, run, asserted, set(seen), owners, chain)
        for firing in seen:
            for ident in firing.ids:
                kept.users.setdefault(parent_id(ident), set()).add(firing)
        kept.rounds = rounds
        for key, conclusion in run.conclusions.items():
            first = conclusion.firings[0]
            kept.created[key] = rounds[first]
            kept.first[key] = (rounds[first], first.rule_index, first.ids)
        kept.dirty = set(run.conclusions)
        return kept


def _first(kept: Kept, conclusion: Conclusion) -> tuple[int, int, tuple[str, ...]]:
    record = min(conclusion.firings, key=lambda r: (kept.rounds[r], r.rule_index, r.ids))
    return kept.rounds[record], record.rule_index, record.ids


def refresh(
    kept: Kept, by_id: dict[str, PreparedFact], registry: HostRegistry, history: History
) -> None:
    """The same facts again (the same ids in the same host context): what a report reads of
    them (their provenance, their history) may still be new."""
    run = kept.run
    run.facts = by_id
    run.registry = registry
    run.history = history
    run.types_present = {p.type for p in by_id.values()}


def follow(
    evaluator: Evaluator,
    kept: Kept,
    by_id: dict[str, PreparedFact],
    registry: HostRegistry,
    history: History,
    deadline: float | None,
    cancel: threading.Event | None,
) -> bool:
    """Bring the kept run to these facts; False when a full run must decide (the kept session
    is then no longer consistent and must be ended)."""
    run = kept.run
    compiled = evaluator.compiled
    removed = sorted(run.facts.keys() - by_id.keys())
    added = sorted(by_id.keys() - run.facts.keys())
    new_asserted = {i: asserted_of(by_id[i], compiled, registry) for i in added}
    touched = {str(f[TYPE]) for i in removed for f in kept.asserted[i]}
    touched |= {str(f[TYPE]) for facts in new_asserted.values() for f in facts}
    if touched & absent_types(compiled):
        return False
    if not _within_bounds(kept, compiled, by_id, new_asserted):
        return False

    refresh(kept, by_id, registry, history)
    run.firings = []  # ``kept.firings`` holds them, sorted
    changed: set[ConclusionKey] = set()
    gained: list[FiringRecord] = []
    with kept.ruleset.using(kept.session, deadline, cancel) as session:
        _forget_facts(kept, session, removed, changed, compiled)
        # assert the new facts, and conclude from them as a full run does
        kept.asserted.update(new_asserted)
        by_phase: dict[int, list[dict[str, Any]]] = {}
        for ident in added:
            for fact in new_asserted[ident]:
                by_phase.setdefault(compiled.phases[str(fact[TYPE])], []).append(fact)
        for phase in sorted(by_phase):
            session.assert_batch(by_phase[phase])
        pending = _new(session.drain(), kept.seen)
        rounds = 0
        while pending:
            owners: dict[FiringRecord, ConclusionKey] = {}
            batch = evaluator._conclude(run, pending, session, owners)
            for record, key in owners.items():
                gained.append(record)
                kept.owners[record] = key
                changed.add(key)
                bisect.insort(kept.firings, record)
                for ident in record.ids:
                    kept.users.setdefault(parent_id(ident), set()).add(record)
            rounds += 1
            _check_chaining(run, rounds)  # ChainingStopped: a full run decides what to say
            _assert_round(run, kept.chain, session, batch)
            pending = _new(session.drain(), kept.seen)
    if any(f"{key[0]}:{key[1]}" in compiled.consumed_conclusions for key in changed) or any(
        ident in run.by_fact_id for record in gained for ident in record.ids
    ):
        # a conclusion that rules bind changed, or a new firing binds one: the rounds of a full
        # run are worked out again
        before = kept.rounds
        worked_out = _rounds(kept)
        if worked_out is None or max(worked_out[1].values(), default=0) > MAX_CHAIN_ROUNDS:
            return False
        kept.rounds, kept.created = worked_out
        # a conclusion may now speak through another firing: one it gained or lost, or one
        # whose round moved because a conclusion it binds is now made earlier or later
        moved = (kept.owners[r] for r, level in kept.rounds.items() if before.get(r) != level)
        changed.update(moved)
    else:
        # every firing gained binds facts alone (round 1), and no conclusion that a rule binds
        # changed, so no other firing's round moved
        for record in gained:
            kept.rounds[record] = 1
        for key in changed:
            conclusion = run.conclusions.get(key)
            if conclusion is None:
                kept.created.pop(key, None)
            else:
                kept.created[key] = min(kept.rounds[r] for r in conclusion.firings)
    kept.dirty |= changed
    kept.reached |= changed
    return _settle(evaluator, kept, changed)


def _within_bounds(
    kept: Kept,
    compiled: Compiled,
    by_id: dict[str, PreparedFact],
    new_asserted: dict[str, list[dict[str, Any]]],
) -> bool:
    """Whether every rule stays under the number of matches a full run lets it keep. Facts
    taken away only lower a rule's bound; the rules that test a type of the facts added are
    counted again, on every fact of those types."""
    types = {str(f[TYPE]) for facts in new_asserted.values() for f in facts}
    rules = {
        rule.index
        for rule in compiled.rules
        if any(p.kind == "fact" and p.asserted_type in types for p in rule.positives)
    }
    if not rules:
        return True
    tested = {p.asserted_type for i in rules for p in compiled.rules[i].positives}
    everything = [
        f for i, facts in kept.asserted.items() if i in by_id for f in facts if f[TYPE] in tested
    ]
    everything += [f for facts in new_asserted.values() for f in facts]
    bounds = compiled.match_bounds(everything, MAX_MATCHES_PER_RULE, rules)
    kept.chain.rebase(bounds)
    return max(bounds.values(), default=0) <= MAX_MATCHES_PER_RULE


def _forget_facts(
    kept: Kept,
    session: Session,
    removed: list[str],
    changed: set[ConclusionKey],
    compiled: Compiled,
) -> None:
    """Retract facts that are gone, forget the firings that bound them, and the conclusions
    left without a firing (retracted in turn when rules read them, and so on)."""
    run = kept.run
    retract = [str(f["id"]) for i in removed for f in kept.asserted.pop(i)]
    dead = set(removed)
    while dead:
        if retract:
            session.retract(retract)
            retract = []
        firings = sorted({r for i in dead for r in kept.users.pop(i, ())})
        dead = set()
        for record in firings:
            key = kept.owners.pop(record, None)
            if key is None:
                continue
            changed.add(key)
            kept.seen.discard(record)
            kept.rounds.pop(record, None)
            at = bisect.bisect_left(kept.firings, record)
            del kept.firings[at]
            for ident in record.ids:
                users = kept.users.get(parent_id(ident))
                if users is not None:
                    users.discard(record)
            conclusion = run.conclusions[key]
            conclusion.firings.remove(record)
            if conclusion.firings:
                continue
            del run.conclusions[key]
            del run.by_fact_id[conclusion.fact_id]
            kept.first.pop(key, None)
            if f"{key[0]}:{key[1]}" in compiled.consumed_conclusions:
                dead.add(conclusion.fact_id)
                retract.append(conclusion.fact_id)


def _rounds(
    kept: Kept,
) -> tuple[dict[FiringRecord, int], dict[ConclusionKey, int]] | None:
    """The round of a full run in which each firing would be recorded, and in which each
    conclusion would first be made: a firing that binds no conclusion belongs to round 1, one
    that does to the round after the last of them was made; a conclusion is made in the round
    of its first firing. None when some firing could never be reached (conclusions that only
    support each other)."""
    run = kept.run
    waiting: dict[str, list[FiringRecord]] = {}
    missing: dict[FiringRecord, int] = {}
    levels: dict[int, list[FiringRecord]] = {1: []}
    count = 0
    for conclusion in run.conclusions.values():
        for record in conclusion.firings:
            count += 1
            needs = {i for i in record.ids if i in run.by_fact_id}
            if needs:
                missing[record] = len(needs)
                for ident in needs:
                    waiting.setdefault(ident, []).append(record)
            else:
                levels[1].append(record)
    rounds: dict[FiringRecord, int] = {}
    created: dict[ConclusionKey, int] = {}
    level = 1
    while level in levels:
        for record in levels.pop(level):
            rounds[record] = level
            key = kept.owners[record]
            if key in created:
                continue
            created[key] = level
            for other in waiting.get(run.conclusions[key].fact_id, ()):
                missing[other] -= 1
                if missing[other] == 0:
                    levels.setdefault(level + 1, []).append(other)
        level += 1
    if len(rounds) != count:
        return None
    return rounds, created


def _settle(evaluator: Evaluator, kept: Kept, changed: set[ConclusionKey]) -> bool:
    """Give each conclusion that may have changed what its first firing (by round, then by
    order) says, as a full run does; False when a conclusion other rules read would change
    (what they bound would too)."""
    run = kept.run
    consumed = evaluator.compiled.consumed_conclusions
    for key in changed:
        conclusion = run.conclusions.get(key)
        if conclusion is None:
            continue
        kept.first[key] = first = _first(kept, conclusion)
        subject, values = evaluator._described(run, FiringRecord(first[1], first[2]))
        if (
            conclusion.subject == subject.display
            and conclusion.values == values
            and conclusion.parts == subject.parts
            and conclusion.locators == subject.locators
        ):
            continue
        if f"{key[0]}:{key[1]}" in consumed:
            return False
        conclusion.subject = subject.display
        conclusion.values = dict(values)
        conclusion.parts = subject.parts
        conclusion.locators = subject.locators
    return True


def snapshot(kept: Kept) -> Run:
    """A copy of the kept run that later edits do not change, ordered as a full run orders it:
    firings sorted, conclusions in the order they were made (round, then first firing), and
    the certainty of each conclusion worked out again where an edit reached it."""
    run = kept.run
    first, created = kept.first, kept.created
    order = sorted(run.conclusions, key=lambda k: (created[k], first[k]))
    copies: dict[ConclusionKey, Conclusion] = {}
    for key in order:
        copy = kept.copies.get(key)
        if copy is None or key in kept.dirty:
            c = run.conclusions[key]
            copy = Conclusion(
                key, c.subject, c.fact_id, dict(c.values), sorted(c.firings), c.parts, c.locators
            )
        copies[key] = copy
    kept.dirty, kept.copies = set(), copies
    result = Run(
        run.compiled,
        run.facts,
        run.registry,
        list(kept.firings),
        copies,
        {c.fact_id: c for c in copies.values()},
        {},
        types_present=run.types_present,
        shapes=run.shapes,
        history=run.history,
    )
    if kept.confidence is None or not acyclic(run.compiled):
        kept.confidence = _confidences(result)
    else:
        affected = _downstream(kept, kept.reached)
        known = {k: v for k, v in kept.confidence.items() if k in copies and k not in affected}
        kept.confidence = _confidences(result, known, affected & copies.keys())
    kept.reached = set()
    result.confidence = dict(kept.confidence)
    return result


def _downstream(kept: Kept, keys: set[ConclusionKey]) -> set[ConclusionKey]:
    """These conclusions and every conclusion a firing of which binds one of them."""
    out = set(keys)
    frontier = list(keys)
    while frontier:
        conclusion = kept.run.conclusions.get(frontier.pop())
        if conclusion is None:
            continue
        for record in kept.users.get(conclusion.fact_id, ()):
            owner = kept.owners[record]
            if owner not in out:
                out.add(owner)
                frontier.append(owner)
    return out


def phases_of(
    kept: Kept, prepared: list[PreparedFact], compiled: Compiled
) -> dict[int, list[dict[str, Any]]]:
    """The facts of the kept run by phase, in the order a full run asserts them (the WHY-NOT
    probes assert them again into a session of their own)."""
    phases: dict[int, list[dict[str, Any]]] = {}
    for item in prepared:
        for fact in kept.asserted[item.id]:
            phases.setdefault(compiled.phases[str(fact[TYPE])], []).append(fact)
    return phases


# What each rule base's shape decides, by id() of its compiled form. An entry holds the compiled
# rules it was made for, so that their id() cannot be reused by another rule base while the entry
# stands (a freed rule base's id() is soon another's, which would then read the wrong answer); a
# few rule bases at a time are kept.
_PER_RULES: dict[tuple[str, int], tuple[Compiled, Any]] = {}
_PER_RULES_LIMIT = 16


def _per_rules(what: str, compiled: Compiled, compute: Callable[[], Any]) -> Any:
    entry = _PER_RULES.get((what, id(compiled)))
    if entry is not None and entry[0] is compiled:
        return entry[1]
    if len(_PER_RULES) >= _PER_RULES_LIMIT:
        _PER_RULES.clear()
    value = compute()
    _PER_RULES[(what, id(compiled))] = (compiled, value)
    return value


def absent_types(compiled: Compiled) -> frozenset[str]:
    """The fact types (as asserted) that some rule tests for absence."""
    known: frozenset[str] = _per_rules(
        "absent",
        compiled,
        lambda: frozenset(p.asserted_type for r in compiled.rules for p in r.negatives),
    )
    return known


def acyclic(compiled: Compiled) -> bool:
    """Whether no conclusion can rest on itself: then the certainty of a conclusion depends
    only on those below it, and an edit's can be worked out for what it reached alone (with a
    cycle, what ``_confidences`` gives depends on where it starts)."""

    def compute() -> bool:
        edges: dict[str, set[str]] = {}
        for rule in compiled.rules:
            made = f"{rule.rule.conclude.kind}:{rule.rule.conclude.target}"
            for pattern in rule.positives:
                if pattern.kind != "fact":
                    edges.setdefault(pattern.asserted_type, set()).add(made)
        return not _has_cycle(edges)

    known: bool = _per_rules("acyclic", compiled, compute)
    return known


def _has_cycle(edges: dict[str, set[str]]) -> bool:
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(node: str) -> bool:
        state[node] = 1
        for nxt in edges.get(node, ()):
            mark = state.get(nxt)
            if mark == 1 or (mark is None and visit(nxt)):
                return True
        state[node] = 2
        return False

    return any(state.get(node) is None and visit(node) for node in list(edges))
