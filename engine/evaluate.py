"""Evaluation: facts in, report out. The one entry point the command line and the TUI call.

The run follows docs/architecture.md ("One evaluation, step by step"): prepare the facts (ids,
keys, derived fields), assert them phase by phase into a fresh durable-rules session, record every
firing, assert the new conclusions that other rules consume in rounds until nothing new appears,
then compute certainty factors from the record (not from firing order) and build the report.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import hashlib
import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from kbdoctor.engine.certainty import combine, firing_strength
from kbdoctor.engine.chain_bounds import RoundBounds
from kbdoctor.engine.compiler import TYPE, Compiled, CompiledRule, compile_rule_base
from kbdoctor.engine.durable_backend import (
    Cancelled,
    DurableError,
    OutOfTime,
    Ruleset,
    Session,
    TooManyFirings,
    bound_ids,
    ruleset_for,
)
from kbdoctor.engine.facts import Fact, is_disabled
from kbdoctor.engine.i18n import Lang
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.names import HostRegistry, short_name
from kbdoctor.engine.normalize import (
    History,
    PreparationCache,
    PreparedFact,
    parent_id,
    prepare,
)
from kbdoctor.engine.report import BudgetReport, Report
from kbdoctor.engine.rulebase import RuleBase, load_rule_base
from kbdoctor.engine.subjects import Shape, Subject, name_key, shape_of
from kbdoctor.engine.templates import render

if TYPE_CHECKING:
    from kbdoctor.engine.incremental import Kept
    from kbdoctor.engine.kept_probes import KeptProbes
    from kbdoctor.engine.suppressions import Entry

ConclusionKey = tuple[str, str, str]  # kind, id, subject key
Material = tuple[list[PreparedFact], HostRegistry, History]  # what ``prepare`` gives


@dataclass(frozen=True, order=True)
class FiringRecord:
    """One firing: which rule, and the ids of the facts bound to its positive patterns."""

    rule_index: int
    ids: tuple[str, ...]


@dataclass
class Conclusion:
    key: ConclusionKey
    subject: str  # as displayed
    fact_id: str
    values: dict[str, Any]
    firings: list[FiringRecord] = field(default_factory=list)
    parts: dict[str, str] = field(default_factory=dict)  # the subject's parts, as displayed
    # host keys (None: not known) and the roles that place the subject on a failing path
    locators: tuple[tuple[str | None, str], ...] = ()


@dataclass
class Run:
    """Everything one evaluation produced, before it is turned into a report."""

    compiled: Compiled
    facts: dict[str, PreparedFact]
    registry: HostRegistry
    firings: list[FiringRecord]
    conclusions: dict[ConclusionKey, Conclusion]
    by_fact_id: dict[str, Conclusion]
    confidence: dict[ConclusionKey, float]
    probes: dict[tuple[int, str], list[tuple[str, ...]]] | None = None
    unfinished: list[str] | None = None  # ids of rules the time budget cut short (--budget)
    # why: "time" (the budget), "cancelled" (the cancel event), "chaining", "matches"
    cut_short: str | None = None
    types_present: set[str] = field(default_factory=set)
    shapes: list[Shape] = field(default_factory=list)  # per compiled rule: its subject's shape
    history: History = field(default_factory=dict)  # fact id -> older observations it replaced
    # facts given, when the budget ran out (or a cancel came) while they were being prepared: then
    # no rule ran and ``facts`` is empty
    unprepared: int | None = None

    def subject(self, record: FiringRecord) -> Subject:
        """What one firing is about, as its rule names it."""
        rule = self.compiled.rules[record.rule_index].rule
        return self.shapes[record.rule_index].subject(
            rule.conclude.subject, self.bindings(record), self.registry
        )

    def bindings(self, record: FiringRecord) -> dict[str, Any]:
        """Display values of what a firing bound, by bind name, for templates."""
        rule = self.compiled.rules[record.rule_index]
        out: dict[str, Any] = {}
        for pattern, ident in zip(rule.positives, record.ids, strict=True):
            if pattern.bind:
                out[pattern.bind] = self.display(ident)
        return out

    def display(self, ident: str) -> dict[str, Any]:
        prepared = self.facts.get(parent_id(ident))
        if prepared is not None:
            return prepared.display
        conclusion = self.by_fact_id.get(ident)
        if conclusion is None:
            return {"id": ident}
        return {"id": ident, "subject": conclusion.subject, **conclusion.values}


class Evaluator:
    """Compiles a rule base once and evaluates fact sets with it, one at a time."""

    def __init__(self, base: RuleBase | None = None) -> None:
        self.base = base if base is not None else load_rule_base()
        self.compiled = compile_rule_base(self.base)
        self._ruleset: Ruleset = ruleset_for(
            self.compiled.digest, lambda: self.compiled.ruleset(_record_action)
        )
        self._probe_ruleset: Ruleset | None = None
        self._probe_sets: set[frozenset[int]] = set()  # rules left out of probe rulesets built
        self._lock = threading.RLock()  # ``forget`` takes it, also from within a run
        self._cache = PreparationCache()
        self._kept: Kept | None = None  # the session of the last ``keep`` run, still open
        self._kept_probes: KeptProbes | None = None  # and the probe session explaining it
        self._excluded: frozenset[int] = frozenset()  # rules the last full run left out
        self.last_path: Literal["full", "incremental", "reused"] = "full"
        # what a firing is about (its subject, and its conclusion's values once rendered), kept
        # between evaluations in one host context: a what-if edit changes a fact or two, and the
        # thousands of other firings render the same templates from the same views again
        self._said: dict[FiringRecord, list[Any]] = {}
        self._said_context: tuple[int, int] | None = None
        # the longest subject or value a conclusion may have: the limit on any text kbdoctor
        # reads, so that chaining cannot build texts no input could hold
        self._max_text = Limits.from_env().string_chars
        # per compiled rule: what it concludes, the shape of its subject, the subject template
        self._targets = [
            (
                r.rule.conclude.kind,
                r.rule.conclude.target,
                _shape(self.base, r.rule.conclude.kind, r.rule.conclude.target),
                r.rule.conclude.subject,
            )
            for r in self.compiled.rules
        ]

    def run(
        self,
        facts: Sequence[Fact],
        *,
        explain: bool = False,
        budget: float | None = None,
        cancel: threading.Event | None = None,
        keep: bool = False,
    ) -> Run:
        """Evaluate; with a ``budget`` (seconds), rules still running when it is spent are left
        unfinished and named in ``Run.unfinished``. Setting ``cancel`` (from another thread)
        stops the run the same way, at the same points, as a spent budget: no thread is killed,
        and the session is closed with no action pending.

        ``keep``: the durable-rules session stays open after the run, and the next ``keep`` run
        asserts and retracts only the facts that changed (a what-if edit), where that gives the
        same result as a full run (engine/incremental.py says when it does not; then a full run
        is made). ``last_path`` says which it was."""
        deadline = None if budget is None else time.monotonic() + budget
        with self._lock, no_cyclic_gc():
            # a fact a person disabled in a what-if stays in its file but is never evaluated
            kept = [fact for fact in facts if not is_disabled(fact)]
            return self._run(kept, explain, deadline, cancel, keep)

    def evaluate(
        self,
        facts: Sequence[Fact],
        *,
        lang: Lang = "en",
        explain: bool = False,
        files: Sequence[str] = (),
        environment: dict[str, str] | None = None,
        budget: float | None = None,
        cancel: threading.Event | None = None,
        suppressions: Sequence[Entry] = (),
        today: datetime.date | None = None,
        keep: bool = False,
        abandon: threading.Event | None = None,
    ) -> Report:
        """``suppressions``: the site's accepted findings, marked in the report (those expired
        by ``today``, default the local date, are listed as expired and not applied). ``keep``:
        see ``run``. ``abandon``: set (with ``cancel``) when nobody will read the report, as when
        the TUI quits: a cancelled run still builds its partial report, which takes seconds on a
        large case and would keep the process alive after the user left; an abandoned one raises
        Abandoned instead."""
        from kbdoctor.engine.report_building import build_report
        from kbdoctor.engine.suppress import apply_suppressions

        # one stretch without the collector: turned on between the run and the report, it walked
        # every object the run had made (0.05 s for 25,000 conclusions), to free none of them
        with no_cyclic_gc():
            run = self.run(facts, explain=explain, budget=budget, cancel=cancel, keep=keep)
            if abandon is not None and abandon.is_set():
                raise Abandoned
            report = build_report(
                run,
                lang=lang,
                # facts stopped before the rules were never looked at: "no fact of that type was
                # given" would be said of facts that were
                explain=explain and run.unprepared is None,
                files=list(files),
                environment=dict(environment or {}),
            )
        report = apply_suppressions(report, run, suppressions, today or datetime.date.today())
        return _with_budget(report, run, budget)

    # --- the run ---------------------------------------------------------------------------------

    def _run(
        self,
        facts: list[Fact],
        explain: bool,
        deadline: float | None = None,
        cancel: threading.Event | None = None,
        keep: bool = False,
    ) -> Run:
        try:
            material = prepare(facts, self.compiled, self._cache, check=_stop(deadline, cancel))
        except OutOfTime as exc:
            return self._unprepared(len(facts), exc)
        if self._cache.current != self._said_context or len(self._said) > _SAID_LIMIT:
            self._said.clear()
            self._said_context = self._cache.current
        followed = self._follow(material, deadline, cancel, keep)
        if followed is None:
            run, phases = self._full_run(material, deadline, cancel, keep)
            excluded = self._excluded
        else:
            run, excluded = followed, frozenset()
        if explain and run.cut_short != "cancelled":
            if followed is not None:
                from kbdoctor.engine.incremental import phases_of

                assert self._kept is not None
                phases = phases_of(self._kept, material[0], self.compiled)
            kept = followed is not None  # a what-if lineage: its probe session is kept too
            run.probes = self._probe(run, phases, deadline, excluded, cancel, kept)
        return run

    def _unprepared(self, given: int, exc: OutOfTime) -> Run:
        """The run of facts whose preparation the budget or a cancel stopped: no rule ran, so
        every rule is unfinished, and no fact was evaluated (facts half prepared never are; see
        ``prepare``)."""
        run = Run(self.compiled, {}, HostRegistry(), [], {}, {}, {})
        run.shapes = [shape for _, _, shape, _ in self._targets]
        run.cut_short = "cancelled" if isinstance(exc, Cancelled) else "time"
        run.unfinished = sorted({r.rule.id for r in self.compiled.rules})
        run.unprepared = given
        return run

    def _follow(
        self,
        material: Material,
        deadline: float | None,
        cancel: threading.Event | None,
        keep: bool,
    ) -> Run | None:
        """The run of these facts from the kept one (see engine/incremental.py), or None when a
        full run must be made: nothing is kept, the host context changed, or the change is one the
        kept session cannot follow. Only a ``keep`` run moves the kept session; any run may reuse
        it when its facts are the kept ones (the explanation of a diagnosis just made)."""
        from kbdoctor.engine import incremental

        kept = self._kept
        if kept is None or kept.context != self._cache.current:
            return None
        prepared, registry, history = material
        by_id = {p.id: p for p in prepared}
        if by_id.keys() == kept.run.facts.keys():
            incremental.refresh(kept, by_id, registry, history)
            self.last_path = "reused"
            return incremental.snapshot(kept)
        if not keep:
            return None
        try:
            followed = incremental.follow(self, kept, by_id, registry, history, deadline, cancel)
        except (OutOfTime, DurableError):
            followed = False
        if not followed:
            self._forget_run()
            return None
        self.last_path = "incremental"
        return incremental.snapshot(kept)

    def forget(self) -> None:
        """End the kept sessions (new rules, a closed case); waits for an evaluation under way
        on another thread."""
        with self._lock:
            self._forget_run()
            probes, self._kept_probes = self._kept_probes, None
            if probes is not None:
                with contextlib.suppress(DurableError):  # reported by the run that hit it
                    probes.end()

    def _forget_run(self) -> None:
        """End the kept session of the rules (a change it cannot follow, or a new full run);
        the probe session, which any facts can be brought to, stays."""
        kept, self._kept = self._kept, None
        if kept is not None:
            with contextlib.suppress(DurableError):  # reported by the run that hit it
                kept.ruleset.end(kept.session)

    def _full_run(
        self,
        material: Material,
        deadline: float | None,
        cancel: threading.Event | None,
        keep: bool,
    ) -> tuple[Run, dict[int, list[dict[str, Any]]]]:
        from kbdoctor.engine import incremental

        prepared, registry, history = material
        self.last_path = "full"
        compiled = self.compiled
        by_id = {p.id: p for p in prepared}
        phases: dict[int, list[dict[str, Any]]] = {}
        asserted: dict[str, list[dict[str, Any]]] = {}  # by fact: what it put into durable
        for item in prepared:
            own = incremental.asserted_of(item, compiled, registry)
            if keep:
                asserted[item.id] = own
            for fact in own:
                phases.setdefault(compiled.phases[fact[TYPE]], []).append(fact)
        run = Run(compiled, by_id, registry, [], {}, {}, {})
        run.types_present = {p.type for p in prepared}
        run.history = history
        run.shapes = [shape for _, _, shape, _ in self._targets]
        seen: set[FiringRecord] = set()
        bounds = _match_bounds(compiled, phases)
        excluded = frozenset(i for i, bound in bounds.items() if bound > MAX_MATCHES_PER_RULE)
        self._excluded = excluded
        ruleset = _without(self, excluded) if excluded else self._ruleset
        keeping = keep and not excluded
        if keep:
            self._forget_run()
        owners: dict[FiringRecord, ConclusionKey] | None = {} if keeping else None
        rounds_of: dict[FiringRecord, int] = {}  # kept: the round each firing came in
        used = (
            ruleset.using(ruleset.kept_session(), deadline, cancel)
            if keeping
            else ruleset.session(deadline, cancel)
        )
        chain = RoundBounds(compiled, bounds, excluded)
        with used as session:
            try:
                for phase in sorted(phases):
                    session.assert_batch(phases[phase])
                pending = _new(session.drain(), seen)
                rounds = 0
                while pending:
                    if keeping:
                        rounds_of.update(dict.fromkeys(pending, rounds + 1))
                    batch = self._conclude(run, pending, session, owners)
                    rounds += 1
                    _check_chaining(run, rounds)
                    _assert_round(run, chain, session, batch)
                    pending = _new(session.drain(), seen)
            except OutOfTime as exc:
                _out_of_time(self, run, session, seen, exc)
            except BaseException:
                if keeping:
                    # nothing of it is kept: the session ends here, unless durable-rules broke
                    # it half-way (then deleting it could crash the process; it is left alone)
                    session.close()
                raise
        if keeping and owners is not None:
            if run.cut_short is None:
                self._kept = incremental.Kept.of(
                    self, ruleset, session, run, (seen, owners, rounds_of), asserted, chain
                )
            else:
                ruleset.end(session)
        run.firings.sort(key=_order)
        for conclusion in run.conclusions.values():
            if len(conclusion.firings) > 1:
                conclusion.firings.sort(key=_order)
        if excluded:
            _add_unfinished(run, [], sorted(excluded), reason="matches")
        run.confidence = _confidences(run)
        if self._kept is not None and self._kept.run is run:
            self._kept.confidence = run.confidence
            self._kept.firings = list(run.firings)
            # the kept run goes on changing with the next edits: the caller gets a copy
            return incremental.snapshot(self._kept), phases
        return run, phases

    def _described(self, run: Run, record: FiringRecord) -> tuple[Subject, dict[str, Any]]:
        """What a firing would conclude: its subject and the values its templates render."""
        said = self._said_of(run, record)
        return said[0], self._values_of(run, record, said)

    def _said_of(self, run: Run, record: FiringRecord) -> list[Any]:
        """[subject, values or None] of a firing, kept between evaluations in one host context
        (a firing that binds a conclusion is not kept: a conclusion's id names its key, not its
        values)."""
        said = self._said.get(record)
        if said is None:
            _, _, shape, template = self._targets[record.rule_index]
            said = [shape.subject(template, run.bindings(record), run.registry), None]
            if not any(ident.startswith(CONCLUSION_ID) for ident in record.ids):
                self._said[record] = said
        return said

    def _values_of(self, run: Run, record: FiringRecord, said: list[Any]) -> dict[str, Any]:
        if said[1] is None:
            templates = self.compiled.rules[record.rule_index].rule.conclude.values
            bindings = run.bindings(record)
            said[1] = {name: render(t, bindings) for name, t in templates.items()}
        values: dict[str, Any] = said[1]
        return values

    def _conclude(
        self,
        run: Run,
        records: list[FiringRecord],
        session: Session | None = None,
        owners: dict[FiringRecord, ConclusionKey] | None = None,
    ) -> list[dict[str, Any]]:
        """Record new firings and their conclusions; return the conclusions that other rules
        consume, as facts to assert (each conclusion is asserted once). With a ``session``, its
        deadline and cancel event are checked before and every ``CHECK_EVERY`` firings (a round
        can bring hundreds of thousands): when it must stop, the rules of the firings not
        recorded are named unfinished and OutOfTime (or Cancelled) is raised. A new conclusion
        past ``conclusion_limit`` raises ChainingStopped the same way, with or without a
        session."""
        batch: list[dict[str, Any]] = []
        oversized: set[int] = set()  # rules whose conclusion would be longer than any text read
        if session is not None and records and session.stopped():
            # nothing is recorded once time is spent: sorting and recording the 114,000 firings
            # of a round cut short took 0.6 s past the deadline
            _add_unfinished(run, [], sorted({r.rule_index for r in records}))
            session.check()
        ordered = sorted(records, key=_order)
        limit = conclusion_limit(run)
        for position, record in enumerate(ordered):
            if session is not None and position % CHECK_EVERY == CHECK_EVERY - 1:
                try:
                    session.check()
                except OutOfTime:
                    _add_unfinished(run, [], _rules_of(ordered[position:]))
                    raise
            kind, target, _, _ = self._targets[record.rule_index]
            said = self._said_of(run, record)
            subject: Subject = said[0]
            key = (kind, target, subject.key)
            conclusion = run.conclusions.get(key)
            values = self._values_of(run, record, said) if conclusion is None else {}
            if self._too_long(subject, values):
                oversized.add(record.rule_index)
                continue
            if conclusion is None and len(run.conclusions) >= limit:
                # checked as each is made: a round that began under the limit added 224,000
                # (and 1.8 GB) before the check between rounds saw it
                _add_unfinished(run, [], _rules_of(ordered[position:]), reason="chaining")
                raise ChainingStopped(f"{len(run.conclusions)} conclusions")
            run.firings.append(record)
            if owners is not None:
                owners[record] = key
            if conclusion is None:
                digest = hashlib.sha1("\0".join(key).encode()).hexdigest()[:12]
                conclusion = Conclusion(
                    key,
                    subject.display,
                    f"{CONCLUSION_ID}{digest}",
                    dict(values),
                    parts=subject.parts,
                    locators=subject.locators,
                )
                run.conclusions[key] = conclusion
                run.by_fact_id[conclusion.fact_id] = conclusion
                asserted = f"{key[0]}:{key[1]}"
                if asserted in self.compiled.consumed_conclusions:
                    batch.append(self._conclusion_fact(conclusion, asserted, run.registry))
            conclusion.firings.append(record)
        if oversized:
            # a subject that doubles each round would reach gigabytes in a few more rounds
            _add_unfinished(run, [], sorted(oversized), reason="chaining")
            raise ChainingStopped(f"conclusion longer than {self._max_text} characters")
        return batch

    def _too_long(self, subject: Subject, values: dict[str, Any]) -> bool:
        """Whether a conclusion's subject or a value of a new conclusion (the values of one
        already made are not kept) would be longer than the texts kbdoctor reads may be."""
        limit = self._max_text
        return max(len(subject.display), len(subject.key)) > limit or any(
            isinstance(v, str) and len(v) > limit for v in values.values()
        )

    def _conclusion_fact(
        self, conclusion: Conclusion, asserted: str, registry: HostRegistry
    ) -> dict[str, Any]:
        kind, ident, subject_key = conclusion.key
        definition = self.base.conclusion_def(kind, ident)
        fact: dict[str, Any] = {"id": conclusion.fact_id, TYPE: asserted, "subject": subject_key}
        for name, value in conclusion.values.items():
            value_kind = definition.values.get(name, "text") if definition else "text"
            if value_kind == "number":
                try:
                    number = float(value)
                except ValueError:
                    continue
                # "nan" and "inf" parse as floats, but they are not numbers a rule can compare:
                # left out, as text that is no number is
                if math.isfinite(number):
                    fact[name] = number
            else:
                fact[name] = name_key(value_kind, value, registry)
        # the features the compiler asked for on this conclusion's fields, computed as
        # normalize computes them on base facts (a short host name compares with a subject's
        # first label whichever operator a rule uses)
        raw = {"subject": conclusion.subject, **conclusion.values}
        for feature in self.compiled.features.get(ident, ()):
            if feature.kind in ("short", "has", "may_be"):
                source = fact.get(feature.field)
                if feature.kind == "short":
                    source = None if source is None else short_name(str(source))
                    fact[feature.name] = source
                    continue
            else:
                source = raw.get(feature.field)
            computed = feature.compute(source)
            if computed is not None:
                fact[feature.name] = computed
        return fact

    # --- WHY NOT ---------------------------------------------------------------------------------

    def _probe(
        self,
        run: Run,
        phases: dict[int, list[dict[str, Any]]],
        deadline: float | None = None,
        excluded: frozenset[int] = frozenset(),
        cancel: threading.Event | None = None,
        keep: bool = False,
    ) -> dict[tuple[int, str], list[tuple[str, ...]]]:
        # WHY NOT is asked only of rules that did not fire (one that fired is "weak", or its
        # firings are the answer): the probes of the others are left out, which at 1,000 servers
        # is most of them and most of their tens of thousands of matches
        fired = {record.rule_index for record in run.firings}
        skipped = excluded | fired
        if len(skipped) >= len(self.compiled.rules):
            return {}
        if skipped and (skipped in self._probe_sets or len(self._probe_sets) < MAX_PROBE_SETS):
            self._probe_sets.add(skipped)
            probe_ruleset = _without(self, skipped, probes=True)
        elif excluded:
            probe_ruleset = _without(self, excluded, probes=True)
        else:
            if self._probe_ruleset is None:
                self._probe_ruleset = ruleset_for(
                    self.compiled.digest + ":probes", lambda: self.compiled.probes(_probe_action)
                )
            probe_ruleset = self._probe_ruleset
        facts = [f for phase in sorted(phases) for f in phases[phase]]
        for conclusion in sorted(run.conclusions.values(), key=lambda c: c.fact_id):
            asserted = f"{conclusion.key[0]}:{conclusion.key[1]}"
            if asserted in self.compiled.consumed_conclusions:
                facts.append(self._conclusion_fact(conclusion, asserted, run.registry))
        if keep:
            return self._probe_kept(run, probe_ruleset, facts, deadline, cancel)
        results: dict[tuple[int, str], list[tuple[str, ...]]] = {}
        with probe_ruleset.session(deadline, cancel) as session:
            try:
                session.assert_batch(facts)
            except OutOfTime:
                _add_unfinished(run, session.unfinished_rules())
            for rule_index, probe, ids in session.drain():
                results.setdefault((rule_index, probe), []).append(ids)
        for value in results.values():
            value.sort()
        return results

    def _probe_kept(
        self,
        run: Run,
        ruleset: Ruleset,
        facts: list[dict[str, Any]],
        deadline: float | None,
        cancel: threading.Event | None,
    ) -> dict[tuple[int, str], list[tuple[str, ...]]]:
        """The probes of a what-if edit, asked of the probe session kept since the last one
        (engine/kept_probes.py). When time runs out it is ended, and the rules it had not
        finished are named as a new session would name them."""
        from kbdoctor.engine.kept_probes import kept_probes

        probes = self._kept_probes = kept_probes(self._kept_probes, ruleset, self._cache.current)
        try:
            return probes.update(facts, deadline, cancel)
        except OutOfTime:
            self._kept_probes = None
            unfinished = probes.session.unfinished_rules()
            with contextlib.suppress(DurableError):
                probes.end()
            _add_unfinished(run, unfinished)
            return {}


_GC_LOCK = threading.Lock()
_GC_HOLDERS = [0]  # runs under way that turned the cyclic collector off


@contextlib.contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector off while a run builds its hundreds of thousands of objects,
    none of them garbage until the run ends (it spent a fifth of a 1,000-server run walking
    them again and again); reference counting still frees everything else. Runs on several
    threads share it: the collector comes back when the last one ends, and only if it was on."""
    with _GC_LOCK:
        if _GC_HOLDERS[0] == 0:
            _GC_WAS_ON[0] = gc.isenabled()
            gc.disable()
        _GC_HOLDERS[0] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_HOLDERS[0] -= 1
            if _GC_HOLDERS[0] == 0 and _GC_WAS_ON[0]:
                gc.enable()


