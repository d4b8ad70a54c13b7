"""How a durable-rules session stops inside one assertion (issue 10, item 3): an assertion is one
call into the C core that cannot be interrupted, and a round of conclusions that each joined 500
others made 275,000 matches in one; the deadline, the cancel and a cap on firings are therefore
also checked by every action, match by match, and what an action was handed is freed when it is
done, also while the cyclic collector is off."""

from __future__ import annotations

import gc
import itertools
from typing import Any

import pytest
from durable import engine as durable_engine
from kbdoctor.engine import durable_backend
from kbdoctor.engine.durable_backend import (
    OutOfTime,
    Ruleset,
    TooManyFirings,
    bound_ids,
)

_names = itertools.count()


def _one_rule() -> Ruleset:
    rules = {"r0000": {"all": [{"p_a": {"kbd_type": "x"}}], "run": lambda m: bound_ids(m, ["p_a"])}}
    return Ruleset(f"stops{next(_names)}", rules)


def _facts(count: int) -> list[dict[str, Any]]:
    return [{"id": f"f{i}", "kbd_type": "x"} for i in range(count)]


class _Clock:
    """A clock that moves one second each time it is read: the deadline passes during the
    assertion, at a point that does not depend on the machine's speed."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        self.now += 1.0
        return self.now


def test_a_deadline_passing_during_an_assertion_stops_its_recording(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = _Clock()
    monkeypatch.setattr(durable_backend, "time", clock)
    ruleset = _one_rule()
    with ruleset.session(deadline=20.0) as session:
        with pytest.raises(OutOfTime) as raised:
            session.assert_batch(_facts(100))  # one chunk: one call into the C core
        recorded = session.drain()
        assert not isinstance(raised.value, TooManyFirings)
        assert 0 < len(recorded) < 100
        assert session.unfinished_rules() == ["r0000"]


def test_an_assertion_records_no_more_firings_than_its_caller_allows() -> None:
    ruleset = _one_rule()
    with ruleset.session() as session:
        with pytest.raises(TooManyFirings):
            session.assert_batch(_facts(100), most=10)
        assert len(session.drain()) == 10
        assert session.unfinished_rules() == ["r0000"]
        session.assert_batch([{"id": "later", "kbd_type": "x"}])  # the cap was for that one
        assert session.drain() == [("later",)]


def test_facts_that_bring_many_matches_go_in_a_few_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    assert_part = durable_backend.Session._assert_part

    def counted(session: Any, state: Any, facts: list[dict[str, Any]]) -> None:
        calls.append(len(facts))
        assert_part(session, state, facts)

    monkeypatch.setattr(durable_backend.Session, "_assert_part", counted)
    ruleset = _one_rule()
    with ruleset.session() as session:
        session.assert_batch(_facts(100), chunk=30)
        assert len(session.drain()) == 100
    assert calls == [30, 30, 30, 10]


def test_matches_handed_to_actions_are_freed_while_the_collector_is_off() -> None:
    """durable-rules' closure of an action sits in a reference cycle: with the cyclic collector
    off (as during an evaluation) every batch of matches it held stayed until the run ended
    (275,000 matches, 230 MB)."""
    ruleset = _one_rule()
    gc.collect()
    gc.disable()
    try:
        with ruleset.session() as session:
            session.assert_batch(_facts(500))
            assert len(session.drain()) == 500
        held = sum(isinstance(o, durable_engine.Content) for o in gc.get_objects())
    finally:
        gc.enable()
        gc.collect()
    assert held < 50
