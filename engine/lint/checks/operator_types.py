"""An operator that does not apply to the field: a number comparison on a text, a list test on a
single value. The comparison would never hold."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.engine.lint.fields import field_info
from kbdoctor.engine.lint.model import Check, Reporter, checked_sites, per_pack, where_tests

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack

NUMERIC_OPS = frozenset({"lt", "le", "gt", "ge", "abs_gt", "abs_ge", "abs_lt", "abs_le"})
LIST_OPS = frozenset({"contains", "not_contains", "contains_ref"})


def check(base: RuleBase, pack: RulePack, out: Reporter) -> None:
    for site in checked_sites(base, pack):
        pattern = site.pattern
        for fpath, name, test, _nested in where_tests(pattern.where, (*site.path, "where")):
            info = field_info(base, pattern.kind, pattern.target, name)
            if info is None:
                continue  # unknown-field says so
            op = test.operator
            if op in NUMERIC_OPS and not info.is_number:
                out.add(
                    fpath, "error.rules_op_type", site.context, op=op, field=name, expected="number"
                )
            if op in LIST_OPS and not info.is_list:
                out.add(
                    fpath, "error.rules_op_type", site.context, op=op, field=name, expected="list"
                )


CHECK = Check("operator-type", "error", per_pack(check), loader=True)