_GC_WAS_ON = [True]


# durable-rules never frees a ruleset: an evaluator builds probe rulesets for at most this many
# sets of rules left out (each what-if edit that changes which rules fire may need one), then
# probes with every rule.
MAX_PROBE_SETS = 16


def _record_action(compiled_rule: CompiledRule) -> Any:
    aliases = [p.alias for p in compiled_rule.positives if p.alias]
    index = compiled_rule.index

    def action(match: Any) -> FiringRecord:
        return FiringRecord(index, bound_ids(match, aliases))

    return action


def _probe_action(probe: str, compiled_rule: CompiledRule, aliases: list[str]) -> Any:
    index = compiled_rule.index

    def action(match: Any) -> tuple[int, str, tuple[str, ...]]:
        return (index, probe, bound_ids(match, aliases))

    return action


def _new(records: list[Any], seen: set[FiringRecord]) -> list[FiringRecord]:
    fresh = []
    for record in records:
        if record not in seen:
            seen.add(record)
            fresh.append(record)
    return fresh


def _shape(base: RuleBase, kind: str, ident: str) -> Shape:
    if kind == "cause":
        return shape_of(kind, base.causes[ident].subject)
    definition = base.conclusion_def(kind, ident)
    return shape_of(kind, definition.subject if definition else "text")


