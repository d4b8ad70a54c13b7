"""The accounts a conclusion names, for a suppression that matches on ``account``.

No shipped cause has an account in its subject: ``spn_duplicate`` is about an SPN, ``spn_missing``
about a server. The accounts are in the facts its rules bound (the accounts that hold a duplicate
SPN, the computer account whose SPNs are listed), in the fields the fact format marks as accounts.
A conclusion names an account only when every firing that supports it bound a fact naming that
account: a subject that another firing also supports, without that account (an SPN duplicated on
two other accounts, a KDC event that names none), is not what the administrator accepted, and a
suppression must never hide more than it says.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from kbdoctor.engine.facts import FACT_TYPES, FieldKind, field_kind
from kbdoctor.engine.names import account_name
from kbdoctor.engine.rules_model import Pattern, Rule

if TYPE_CHECKING:  # lint reads rules only: it need not load the evaluator
    from kbdoctor.engine.evaluate import Conclusion, FiringRecord, Run
    from kbdoctor.engine.rulebase import RuleBase


@functools.cache
def account_fields(fact_type: str) -> tuple[str, ...]:
    """The fields of a fact type that hold account names (one or a list)."""
    model = FACT_TYPES.get(fact_type)
    if model is None:
        return ()
    return tuple(n for n in model.model_fields if field_kind(fact_type, n) is FieldKind.ACCOUNT)


def conclusion_accounts(run: Run, conclusion: Conclusion) -> frozenset[str]:
    """The canonical names (``account_name``) of the accounts every supporting firing of the
    conclusion bound; none when no firing supports it."""
    rules = run.compiled.rules
    supporting = [r for r in conclusion.firings if rules[r.rule_index].rule.conclude.cf > 0]
    if not supporting:
        return frozenset()
    return frozenset.intersection(*(_firing_accounts(run, record) for record in supporting))


def _firing_accounts(run: Run, record: FiringRecord) -> frozenset[str]:
    from kbdoctor.engine.normalize import parent_id  # with the evaluator, already loaded

    names: set[str] = set()
    for ident in record.ids:
        prepared = run.facts.get(parent_id(ident))
        if prepared is None:  # a conclusion the rule built on: its own accounts are not bound
            continue
        for name in account_fields(prepared.type):
            value = prepared.display.get(name)
            values = value if isinstance(value, list) else [value]
            names.update(account_name(v) for v in values if isinstance(v, str) and v.strip())
    return frozenset(names)


def rule_names_accounts(rule: Rule) -> bool:
    """Whether the rule's conclusions can name an account: it binds a fact with an account
    field (what ``conclusion_accounts`` reads)."""
    return any(
        isinstance(c, Pattern) and c.fact is not None and bool(account_fields(c.fact))
        for c in rule.when
    )


def may_name_accounts(base: RuleBase, kind: str, ident: str) -> bool:
    """Whether a suppression of the cause (``kind`` "cause") or rule ``ident`` can match on an
    account through what its rules bind: some rule that supports it binds an account."""
    return any(
        rule.conclude.cf > 0 and rule_names_accounts(rule)
        for rule in base.rules
        if (rule.id if kind == "rule" else rule.conclude.cause) == ident
    )
