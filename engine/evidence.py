"""HOW a conclusion was reached, as the report shows it: each firing with the rule, what it
contributed, its text with the values bound, and the facts and conclusions it stood on; each fact
as evidence with the older observations it replaced; and the readings of one moment that
contradicted a kept fact, which the report warns of.

Both the report (:mod:`kbdoctor.engine.report_building`) and WHY-NOT
(:mod:`kbdoctor.engine.why_not`, whose "blocked by" names facts) show facts this way, so one
fact is written out once per report however many firings name it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kbdoctor.engine.certainty import PREMISE_THRESHOLD, firing_strength
from kbdoctor.engine.evaluate import ConclusionKey, FiringRecord, Run
from kbdoctor.engine.fact_places import fact_places
from kbdoctor.engine.facts import ClockOffset, Fact
from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.names import HostRegistry
from kbdoctor.engine.normalize import parent_id
from kbdoctor.engine.observations import observation
from kbdoctor.engine.presentation import fact_summary
from kbdoctor.engine.report import ConclusionRef, DisagreeingReadings, FactRef, Firing
from kbdoctor.engine.report_texts import ReportTexts


class Evidence:
    """The facts and firings of one run, written out in one language (each fact once)."""

    def __init__(self, run: Run, lang: Lang) -> None:
        self.run = run
        self.lang = lang
        self.base = run.compiled.base
        self.texts = ReportTexts(lang)
        self._fact_refs: dict[str, FactRef] = {}
        # the run's conclusions by what they conclude (kind, id): each cause and finding asks
        # for its own, and scanning thousands of conclusions once per question was a fifth of
        # a 1,000-server report
        self._by_target: dict[tuple[str, str], list[ConclusionKey]] | None = None

    def fact_ref(self, ident: str) -> FactRef:
        ref = self._fact_refs.get(ident)
        if ref is None:
            prepared = self.run.facts[ident]
            ref = self._ref(ident, prepared.fact, prepared.display)
            self._fact_refs[ident] = ref
        return ref

    def _ref(self, ident: str, fact: Any, display: dict[str, Any]) -> FactRef:
        """A fact as evidence, with the older observations it replaced as its history."""
        fields = {
            k: v
            for k, v in fact.__dict__.items()
            if v is not None and k not in ("provenance", "observed_at")
        }
        source = (
            {k: v for k, v in fact.provenance.__dict__.items() if v is not None}
            if fact.provenance
            else None
        )
        history = [
            self._ref(old_id, old, {**old.__dict__, "id": old_id})
            for old_id, old, _ in self.run.history.get(ident, [])
        ]
        # Built without re-validation: every value comes from validated facts.
        return FactRef.model_construct(
            id=ident,
            type=fact.type,
            summary=fact_summary(display, fact.type, self.lang),
            fields=fields,
            source=source,
            history=history,
        )

    def disagreeing_readings(self, files: Sequence[str] = ()) -> list[DisagreeingReadings]:
        """Each kept fact that readings of its moment contradicted, with those readings (its
        history holds them among older observations; a report warns of these alone), by id so
        that neither file nor fact order decides the order. A reading that does not say where
        it was read is placed in the fact ``files`` it was written in."""
        out: list[DisagreeingReadings] = []
        for ident, replaced in sorted(self.run.history.items()):
            if not any(entry.disagrees for entry in replaced):
                continue
            ref = self.fact_ref(ident)
            others = [
                old for old, entry in zip(ref.history, replaced, strict=True) if entry.disagrees
            ]
            kept = self.run.facts[ident].fact
            against = [entry.fact for entry in replaced if entry.disagrees]
            out.append(
                DisagreeingReadings.model_construct(
                    fact=ident,
                    type=ref.type,
                    differing_fields=differing_fields(kept, against, self.run.registry),
                    summary=ref.summary,
                    fields=ref.fields,
                    source=ref.source,
                    others=others,
                )
            )
        unplaced = {
            ident
            for entry in out
            for ident, source in (
                (entry.fact, entry.source),
                *((o.id, o.source) for o in entry.others),
            )
            if source is None or not source.get("file")
        }
        if not unplaced:
            return out
        places = fact_places(files, unplaced)
        return [
            entry.model_copy(
                update={
                    "read_from": {
                        ident: places[ident]
                        for ident in (entry.fact, *(o.id for o in entry.others))
                        if ident in places
                    }
                }
            )
            for entry in out
        ]

    def firing(self, record: FiringRecord) -> Firing:
        compiled = self.run.compiled.rules[record.rule_index]
        rule = compiled.rule
        bindings = self.run.bindings(record)
        facts: list[FactRef] = []
        premises: list[ConclusionRef] = []
        premise_cfs: list[float] = []
        for ident in record.ids:
            base_id = parent_id(ident)
            if base_id in self.run.facts:
                ref = self.fact_ref(base_id)
                if ref not in facts:
                    facts.append(ref)
            elif ident in self.run.by_fact_id:
                conclusion = self.run.by_fact_id[ident]
                confidence = self.run.confidence[conclusion.key]
                premise_cfs.append(confidence)
                premises.append(
                    ConclusionRef(
                        kind=conclusion.key[0],
                        id=conclusion.key[1],
                        subject=conclusion.subject,
                        confidence=confidence,
                    )
                )
        contribution = round(firing_strength(rule.conclude.cf, premise_cfs), 6)
        note = None
        if premise_cfs and min(premise_cfs) <= PREMISE_THRESHOLD:
            note = text("why_not.weak_premise", self.lang, threshold=PREMISE_THRESHOLD)
        return Firing.model_construct(
            rule=rule.id,
            rule_title=rule.title.get(self.lang),
            rule_status=rule.status,
            rule_cf=rule.conclude.cf,
            contribution=contribution,
            subject=self.run.subject(record).display,
            text=self.texts.text(rule.explain.get(self.lang), bindings),
            facts=facts,
            premises=premises,
            note=note,
            pack=self.base.rule_pack[rule.id].pack if len(self.base.packs) > 1 else None,
            cf_set_by=self.base.changed[rule.id][0] if rule.id in self.base.changed else None,
        )

    def conclusions_of(self, kind: str, ident: str) -> list[tuple[ConclusionKey, float]]:
        if self._by_target is None:
            self._by_target = {}
            for key in self.run.conclusions:
                self._by_target.setdefault((key[0], key[1]), []).append(key)
        confidence = self.run.confidence
        return sorted(
            ((key, confidence[key]) for key in self._by_target.get((kind, ident), ())),
            key=lambda item: (-item[1], item[0]),
        )

    def of(self, keys: list[ConclusionKey]) -> list[Firing]:
        """Every firing behind ``keys``, the strongest first (then by rule, subject, facts)."""
        firings = [self.firing(r) for key in keys for r in self.run.conclusions[key].firings]
        return sorted(
            firings,
            key=lambda f: (-abs(f.contribution), f.rule, f.subject, [x.id for x in f.facts]),
        )


def differing_fields(kept: Fact, others: list[Fact], registry: HostRegistry) -> list[str]:
    """The fields in which readings of one thing disagree, compared as the engine compared them
    when it chose one (names through the registry, lists as sets, text without case): a summary
    need not show the field that differs (a queue's message count), and a name spelled otherwise
    is no disagreement."""
    if isinstance(kept, ClockOffset):  # one value, the offset, turned to the pair's one order
        return ["offset_s"]
    mine = dict(_reading(kept, registry))
    return sorted(
        {
            name
            for other in others
            for name, value in _reading(other, registry)
            if mine.get(name) != value
        }
    )


def _reading(fact: Fact, registry: HostRegistry) -> tuple[tuple[str, object], ...]:
    """What a state says about the thing it observes: its fields other than those naming it."""
    seen = observation(fact, registry)
    # only a state is kept over a reading that disagrees with it
    assert seen is not None
    assert seen.state
    return tuple(seen.value)