def _confidences(
    run: Run,
    known: dict[ConclusionKey, float] | None = None,
    keys: Iterable[ConclusionKey] | None = None,
) -> dict[ConclusionKey, float]:
    """Certainty of every conclusion, premises first; a cycle contributes nothing. ``known``:
    certainties that still hold, and ``keys``: the conclusions to work out (after an edit,
    those it touched and what rests on them; engine/incremental.py)."""
    result: dict[ConclusionKey, float] = dict(known or {})
    active: set[ConclusionKey] = set()
    # looked up once: this runs after the budget, over every conclusion (0.14 s for 30,000)
    conclusions, by_fact_id = run.conclusions, run.by_fact_id
    factor_of_rule = [compiled.rule.conclude.cf for compiled in run.compiled.rules]

    def value(key: ConclusionKey) -> float:
        found = result.get(key)
        if found is not None:
            return found
        if key in active:
            return 0.0
        active.add(key)
        factors = []
        for record in conclusions[key].firings:
            premises = [value(by_fact_id[i].key) for i in record.ids if i in by_fact_id]
            factors.append(firing_strength(factor_of_rule[record.rule_index], premises))
        active.discard(key)
        found = result[key] = combine(factors)
        return found

    for key in sorted(run.conclusions if keys is None else keys):
        value(key)
    return result


