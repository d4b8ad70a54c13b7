"""Chaining bounded inside a round, not only between rounds (issue 10, item 3): the conclusion
limit holds as conclusions are made and as a round's firings come in, a round of conclusions that
could take a rule past the match bound is not asserted, and one whose every conclusion brings many
matches goes into durable-rules a few at a time (engine/chain_bounds.py)."""

from __future__ import annotations

import pytest
from kbdoctor.engine import evaluate
from kbdoctor.engine.chain_bounds import MATCHES_PER_CHUNK, RoundBounds
from kbdoctor.engine.compiler import TYPE, compile_rule_base
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import ClockOffset, ExchangeServer
from kbdoctor.engine.rulebase import parse_rule_texts

from bench.runaway_packs import PAIR, fan_rules

JOINED = PAIR.replace(
    "      - bind: h\n        finding: grow\n",
    "      - bind: h\n        finding: grow\n        where: {a: {same_as: g.a}}\n",
)


def _clocks(hosts: int) -> list[ClockOffset]:
    return [
        ClockOffset(host=f"EX{i:02d}", reference="DC01", offset_s=1.0) for i in range(1, hosts + 1)
    ]


def _grow(ident: int, a: str = "y") -> dict[str, object]:
    return {"id": f"c-{ident}", TYPE: "finding:grow", "subject": f"s{ident}", "a": a}


def test_the_conclusion_limit_holds_inside_a_round(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checked only between rounds, a round that began under the limit went on to 224,000
    conclusions and 1.8 GB: here 3 + 6 + 12 + 24 + 48 would have been 93, then 189."""
    monkeypatch.setattr(evaluate, "MAX_CONCLUSIONS", 100)
    run = Evaluator(parse_rule_texts([("fan.yaml", fan_rules(2))])).run(_clocks(3))
    assert len(run.conclusions) == 100
    assert run.cut_short == "chaining"
    assert run.unfinished == ["grow1", "grow2"]
    # what is kept is whole: every conclusion has the firing that made it
    assert all(conclusion.firings for conclusion in run.conclusions.values())
    assert len(run.firings) == 100


def test_the_limit_grows_with_the_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The knowledge base concludes about 0.6 per fact: a run of many facts may make as many
    conclusions as it has facts (40 here, 3 of them seeds: 3 + 6 + 12 + 24 passes 40 in the
    fourth round)."""
    monkeypatch.setattr(evaluate, "MAX_CONCLUSIONS", 10)
    servers = [ExchangeServer(name=f"MBX{i:02d}") for i in range(37)]
    run = Evaluator(parse_rule_texts([("fan.yaml", fan_rules(2))])).run([*_clocks(3), *servers])
    assert len(run.facts) == 40
    assert len(run.conclusions) == 40
    assert run.cut_short == "chaining"


def test_a_round_that_could_pass_the_match_bound_is_not_asserted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A self-join keeps the square of the conclusions: 3 seeds make 6 pairs (9 conclusions,
    81 possible matches, over a bound of 50), so the second round is never asserted. Without
    the bound the next rounds made 72 and 5,550 firings."""
    monkeypatch.setattr(evaluate, "MAX_MATCHES_PER_RULE", 50)
    monkeypatch.setattr(evaluate, "MAX_CONCLUSIONS", 1_000)
    run = Evaluator(parse_rule_texts([("pair.yaml", PAIR)])).run(_clocks(3))
    assert run.cut_short == "chaining"
    assert run.unfinished == ["grow"]
    assert len(run.conclusions) == 9
    assert sum(1 for firing in run.firings if firing.rule_index == 1) == 6


def test_a_round_that_brings_more_firings_than_conclusions_may_be_made_is_stopped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """25 conclusions (5 seeds, 20 pairs) assert into a self-join of 600 matches: the round's
    firings stop being recorded once more come than conclusions may still be made."""
    monkeypatch.setattr(evaluate, "MAX_CONCLUSIONS", 100)
    run = Evaluator(parse_rule_texts([("pair.yaml", PAIR)])).run(_clocks(5))
    assert run.cut_short == "chaining"
    assert run.unfinished == ["grow"]
    assert len(run.conclusions) <= 100
    assert len(run.firings) <= 100 + 1


def test_each_conclusion_joined_with_all_others_is_asserted_a_few_at_a_time() -> None:
    compiled = compile_rule_base(parse_rule_texts([("pair.yaml", PAIR)]))
    chain = RoundBounds(compiled, {r.index: 1 for r in compiled.rules})
    chain.add(_grow(i) for i in range(500))
    assert chain.over(1_000_000) == []
    assert chain.over(500 * 500 - 1) == [1]
    assert chain.chunk({"finding:grow"}) == MATCHES_PER_CHUNK // 500
    assert chain.chunk({"finding:other"}) == MATCHES_PER_CHUNK


def test_a_join_on_a_field_counts_the_most_conclusions_that_share_a_value() -> None:
    compiled = compile_rule_base(parse_rule_texts([("joined.yaml", JOINED)]))
    chain = RoundBounds(compiled, {r.index: 1 for r in compiled.rules})
    chain.add(_grow(i, a=f"v{i % 100}") for i in range(1_000))  # ten conclusions per value
    assert chain.over(1_000 * 10 - 1) == [1]
    assert chain.over(1_000 * 10) == []
    assert chain.chunk({"finding:grow"}) == MATCHES_PER_CHUNK // 1_000


def test_a_rule_left_out_for_its_matches_is_not_counted() -> None:
    compiled = compile_rule_base(parse_rule_texts([("pair.yaml", PAIR)]))
    chain = RoundBounds(compiled, {r.index: 1 for r in compiled.rules}, excluded={1})
    chain.add(_grow(i) for i in range(2_000))
    assert chain.over(1) == []
