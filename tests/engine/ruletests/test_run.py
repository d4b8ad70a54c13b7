"""Rule tests in YAML as specifications: the shipped KB 979174 pack passes its own tests, a
semantic change to a rule (the 300 s Kerberos tolerance raised to 3000 s) makes them fail with
expected, actual and the WHY NOT behind it, a known gap is reported without failing, and facts
come inline, from a fact file, or from saved command outputs through the importer."""

from __future__ import annotations

import shutil
from pathlib import Path

import kbdoctor.engine.ruletests.run as run_module
import pytest
from kbdoctor.collectors.importing import import_paths
from kbdoctor.engine.facts import Fact
from kbdoctor.engine.ruletests.discover import find_test_files, rules_with_tests
from kbdoctor.engine.ruletests.run import run_tests

KB = Path(__file__).resolve().parents[3] / "kb_rules"


def _importer(path: str) -> list[Fact]:
    return list(import_paths([path]).facts)


def test_the_shipped_pack_passes_its_tests_and_every_rule_has_one_that_fires() -> None:
    result = run_tests(find_test_files([str(KB)]), importer=_importer)
    assert result.problems == []
    assert [o.name for o in result.outcomes if not o.passed] == []
    rules = {
        line.split("id: ", 1)[1].strip()
        for line in (KB / "kb979174.yaml").read_text(encoding="utf-8").splitlines()
        if line.startswith("  - id: ")
    }
    assert len(rules) == 34
    assert rules <= rules_with_tests([str(KB / "kb979174.yaml")])


