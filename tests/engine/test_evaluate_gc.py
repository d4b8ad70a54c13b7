"""An evaluation runs with the cyclic garbage collector off (issue 14) and gives it back as it
found it: on when it was on, off when the caller had turned it off, and on only after the last of
several concurrent runs ended."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from kbdoctor.engine.evaluate import Evaluator, no_cyclic_gc
from kbdoctor.engine.factio import parse_fact_text

FACTS = """
kbdoctor: facts/1
facts:
  - {type: clock_offset, host: EX01, reference: DC01, offset_s: 412}
"""


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_during_a_run_and_on_again_after(collector_on: None) -> None:
    seen: list[bool] = []
    evaluator = Evaluator()
    original = evaluator._run

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    evaluator._run = spy  # type: ignore[method-assign,assignment]
    evaluator.evaluate(parse_fact_text(FACTS, "t.yaml").facts)
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off(collector_on: None) -> None:
    gc.disable()
    with no_cyclic_gc():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_nested_runs_give_it_back_when_the_last_ends(collector_on: None) -> None:
    with no_cyclic_gc():
        with no_cyclic_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
