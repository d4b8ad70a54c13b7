"""A rule that can never fire because a condition asks a field for a value it cannot hold (a
port state of ``blocked`` when facts say open, closed, filtered or unknown), for numbers no
number satisfies (``gt: 300`` and ``lt: 100``, or ``abs_le: 300`` and ``abs_gt: 600``, on one
field under ``all``), or for two values at once (``event_id: 2017`` and ``event_id: 1035``).

Sound, not complete: only the tests every match must pass are combined, values are compared as
the compiled rule compares them (numbers as durable-rules reads them), and a text field the
engine compares loosely (host, account, SPN names) or values of mixed kinds are left alone, so
a rule that can fire is never reported."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kbdoctor.engine.durable_backend import matchable_number
from kbdoctor.engine.facts import field_kind
from kbdoctor.engine.lint.checks.value_types import value_kind
from kbdoctor.engine.lint.fields import field_info
from kbdoctor.engine.lint.model import Check, Reporter, checked_sites, per_pack
from kbdoctor.engine.lint.number_sets import Interval, everything, intersect, of_test
from kbdoctor.engine.rules_model import FieldTest, Where

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack


def required_tests(
    where: Where, path: tuple[Any, ...]
) -> list[tuple[tuple[Any, ...], str, FieldTest]]:
    """The tests every match must pass: the mapping's own and those under ``all`` (not under
    ``any`` or ``not``, where one failing test need not stop the rule)."""
    out = [((*path, name), name, test) for name, test in where.tests.items()]
    for sub in where.all or []:
        out.extend(required_tests(sub, path))
    return out


def check(base: RuleBase, pack: RulePack, out: Reporter) -> None:
    for site in checked_sites(base, pack):
        pattern = site.pattern
        if site.absent or pattern.kind != "fact":
            continue  # an absence test that can never match always holds: not this check
        where_path = (*site.path, "where")
        by_field: dict[str, list[FieldTest]] = {}
        for fpath, name, test in required_tests(pattern.where, where_path):
            info = field_info(base, "fact", pattern.target, name)
            if info is None:
                continue
            by_field.setdefault(name, []).append(test)
            if info.choices is not None and test.operator in ("eq", "in"):
                values = test.value if isinstance(test.value, list) else [test.value]
                if not any(str(v) in info.choices for v in values):
                    out.add(
                        fpath,
                        "lint.never_fires_value",
                        site.context,
                        field=name,
                        choices=", ".join(sorted(info.choices)),
                    )
        for name, tests in by_field.items():
            info = field_info(base, "fact", pattern.target, name)
            if info is None or info.is_list:
                continue  # a list's tests are on its items, each may hold for another item
            numbers = _numbers(tests)
            if not numbers:
                out.add(where_path, "lint.never_fires_range", site.context, field=name)
                continue
            loose = field_kind(pattern.target, name) is not None
            wanted = _values(tests, loose)
            if wanted is not None and not any(_fits(v, numbers) for v in wanted):
                shown = ", ".join(sorted(repr(v) for _, v in _asked(tests)))
                out.add(
                    where_path, "lint.never_fires_values", site.context, field=name, values=shown
                )


def _numbers(tests: list[FieldTest]) -> list[Interval]:
    """The numbers the field's comparisons leave."""
    left = everything()
    for test in tests:
        ranges = of_test(test.operator, test.value)
        if ranges is not None:
            left = intersect(left, ranges)
    return left


def _asked(tests: list[FieldTest]) -> list[tuple[str, Any]]:
    """The values the field is asked to equal, with their kind."""
    out: list[tuple[str, Any]] = []
    for test in tests:
        if test.operator in ("eq", "in"):
            values = test.value if isinstance(test.value, list) else [test.value]
            out.extend((value_kind(v), v) for v in values)
    return out


def _values(tests: list[FieldTest], loose: bool) -> set[tuple[str, Any]] | None:
    """The values the field may hold to pass every eq, in, ne and not_in test, as the compiled
    rule compares them; None when they cannot be told for certain (no value asked, values of
    several kinds, a text compared loosely)."""
    allowed: set[tuple[str, Any]] | None = None
    excluded: set[tuple[str, Any]] = set()
    kinds: set[str] = set()
    for test in tests:
        if test.operator not in ("eq", "in", "ne", "not_in"):
            continue
        values = test.value if isinstance(test.value, list) else [test.value]
        normal = {_normal(v) for v in values}
        kinds.update(kind for kind, _ in normal)
        if test.operator in ("ne", "not_in"):
            excluded |= normal
        else:
            allowed = normal if allowed is None else allowed & normal
    if allowed is None or len(kinds) != 1 or "other" in kinds or ("text" in kinds and loose):
        return None
    return allowed - excluded


def _normal(value: Any) -> tuple[str, Any]:
    kind = value_kind(value)
    return (kind, matchable_number(value)) if kind == "number" else (kind, value)


def _fits(value: tuple[str, Any], numbers: list[Interval]) -> bool:
    kind, plain = value
    return kind != "number" or any(i.holds(plain) for i in numbers)


CHECK = Check("never-fires", "error", per_pack(check))
