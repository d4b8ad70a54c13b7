"""From the record of a run to the report: HOW each conclusion was reached, WHY NOT for the causes
that were not, what to collect for causes no fact spoke to, and what to do next.

Everything here is sorted explicitly (by confidence, then id), never left in firing order.
"""

from __future__ import annotations

from typing import Any

from kbdoctor.engine.compiler import CompiledRule
from kbdoctor.engine.evaluate import Conclusion, ConclusionKey, FiringRecord, Run
from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.normalize import parent_id
from kbdoctor.engine.paths import failing_paths, organisation, place
from kbdoctor.engine.presentation import fact_summary
from kbdoctor.engine.report import (
    DIAGNOSIS_THRESHOLD,
    SCOPE_RANK,
    CauseReport,
    CauseStatus,
    Collect,
    Command,
    ConclusionRef,
    FactRef,
    FailingPathReport,
    FindingReport,
    Firing,
    Inputs,
    Miss,
    MissReason,
    RecommendationReport,
    Report,
    RulePackInfo,
    Scope,
    SubjectAssessment,
    SymptomReport,
)
from kbdoctor.engine.rules_model import Absent, Step, Where
from kbdoctor.engine.rules_model import Collect as RuleCollect
from kbdoctor.engine.subjects import unknown
from kbdoctor.engine.templates import placeholders, render


def build_report(
    run: Run, *, lang: Lang, explain: bool, files: list[str], environment: dict[str, str]
) -> Report:
    builder = _Builder(run, lang)
    causes = [builder.cause(ident, explain) for ident in sorted(run.compiled.base.causes)]
    causes.sort(key=_rank)
    symptoms = builder.symptoms()
    recommendations = builder.recommendations(causes, symptoms)
    base = run.compiled.base
    return Report(
        lang=lang,
        inputs=Inputs(
            files=files,
            facts=len(run.facts),
            environment=dict(sorted(environment.items())),
            rule_packs=[
                RulePackInfo(
                    pack=p.pack,
                    file=_short_path(p.file),
                    version=p.model.version,
                    rules=len(p.rules),
                    sha256=p.sha256,
                    disabled=sorted(r for r, by in base.disabled.items() if by == p.pack),
                    changed=sorted(r for r, (by, _) in base.changed.items() if by == p.pack),
                )
                for p in base.packs
            ],
        ),
        symptoms=symptoms,
        diagnoses=[c for c in causes if c.status == "diagnosed"],
        not_assessed=sorted(c.cause for c in causes if c.status == "not_assessed"),
        recommendations=recommendations,
        causes=causes,
        findings=builder.findings(),
        explained=explain,
        failing_paths=[
            FailingPathReport(
                sender=p.sender_name,
                receiver=p.receiver_name,
                domain_controllers=sorted(builder.org.fqdn.get(dc, dc) for dc in p.dcs),
                rules=list(p.rules),
            )
            for p in builder.paths
        ],
    )


def _rank(cause: CauseReport) -> tuple[int, float, str]:
    """Believed causes on a failing path first, then those the facts cannot place, then latent
    problems; within each, the most believed first."""
    scope = SCOPE_RANK[cause.scope] if cause.confidence > 0 else len(SCOPE_RANK)
    return (scope, -cause.confidence, cause.cause)


def _short_path(path: str) -> str:
    marker = "kb_rules/"
    return path[path.rindex(marker) :] if marker in path else path