def test_a_tolerance_of_3000_s_instead_of_300_s_fails_the_tests_with_the_reason(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "kb"
    shutil.copytree(KB, copy)
    rules = copy / "kb979174.yaml"
    text = rules.read_text(encoding="utf-8")
    assert text.count("offset_s: {abs_gt: 300}") == 4
    rules.write_text(
        text.replace("offset_s: {abs_gt: 300}", "offset_s: {abs_gt: 3000}"), encoding="utf-8"
    )
    result = run_tests(find_test_files([str(copy)]), importer=_importer)
    failed = {o.name: o for o in result.outcomes if not o.passed}
    assert "time.skew.between-parties fires" in failed
    assert "time_sync is diagnosed from a small organisation" in failed
    mismatch = failed["time.skew.between-parties fires"].mismatches[0]
    assert (mismatch.key, mismatch.params) == (
        "ruletest.rule_silent",
        {"rule": "time.skew.between-parties"},
    )
    assert any("abs_gt 3000" in line for line in mismatch.reasoning)
    cause = failed["time_sync is diagnosed from a small organisation"].mismatches[0]
    assert cause.params["expected"] == "diagnosed, 0.5..1"
    assert cause.params["actual"].startswith("ruled_out")


PACK_TEST = """\
kbdoctor: rules-test/1
rules: [{rules}]
tests:
  - name: from a fact file
    fact_file: facts.yaml
    expect:
      fires: [time.skew.between-parties]
      causes: {{time_sync: {{status: [diagnosed, possible]}}}}
  - name: a gap the rules have today
    facts: [{{type: clock_offset, host: EX01, reference: DC01, offset_s: 10}}]
    expect: {{fires: [time.skew.between-parties]}}
    known_gap: "10 s is within Kerberos' tolerance; kept to show a gap that still fails"
"""

FACTS = """\
kbdoctor: facts/1
facts:
  - {type: exchange_server, name: EX01, fqdn: ex01.corp.example.com}
  - {type: domain_controller, name: DC01, fqdn: dc01.corp.example.com}
  - {type: clock_offset, host: EX01, reference: DC01, offset_s: 421.5}
"""


def test_a_fact_file_and_a_known_gap_which_is_reported_but_does_not_fail(tmp_path: Path) -> None:
    (tmp_path / "facts.yaml").write_text(FACTS, encoding="utf-8")
    test = tmp_path / "t.yaml"
    test.write_text(PACK_TEST.format(rules=KB / "kb979174.yaml"), encoding="utf-8")
    assert find_test_files([str(test)]) == [test]
    result = run_tests([test])
    assert result.problems == []
    first, gap = result.outcomes
    assert first.passed
    assert (gap.passed, gap.fails_run, gap.line) == (False, False, 9)


def test_an_invalid_test_file_is_a_located_problem(tmp_path: Path) -> None:
    test = tmp_path / "t.yaml"
    test.write_text(
        "kbdoctor: rules-test/1\ntests:\n  - name: x\n    expect: {fires: [a]}\n", encoding="utf-8"
    )
    result = run_tests([test])
    assert result.outcomes == []
    assert [(p.line, p.key) for p in result.problems] == [(3, "pydantic.value_error")]


QUEUE_454 = r"""
      - {type: exchange_server, name: EX01, fqdn: ex01.corp.example.com}
      - {type: exchange_server, name: EX02, fqdn: ex02.corp.example.com}
      - {type: queue, server: EX01, identity: EX01\3, last_error: '451 4.4.0 Primary target IP
          address responded with: "454 4.7.0 Temporary authentication failure."
          {FQDN=ex02.corp.example.com};{IP=10.0.0.12}'}"""


def _test_file(tmp_path: Path, tests: str) -> Path:
    path = tmp_path / "t.yaml"
    path.write_text(
        f"kbdoctor: rules-test/1\nrules: [{KB / 'kb979174.yaml'}]\ntests:\n{tests}",
        encoding="utf-8",
    )
    return path


def test_every_id_an_expectation_names_must_be_defined_by_the_rules(tmp_path: Path) -> None:
    test = _test_file(
        tmp_path,
        """\
  - name: typos
    facts: [{type: clock_offset, host: EX01, reference: DC01, offset_s: 1}]
    expect:
      fires: [time.external-drift, time.external-drfit]
      silent: [time.skew.betwen-parties]
      causes: {time_snyc: {status: ruled_out}}
      not_concluded: [time_sync, spn_dupe]
      diagnoses: [ad_replicaton]
      findings: [external_time_drfit]
      not_findings: [external_time_drift, unreliable_time_sourc]
      recommendations: [enable_kerberos_loging]
  - name: right
    facts: [{type: clock_offset, host: EX01, reference: DC01, offset_s: 1}]
    expect: {silent: [time.external-drift]}
""",
    )
    result = run_tests([test])
    assert [(p.line, p.column, p.key, p.params) for p in result.problems] == [
        (7, 36, "ruletest.rule_unknown", {"rule": "time.external-drfit"}),
        (8, 16, "ruletest.rule_unknown", {"rule": "time.skew.betwen-parties"}),
        (9, 16, "ruletest.cause_unknown", {"cause": "time_snyc"}),
        (10, 34, "ruletest.cause_unknown", {"cause": "spn_dupe"}),
        (11, 19, "ruletest.cause_unknown", {"cause": "ad_replicaton"}),
        (12, 18, "ruletest.finding_unknown", {"finding": "external_time_drfit"}),
        (13, 43, "ruletest.finding_unknown", {"finding": "unreliable_time_sourc"}),
        (14, 25, "ruletest.recommendation_unknown", {"recommendation": "enable_kerberos_loging"}),
    ]
    assert result.problems[0].render() == (
        f"{test}:7:36: rule time.external-drfit is not defined by the rules"
    )
    assert [o.name for o in result.outcomes] == ["right"]  # a test with a typo does not run


def test_a_fact_file_or_outputs_that_are_not_there_are_refused_at_the_tests_line(
    tmp_path: Path,
) -> None:
    (tmp_path / "empty").mkdir()
    test = _test_file(
        tmp_path,
        """\
  - name: no such outputs
    outputs: outputs/time_sync
    expect: {silent: [time.external-drift]}
  - name: no such fact file
    fact_file: facts.yaml
    expect: {silent: [time.external-drift]}
  - name: outputs without facts
    outputs: empty
    expect: {silent: [time.external-drift]}
""",
    )
    result = run_tests([test], importer=_importer)
    assert result.outcomes == []
    assert [(p.file, p.line, p.key) for p in result.problems] == [
        (str(test), 5, "ruletest.no_such_path"),
        (str(test), 8, "ruletest.no_such_path"),
        (str(test), 11, "ruletest.outputs_no_facts"),
    ]
    assert result.problems[0].params == {
        "field": "outputs",
        "path": str(tmp_path / "outputs" / "time_sync"),
    }
    assert result.problems[1].params["field"] == "fact_file"


def test_a_failing_path_with_one_side_left_out_matches_any_machine_on_that_side(
    tmp_path: Path,
) -> None:
    test = _test_file(
        tmp_path,
        f"""\
  - name: the receiver alone
    facts: {QUEUE_454}
    expect: {{failing_paths: [{{receiver: EX02}}]}}
  - name: the sender alone, in other case
    facts: {QUEUE_454}
    expect: {{failing_paths: [{{sender: ex01}}]}}
  - name: another receiver
    facts: {QUEUE_454}
    expect: {{failing_paths: [{{receiver: EX03}}]}}
  - name: two expected, one marked
    facts: {QUEUE_454}
    expect: {{failing_paths: [{{receiver: EX02}}, {{sender: EX01, receiver: EX02}}]}}
""",
    )
    result = run_tests([test])
    assert result.problems == []
    outcomes = {o.name: o for o in result.outcomes}
    assert outcomes["the receiver alone"].passed
    assert outcomes["the sender alone, in other case"].passed
    [other] = outcomes["another receiver"].mismatches
    assert other.params == {"expected": "* -> EX03", "actual": "EX01 -> EX02"}
    [two] = outcomes["two expected, one marked"].mismatches
    assert two.params == {"expected": "* -> EX02, EX01 -> EX02", "actual": "EX01 -> EX02"}


def test_a_failing_path_names_at_least_one_side(tmp_path: Path) -> None:
    test = _test_file(
        tmp_path,
        f"""\
  - name: nothing named
    facts: {QUEUE_454}
    expect: {{failing_paths: [{{}}]}}
""",
    )
    result = run_tests([test])
    assert [(p.line, p.key) for p in result.problems] == [(11, "pydantic.value_error")]


class _Clock:
    """A clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def perf_counter(self) -> float:
        self.now += 1
        return self.now


def test_loading_compiling_and_testing_are_counted_apart_and_each_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    test = _test_file(
        tmp_path,
        """\
  - name: one
    facts: [{type: clock_offset, host: EX01, reference: DC01, offset_s: 1}]
    expect: {silent: [time.external-drift]}
  - name: two
    facts: [{type: clock_offset, host: EX01, reference: DC01, offset_s: 1}]
    expect: {silent: [time.external-drift]}
""",
    )
    other = tmp_path / "u.yaml"
    other.write_text(test.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(run_module, "time", _Clock())
    result = run_tests([test, other])
    assert len(result.outcomes) == 4
    # each phase is read twice a time it is timed: two test files and one rule base read, the
    # rules compiled once for both files, and the tests of each file timed as one
    assert result.seconds == {"load": 3.0, "compile": 1.0, "tests": 2.0}
