"""The traps of durable-rules (docs/durable-rules.md), each pinned: the workaround in
engine/durable_backend.py or engine/evaluate.py is what makes these pass."""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import Any

import pytest
from kbdoctor.engine.durable_backend import (
    COLLISION_FREE,
    DurableError,
    Ruleset,
    bound_ids,
    fnv1a_32,
    safe_ids,
)
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import ExchangeServer, Fact, SpnListing

_counter = iter(range(10_000))


def _ruleset(rules: dict[str, Any]) -> Ruleset:
    return Ruleset(f"test{next(_counter)}", rules)


def _record(aliases: list[str]) -> Any:
    def action(match: Any) -> tuple[str, ...]:
        return bound_ids(match, aliases)

    return action


def test_no_background_threads_are_started() -> None:
    before = threading.active_count()
    _ruleset({"r": {"all": [{"p_a": {"kbd_type": "x"}}], "run": _record(["p_a"])}})
    assert threading.active_count() == before


def test_a_fact_no_rule_matches_does_not_stop_the_others() -> None:
    ruleset = _ruleset(
        {
            "r": {
                "all": [{"p_a": {"$and": [{"kbd_type": "off"}, {"$gt": {"v": 300.0}}]}}],
                "run": _record(["p_a"]),
            }
        }
    )
    with ruleset.session() as session:
        session.assert_batch(
            [
                {"id": "a", "kbd_type": "off", "v": 1.0},
                {"id": "b", "kbd_type": "off", "v": 400.0},
                {"id": "c", "kbd_type": "unrelated"},
            ]
        )
        assert session.drain() == [("b",)]


def test_an_exception_in_an_action_is_raised_not_swallowed() -> None:
    def boom(match: Any) -> None:
        raise ValueError("boom")

    ruleset = _ruleset({"r": {"all": [{"p_a": {"kbd_type": "x"}}], "run": boom}})
    with pytest.raises(DurableError, match="boom"), ruleset.session() as session:
        session.assert_batch([{"id": "1", "kbd_type": "x"}])


def test_more_sessions_than_durable_keeps_alive_at_once() -> None:
    ruleset = _ruleset({"r": {"all": [{"p_a": {"kbd_type": "x"}}], "run": _record(["p_a"])}})
    for number in range(1_100):  # durable-rules refuses the 1,025th live session
        with ruleset.session() as session:
            session.assert_batch([{"id": str(number), "kbd_type": "x"}])
            assert session.drain() == [(str(number),)]


def test_definitions_keep_their_actions() -> None:
    rules = {"r": {"all": [{"p_a": {"kbd_type": "x"}}], "run": _record(["p_a"])}}
    _ruleset(rules)
    assert "run" in rules["r"]  # set_rulesets deletes run keys of the dict it is given


NEGATION_RULE = {
    "all": [
        {"p_srv": {"kbd_type": "srv"}},
        {"n_1$not": {"$and": [{"kbd_type": "lst"}, {"acct": {"p_srv": "acct"}}]}},
    ],
}


def test_durable_negation_depends_on_arrival_order_within_a_batch() -> None:
    """The trap itself: in one batch, a negated fact arriving after the match does not cancel it.
    This is why the evaluator asserts the negated types in an earlier, separate batch."""
    ruleset = _ruleset({"r": {**NEGATION_RULE, "run": _record(["p_srv"])}})
    with ruleset.session() as session:
        session.assert_batch(
            [
                {"id": "s", "kbd_type": "srv", "acct": "ex01"},
                {"id": "l", "kbd_type": "lst", "acct": "ex01"},
            ]
        )
        assert session.drain() == [("s",)]  # wrong, and the reason for phases
    with ruleset.session() as session:
        session.assert_batch([{"id": "l", "kbd_type": "lst", "acct": "ex01"}])
        session.assert_batch([{"id": "s", "kbd_type": "srv", "acct": "ex01"}])
        assert session.drain() == []


@pytest.mark.parametrize("server_first", [True, False])
def test_absence_is_decided_after_every_listing_arrived(server_first: bool) -> None:
    servers = [
        ExchangeServer(name=f"EX{i:02d}", fqdn=f"ex{i:02d}.corp.example.com") for i in range(20)
    ]
    listings = [
        SpnListing(account=f"EX{i:02d}$", spns=[f"SMTPSVC/ex{i:02d}.corp.example.com"])
        for i in range(20)
    ]
    facts: list[Fact] = [*servers, *listings] if server_first else [*listings, *servers]
    run = Evaluator().run(facts)
    missing_fqdn = [
        r
        for r in run.firings
        if run.compiled.rules[r.rule_index].rule.id == "spn.smtpsvc-fqdn-missing"
    ]
    assert missing_fqdn == []


def test_identical_facts_are_one_fact() -> None:
    fact = ExchangeServer(name="EX01", fqdn="ex01.corp.example.com")
    run = Evaluator().run([fact, fact, ExchangeServer(name="EX01", fqdn="ex01.corp.example.com")])
    assert len(run.facts) == 1


def test_ids_durable_would_hash_alike_are_still_two_facts() -> None:
    """durable-rules files a fact under the 32-bit FNV-1a hash of its id; these two ids collide,
    and without the backend's own ids the second fact would be refused as already observed."""
    first, second = "spn-272381", "spn-1258180"
    assert fnv1a_32(first) == fnv1a_32(second)
    ruleset = _ruleset({"r": {"all": [{"p_a": {"kbd_type": "x"}}], "run": _record(["p_a"])}})
    with ruleset.session() as session:
        session.assert_batch([{"id": first, "kbd_type": "x"}, {"id": second, "kbd_type": "x"}])
        assert sorted(session.drain()) == [(second,), (first,)]


def test_the_backend_ids_never_share_a_hash() -> None:
    ids = safe_ids(COLLISION_FREE + 2_000)
    assert len({fnv1a_32(i) for i in ids}) == len(ids) == len(set(ids))


def test_the_first_hexadecimal_ids_are_collision_free_exactly_as_far_as_claimed() -> None:
    seen = {fnv1a_32(format(n, "x")) for n in range(COLLISION_FREE)}
    assert len(seen) == COLLISION_FREE
    assert fnv1a_32(format(COLLISION_FREE, "x")) in seen


def test_asserted_facts_are_not_modified() -> None:
    ruleset = _ruleset({"r": {"all": [{"p_a": {"kbd_type": "x"}}], "run": _record(["p_a"])}})
    fact = {"id": "mine", "kbd_type": "x"}
    with ruleset.session() as session:
        session.assert_batch([fact])
    assert fact == {"id": "mine", "kbd_type": "x"}


def test_a_session_in_which_nothing_fired_can_be_closed() -> None:
    """durable-rules crashes the process when deleting a session in which no action ran, so this
    runs in a child process: a crash fails the test instead of the test run."""
    code = (
        "from kbdoctor.engine.durable_backend import Ruleset\n"
        "r = Ruleset('lonely', {'r': {'all': [{'p_a': {'kbd_type': 'x'}},"
        " {'p_b': {'kbd_type': 'y'}}], 'run': lambda m: None}})\n"
        "with r.session() as s:\n"
        "    s.assert_batch([{'id': 'a', 'kbd_type': 'x'}])\n"
        "print('closed')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "closed"
