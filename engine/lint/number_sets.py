"""Sets of numbers as unions of intervals: what a field's comparisons leave. ``abs_gt: 600`` is
two intervals (below -600, above 600), so bounds alone cannot tell that it and ``abs_le: 300``
leave nothing. Bounds are read as the compiled rule reads them (``matchable_number``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from kbdoctor.engine.durable_backend import matchable_number


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    low_closed: bool
    high_closed: bool

    @property
    def empty(self) -> bool:
        if self.low != self.high:
            return self.low > self.high
        return not (self.low_closed and self.high_closed)

    def holds(self, value: float) -> bool:
        above = value > self.low or (self.low_closed and value == self.low)
        below = value < self.high or (self.high_closed and value == self.high)
        return above and below


def everything() -> list[Interval]:
    return [Interval(-math.inf, math.inf, False, False)]


def _above(bound: float, closed: bool) -> Interval:
    return Interval(bound, math.inf, closed, False)


def _below(bound: float, closed: bool) -> Interval:
    return Interval(-math.inf, bound, False, closed)


def of_test(operator: str, value: Any) -> list[Interval] | None:
    """The numbers a comparison lets through, or None for a test that is no comparison."""
    if operator not in ("lt", "le", "gt", "ge", "abs_lt", "abs_le", "abs_gt", "abs_ge"):
        return None
    bound = matchable_number(float(value))
    closed = operator.endswith("e")  # le, ge, abs_le, abs_ge
    if operator in ("gt", "ge"):
        return [_above(bound, closed)]
    if operator in ("lt", "le"):
        return [_below(bound, closed)]
    if operator in ("abs_lt", "abs_le"):
        return [Interval(-bound, bound, closed, closed)]
    return [_below(-bound, closed), _above(bound, closed)]  # abs_gt, abs_ge


def intersect(left: list[Interval], right: list[Interval]) -> list[Interval]:
    """The numbers in both sets."""
    out: list[Interval] = []
    for a in left:
        for b in right:
            low, low_closed = _tighter_low(a, b)
            high, high_closed = _tighter_high(a, b)
            both = Interval(low, high, low_closed, high_closed)
            if not both.empty:
                out.append(both)
    return out


def _tighter_low(a: Interval, b: Interval) -> tuple[float, bool]:
    if a.low != b.low:
        return (a.low, a.low_closed) if a.low > b.low else (b.low, b.low_closed)
    return a.low, a.low_closed and b.low_closed


def _tighter_high(a: Interval, b: Interval) -> tuple[float, bool]:
    if a.high != b.high:
        return (a.high, a.high_closed) if a.high < b.high else (b.high, b.high_closed)
    return a.high, a.high_closed and b.high_closed
