"""A wall-clock budget per evaluation (issue 10, item 3): when it runs out, the rules that did not
finish are named in the run, the report (``budget``) and the exit status (3); durable-rules
sessions are stopped between two assertions, never with actions pending, so nothing crashes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from kbdoctor.engine import durable_backend
from kbdoctor.engine.durable_backend import OutOfTime, Ruleset, bound_ids
from kbdoctor.engine.evaluate import DEFAULT_BUDGET_S, Evaluator
from kbdoctor.engine.factio import load_fact_files

REPO = Path(__file__).resolve().parents[2]
DEMO = str(REPO / "examples" / "demo-incident.yaml")


def _kbdoctor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kbdoctor", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        check=False,
    )


def test_a_generous_budget_changes_nothing() -> None:
    facts = load_fact_files([DEMO]).facts
    evaluator = Evaluator()
    unlimited = evaluator.evaluate(facts)
    budgeted = evaluator.evaluate(facts, budget=60)
    assert budgeted.budget is None
    assert budgeted.to_json() == unlimited.to_json()


@pytest.mark.parametrize("explain", [False, True])
def test_a_spent_budget_names_the_unfinished_rules(explain: bool) -> None:
    facts = load_fact_files([DEMO]).facts
    evaluator = Evaluator()
    report = evaluator.evaluate(facts, budget=1e-9, explain=explain)
    assert report.budget is not None
    assert report.budget.seconds == 1e-9
    ids = {r.id for r in evaluator.base.rules if r.status != "deprecated"}
    assert set(report.budget.unfinished_rules) <= ids
    assert "symptom.queue-454" in report.budget.unfinished_rules
    assert json.loads(report.to_json())["budget"]["unfinished_rules"]
    after = evaluator.evaluate(facts)  # the engine is still usable
    assert after.budget is None
    assert after.diagnoses


def test_the_session_stops_between_assertions_and_keeps_what_fired() -> None:
    rules = {
        "r0000": {"all": [{"p_a": {"kbd_type": "x"}}], "run": lambda m: bound_ids(m, ["p_a"])},
        "r0001": {"all": [{"p_a": {"kbd_type": "y"}}], "run": lambda m: bound_ids(m, ["p_a"])},
    }
    ruleset = Ruleset("budget-session", rules)
    with ruleset.session(deadline=0.0) as session, pytest.raises(OutOfTime):
        session.assert_batch([{"id": "a", "kbd_type": "x"}])
    assert session.unfinished_rules() == ["r0000"]  # r0001 tests no type that was missed
    with ruleset.session() as session:
        session.assert_batch([{"id": "a", "kbd_type": "x"}])
        assert session.drain() == [("a",)]


def test_many_evaluations_cut_short_do_not_crash_the_process() -> None:
    """Sessions ended by the budget are deleted only when no action is pending (deleting one
    with pending actions is a segmentation fault): a subprocess, so a regression fails here."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                from kbdoctor.engine import durable_backend
                durable_backend.ASSERT_CHUNK = 3
                from kbdoctor.engine.evaluate import Evaluator
                from kbdoctor.engine.factio import load_fact_files
                facts = load_fact_files([{DEMO!r}]).facts
                evaluator = Evaluator()
                cut = 0
                for attempt in range(300):
                    budget = (attempt % 30) * 0.0002
                    report = evaluator.evaluate(facts, budget=budget, explain=attempt % 2 == 1)
                    cut += report.budget is not None
                print(cut)
                """
            ),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) > 0


def test_command_line_exit_status_3_and_the_rules_on_standard_error() -> None:
    done = _kbdoctor("evaluate", DEMO, "--budget", "0.0000001", "--format", "json")
    assert done.returncode == 3
    assert "the time budget of 1e-07 s ran out:" in done.stderr
    assert re.search(r": \d+ rules did not finish", done.stderr)
    assert "connector.default-with-exchange-auth, " in done.stderr
    assert json.loads(done.stdout)["budget"]["seconds"] == 1e-7


def test_command_line_budget_zero_is_no_limit_and_a_negative_one_is_refused() -> None:
    assert _kbdoctor("evaluate", DEMO, "--budget", "0").returncode == 1
    refused = _kbdoctor("evaluate", DEMO, "--budget", "-1")
    assert refused.returncode == 2
    assert "--budget" in refused.stderr


def test_the_default_budget_is_a_few_seconds_and_documented() -> None:
    assert 1 <= DEFAULT_BUDGET_S <= 10
    help_text = _kbdoctor("evaluate", "--help").stdout
    assert f"default {DEFAULT_BUDGET_S:g};" in " ".join(help_text.split())
    assert durable_backend.ASSERT_CHUNK >= 100


GROWING = """kbdoctor: rules/1
pack: grow
findings:
  grow:
    title: {en: G, pl: G}
    subject: text
rules:
  - id: seed
    title: {en: S, pl: S}
    when:
      - bind: o
        fact: clock_offset
    conclude: {finding: grow, cf: 0.5, subject: "{o.host}"}
    explain: {en: x, pl: x}
  - id: grow
    title: {en: G, pl: G}
    when:
      - bind: g
        finding: grow
    conclude: {finding: grow, cf: 0.5, subject: "{g.subject}x"}
    explain: {en: x, pl: x}
"""


def test_chaining_whose_subject_grows_is_stopped_without_a_budget() -> None:
    """It reached 13 GB: every round concluded a new, longer subject."""
    from kbdoctor.engine.evaluate import MAX_CHAIN_ROUNDS
    from kbdoctor.engine.facts import ClockOffset
    from kbdoctor.engine.rulebase import parse_rule_texts

    evaluator = Evaluator(parse_rule_texts([("grow.yaml", GROWING)]))
    facts = [ClockOffset(host="EX01", reference="DC01", offset_s=1.0)]
    report = evaluator.evaluate(facts)
    assert report.budget is not None
    assert report.budget.reason == "chaining"
    assert report.budget.seconds is None
    assert report.budget.unfinished_rules == ["grow"]
    assert len(evaluator.run(facts).conclusions) <= MAX_CHAIN_ROUNDS + 2


def test_command_line_says_chaining_was_stopped(tmp_path: Path) -> None:
    rules = tmp_path / "grow.yaml"
    rules.write_text(GROWING, encoding="utf-8")
    done = _kbdoctor("evaluate", DEMO, "--rules", str(rules), "--budget", "0", "--format", "json")
    assert done.returncode == 3
    assert done.stderr.startswith("chaining was stopped: ")
    assert json.loads(done.stdout)["budget"]["reason"] == "chaining"
