"""A conclusion can be no longer than any text kbdoctor reads (``KBDOCTOR_MAX_STRING``): a rule
whose subject doubles each round reached 2.1 GB and a 268 MB report in 20 rounds, well within the
limit on rounds, and without a budget it ended in MemoryError. It is stopped as other runaway
chaining is, with the rule named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import ClockOffset
from kbdoctor.engine.rulebase import parse_rule_texts

from tests.hostile.bounded import kbdoctor

DOUBLING = """kbdoctor: rules/1
pack: chain
findings:
  grow:
    title: {en: Grow, pl: Rośnie}
    values: {v: text}
rules:
  - id: seed
    title: {en: S, pl: S}
    when:
      - bind: o
        fact: clock_offset
    conclude: {finding: grow, cf: 0.5, subject: "{o.host}", values: {v: "{o.host}"}}
    explain: {en: x, pl: x}
  - id: grow
    title: {en: G, pl: G}
    when:
      - bind: f
        finding: grow
    conclude: {finding: grow, cf: 0.5, subject: "SUBJECT", values: {v: "VALUE"}}
    explain: {en: x, pl: x}
"""
FACTS = """kbdoctor: facts/1
facts:
  - {type: clock_offset, host: EX01, reference: DC01, offset_s: 5}
"""


def _pack(subject: str, value: str) -> str:
    return DOUBLING.replace("SUBJECT", subject).replace("VALUE", value)


@pytest.mark.parametrize(
    ("subject", "value"),
    [("{f.subject}{f.subject}", "{f.v}"), ("{f.subject}x", "{f.v}{f.v}")],
    ids=["subject", "value"],
)
def test_a_doubling_conclusion_stops_at_the_text_limit(
    subject: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KBDOCTOR_MAX_STRING", "1000")
    evaluator = Evaluator(parse_rule_texts([("chain.yaml", _pack(subject, value))]))
    run = evaluator.run([ClockOffset(host="EX01", reference="DC01", offset_s=5)])
    assert run.cut_short == "chaining"
    assert run.unfinished == ["grow"]
    for conclusion in run.conclusions.values():
        assert len(conclusion.subject) <= 1000
        assert all(len(str(v)) <= 1000 for v in conclusion.values.values())
    # the longest one allowed was concluded: the limit stops the chain, not something earlier
    longest = max(max(len(c.subject), len(str(c.values["v"]))) for c in run.conclusions.values())
    assert longest > 500


@pytest.mark.parametrize("budget", ["0", "5"])
def test_command_line_stops_a_doubling_subject_within_bounds(tmp_path: Path, budget: str) -> None:
    rules = tmp_path / "chain.yaml"
    rules.write_text(_pack("{f.subject}{f.subject}", "{f.v}{f.v}"), encoding="utf-8")
    facts = tmp_path / "facts.yaml"
    facts.write_text(FACTS, encoding="utf-8")
    done = kbdoctor(
        "evaluate",
        str(facts),
        "--rules",
        str(rules),
        "--budget",
        budget,
        "--format",
        "json",
        memory=512 * 1024 * 1024,
    )
    assert done.returncode == 3, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("chaining was stopped: ")
    report = json.loads(done.stdout)
    assert report["budget"]["reason"] == "chaining"
    assert report["budget"]["unfinished_rules"] == ["grow"]
    assert len(done.stdout) < 4 * 1024 * 1024
