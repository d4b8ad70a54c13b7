"""The section of a report cut short (``--budget``, chaining stopped, rules refused for their
matches, a cancel): a ticket or a terminal must say that the diagnosis is partial, why, and which
rules did not finish, all of them (standard error may abbreviate the list; the report never does),
or a reader takes the absence of a conclusion for evidence."""

from __future__ import annotations

from kbdoctor.engine.i18n import text
from kbdoctor.engine.report import Report

# why the evaluation was cut short (report/1 ``budget.reason``), in words
_WHY = {
    "time": "report.partial.time",
    "chaining": "report.partial.chaining",
    "matches": "report.partial.matches",
    "cancelled": "report.partial.cancelled",
}
# the same, when it happened while the facts were being prepared: no rule ran at all
_WHY_BEFORE_RULES = {
    "time": "report.partial.time_preparing",
    "cancelled": "report.partial.cancelled_preparing",
}


def no_symptoms(report: Report) -> str:
    """That no symptom was recognised: in a partial report, only by the rules that finished."""
    key = "report.no_symptoms" if report.budget is None else "report.no_symptoms_partial"
    return text(key, report.lang)


def partial_heading(report: Report) -> str:
    return text("report.partial", report.lang)


def partial_lines(report: Report) -> tuple[str, str, str]:
    """Why the report is partial, the time budget, and the heading of the unfinished rules' list
    (empty strings when the report is complete)."""
    budget = report.budget
    if budget is None:
        return "", "", ""
    lang = report.lang
    seconds = (
        text("report.partial.budget", lang, seconds=f"{budget.seconds:g}")
        if budget.seconds is not None
        else text("report.partial.no_budget", lang)
    )
    count = len(budget.unfinished_rules)
    rules = text("report.partial.rules", lang, count=count)
    why = _WHY_BEFORE_RULES if budget.before_rules else _WHY
    return text(why.get(budget.reason, _WHY[budget.reason]), lang), seconds, rules
