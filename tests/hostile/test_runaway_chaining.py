"""Chaining that runs away, from the command line under resource limits (issue 10, item 3): with
no time budget at all, rules that conclude new findings from every finding, or from every pair of
findings, end at the conclusion limit in bounded memory and CPU time, with exit status 3 and the
rules named. They took 1.8 GB and 70 s (a self-join of findings: the limit was checked only after
each round, and a round's matches on conclusions were never bounded) and 35 s and 1.2 GB (two
rules doubling the findings each round)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kbdoctor.engine.evaluate import MAX_CONCLUSIONS

from bench.runaway_packs import PAIR, clock_facts, fan_rules, write
from tests.hostile.bounded import kbdoctor

# Far above what these runs take now (about 600 MB of address space and 6 CPU seconds), far
# below what they took.
MEMORY = 1024 * 1024 * 1024
CPU = 30


@pytest.mark.parametrize(
    ("pack", "unfinished"),
    [(fan_rules(2), ["grow1", "grow2"]), (PAIR, ["grow"])],
    ids=["fan", "pair"],
)
def test_runaway_chaining_without_a_budget_ends_at_the_conclusion_limit(
    tmp_path: Path, pack: str, unfinished: list[str]
) -> None:
    rules = write(tmp_path, "grow.yaml", pack)
    facts = write(tmp_path, "facts.yaml", clock_facts(5))
    result = kbdoctor(
        *("evaluate", str(facts), "--rules", str(rules), "--budget", "0", "--format", "json"),
        memory=MEMORY,
        cpu=CPU,
    )
    assert result.returncode == 3, (result.returncode, result.stderr[-2000:])
    assert result.stderr.startswith("chaining was stopped: "), result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["budget"]["reason"] == "chaining"
    assert report["budget"]["unfinished_rules"] == unfinished
    assert 0 < len(report["findings"]) <= MAX_CONCLUSIONS
