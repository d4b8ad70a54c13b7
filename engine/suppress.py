"""Suppressions applied to a report: each believed subject of a cause or finding that an active
entry covers is marked, and a cause (or finding) all of whose believed subjects are covered is
marked suppressed with the entry's reason, who accepted it and until when. Nothing is removed
and no confidence changes: a suppressed diagnosis is still a diagnosis, shown as accepted.

A cause entry covers a subject of its cause that its ``match`` holds for; a rule entry covers a
subject whose every supporting firing is of a rule that an entry covers for that subject. An
``account`` holds for the accounts the subject names, or that every supporting firing's facts name
(engine/named_accounts.py): no shipped subject has an account part."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from kbdoctor.engine.evaluate import Conclusion, Run
from kbdoctor.engine.named_accounts import conclusion_accounts
from kbdoctor.engine.names import account_name
from kbdoctor.engine.paths import FailingPath, Organisation, failing_paths, organisation, place
from kbdoctor.engine.report import (
    CauseReport,
    FindingReport,
    Report,
    SubjectAssessment,
    SuppressionNote,
)
from kbdoctor.engine.rules_model import SubjectDef
from kbdoctor.engine.subjects import machine_of
from kbdoctor.engine.suppressions import Entry, Match


def apply_suppressions(
    report: Report, run: Run, entries: Sequence[Entry], today: datetime.date
) -> Report:
    """The report with what the active entries cover marked, and the expired entries listed."""
    if not entries:
        return report
    expired = [_note(e) for e in entries if e.expired(today)]
    active = [e for e in entries if not e.expired(today)]
    judge = _Judge(run, active)
    causes = [judge.cause(c) for c in report.causes]
    findings = [judge.finding(f) for f in report.findings]
    return report.model_copy(
        update={
            "causes": causes,
            "diagnoses": [c for c in causes if c.status == "diagnosed"],
            "findings": findings,
            "expired_suppressions": expired,
        }
    )


def _note(entry: Entry) -> SuppressionNote:
    s = entry.suppression
    return SuppressionNote(
        kind=s.kind,
        id=s.target,
        reason=s.reason,
        accepted_by=s.accepted_by,
        expires=s.expires.isoformat(),
        file=entry.file,
        line=entry.line,
    )


class _Judge:
    def __init__(self, run: Run, entries: list[Entry]) -> None:
        self.run = run
        self.entries = entries
        self.base = run.compiled.base
        self._org: Organisation | None = None
        self._paths: list[FailingPath] | None = None

    def cause(self, cause: CauseReport) -> CauseReport:
        definition = self.base.causes[cause.cause].subject
        kinds: dict[str, str] | None = (
            dict(definition.parts) if isinstance(definition, SubjectDef) else None
        )
        subjects, note = self._subjects("cause", cause.cause, cause.subjects, kinds, definition)
        if subjects == cause.subjects and note is None:
            return cause
        return cause.model_copy(update={"subjects": subjects, "suppressed": note})

    def finding(self, finding: FindingReport) -> FindingReport:
        kind = self.base.findings[finding.id].subject
        believed = [SubjectAssessment(subject=finding.subject, confidence=finding.confidence)]
        _, note = self._subjects("finding", finding.id, believed, None, kind)
        return finding if note is None else finding.model_copy(update={"suppressed": note})

    def _subjects(
        self,
        kind: str,
        ident: str,
        subjects: list[SubjectAssessment],
        parts: dict[str, str] | None,
        plain: object,
    ) -> tuple[list[SubjectAssessment], SuppressionNote | None]:
        out: list[SubjectAssessment] = []
        notes: list[SuppressionNote] = []
        believed = 0
        for subject in subjects:
            if subject.confidence <= 0:
                out.append(subject)
                continue
            believed += 1
            conclusion = self._conclusion(kind, ident, subject.subject)
            kinds = parts if parts is not None else {"subject": str(plain)}
            entry = self._covering(kind, ident, conclusion, kinds) if conclusion else None
            if entry is None:
                out.append(subject)
                continue
            notes.append(_note(entry))
            out.append(subject.model_copy(update={"suppressed": True}))
        note = notes[0] if believed and len(notes) == believed else None
        return out, note

    def _conclusion(self, kind: str, ident: str, shown: str) -> Conclusion | None:
        for key, conclusion in self.run.conclusions.items():
            if key[0] == kind and key[1] == ident and conclusion.subject == shown:
                return conclusion
        return None

    def _covering(
        self, kind: str, ident: str, conclusion: Conclusion, kinds: dict[str, str]
    ) -> Entry | None:
        if kind == "cause":
            for entry in self.entries:
                s = entry.suppression
                if s.cause == ident and self._holds(s.match, conclusion, kinds):
                    return entry
        supporting = [
            self.run.compiled.rules[record.rule_index].rule
            for record in conclusion.firings
            if self.run.compiled.rules[record.rule_index].rule.conclude.cf > 0
        ]
        first: Entry | None = None
        for rule in supporting:
            covering = next(
                (
                    e
                    for e in self.entries
                    if e.suppression.rule == rule.id
                    and self._holds(e.suppression.match, conclusion, kinds)
                ),
                None,
            )
            if covering is None:
                return None
            first = first or covering
        return first

    def _holds(self, match: Match, conclusion: Conclusion, kinds: dict[str, str]) -> bool:
        registry = self.run.registry
        values = conclusion.parts or {"subject": conclusion.subject}
        named = [(kinds.get(name, "text"), value) for name, value in values.items()]
        if match.host is not None:
            machines = {machine_of(k, v, registry) for k, v in named}
            if registry.key(match.host) not in machines:
                return False
        if match.account is not None:
            accounts = {account_name(v) for k, v in named if k == "account"}
            accounts |= conclusion_accounts(self.run, conclusion)
            if account_name(match.account) not in accounts:
                return False
        if match.connector is not None:
            connector = values.get("connector")
            if connector is None or connector.strip().lower() != match.connector.strip().lower():
                return False
        if match.path is not None:
            paths = [
                p
                for p in self._failing_paths()
                if (match.path.sender is None or p.sender == registry.key(match.path.sender))
                and (match.path.receiver is None or p.receiver == registry.key(match.path.receiver))
            ]
            if not paths or place(conclusion.locators, paths, self._organisation()) is not True:
                return False
        return True

    def _organisation(self) -> Organisation:
        if self._org is None:
            self._org = organisation(self.run)
        return self._org

    def _failing_paths(self) -> list[FailingPath]:
        if self._paths is None:
            self._paths = failing_paths(self.run, self._organisation())
        return self._paths
