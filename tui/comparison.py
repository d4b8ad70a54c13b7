"""Two diagnoses side by side: which causes changed status or confidence, and the firings that
explain it.

"What did my edit change?" and "what is different in the customer's second collection?" are the
same question about two reports: for each cause, its status and confidence before and after, and
the rule firings that one has and the other has not (a firing is a rule concluding on a subject
with a contribution; the same rule on the same subject with another contribution counts as gone
and come). Both reports come from the same diagnoser, so they differ only by their facts (or, for
a rule file change, their rules). No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass

from kbdoctor.engine.report import CauseReport, CauseStatus, Firing, Report

SAME = 0.005  # confidences closer than this read the same at two decimals


@dataclass(frozen=True)
class CauseChange:
    """One cause whose status, confidence or firings differ between the two reports."""

    cause: str
    title: str
    before_status: CauseStatus
    before: float
    after_status: CauseStatus
    after: float
    gone: tuple[Firing, ...]  # firings of the first report the second has not
    came: tuple[Firing, ...]  # firings of the second report the first had not


def _key(firing: Firing) -> tuple[str, str, float]:
    return (firing.rule, firing.subject, round(firing.contribution, 4))


def _absent(cause: CauseReport) -> CauseReport:
    """A cause one report has not (another rule pack): read as not assessed, with no firing."""
    return cause.model_copy(update={"status": "not_assessed", "confidence": 0.0, "evidence": []})


def compare(before: Report, after: Report) -> list[CauseChange]:
    """The causes that changed, in the order of the second report (then causes only the first
    has); an empty list when the two diagnoses agree."""
    old = {c.cause: c for c in before.causes}
    new = {c.cause: c for c in after.causes}
    order = [*new, *(c for c in old if c not in new)]
    changes: list[CauseChange] = []
    for cause_id in order:
        first = old.get(cause_id) or _absent(new[cause_id])
        second = new.get(cause_id) or _absent(old[cause_id])
        first_keys = {_key(f) for f in first.evidence}
        second_keys = {_key(f) for f in second.evidence}
        gone = tuple(f for f in first.evidence if _key(f) not in second_keys)
        came = tuple(f for f in second.evidence if _key(f) not in first_keys)
        moved = abs(first.confidence - second.confidence) >= SAME
        if first.status == second.status and not moved and not gone and not came:
            continue
        changes.append(
            CauseChange(
                cause_id,
                second.title,
                first.status,
                first.confidence,
                second.status,
                second.confidence,
                gone,
                came,
            )
        )
    return changes
