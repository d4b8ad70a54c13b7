"""Certainty factors combined the MYCIN way, independent of the order of the evidence.

MYCIN's rule for two factors of mixed sign is not associative, so combining firings one by one in
firing order would make the result depend on that order. Here all supporting factors are combined
together, all opposing factors together (each of those is associative and commutative), and the
two totals are combined once with the mixed rule.
"""

from __future__ import annotations

from collections.abc import Iterable

# A premise must be believed more than this for a chained rule to count (MYCIN's threshold).
PREMISE_THRESHOLD = 0.2


def combine_same_sign(a: float, b: float) -> float:
    if a >= 0 and b >= 0:
        return a + b * (1 - a)
    return a + b * (1 + a)


def combine_mixed(a: float, b: float) -> float:
    denominator = 1 - min(abs(a), abs(b))
    if denominator == 0:
        return 0.0
    return (a + b) / denominator


def combine(factors: Iterable[float]) -> float:
    """The combined certainty of independent pieces of evidence for one hypothesis."""
    positive = 0.0
    negative = 0.0
    for factor in factors:
        if factor > 0:
            positive = combine_same_sign(positive, factor)
        elif factor < 0:
            negative = combine_same_sign(negative, factor)
    if positive and negative:
        return round(combine_mixed(positive, negative), 6)
    return round(positive or negative, 6)


def firing_strength(rule_cf: float, premises: Iterable[float]) -> float:
    """What one firing contributes: the rule's factor times its weakest premise; a firing whose
    weakest premise is not above the threshold contributes nothing."""
    weakest = min(premises, default=1.0)
    if weakest <= PREMISE_THRESHOLD:
        return 0.0
    return rule_cf * weakest
