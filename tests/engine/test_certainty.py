"""Certainty factors: MYCIN's combination, independent of the order of the evidence."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kbdoctor.engine.certainty import combine, firing_strength


def test_two_supporting_factors() -> None:
    assert combine([0.6, 0.5]) == pytest.approx(0.8)


def test_two_opposing_factors() -> None:
    assert combine([-0.6, -0.5]) == pytest.approx(-0.8)


def test_mixed_factors() -> None:
    assert combine([0.9, -0.3]) == pytest.approx(0.6 / 0.7)


def test_no_evidence_is_zero() -> None:
    assert combine([]) == 0.0


def test_weak_premise_contributes_nothing() -> None:
    assert firing_strength(0.9, [0.2]) == 0.0
    assert firing_strength(0.5, [0.8]) == pytest.approx(0.4)


@given(st.lists(st.floats(min_value=-0.99, max_value=0.99), min_size=1, max_size=6))
def test_combination_does_not_depend_on_order(factors: list[float]) -> None:
    results = {
        combine(list(order)) for order in itertools.islice(itertools.permutations(factors), 24)
    }
    assert max(results) - min(results) < 1e-6
    assert -1.0 <= combine(factors) <= 1.0