# --- the time budget (--budget) ------------------------------------------------------------------

# Seconds the rules of one evaluation may run by default, on the command line (an ordinary incident
# takes a tenth of that; 1,000 rules on 100 servers about 1.5 s).
DEFAULT_BUDGET_S = 5.0


class Abandoned(Exception):
    """The evaluation was abandoned (``Evaluator.evaluate(abandon=...)``): no report was made."""


# The prefix of a conclusion's fact id (fact ids begin with three letters of their type and '-').
CONCLUSION_ID = "c-"
# Firings whose subject and values are kept between evaluations (about 1 KiB each).
_SAID_LIMIT = 200_000


# Firings recorded between two checks of the deadline and the cancel event.
CHECK_EVERY = 1_024


# Chaining stops after this many rounds, or once there are this many conclusions or, with more
# facts, as many conclusions as facts (rules that keep concluding new subjects from each other's
# conclusions, such as a subject that grows by a letter a round, would otherwise run until memory
# is gone). The knowledge base chains two or three rounds and concludes about 0.6 per fact (59,037
# on 96,671 facts, the most a run reads by default). Every conclusion costs some 6 KB and 60 us
# when the report is built, and every one that rules bind some 9 KB in durable-rules: stopped at
# 200,000, a self-join of conclusions left 1.3 GB and a report of 20 s to build.
MAX_CHAIN_ROUNDS = 100
MAX_CONCLUSIONS = 50_000


