"""The diagnosis report, version 1 (``kbdoctor: report/1``): a public contract read by scripts, the
renderers and the TUI.

Texts are already in the requested language; ids (cause, rule, fact, recommendation) are stable
and language independent. Everything is sorted by the engine, never left in firing order, so the
same facts in any order give byte-identical reports.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

DIAGNOSIS_THRESHOLD = 0.5

CauseStatus = Literal["diagnosed", "possible", "ruled_out", "no_evidence", "not_assessed"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Additive(_Model):
    """A model with fields added to report/1 later, left out of the JSON when they say nothing
    (None or empty): a report that does not use them stays byte for byte what it was."""

    OMIT_EMPTY: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _omit_empty(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for name in self.OMIT_EMPTY:
            if data.get(name) in (None, [], {}) or data.get(name) is False:
                data.pop(name, None)
        return data


class FactRef(_Model):
    """A fact used as evidence, with where it came from."""

    id: str
    type: str
    summary: str  # one line, for people
    fields: dict[str, Any]  # the fact's data as given
    source: dict[str, Any] | None = None  # provenance (collector, file, line, reader, ...)
    # older observations of the same thing that this one replaced (newest first): not evidence
    history: list[FactRef] = Field(default_factory=list)


class ConclusionRef(_Model):
    """A finding or symptom a rule built on (chaining), with its own certainty."""

    kind: Literal["symptom", "finding", "cause", "recommendation"]
    id: str
    subject: str
    confidence: float


class Firing(_Additive):
    """One rule that fired: HOW a conclusion was reached. ``pack`` names the pack that wrote the
    rule when several packs were loaded; ``cf_set_by`` the pack whose override set ``rule_cf``."""

    OMIT_EMPTY: ClassVar[tuple[str, ...]] = ("pack", "cf_set_by")

    rule: str
    rule_title: str
    rule_status: Literal["experimental", "stable", "deprecated"] = "stable"
    rule_cf: float
    contribution: float  # the certainty this firing added (rule cf times its weakest premise)
    subject: str
    text: str  # the rule's explanation, filled from the bound facts
    facts: list[FactRef]
    premises: list[ConclusionRef] = Field(default_factory=list)
    note: str | None = None  # why a firing counted less (weak premise), if it did
    pack: str | None = None
    cf_set_by: str | None = None


class Command(_Model):
    text: str
    command: str | None = None
    subject: str | None = None
    run_on: str | None = None  # the machine to run the command on, when the step names one
    shell: Literal["cmd", "powershell", "ems"] | None = None  # cmd also runs in PowerShell


Scope = Literal["failing_path", "latent", "unknown"]
# How believed causes rank by scope: on a failing path, then not placed, then latent.
SCOPE_RANK: dict[str, int] = {"failing_path": 0, "unknown": 1, "latent": 2}


class SubjectAssessment(_Additive):
    OMIT_EMPTY: ClassVar[tuple[str, ...]] = ("suppressed",)

    subject: str
    confidence: float
    # whether the subject lies on a failing path (its sender, receiver or a DC they use); None
    # when no failing path is known or the facts cannot tell
    on_failing_path: bool | None = None
    suppressed: bool = False  # a suppression of the site covers it (see CauseReport.suppressed)


class SuppressionNote(_Model):
    """A suppression of the site's file (``--suppressions``): the cause or rule it names, why the
    finding was accepted, by whom, until when, and where the entry is written."""

    kind: Literal["cause", "rule"]
    id: str
    reason: str
    accepted_by: str
    expires: str  # ISO date
    file: str
    line: int | None = None


class DisagreeingReadings(_Additive):
    """Readings of one moment that disagree: two files give the clock of EX01 against DC01 at
    one time (or neither says when) as 12 s and as 400 s. ``fact`` is the id of the reading the
    diagnosis used, the one that shows more of a problem (a cause wrongly ruled out is the one
    nobody checks), with its ``summary``, ``fields`` and ``source``; ``others`` are the readings
    set aside, also in that fact's ``history``; ``differing_fields`` the fields in which they
    disagree, compared as the engine compares them (a summary need not show them). A warning: the
    evidence contradicts itself, and only someone who looks again can tell which reading was
    right. ``read_from``: for a reading whose ``source`` names no file (a hand-written fact), the
    fact file and line it was written at, by fact id."""

    OMIT_EMPTY: ClassVar[tuple[str, ...]] = ("read_from",)

    fact: str
    type: str
    differing_fields: list[str]
    summary: str
    fields: dict[str, Any]
    source: dict[str, Any] | None = None
    others: list[FactRef]
    read_from: dict[str, str] = Field(default_factory=dict)


MissReason = Literal["missing_fact", "condition_failed", "join_failed", "blocked_by", "weak"]


class Miss(_Model):
    """WHY NOT: why one rule did not conclude (a condition failed or a fact was missing)."""

    rule: str
    rule_title: str
    reason: MissReason
    pattern: int  # 1-based position of the failing condition in the rule
    text: str  # for people
    fact_type: str | None = None
    facts: list[FactRef] = Field(default_factory=list)  # the facts that blocked an absence test


class Collect(_Model):
    """How to collect facts that would assess a cause."""

    facts: list[str]
    text: str
    command: str | None = None
    run_on: str | None = None  # the machine to run the command on, when the step names one
    shell: Literal["cmd", "powershell", "ems"] | None = None


class CauseReport(_Additive):
    """``confidence`` is that of the cause's most believed subject, taken among the subjects on a
    failing path when the symptoms name one; ``scope`` says which: ``failing_path``, ``latent``
    (a real problem, but not on the path of this queue) or ``unknown`` (no path known, or the
    facts cannot place the subject). ``suppressed``: every believed subject is covered by a
    suppression of the site (the first one is named); the cause keeps its status and rank."""

    OMIT_EMPTY: ClassVar[tuple[str, ...]] = ("suppressed",)

    cause: str
    status: CauseStatus
    confidence: float
    title: str
    description: str
    kb_steps: list[int]
    kb: str | None = None  # the KB reference, e.g. KB 979174 step 3
    url: str | None = None
    subjects: list[SubjectAssessment] = Field(default_factory=list)
    evidence: list[Firing] = Field(default_factory=list)
    remediation: list[Command] = Field(default_factory=list)
    why_not: list[Miss] = Field(default_factory=list)
    collect: list[Collect] = Field(default_factory=list)
    scope: Scope = "unknown"
    suppressed: SuppressionNote | None = None


class FailingPathReport(_Model):
    """A sender that cannot authenticate to a receiver, as the symptoms show it."""

    sender: str | None
    receiver: str | None
    domain_controllers: list[str]  # the DCs the two may ask for tickets
    rules: list[str]  # the symptom rules that showed the path


class SymptomReport(_Model):
    id: str
    title: str
    confidence: float
    subjects: list[SubjectAssessment]
    evidence: list[Firing]


class FindingReport(_Additive):
    OMIT_EMPTY: ClassVar[tuple[str, ...]] = ("suppressed",)

    id: str
    title: str
    subject: str
    confidence: float
    evidence: list[Firing]
    remediation: list[Command] = Field(default_factory=list)  # a risk's own fix, if it has one
    suppressed: SuppressionNote | None = None


class RecommendationReport(_Model):
    id: str
    title: str
    text: str
    kb_steps: list[int]
    steps: list[Command]
    reason: str


class RulePackInfo(_Additive):
    """A loaded pack; ``disabled`` and ``changed`` list the rules of earlier packs its overrides
    disabled or gave another cf (only the overrides that took effect)."""

    OMIT_EMPTY: ClassVar[tuple[str, ...]] = ("disabled", "changed")

    pack: str
    file: str
    version: str | None = None
    rules: int
    sha256: str
    disabled: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)


class Inputs(_Model):
    files: list[str]
    facts: int
    environment: dict[str, str] = Field(default_factory=dict)
    rule_packs: list[RulePackInfo]


class BudgetReport(_Additive):
    """The evaluation was cut short: its time budget ran out (``reason: time``), or chaining was
    stopped because rules kept concluding new subjects (``reason: chaining``), or rules were not
    run because they could match more often than memory allows (``reason: matches``), or the
    evaluation was cancelled (``reason: cancelled``: the TUI's cancel key). These rules did not
    see every fact, so what they would have concluded is missing. ``before_rules``: the budget ran
    out (or the cancel came) while the facts were being prepared, so no rule ran at all and
    ``inputs.facts`` counts the facts given, not yet merged into one per observation."""

    OMIT_EMPTY: ClassVar[tuple[str, ...]] = ("before_rules",)

    seconds: float | None  # the budget, None when there was none
    unfinished_rules: list[str]
    reason: Literal["time", "chaining", "matches", "cancelled"] = "time"
    before_rules: bool = False


class Report(_Additive):
    """``diagnoses`` are the causes with confidence >= 0.5, highest first, then by cause id;
    ``causes`` is every cause of the rule packs with its status; ``not_assessed`` lists the ids of
    causes no fact spoke to (missing evidence is never negative evidence). Causes on a failing
    path rank above those of unknown scope, and those above latent ones."""

    OMIT_EMPTY: ClassVar[tuple[str, ...]] = ("expired_suppressions", "disagreeing_readings")

    kbdoctor: Literal["report/1"] = "report/1"
    lang: Literal["en", "pl", "de"]  # "de" since German catalogues (rule texts: English)
    inputs: Inputs
    symptoms: list[SymptomReport]
    diagnoses: list[CauseReport]
    not_assessed: list[str]
    recommendations: list[RecommendationReport]
    causes: list[CauseReport]
    findings: list[FindingReport] = Field(default_factory=list)
    explained: bool = False  # whether WHY-NOT was computed (--explain)
    failing_paths: list[FailingPathReport] = Field(default_factory=list)
    budget: BudgetReport | None = None  # set when the time budget ran out (--budget)
    # suppressions past their expiry date: ignored, listed so that someone renews or removes them
    expired_suppressions: list[SuppressionNote] = Field(default_factory=list)
    # readings of one moment that disagree (DisagreeingReadings), by the id of the one kept
    disagreeing_readings: list[DisagreeingReadings] = Field(default_factory=list)

    @property
    def unsuppressed_diagnoses(self) -> list[CauseReport]:
        return [c for c in self.diagnoses if c.suppressed is None]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"
