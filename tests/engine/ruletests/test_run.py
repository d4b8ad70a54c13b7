"""Rule tests in YAML as specifications: the shipped KB 979174 pack passes its own tests, a
semantic change to a rule (the 300 s Kerberos tolerance raised to 3000 s) makes them fail with
expected, actual and the WHY NOT behind it, a known gap is reported without failing, and facts
come inline, from a fact file, or from saved command outputs through the importer."""

from __future__ import annotations

import shutil
from pathlib import Path

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