class _Builder:
    def __init__(self, run: Run, lang: Lang) -> None:
        self.run = run
        self.lang = lang
        self.base = run.compiled.base
        self._fact_refs: dict[str, FactRef] = {}
        self.org = organisation(run)
        self.paths = failing_paths(run, self.org)
        self._placed: dict[tuple[tuple[str | None, str], ...], bool | None] = {}
        # the steps that end every fix of a pack's causes
        self.verify = [step for pack in self.base.packs for step in pack.model.verify]

    # --- facts and firings -----------------------------------------------------------------------

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
            for old_id, old in self.run.history.get(ident, [])
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
        from kbdoctor.engine.certainty import PREMISE_THRESHOLD, firing_strength

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
            text=render(rule.explain.get(self.lang), bindings),
            facts=facts,
            premises=premises,
            note=note,
            pack=self.base.rule_pack[rule.id].pack if len(self.base.packs) > 1 else None,
            cf_set_by=self.base.changed[rule.id][0] if rule.id in self.base.changed else None,
        )

    def conclusions_of(self, kind: str, ident: str) -> list[tuple[ConclusionKey, float]]:
        return sorted(
            (
                (key, self.run.confidence[key])
                for key in self.run.conclusions
                if key[0] == kind and key[1] == ident
            ),
            key=lambda item: (-item[1], item[0]),
        )

    def evidence(self, keys: list[ConclusionKey]) -> list[Firing]:
        firings = [self.firing(r) for key in keys for r in self.run.conclusions[key].firings]
        return sorted(
            firings,
            key=lambda f: (-abs(f.contribution), f.rule, f.subject, [x.id for x in f.facts]),
        )

    # --- causes --------------------------------------------------------------------------------

    def cause(self, ident: str, explain: bool) -> CauseReport:
        definition = self.base.causes[ident]
        assessed = self.conclusions_of("cause", ident)
        placed = {
            key: self.place(self.run.conclusions[key].locators)
            for key, _ in assessed
        }
        # one per subject (thousands in a large organisation), built without re-validation:
        # every value is a string, float or bool the engine computed
        subjects = [
            SubjectAssessment.model_construct(
                subject=self.run.conclusions[key].subject,
                confidence=cf,
                on_failing_path=placed[key],
                suppressed=False,
            )
            for key, cf in assessed
        ]
        confidence, scope = self._weigh(assessed, placed)
        spoken = bool(set(definition.assessed_by) & self.run.types_present) or bool(assessed)
        status: CauseStatus
        if confidence >= DIAGNOSIS_THRESHOLD:
            status = "diagnosed"
        elif confidence > 0:
            status = "possible"
        elif confidence < 0:
            status = "ruled_out"
        elif spoken:
            status = "no_evidence"
        else:
            status = "not_assessed"
        positive = [(key, cf) for key, cf in assessed if cf > 0]
        positive.sort(key=lambda item: (placed[item[0]] is not True, -item[1], item[0]))
        remediation = (
            self.remediation([*definition.remediation, *self.verify], positive) if positive else []
        )
        collect = []
        if status in ("not_assessed", "no_evidence") or (status != "diagnosed" and explain):
            collect = [item for c in definition.collect for item in self.collect_steps(c)]
        why_not: list[Miss] = []
        if explain and status != "diagnosed":
            why_not = self.why_not("cause", ident)
        kb_article = (
            self.base.packs[0].model.kb.article
            if self.base.packs and self.base.packs[0].model.kb
            else None
        )
        return CauseReport(
            cause=ident,
            status=status,
            confidence=round(confidence, 4),
            title=definition.title.get(self.lang),
            description=definition.description.get(self.lang),
            kb_steps=definition.kb_steps,
            kb=text(
                "report.kb_ref",
                self.lang,
                article=kb_article,
                steps=", ".join(map(str, definition.kb_steps)),
            )
            if kb_article
            else None,
            url=definition.url,
            subjects=subjects,
            evidence=self.evidence(_telling(assessed, confidence)),
            remediation=remediation,
            why_not=why_not,
            collect=collect,
            scope=scope,
        )

    def place(self, locators: tuple[tuple[str | None, str], ...]) -> bool | None:
        """Whether a subject lies on a failing path; many subjects name the same machines."""
        if locators not in self._placed:
            self._placed[locators] = place(locators, self.paths, self.org)
        return self._placed[locators]

    def collect_steps(self, step: RuleCollect) -> list[Collect]:
        """A collection step written out for the machines of this organisation."""
        if step.for_each is None:
            return [
                Collect(
                    facts=step.facts,
                    text=step.text.get(self.lang),
                    command=step.command,
                    shell=step.shell,
                )
            ]
        rows = self._machines(step.for_each)
        if not rows:
            if step.fallback is None:
                return []
            return [
                Collect(
                    facts=step.facts,
                    text=step.fallback.text.get(self.lang),
                    command=step.fallback.command,
                    shell=step.fallback.shell,
                )
            ]
        return [
            Collect(
                facts=step.facts,
                text=render(step.text.get(self.lang), values),
                command=render(step.command, values) if step.command else None,
                run_on=values.get("server") or values.get("dc"),
                shell=step.shell,
            )
            for values in rows
        ]

    def _machines(self, kind: str) -> list[dict[str, str]]:
        """The Exchange servers and DCs to collect from: the parties of the failing paths when
        the symptoms name them, else every one the facts know; at most ``COLLECT_LIMIT`` rows."""
        org = self.org
        on_path = {h for p in self.paths for h in (p.sender, p.receiver) if h}
        path_dcs = {dc for p in self.paths for dc in p.dcs}
        servers = sorted(on_path & set(org.exchange)) or sorted(org.exchange)
        dcs = sorted(path_dcs) or sorted(org.dcs)
        server_rows = [
            {"server": org.names.get(s, s), "server_fqdn": org.fqdn.get(s, s)} for s in servers
        ]
        dc_rows = [
            {"dc": org.fqdn.get(d, org.names.get(d, d)), "dc_name": org.names.get(d, d)}
            for d in dcs
        ]
        if kind == "server":
            rows = server_rows
        elif kind == "dc":
            rows = dc_rows
        else:
            rows = [{**s, **d} for s in server_rows for d in dc_rows]
        return rows[:COLLECT_LIMIT]

    def _weigh(
        self, assessed: list[tuple[ConclusionKey, float]], placed: dict[ConclusionKey, bool | None]
    ) -> tuple[float, Scope]:
        """A cause's confidence is that of its most believed subject. When the symptoms name
        failing paths, subjects on them come first and latent ones last; and a cause is ruled out
        only by subjects observed healthy on a path (or by a check that covers every subject, such
        as ``setspn -X``), never by healthy observations of other machines."""
        positive = [(key, cf) for key, cf in assessed if cf > 0]
        negative = [(key, cf) for key, cf in assessed if cf < 0]
        if not self.paths:
            if positive:
                return max(cf for _, cf in positive), "unknown"
            return (min(cf for _, cf in negative) if negative else 0.0), "unknown"
        order: tuple[tuple[bool | None, Scope], ...] = (
            (True, "failing_path"),
            (None, "unknown"),
            (False, "latent"),
        )
        for wanted, scope in order:
            chosen = [cf for key, cf in positive if placed[key] is wanted]
            if chosen:
                return max(chosen), scope
        telling = [
            cf
            for key, cf in negative
            if placed[key] is True
            or all(host is None for host, _ in self.run.conclusions[key].locators)
        ]
        return (min(telling) if telling else 0.0), "failing_path" if telling else "unknown"

    def remediation(
        self, steps: list[Step], assessed: list[tuple[ConclusionKey, float]]
    ) -> list[Command]:
        """The steps of a fix, for the machines of this organisation: each step once per
        distinct text and command, in the order the cause lists them, the subjects on a failing
        path first. Steps that name a machine the facts do not know are left out."""
        out: list[Command] = []
        seen: set[tuple[str, str | None]] = set()
        org_values = {"pdc": self.org.pdc}
        # the failing paths each subject lies on: a fix is proven on those
        on_paths = {
            key: self._path_values(self.run.conclusions[key].locators)
            for key, cf in assessed
            if cf > 0
        }
        for step in steps:
            if step.when == "pdc_known" and not self.org.pdc:
                continue
            if step.when == "pdc_unknown" and self.org.pdc:
                continue
            for key, cf in assessed:
                if cf <= 0:
                    continue
                conclusion = self.run.conclusions[key]
                path_values = on_paths[key]
                if step.when == "path_known" and not path_values:
                    continue
                for record in conclusion.firings:
                    rule = self.run.compiled.rules[record.rule_index].rule
                    if rule.conclude.cf <= 0:
                        continue
                    bindings = self.run.bindings(record)
                    values: dict[str, Any] = {
                        "subject": conclusion.subject,
                        **conclusion.parts,
                        **{n: render(t, bindings) for n, t in rule.conclude.values.items()},
                        "org": org_values,
                    }
                    for path in path_values or [{}]:
                        self._add_step(out, seen, step, {**values, "path": path}, conclusion)
        return out

    def _path_values(self, locators: tuple[tuple[str | None, str], ...]) -> list[dict[str, str]]:
        out = []
        for path in self.paths:
            if path.sender is None or path.receiver is None:
                continue
            if place(locators, [path], self.org) is not True:
                continue
            out.append(
                {
                    "sender": path.sender_name or path.sender,
                    "receiver": path.receiver_name or path.receiver,
                    "receiver_fqdn": self.org.fqdn.get(path.receiver, path.receiver),
                }
            )
        return out

    def _add_step(
        self,
        out: list[Command],
        seen: set[tuple[str, str | None]],
        step: Step,
        values: dict[str, Any],
        conclusion: Conclusion,
    ) -> None:
        used = [
            template
            for template in (step.run_on, step.command, step.text.en)
            if template is not None
        ]
        if any(unknown(_lookup(values, name, sub)) for t in used for name, sub in placeholders(t)):
            return  # a step that would name a machine or value the facts do not give
        run_on = None
        if step.run_on is not None:
            run_on = render(step.run_on, values).strip()
            if step.not_on_pdc and self.org.pdc_key == self.run.registry.key(run_on):
                return
        command = render(step.command, values) if step.command else None
        line = render(step.text.get(self.lang), values)
        if (line, command) in seen:
            return
        seen.add((line, command))
        out.append(
            Command(
                text=line,
                command=command,
                subject=conclusion.subject,
                run_on=run_on,
                shell=step.shell,
            )
        )

    # --- WHY NOT -------------------------------------------------------------------------------

    def why_not(self, kind: str, ident: str) -> list[Miss]:
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
            misses.append(self._probe_miss(compiled))
        return misses

    def _probe_miss(self, compiled: CompiledRule) -> Miss:
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
                refs = [self.fact_ref(i) for i in blocking[:5] if i in self.run.facts]
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

    # --- symptoms, findings, recommendations -----------------------------------------------------

    def symptoms(self) -> list[SymptomReport]:
        out = []
        for ident, definition in self.base.symptoms.items():
            assessed = [(k, cf) for k, cf in self.conclusions_of("symptom", ident) if cf > 0]
            if not assessed:
                continue
            out.append(
                SymptomReport(
                    id=ident,
                    title=definition.title.get(self.lang),
                    confidence=round(max(cf for _, cf in assessed), 4),
                    subjects=[
                        SubjectAssessment(subject=self.run.conclusions[k].subject, confidence=cf)
                        for k, cf in assessed
                    ],
                    evidence=self.evidence([k for k, _ in assessed]),
                )
            )
        return sorted(out, key=lambda s: (-s.confidence, s.id))

    def findings(self) -> list[FindingReport]:
        out = []
        for key in sorted(self.run.conclusions):
            if key[0] != "finding":
                continue
            definition = self.base.findings[key[1]]
            confidence = self.run.confidence[key]
            out.append(
                FindingReport(
                    id=key[1],
                    title=definition.title.get(self.lang),
                    subject=self.run.conclusions[key].subject,
                    confidence=round(confidence, 4),
                    evidence=self.evidence([key]),
                    remediation=self.remediation(definition.remediation, [(key, confidence)])
                    if confidence >= DIAGNOSIS_THRESHOLD
                    else [],
                )
            )
        return sorted(out, key=lambda f: (-f.confidence, f.id, f.subject))

    def recommendations(
        self, causes: list[CauseReport], symptoms: list[SymptomReport]
    ) -> list[RecommendationReport]:
        out: list[RecommendationReport] = []
        present = {s.id for s in symptoms if s.confidence >= DIAGNOSIS_THRESHOLD}
        # a latent problem elsewhere does not explain the symptom: it still needs its cause found
        best = max((c.confidence for c in causes if c.scope != "latent"), default=0.0)
        for ident, definition in sorted(self.base.recommendations.items()):
            concluded = [
                (k, cf)
                for k, cf in self.conclusions_of("recommendation", ident)
                if cf >= DIAGNOSIS_THRESHOLD
            ]
            reason = None
            values: dict[str, Any] = {}
            if concluded:
                key = concluded[0][0]
                values = {
                    "subject": self.run.conclusions[key].subject,
                    **self.run.conclusions[key].values,
                }
                reason = "; ".join(f.text for f in self.evidence([k for k, _ in concluded]))
            elif definition.when is not None:
                matched = sorted(present & set(definition.when.symptoms_any))
                if matched and best < definition.when.no_cause_at_least:
                    reason = text(
                        "report.recommendation_reason",
                        self.lang,
                        symptoms=", ".join(matched),
                        threshold=definition.when.no_cause_at_least,
                    )
            if reason is None:
                continue
            out.append(
                RecommendationReport(
                    id=ident,
                    title=definition.title.get(self.lang),
                    text=render(definition.text.get(self.lang), values),
                    kb_steps=definition.kb_steps,
                    steps=[
                        Command(
                            text=render(s.text.get(self.lang), values),
                            command=render(s.command, values) if s.command else None,
                        )
                        for s in definition.steps
                    ],
                    reason=reason,
                )
            )
        return out


# More rows than this in one collection step would bury the ticket: a 500-server organisation
# without a failing path gets the first ones (in name order).
COLLECT_LIMIT = 24


def _lookup(values: dict[str, Any], name: str, sub: str | None) -> Any:
    value = values.get(name)
    if sub is not None:
        return value.get(sub) if isinstance(value, dict) else None
    return value


def _telling(assessed: list[tuple[ConclusionKey, float]], confidence: float) -> list[ConclusionKey]:
    """The subjects whose evidence explains a cause's confidence: those on the same side of zero
    (a clock skewed on one server is not explained by the thousand clocks that are fine; a cause
    ruled out is explained by what ruled it out)."""
    if confidence > 0:
        return [key for key, cf in assessed if cf > 0]
    if confidence < 0:
        return [key for key, cf in assessed if cf < 0]
    return [key for key, _ in assessed]


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
    builder = _Builder(run, lang)
    for compiled in run.compiled.rules:
        if compiled.rule.id == rule_id:
            fired = [builder.firing(r) for r in run.firings if r.rule_index == compiled.index]
            return fired, None if fired else builder._probe_miss(compiled)
    return [], None
