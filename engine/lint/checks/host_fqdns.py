"""A host named in a rule by its FQDN (``dc01.corp.example.com``). It names the machine whose
FQDN the facts know; a host the facts name by its short name only (``DC01`` in a ``w32tm``
output, with no FQDN anywhere) may or may not be that machine, so neither ``eq`` nor ``ne``
holds for it and the rule is silent about it. The short name (``DC01``) matches the machine
however the facts spell it: that is almost always what the author meant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kbdoctor.engine.facts import FieldKind, field_kind
from kbdoctor.engine.lint.model import Check, Reporter, checked_sites, per_pack, where_tests
from kbdoctor.engine.names import host_name, short_name

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack
    from kbdoctor.engine.rules_model import Pattern

# the operators that compare a field with names written in the rule
NAMING_OPS = frozenset({"eq", "ne", "in", "not_in", "contains", "not_contains"})


def check(base: RuleBase, pack: RulePack, out: Reporter) -> None:
    for site in checked_sites(base, pack):
        for fpath, name, test, _nested in where_tests(site.pattern.where, (*site.path, "where")):
            if test.operator not in NAMING_OPS or not _is_host(base, site.pattern, name):
                continue
            for value in _names(test.value):
                if "." in host_name(value):
                    short = short_name(host_name(value)).upper()
                    out.add(
                        fpath, "lint.host_fqdn", site.context, field=name, value=value, short=short
                    )
                    break


def _names(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str)]


def _is_host(base: RuleBase, pattern: Pattern, name: str) -> bool:
    """Whether the field holds host names, compared as hosts (as the compiler compares them)."""
    if pattern.kind == "fact":
        return name not in base.derive.get(pattern.target, {}) and (
            field_kind(pattern.target, name) is FieldKind.HOST
        )
    definition = base.conclusion_def(pattern.kind, pattern.target)
    if definition is None:
        return False
    kind = definition.subject if name == "subject" else definition.values.get(name)
    return kind == "host"


CHECK = Check("host-fqdn", "warning", per_pack(check))
