"""A field compared with a value of the wrong type: ``port: "88"`` on a number, ``code: 37`` on a
text, ``pdc: 1`` on a yes/no field. Facts are compared with their type, so such a test never
holds (and its negation always does)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kbdoctor.engine.lint.fields import ValueKind, field_info
from kbdoctor.engine.lint.model import Check, Reporter, checked_sites, per_pack, where_tests

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack

VALUE_OPS = frozenset({"eq", "ne", "in", "not_in", "contains", "not_contains"})
# the kind a field holds, in plain words: "true or false", not "bool"
MESSAGES: dict[str, str] = {
    "number": "lint.value_type_number",
    "bool": "lint.value_type_bool",
    "text": "lint.value_type_text",
}


def value_kind(value: Any) -> ValueKind:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "text" if isinstance(value, str) else "other"


def check(base: RuleBase, pack: RulePack, out: Reporter) -> None:
    for site in checked_sites(base, pack):
        pattern = site.pattern
        if pattern.kind != "fact":
            continue  # a conclusion's values are texts rendered from templates
        for fpath, name, test, _nested in where_tests(pattern.where, (*site.path, "where")):
            info = field_info(base, "fact", pattern.target, name)
            if info is None or test.operator not in VALUE_OPS or info.kind == "other":
                continue
            if test.operator in ("contains", "not_contains") and not info.is_list:
                continue  # operator-type says so
            values = test.value if isinstance(test.value, list) else [test.value]
            wrong = [v for v in values if value_kind(v) != info.kind]
            if wrong:
                out.add(
                    fpath,
                    MESSAGES[info.kind],
                    site.context,
                    field=name,
                    value=", ".join(repr(v) for v in wrong),
                )


CHECK = Check("value-type", "error", per_pack(check))
