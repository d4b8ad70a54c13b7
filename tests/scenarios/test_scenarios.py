"""The scenario suite of issue 8 (tests/scenarios/*.yaml, format in suite.py): each organisation is
evaluated with one shared Evaluator and the report must give the verdict written from field
knowledge: the top diagnosis, the status of every cause, and the scope where the scenario states
one. A scenario with ``known_gap`` is a strict xfail: when the engine is fixed, remove the gap."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from kbdoctor.engine.evaluate import Evaluator

from tests.scenarios.suite import (
    CAUSES,
    Scenario,
    ScenarioError,
    build_organisation,
    describe,
    evaluate,
    judge,
    load_all,
    load_scenario,
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


MINIMAL = """\
title: t
why: w
facts:
  - {type: exchange_server, name: EX01, fqdn: ex01.corp.example.com, ip_addresses: [10.0.0.11]}
expect:
  top: null
  causes:
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "partial-example.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_scenario_must_state_every_cause(tmp_path: Path) -> None:
    text = MINIMAL + "".join(f"    {c}: {{status: no_evidence}}\n" for c in CAUSES[:-1])
    with pytest.raises(ScenarioError, match=CAUSES[-1]):
        load_scenario(_write(tmp_path, text))


def test_a_scenario_with_every_cause_loads_and_names_fields_the_engine_lacks(
    tmp_path: Path,
) -> None:
    text = MINIMAL + "".join(f"    {c}: {{status: [no_evidence, not_assessed]}}\n" for c in CAUSES)
    scenario = load_scenario(_write(tmp_path, text))
    assert scenario.category == "partial"
    assert scenario.top == {None}
    assert len(scenario.facts) == 1
    assert scenario.dropped_fields in ((), ("exchange_server.ip_addresses",))


def test_a_top_cause_must_accept_diagnosed(tmp_path: Path) -> None:
    text = MINIMAL.replace("top: null", "top: time_sync") + "".join(
        f"    {c}: {{status: no_evidence}}\n" for c in CAUSES
    )
    with pytest.raises(ScenarioError, match="must accept the status diagnosed"):
        load_scenario(_write(tmp_path, text))


def test_the_generated_organisation_has_one_bad_path() -> None:
    facts = build_organisation(
        {
            "servers": 20,
            "sites": 2,
            "bad_path": {"sender": 3, "receiver": 7, "fault": "spn_missing"},
        }
    )
    listings = {f["account"]: f["spns"] for f in facts if f["type"] == "spn_listing"}
    assert len(listings) == 20
    assert [a for a, spns in listings.items() if not any("SMTP" in s for s in spns)] == ["EX007$"]
    queues = [f for f in facts if f["type"] == "queue"]
    assert [(q["server"], q["next_hop"]) for q in queues] == [("EX003", "ex007.corp.example.com")]
