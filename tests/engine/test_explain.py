"""WHY-NOT: for a cause that was not concluded, each rule says which condition failed, which fact
was missing, or which fact blocked an absence test; HOW lists the facts behind a diagnosis."""

from __future__ import annotations

from typing import Any

import pytest
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import Fact
from kbdoctor.engine.report import CauseReport, Miss, Report
from pydantic import TypeAdapter

FACTS: TypeAdapter[list[Fact]] = TypeAdapter(list[Fact])
EX01 = {"type": "exchange_server", "name": "EX01", "fqdn": "ex01.corp.example.com"}
ALL_SPNS = [
    "SMTP/EX01",
    "SMTP/ex01.corp.example.com",
    "SMTPSVC/EX01",
    "SMTPSVC/ex01.corp.example.com",
]


@pytest.fixture(scope="module")
def evaluator() -> Evaluator:
    return Evaluator()


def _report(evaluator: Evaluator, facts: list[dict[str, Any]]) -> Report:
    return evaluator.evaluate(FACTS.validate_python(facts), explain=True)


def _cause(report: Report, cause: str) -> CauseReport:
    return next(c for c in report.causes if c.cause == cause)


def _miss(report: Report, cause: str, rule: str) -> Miss:
    return next(m for m in _cause(report, cause).why_not if m.rule == rule)


def test_a_missing_fact_type_is_named(evaluator: Evaluator) -> None:
    miss = _miss(_report(evaluator, [EX01]), "ad_replication", "replication.link-failing")
    assert (miss.reason, miss.fact_type, miss.pattern) == ("missing_fact", "replication_link", 1)


def test_a_condition_no_fact_passes_is_shown(evaluator: Evaluator) -> None:
    link = {"type": "replication_link", "source": "DC01", "destination": "DC02", "last_result": 0}
    miss = _miss(_report(evaluator, [link]), "ad_replication", "replication.link-failing")
    assert miss.reason == "condition_failed"
    assert "last_result ne 0" in miss.text


def test_a_join_that_finds_no_partner_is_told_apart(evaluator: Evaluator) -> None:
    listing = {"type": "spn_listing", "account": "WEB01$", "spns": ["HTTP/web01"]}
    miss = _miss(_report(evaluator, [EX01, listing]), "spn_missing", "spn.smtpsvc-fqdn-missing")
    assert (miss.reason, miss.pattern) == ("join_failed", 2)


def test_the_fact_that_blocked_an_absence_test_is_listed(evaluator: Evaluator) -> None:
    listing = {"type": "spn_listing", "account": "EX01$", "spns": ALL_SPNS}
    report = _report(evaluator, [EX01, listing])
    miss = _miss(report, "spn_missing", "spn.smtpsvc-fqdn-missing")
    assert miss.reason == "blocked_by"
    assert [f.type for f in miss.facts] == ["spn_listing"]
    assert _cause(report, "spn_missing").status == "ruled_out"


def test_a_rule_that_fired_too_weakly_says_so(evaluator: Evaluator) -> None:
    facts = [
        {"type": "domain_controller", "name": "DC01"},
        {"type": "time_status", "host": "DC01", "time_source": "Local CMOS Clock"},
    ]
    report = _report(evaluator, facts)
    cause = _cause(report, "time_sync")
    assert cause.status == "possible"
    assert 0 < cause.confidence < 0.5
    miss = _miss(report, "time_sync", "time.unreliable-source-risk")
    assert miss.reason == "weak"
    premise = cause.evidence[0].premises[0]
    assert (premise.kind, premise.id) == ("finding", "unreliable_time_source")


def test_how_lists_each_fact_with_its_source(evaluator: Evaluator) -> None:
    offset = {
        "type": "clock_offset",
        "host": "EX01",
        "reference": "DC01",
        "offset_s": -401.0,
        "source": {"file": "EX01/stripchart.txt", "line": 4, "reader": "w32tm-stripchart"},
    }
    report = _report(evaluator, [EX01, {"type": "domain_controller", "name": "DC01"}, offset])
    firing = report.diagnoses[0].evidence[0]
    assert firing.rule == "time.skew.between-parties"
    sources = [f.source for f in firing.facts if f.type == "clock_offset"]
    assert sources == [{"file": "EX01/stripchart.txt", "line": 4, "reader": "w32tm-stripchart"}]


def test_without_explain_there_is_no_why_not(evaluator: Evaluator) -> None:
    report = evaluator.evaluate(FACTS.validate_python([EX01]))
    assert not report.explained
    assert all(not c.why_not for c in report.causes)
