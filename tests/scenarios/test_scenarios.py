"""The scenario suite of issue 8 (tests/scenarios/*.yaml, format in suite.py): each organisation is
evaluated with one shared Evaluator and the report must give the verdict written from field
knowledge: the top diagnosis, the status of every cause, and the scope where the scenario states
one. A scenario with ``known_gap`` is a strict xfail: when the engine is fixed, remove the gap."""

from __future__ import annotations

from functools import cache

import pytest
from kbdoctor.engine.evaluate import Evaluator

from tests.scenarios.suite import (
    CAUSES,
    Scenario,
    describe,
    evaluate,
    judge,
    load_all,
    scenario_files,
)

MIN_SCENARIOS = 60


@cache
def evaluator() -> Evaluator:
    return Evaluator()


def _params() -> list[object]:
    return [
        pytest.param(
            s,
            id=s.name,
            marks=[pytest.mark.xfail(strict=True, reason=s.known_gap)] if s.known_gap else [],
        )
        for s in load_all()
    ]


def test_the_suite_is_large_enough_and_every_file_loads() -> None:
    assert len(scenario_files()) >= MIN_SCENARIOS
    assert len(load_all()) == len(scenario_files())


def test_every_cause_is_diagnosed_alone_in_at_least_two_scenarios() -> None:
    alone = dict.fromkeys(CAUSES, 0)
    for scenario in load_all():
        if scenario.category != "single":
            continue
        diagnosed = [c for c, e in scenario.causes.items() if e.statuses == {"diagnosed"}]
        if len(diagnosed) == 1:
            alone[diagnosed[0]] += 1
    assert all(count >= 2 for count in alone.values()), alone


@pytest.mark.parametrize("scenario", _params())
def test_scenario_gets_the_verdict_an_engineer_would_sign(scenario: Scenario) -> None:
    report = evaluate(scenario, evaluator())
    outcome = judge(scenario, report)
    assert outcome.passed, describe(scenario, report, outcome)
