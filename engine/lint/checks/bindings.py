"""Joins: an alias bound twice in a rule, a join (``same_as``, ``differs_from``,
``contains_ref``) to an alias no earlier condition binds or to a field it does not have, and
``contains_ref`` used where the engine cannot join on it (inside all/any/not, or twice in one
condition)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.engine.lint.fields import field_info
from kbdoctor.engine.lint.model import Check, Reporter, checked_sites, per_pack, where_tests
from kbdoctor.engine.rules_model import Where

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack

JOIN_OPS = frozenset({"same_as", "differs_from", "contains_ref"})


def check(base: RuleBase, pack: RulePack, out: Reporter) -> None:
    for site in checked_sites(base, pack):
        where_path = (*site.path, "where")
        refs = 0
        for fpath, _name, test, nested in where_tests(site.pattern.where, where_path):
            if test.operator not in JOIN_OPS:
                continue
            ref = str(test.value)
            alias, sub = ref.split(".", 1)
            other = site.bound.get(alias)
            if other is None and alias in site.doubtful:
                pass  # its condition's unknown type is the problem
            elif other is None:
                out.add(fpath, "error.rules_unbound", site.context, ref=ref)
            elif sub != "id" and field_info(base, other.kind, other.target, sub) is None:
                out.add(
                    fpath, "error.rules_unknown_field", site.context, field=sub, type=other.target
                )
            if test.operator == "contains_ref" and not nested:
                refs += 1
        _nested_refs(site.pattern.where, where_path, out, site.context)
        if refs > 1:
            out.add(where_path, "error.rules_contains_ref_twice", site.context)
        bind = site.pattern.bind
        if not site.absent and bind and bind in site.bound:
            out.add((*site.path, "bind"), "error.rules_duplicate_bind", site.context, bind=bind)


def _nested_refs(where: Where, path: tuple[object, ...], out: Reporter, context: str) -> None:
    for sub in [*(where.all or []), *(where.any or []), *([where.not_] if where.not_ else [])]:
        if any(t.operator == "contains_ref" for t in sub.tests.values()):
            out.add(path, "error.rules_contains_ref_nested", context)
        _nested_refs(sub, path, out, context)


CHECK = Check("bindings", "error", per_pack(check), loader=True)