def conclusion_limit(run: Run) -> int:
    """How many conclusions this run may make (MAX_CONCLUSIONS, or one per fact evaluated)."""
    return max(MAX_CONCLUSIONS, len(run.facts))


class ChainingStopped(OutOfTime):
    """Chaining went past MAX_CHAIN_ROUNDS rounds or ``conclusion_limit`` conclusions, or a round
    of conclusions could take a rule past MAX_MATCHES_PER_RULE matches."""


def _check_chaining(run: Run, rounds: int) -> None:
    """Between two rounds: the number of rounds (conclusions are counted as they are made)."""
    if rounds > MAX_CHAIN_ROUNDS:
        raise ChainingStopped(f"{rounds} rounds, {len(run.conclusions)} conclusions")


def _assert_round(
    run: Run, chain: RoundBounds, session: Session, batch: list[dict[str, Any]]
) -> None:
    """Assert a round of conclusions, a few at a time where each brings many matches (see
    engine/chain_bounds.py). Raises ChainingStopped instead, before any is asserted, when the
    rules that bind them could keep more matches than the facts given may make them keep
    (MAX_MATCHES_PER_RULE), and TooManyFirings once the round brings more firings than
    conclusions may still be made (a self-join of 525 conclusions brought 274,500)."""
    if not batch:
        return
    chain.add(batch)
    over = chain.over(MAX_MATCHES_PER_RULE)
    if over:
        _add_unfinished(run, [], over, reason="chaining")
        raise ChainingStopped(f"rules {over} could keep over {MAX_MATCHES_PER_RULE} matches")
    chunk = chain.chunk({str(fact[TYPE]) for fact in batch})
    session.assert_batch(batch, chunk, most=conclusion_limit(run) - len(run.conclusions) + 1)


