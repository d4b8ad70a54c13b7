"""A rule that can never fire because a condition asks a field for a value it cannot hold (a
port state of ``blocked`` when facts say open, closed, filtered or unknown), or for a number
range that is empty (``gt: 300`` and ``lt: 100`` on one field, under ``all``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kbdoctor.engine.lint.fields import field_info
from kbdoctor.engine.lint.model import Check, Reporter, checked_sites, per_pack
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
        tests = required_tests(pattern.where, (*site.path, "where"))
        # per field: the greatest lower and least upper bound, each with whether it is strict
        lows: dict[str, tuple[float, bool]] = {}
        highs: dict[str, tuple[float, bool]] = {}
        for fpath, name, test in tests:
            info = field_info(base, "fact", pattern.target, name)
            if info is None:
                continue
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
            if test.operator in ("gt", "ge"):
                bound = (float(test.value), test.operator == "gt")
                lows[name] = max(lows.get(name, bound), bound)
            if test.operator in ("lt", "le"):
                bound = (float(test.value), test.operator == "lt")
                old = highs.get(name, bound)
                highs[name] = bound if (bound[0], not bound[1]) < (old[0], not old[1]) else old
        for name in sorted(set(lows) & set(highs)):
            (low, low_strict), (high, high_strict) = lows[name], highs[name]
            if low > high or (low == high and (low_strict or high_strict)):
                out.add((*site.path, "where"), "lint.never_fires_range", site.context, field=name)


CHECK = Check("never-fires", "error", per_pack(check))
