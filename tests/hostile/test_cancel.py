"""Cancelling an evaluation (issue 10, item 3): a cancel event stops the engine where the time
budget does, between two assertions and every few thousand firings, so the thread ends on its own
and quickly, the report names the rules that did not finish (``budget.reason: cancelled``), and
the evaluator stays usable."""

from __future__ import annotations

import threading
from pathlib import Path

from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.factio import load_fact_files
from kbdoctor.engine.rulebase import load_rule_base

from tests.hostile.slow_pack import write_slow_pack


def test_a_cancel_stops_a_slow_evaluation_part_way(tmp_path: Path) -> None:
    """Whole, the pack records 100 x 2,000 firings (several seconds); cancelled after 0.3 s it
    records a part of them and names every rule as unfinished."""
    rules, facts_path = write_slow_pack(tmp_path)
    facts = load_fact_files([str(facts_path)]).facts
    evaluator = Evaluator(load_rule_base([str(rules)]))
    cancel = threading.Event()
    timer = threading.Timer(0.3, cancel.set)
    timer.start()
    run = evaluator.run(facts, cancel=cancel, explain=True)
    timer.cancel()
    assert run.cut_short == "cancelled"
    assert len(run.firings) < 100 * 2000
    assert run.unfinished == [f"slow{i:03d}" for i in range(100)]
    assert run.probes is None  # no WHY-NOT for a run nobody wants any more


def test_the_report_of_a_cancelled_run_says_so_and_the_evaluator_goes_on(tmp_path: Path) -> None:
    rules, facts_path = write_slow_pack(tmp_path, rules=5, facts=20)
    facts = load_fact_files([str(facts_path)]).facts
    evaluator = Evaluator(load_rule_base([str(rules)]))
    cancel = threading.Event()
    cancel.set()
    report = evaluator.evaluate(facts, cancel=cancel)
    assert report.budget is not None
    assert (report.budget.reason, report.budget.seconds) == ("cancelled", None)
    assert report.diagnoses == []
    whole = evaluator.evaluate(facts)
    assert whole.budget is None
    assert [d.cause for d in whole.diagnoses] == ["slow"]


def test_a_cancel_set_before_the_run_concludes_nothing(tmp_path: Path) -> None:
    rules, facts_path = write_slow_pack(tmp_path, rules=5, facts=20)
    facts = load_fact_files([str(facts_path)]).facts
    cancel = threading.Event()
    cancel.set()
    run = Evaluator(load_rule_base([str(rules)])).run(facts, cancel=cancel)
    assert run.cut_short == "cancelled"
    assert run.firings == []
    assert run.unfinished == [f"slow{i:03d}" for i in range(5)]