def _order(record: FiringRecord) -> tuple[int, tuple[str, ...]]:
    """The order of ``FiringRecord``'s fields, as a key: sorting 165,000 records by the
    dataclass's own comparison took a second."""
    return record.rule_index, record.ids


def _rules_of(records: Iterable[FiringRecord]) -> list[int]:
    return sorted({record.rule_index for record in records})


def _out_of_time(
    evaluator: Evaluator, run: Run, session: Session, seen: set[FiringRecord], exc: OutOfTime
) -> None:
    """The budget ran out (or chaining was stopped) between two assertions: keep what fired,
    and name the rules that did not see every fact, with every rule that binds a conclusion."""
    if isinstance(exc, (ChainingStopped, TooManyFirings)):
        run.cut_short = "chaining"
    else:
        run.cut_short = "cancelled" if isinstance(exc, Cancelled) else "time"
    pending = _new(session.drain(), seen)
    # what fired before the stop was noticed is recorded while time remains (none remains after
    # a spent budget or a cancel: recording 100,000 firings takes seconds); the firings not
    # recorded are named unfinished by _conclude
    with contextlib.suppress(OutOfTime):
        evaluator._conclude(run, pending, session)
    chaining = [
        r.index for r in evaluator.compiled.rules if any(p.kind != "fact" for p in r.positives)
    ]
    _add_unfinished(run, session.unfinished_rules(), chaining)


