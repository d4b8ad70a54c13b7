"""A field test on a field the fact type (or conclusion) does not have: it fails for every fact,
so the rule never fires, or an absence test always holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.engine.lint.fields import field_info
from kbdoctor.engine.lint.model import Check, Reporter, checked_sites, per_pack, where_tests

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack


def check(base: RuleBase, pack: RulePack, out: Reporter) -> None:
    for site in checked_sites(base, pack):
        pattern = site.pattern
        for fpath, name, _test, _nested in where_tests(pattern.where, (*site.path, "where")):
            if field_info(base, pattern.kind, pattern.target, name) is None:
                out.add(
                    fpath,
                    "error.rules_unknown_field",
                    site.context,
                    field=name,
                    type=pattern.target,
                )


CHECK = Check("unknown-field", "error", per_pack(check), loader=True)
