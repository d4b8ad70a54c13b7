"""What a test expects against what came out: one :class:`Mismatch` per expectation not met,
with the reasoning behind it (HOW/WHY NOT, see :mod:`kbdoctor.engine.ruletests.reasons`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kbdoctor.engine.evaluate import Run
from kbdoctor.engine.report import CauseReport, FailingPathReport, Report
from kbdoctor.engine.ruletests.model import (
    CauseExpectation,
    ConfidenceExpectation,
    Expectation,
    PathExpectation,
)
from kbdoctor.engine.ruletests.reasons import Lines, Reasons

CONCLUDED = frozenset({"diagnosed", "possible"})
ANY_HOST = "*"  # a side of an expected failing path left out: any machine
UNKNOWN_HOST = "?"  # a side of a marked failing path that no fact names


@dataclass(frozen=True)
class Mismatch:
    """One expectation not met: message key and values, and the reasoning lines behind it."""

    key: str
    params: dict[str, Any]
    reasoning: Lines = ()


def mismatches(run: Run, report: Report, expect: Expectation, reasons: Reasons) -> list[Mismatch]:
    """Every expectation of ``expect`` that ``run`` and its ``report`` do not meet. The ids
    ``expect`` names are those the rules define (checked before the test runs)."""
    return [
        *_rules(run, expect, reasons),
        *_causes(report, expect, reasons),
        *_diagnoses(report, expect, reasons),
        *_symptoms(report, expect, reasons),
        *_findings(report, expect, reasons),
        *_recommendations(report, expect, reasons),
        *_failing_paths(report, expect, reasons),
    ]


def _rules(run: Run, expect: Expectation, reasons: Reasons) -> list[Mismatch]:
    fired = {run.compiled.rules[r.rule_index].rule.id for r in run.firings}
    return [
        *(
            Mismatch("ruletest.rule_silent", {"rule": rule}, reasons.rule(rule))
            for rule in expect.fires
            if rule not in fired
        ),
        *(
            Mismatch("ruletest.rule_fired", {"rule": rule}, reasons.rule(rule))
            for rule in expect.silent
            if rule in fired
        ),
    ]


def _causes(report: Report, expect: Expectation, reasons: Reasons) -> list[Mismatch]:
    causes = {c.cause: c for c in report.causes}  # every cause of the rules, with its status
    out: list[Mismatch] = []
    for ident, wanted in expect.causes.items():
        cause = causes[ident]
        if _meets(cause, wanted):
            continue
        expected = ", ".join(
            [
                *(["/".join(wanted.statuses)] if wanted.statuses else []),
                *(
                    [f"{wanted.confidence.min:g}..{wanted.confidence.max:g}"]
                    if wanted.confidence
                    else []
                ),
                *([wanted.scope] if wanted.scope else []),
            ]
        )
        params = {"cause": ident, "expected": expected, "actual": _cause_line(cause)}
        out.append(Mismatch("ruletest.cause", params, reasons.cause(cause)))
    for ident in expect.not_concluded:
        cause = causes[ident]
        if cause.status in CONCLUDED:
            params = {"cause": ident, "actual": _cause_line(cause)}
            out.append(Mismatch("ruletest.cause_concluded", params, reasons.cause(cause)))
    return out


def _meets(cause: CauseReport, wanted: CauseExpectation) -> bool:
    return (
        (not wanted.statuses or cause.status in wanted.statuses)
        and (
            wanted.confidence is None
            or wanted.confidence.min <= cause.confidence <= wanted.confidence.max
        )
        and (wanted.scope is None or cause.scope == wanted.scope)
    )


def _diagnoses(report: Report, expect: Expectation, reasons: Reasons) -> list[Mismatch]:
    if expect.diagnoses is None:
        return []
    actual = [d.cause for d in report.diagnoses]
    if actual == expect.diagnoses:
        return []
    causes = {c.cause: c for c in report.causes}
    differ = set(actual) ^ set(expect.diagnoses)
    lines: list[str] = []
    if differ:  # the causes diagnosed and not expected, or expected and not diagnosed
        for ident in sorted(differ):
            lines.extend(reasons.cause(causes[ident]))
    elif reasons.explain:  # the same causes in another order: what ranked them
        lines.extend(f"{d.cause}: {_cause_line(d)}" for d in report.diagnoses)
    return [_lists("ruletest.diagnoses", expect.diagnoses, actual, tuple(lines))]


def _symptoms(report: Report, expect: Expectation, reasons: Reasons) -> list[Mismatch]:
    held = {s.id: s.confidence for s in report.symptoms}  # those believed at all
    return [
        _confidence(("symptom", ident), wanted, held.get(ident), reasons.symptom(ident))
        for ident, wanted in expect.symptoms.items()
        if not _within(wanted, held.get(ident))
    ]


def _findings(report: Report, expect: Expectation, reasons: Reasons) -> list[Mismatch]:
    findings = sorted({f.id for f in report.findings})
    out: list[Mismatch] = []
    missing = [f for f in expect.findings if f not in findings]
    if missing:
        why = tuple(line for f in missing for line in reasons.finding(f))
        out.append(_lists("ruletest.findings", list(expect.findings), findings, why))
    if isinstance(expect.findings, dict):
        # a finding's confidence is that of its most believed subject, as a cause's is
        believed: dict[str, float] = {}
        for f in report.findings:
            believed[f.id] = max(f.confidence, believed.get(f.id, f.confidence))
        out.extend(
            _confidence(("finding", ident), wanted, believed[ident], reasons.finding(ident))
            for ident, wanted in expect.findings.items()
            if ident in believed and not _within(wanted, believed[ident])
        )
    unwanted = [f for f in expect.not_findings if f in findings]
    if unwanted:
        how = tuple(line for f in unwanted for line in reasons.finding(f))
        out.append(_lists("ruletest.findings_unwanted", expect.not_findings, findings, how))
    return out


def _recommendations(report: Report, expect: Expectation, reasons: Reasons) -> list[Mismatch]:
    if expect.recommendations is None:
        return []
    actual = sorted(r.id for r in report.recommendations)
    if actual == sorted(expect.recommendations):
        return []
    differ = sorted(set(actual) ^ set(expect.recommendations))
    lines = tuple(line for r in differ for line in reasons.recommendation(r))
    return [_lists("ruletest.recommendations", expect.recommendations, actual, lines)]


def _failing_paths(report: Report, expect: Expectation, reasons: Reasons) -> list[Mismatch]:
    if expect.failing_paths is None:
        return []
    wanted, actual = expect.failing_paths, report.failing_paths
    matched = match_paths(wanted, actual)
    if len(matched) == len(wanted) == len(actual):
        return []
    lines = [
        *reasons.path_rules(r for i, p in enumerate(actual) if i not in matched for r in p.rules),
        *(reasons.path_misses() if len(matched) < len(wanted) else ()),
    ]
    return [
        _lists(
            "ruletest.failing_paths",
            sorted(f"{p.sender or ANY_HOST} -> {p.receiver or ANY_HOST}" for p in wanted),
            sorted(f"{p.sender or UNKNOWN_HOST} -> {p.receiver or UNKNOWN_HOST}" for p in actual),
            tuple(lines),
        )
    ]


def match_paths(
    wanted: Sequence[PathExpectation], actual: Sequence[FailingPathReport]
) -> dict[int, int]:
    """Each marked path (its index) to the expected one it meets, as many as can be paired one
    to one (a side left out meets any machine, so one path may meet several expectations: the
    pairing is a bipartite matching, Kuhn's, which the few paths of a test make cheap)."""
    owner: dict[int, int] = {}

    def pair(w: int, seen: set[int]) -> bool:
        for a, path in enumerate(actual):
            if a in seen or not _fits(wanted[w], path):
                continue
            seen.add(a)
            if a not in owner or pair(owner[a], seen):
                owner[a] = w
                return True
        return False

    for w in range(len(wanted)):
        pair(w, set())
    return owner


def _fits(wanted: PathExpectation, path: FailingPathReport) -> bool:
    return _same(wanted.sender, path.sender) and _same(wanted.receiver, path.receiver)


def _same(wanted: str | None, actual: str | None) -> bool:
    """Host names compare as Windows compares them, without case; None wanted is any."""
    return wanted is None or (actual is not None and wanted.casefold() == actual.casefold())


def _within(wanted: ConfidenceExpectation, actual: float | None) -> bool:
    return actual is not None and wanted.confidence.min <= actual <= wanted.confidence.max


def _confidence(
    what: tuple[str, str], wanted: ConfidenceExpectation, actual: float | None, reasoning: Lines
) -> Mismatch:
    """A symptom or finding (kind, id) believed outside the range expected, or not at all."""
    kind, ident = what
    bounds = wanted.confidence
    return Mismatch(
        f"ruletest.{kind}",
        {
            kind: ident,
            "expected": f"{bounds.min:g}..{bounds.max:g}",
            "actual": "-" if actual is None else f"{actual:g}",
        },
        reasoning,
    )


def _lists(
    key: str, expected: Sequence[str], actual: Sequence[str], reasoning: Lines = ()
) -> Mismatch:
    return Mismatch(
        key,
        {"expected": ", ".join(expected) or "-", "actual": ", ".join(actual) or "-"},
        reasoning,
    )


def _cause_line(cause: CauseReport) -> str:
    return f"{cause.status}, {cause.confidence:g}, {cause.scope}"