def _add_unfinished(
    run: Run, keys: list[str], indexes: Sequence[int] = (), reason: str = "time"
) -> None:
    """Record as unfinished the rules of durable rule keys (``r0012``, ``r0012_prefix1``)."""
    found = {_rule_index(key) for key in keys}
    found.update(indexes)
    ids = {run.compiled.rules[i].rule.id for i in found if 0 <= i < len(run.compiled.rules)}
    run.unfinished = sorted(ids | set(run.unfinished or ()))
    run.cut_short = run.cut_short or reason


def _rule_index(key: str) -> int:
    """The compiled rule a durable rule key belongs to (``r0012``, ``r0012_prefix1``: 12)."""
    number = key[1:].split("_", 1)[0]
    return int(number) if key[:1] == "r" and number.isdigit() else -1


# A rule that could keep more matches than this for the facts of one evaluation is not run (six
# bindings joined on a field most facts share reached 14.7 GB); the report names it.
MAX_MATCHES_PER_RULE = 1_000_000


def _match_bounds(compiled: Compiled, phases: dict[int, list[dict[str, Any]]]) -> dict[int, int]:
    """Per rule, how many matches it could keep (``Compiled.match_bounds``); a rule over
    MAX_MATCHES_PER_RULE is left out of the run."""
    facts = [fact for batch in phases.values() for fact in batch]
    return compiled.match_bounds(facts, MAX_MATCHES_PER_RULE)


