"""What people read and search of a fact: its data fields, its one-line summary, and the
machines it is about (the facts table, the filter, the what-if line and the views share them)."""

from __future__ import annotations

from typing import Any

from kbdoctor.engine.facts import Fact, FieldKind, fact_fields, field_kind
from kbdoctor.engine.names import account_name
from kbdoctor.engine.presentation import fields_text


def fact_data(fact: Fact) -> dict[str, Any]:
    """The data fields of a fact that are set, JSON-shaped (no type, no provenance)."""
    data = fact.model_dump(mode="json", exclude_none=True, by_alias=False)
    return {name: data[name] for name in fact_fields(fact.type) if name in data}


def fact_hosts(fact: Fact) -> list[str]:
    """The machines a fact is about, for filtering by host: every host-kind field, and every
    computer account (an account-kind field written ``EX01$`` or as a DN, ``CN=EX01,...``) by
    its machine name, so that ``host:ex01`` finds EX01's SPN listing as well as its clock."""
    hosts = []
    for name in fact_fields(fact.type):
        kind = field_kind(fact.type, name)
        if kind not in (FieldKind.HOST, FieldKind.ACCOUNT):
            continue
        value = getattr(fact, name)
        values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        for one in (str(v) for v in values):
            if kind is FieldKind.HOST:
                hosts.append(one)
            elif _is_machine_account(one):
                hosts.append(account_name(one))
    return hosts


def _is_machine_account(raw: str) -> bool:
    """A computer account (``EX01$``, ``CORP\\EX01$``, ``EX01$@REALM``) or a DN, which names a
    machine when the account is one; a user account (``svc-exch``) is no host."""
    name = raw.strip()
    return name.upper().startswith("CN=") or name.split("@", 1)[0].endswith("$")


def fact_summary(fact: Fact) -> str:
    """One line for people: the data fields in declaration order (the raw view of
    :func:`kbdoctor.engine.presentation.fields_text`)."""
    return fields_text(fact_data(fact))
