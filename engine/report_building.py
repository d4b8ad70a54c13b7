"""From the record of a run to the report (``report/1``): the causes ranked with their subjects,
scope and status, the symptoms, findings and recommendations, each with the HOW of its evidence
(:mod:`kbdoctor.engine.evidence`), the WHY NOT of causes not diagnosed when asked
(:mod:`kbdoctor.engine.why_not`), and the steps of a fix or a collection written out for this
organisation (:mod:`kbdoctor.engine.steps`).

Everything here is sorted explicitly (by confidence, then id), never left in firing order.
"""

from __future__ import annotations

from typing import Any

from kbdoctor.engine.cut_short import cut_short_rules, producers
from kbdoctor.engine.evaluate import ConclusionKey, Run
from kbdoctor.engine.evidence import Evidence
from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.paths import failing_paths, organisation, place, verdicts_for
from kbdoctor.engine.report import (
    DIAGNOSIS_THRESHOLD,
    SCOPE_RANK,
    CauseReport,
    CauseStatus,
    Collect,
    Command,
    FailingPathReport,
    FindingReport,
    Inputs,
    Miss,
    RecommendationReport,
    Report,
    RulePackInfo,
    Scope,
    SubjectAssessment,
    SymptomReport,
)
from kbdoctor.engine.steps import Steps
from kbdoctor.engine.why_not import WhyNot


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
            facts=len(run.facts) if run.unprepared is None else run.unprepared,
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
        disagreeing_readings=builder.evidence.disagreeing_readings(files),
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
        self.org = organisation(run)
        self.paths = failing_paths(run, self.org)
        self.evidence = Evidence(run, lang)
        self.why_not = WhyNot(run, lang, self.evidence)
        self.steps = Steps(run, lang, self.org, self.paths)
        self._placed = verdicts_for(self.paths, self.org)
        # the steps that end every fix of a pack's causes
        self.verify = [step for pack in self.base.packs for step in pack.model.verify]
        self.concluders = producers(run.compiled)
        self.cut = cut_short_rules(run, self.concluders)

    # --- causes --------------------------------------------------------------------------------

    def cause(self, ident: str, explain: bool) -> CauseReport:
        definition = self.base.causes[ident]
        assessed = self.evidence.conclusions_of("cause", ident)
        placed = {key: self.place(self.run.conclusions[key].locators) for key, _ in assessed}
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
        # a rule of this cause (or one it builds on) did not finish: what it would have said is
        # missing, so an absence of evidence, or evidence against, says nothing
        incomplete = bool(self.cut & self.concluders.get(("cause", ident), set()))
        status: CauseStatus
        if confidence >= DIAGNOSIS_THRESHOLD:
            status = "diagnosed"
        elif confidence > 0:
            status = "possible"
        elif incomplete:
            status = "not_assessed"
        elif confidence < 0:
            status = "ruled_out"
        elif spoken:
            status = "no_evidence"
        else:
            status = "not_assessed"
        positive = [(key, cf) for key, cf in assessed if cf > 0]
        positive.sort(key=lambda item: (placed[item[0]] is not True, -item[1], item[0]))
        remediation = (
            self.steps.remediation([*definition.remediation, *self.verify], positive)
            if positive
            else []
        )
        collect: list[Collect] = []
        # facts given but never prepared (the budget ran out first) were not looked at: what
        # they lack is unknown, and a step for evidence they may well hold would mislead
        # (nor when rules that would have read them did not finish: the step would ask for what
        # the facts may hold)
        looked = self.run.unprepared is None and not incomplete
        if looked and (
            status in ("not_assessed", "no_evidence") or (status != "diagnosed" and explain)
        ):
            collect = [item for c in definition.collect for item in self.steps.collect_steps(c)]
        why_not: list[Miss] = []
        if explain and status != "diagnosed":
            # WHY NOT of a rule that did not finish, or that builds on one, would say what the
            # rule never got to see
            why_not = [m for m in self.why_not.misses("cause", ident) if m.rule not in self.cut]
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
            evidence=self.evidence.of(_telling(assessed, confidence)),
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

    # --- symptoms, findings, recommendations -----------------------------------------------------

    def symptoms(self) -> list[SymptomReport]:
        out = []
        for ident, definition in self.base.symptoms.items():
            assessed = [
                (k, cf) for k, cf in self.evidence.conclusions_of("symptom", ident) if cf > 0
            ]
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
                    evidence=self.evidence.of([k for k, _ in assessed]),
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
                    evidence=self.evidence.of([key]),
                    remediation=self.steps.remediation(definition.remediation, [(key, confidence)])
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
                for k, cf in self.evidence.conclusions_of("recommendation", ident)
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
                explained = [f.text for f in self.evidence.of([k for k, _ in concluded])]
                reason = self.steps.texts.joined("; ", explained)
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
                    text=self.steps.texts.text(definition.text.get(self.lang), values),
                    kb_steps=definition.kb_steps,
                    steps=[
                        Command(text=shown.text, command=shown.command)
                        for s in definition.steps
                        for shown in [
                            self.steps.texts.step(s.text.get(self.lang), s.command, values)
                        ]
                    ],
                    reason=reason,
                )
            )
        return out


def _telling(assessed: list[tuple[ConclusionKey, float]], confidence: float) -> list[ConclusionKey]:
    """The subjects whose evidence explains a cause's confidence: those on the same side of zero
    (a clock skewed on one server is not explained by the thousand clocks that are fine; a cause
    ruled out is explained by what ruled it out)."""
    if confidence > 0:
        return [key for key, cf in assessed if cf > 0]
    if confidence < 0:
        return [key for key, cf in assessed if cf < 0]
    return [key for key, _ in assessed]