def _without(evaluator: Evaluator, excluded: frozenset[int], *, probes: bool = False) -> Ruleset:
    """The evaluator's ruleset (or its WHY-NOT probes) without some rules, built once per set."""
    compiled = evaluator.compiled
    name = "probes" if probes else "rules"
    digest = f"{compiled.digest}:{name}-without:{','.join(map(str, sorted(excluded)))}"

    def build() -> dict[str, Any]:
        every = compiled.probes(_probe_action) if probes else compiled.ruleset(_record_action)
        return {k: v for k, v in every.items() if _rule_index(k) not in excluded}

    return ruleset_for(digest, build)


def _stop(deadline: float | None, cancel: threading.Event | None) -> Callable[[], None] | None:
    """What preparing the facts calls to learn that it must stop: raises Cancelled or OutOfTime,
    as a durable-rules session does between two assertions."""
    if deadline is None and cancel is None:
        return None

    def check() -> None:
        if cancel is not None and cancel.is_set():
            raise Cancelled("cancelled while preparing the facts")
        if deadline is not None and time.monotonic() > deadline:
            raise OutOfTime("the budget ran out while preparing the facts")

    return check


def _with_budget(report: Report, run: Run, budget: float | None) -> Report:
    """The report, with the budget's outcome when the evaluation was cut short."""
    if run.unfinished is None:
        return report
    reason = run.cut_short if run.cut_short in ("chaining", "matches", "cancelled") else "time"
    outcome = BudgetReport(
        seconds=budget,
        unfinished_rules=run.unfinished,
        reason=reason,
        before_rules=run.unprepared is not None,
    )
    return report.model_copy(update={"budget": outcome})
