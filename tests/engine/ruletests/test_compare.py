"""What a failed expectation shows beside expected and actual: the HOW of what was concluded
and the WHY NOT of what was not, for rules, causes, diagnoses, findings, recommendations and
failing paths alike; and how expected failing paths pair with the marked ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbdoctor.engine.report import FailingPathReport
from kbdoctor.engine.ruletests.compare import Mismatch, match_paths
from kbdoctor.engine.ruletests.model import PathExpectation
from kbdoctor.engine.ruletests.run import run_tests

KB = Path(__file__).resolve().parents[3] / "kb_rules" / "kb979174.yaml"

DRIFT = """
      - {type: domain_controller, name: DC01, fqdn: dc01.corp.example.com, pdc: true}
      - {type: clock_offset, host: DC01, reference: time.windows.com, offset_s: 900.0}"""
QUEUE_454 = r"""
      - {type: exchange_server, name: EX01, fqdn: ex01.corp.example.com}
      - {type: exchange_server, name: EX02, fqdn: ex02.corp.example.com}
      - {type: queue, server: EX01, identity: EX01\3, last_error: '451 4.4.0 Primary target IP
          address responded with: "454 4.7.0 Temporary authentication failure."
          {FQDN=ex02.corp.example.com};{IP=10.0.0.12}'}"""
DC_SKEW = """
      - {type: domain_controller, name: DC01, fqdn: dc01.corp.example.com}
      - {type: clock_offset, host: EX01, reference: DC01, offset_s: 421.5}"""
SKEW = (
    """
      - {type: exchange_server, name: EX01, fqdn: ex01.corp.example.com}"""
    + DC_SKEW
)


def _mismatches(tmp_path: Path, facts: str, expect: str) -> dict[str, Mismatch]:
    test = tmp_path / "t.yaml"
    test.write_text(
        f"kbdoctor: rules-test/1\nrules: [{KB}]\ntests:\n"
        f"  - name: t\n    facts: {facts}\n    expect: {expect}\n",
        encoding="utf-8",
    )
    result = run_tests([test])
    assert result.problems == []
    [outcome] = result.outcomes
    return {m.key: m for m in outcome.mismatches}


def test_a_missing_finding_shows_why_not_and_an_unwanted_one_how(tmp_path: Path) -> None:
    found = _mismatches(
        tmp_path,
        DRIFT,
        "{findings: [unreliable_time_source], not_findings: [external_time_drift]}",
    )
    assert found["ruletest.findings"].reasoning == (
        "WHY NOT: time.unreliable-source: no time_status fact was given (condition 2)",
    )
    [how] = found["ruletest.findings_unwanted"].reasoning
    assert how.startswith("HOW: DC01: time.external-drift: DC01 is +900.0 s from time.windows.com")


def test_a_recommendation_not_made_says_which_condition_of_it_failed(tmp_path: Path) -> None:
    no_symptom = _mismatches(tmp_path, DRIFT, "{recommendations: [enable_kerberos_logging]}")
    assert no_symptom["ruletest.recommendations"].reasoning == (
        "WHY NOT: enable_kerberos_logging: made only when one of the symptoms exchange_auth_454 "
        "is present, and none is",
    )
    cause_found = _mismatches(
        tmp_path, QUEUE_454 + DC_SKEW, "{recommendations: [enable_kerberos_logging]}"
    )
    [line] = cause_found["ruletest.recommendations"].reasoning
    assert line.startswith("WHY NOT: enable_kerberos_logging: made only while no cause reaches")
    assert "cause time_sync has 0.9" in line


def test_a_recommendation_made_unexpectedly_shows_why_it_was_made(tmp_path: Path) -> None:
    found = _mismatches(tmp_path, QUEUE_454, "{recommendations: []}")
    assert found["ruletest.recommendations"].reasoning == (
        "HOW: enable_kerberos_logging: symptom exchange_auth_454 present and no cause reached 0.5",
    )


def test_diagnoses_show_the_reasoning_of_each_cause_in_one_list_only(tmp_path: Path) -> None:
    found = _mismatches(tmp_path, SKEW, "{diagnoses: [spn_duplicate, time_sync]}")
    mismatch = found["ruletest.diagnoses"]
    assert mismatch.params == {"expected": "spn_duplicate, time_sync", "actual": "time_sync"}
    assert mismatch.reasoning[0] == (
        "WHY NOT: spn.duplicate-smtp: no spn_duplicate fact was given (condition 1)"
    )
    assert not any("time.skew" in line for line in mismatch.reasoning)
    unexpected = _mismatches(tmp_path, SKEW, "{diagnoses: []}")["ruletest.diagnoses"]
    assert unexpected.reasoning[0].startswith("HOW: DC01 / EX01: time.skew.between-parties: ")


def test_failing_paths_show_the_rules_that_marked_them_and_those_that_did_not(
    tmp_path: Path,
) -> None:
    found = _mismatches(tmp_path, QUEUE_454, "{failing_paths: [{sender: EX01, receiver: EX03}]}")
    mismatch = found["ruletest.failing_paths"]
    assert mismatch.params == {"expected": "EX01 -> EX03", "actual": "EX01 -> EX02"}
    assert mismatch.reasoning[0].startswith("HOW: EX01: symptom.queue-454: Queue EX01\\3 on EX01")
    assert "WHY NOT: symptom.event-2017-outbound: no event fact was given (condition 1)" in (
        mismatch.reasoning
    )
    none_expected = _mismatches(tmp_path, QUEUE_454, "{failing_paths: []}")
    # every expectation met by a marked path: nothing to say about the rules that marked none
    assert not any(
        line.startswith("WHY NOT") for line in none_expected["ruletest.failing_paths"].reasoning
    )


def _path(sender: str | None, receiver: str | None) -> FailingPathReport:
    return FailingPathReport(sender=sender, receiver=receiver, domain_controllers=[], rules=[])


@pytest.mark.parametrize(
    ("wanted", "actual", "pairs"),
    [
        ([PathExpectation(receiver="EX02")], [_path("EX01", "EX02")], {0: 0}),
        ([PathExpectation(sender="EX01")], [_path(None, "EX02")], {}),
        ([PathExpectation(receiver="ex02")], [_path(None, "EX02")], {0: 0}),
        # the wildcard must leave EX01 -> EX02 to the expectation that can only take it
        (
            [PathExpectation(receiver="EX02"), PathExpectation(sender="EX01", receiver="EX02")],
            [_path("EX01", "EX02"), _path("EX03", "EX02")],
            {0: 1, 1: 0},
        ),
        (
            [PathExpectation(receiver="EX02"), PathExpectation(receiver="EX02")],
            [_path("EX01", "EX02")],
            {0: 0},
        ),
    ],
)
def test_expected_paths_pair_one_to_one_with_marked_paths(
    wanted: list[PathExpectation], actual: list[FailingPathReport], pairs: dict[int, int]
) -> None:
    assert match_paths(wanted, actual) == pairs
