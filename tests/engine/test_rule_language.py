"""The operators of the rule language, each matched by durable-rules as documented (the KB's rules
do not use all of them, so each is pinned here on a small rule pack of its own)."""

from __future__ import annotations

from typing import Any

import pytest
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import Fact
from kbdoctor.engine.rulebase import parse_rule_texts
from pydantic import TypeAdapter

FACTS: TypeAdapter[list[Fact]] = TypeAdapter(list[Fact])

PACK = """kbdoctor: rules/1
pack: operators
causes:
  c1:
    title: {en: C, pl: C}
    description: {en: C, pl: C}
    kb_steps: [1]
    assessed_by: [port_state]
    remediation:
      - text: {en: "fix {subject}", pl: "napraw {subject}"}
rules:
  - id: probe
    title: {en: R, pl: R}
    when:
      - bind: p
        fact: port_state
        where: WHERE
    conclude: {cause: c1, cf: 0.5, subject: "{p.source}"}
    explain: {en: "{p.source}", pl: "{p.source}"}
"""

PORTS = [
    {
        "type": "port_state",
        "source": "A",
        "target": "DC01",
        "port": 88,
        "protocol": "tcp",
        "state": "open",
    },
    {
        "type": "port_state",
        "source": "B",
        "target": "DC02",
        "port": 88,
        "protocol": "udp",
        "state": "filtered",
    },
    {
        "type": "port_state",
        "source": "C",
        "target": "dc01.corp.example.com",
        "port": 464,
        "protocol": "tcp",
        "state": "closed",
    },
    {
        "type": "port_state",
        "source": "D",
        "target": "DC03",
        "port": 389,
        "protocol": "tcp",
        "state": "unknown",
    },
]

CASES: dict[str, tuple[str, set[str]]] = {
    "equality": ("{port: 88}", {"A", "B"}),
    "inequality": ("{port: {ne: 88}}", {"C", "D"}),
    "comparison": ("{port: {gt: 88}}", {"C", "D"}),
    "range": ("{all: [{port: {ge: 88}}, {port: {lt: 400}}]}", {"A", "B", "D"}),
    "membership": ("{state: {in: [closed, filtered]}}", {"B", "C"}),
    "not in": ("{state: {not_in: [closed, filtered]}}", {"A", "D"}),
    "regex": ("{state: {matches: '^(open|unk)'}}", {"A", "D"}),
    "negated regex": ("{state: {not_matches: '^(open|unk)'}}", {"B", "C"}),
    "any": ("{any: [{port: 464}, {protocol: udp}]}", {"B", "C"}),
    "not": ("{not: {any: [{port: 464}, {protocol: udp}]}}", {"A", "D"}),
    "not of all": ("{not: {all: [{port: 88}, {protocol: tcp}]}}", {"B", "C", "D"}),
    "host literal short": ("{target: DC01}", {"A", "C"}),
    "host literal fqdn": ("{target: dc01.CORP.example.com}", {"A", "C"}),
    "absolute value": ("{port: {abs_lt: 100}}", {"A", "B"}),
}


def _fired(where: str, facts: list[dict[str, Any]]) -> set[str]:
    base = parse_rule_texts([("operators.yaml", PACK.replace("WHERE", where))])
    report = Evaluator(base).evaluate(FACTS.validate_python(facts))
    cause = next(c for c in report.causes if c.cause == "c1")
    return {f.subject for f in cause.evidence}


@pytest.mark.parametrize("name", sorted(CASES))
def test_operator(name: str) -> None:
    where, expected = CASES[name]
    assert _fired(where, PORTS) == expected


def test_exists_and_absent_optional_fields() -> None:
    servers = [
        {"type": "exchange_server", "name": "EX01", "fqdn": "ex01.corp.example.com"},
        {"type": "exchange_server", "name": "EX02"},
    ]
    pack = (
        PACK.replace("assessed_by: [port_state]", "assessed_by: [exchange_server]")
        .replace("fact: port_state", "fact: exchange_server")
        .replace("{p.source}", "{p.name}")
    )
    for where, expected in (
        ("{fqdn: {exists: true}}", {"EX01"}),
        ("{fqdn: {exists: false}}", {"EX02"}),
        ("{site: {ne: Warszawa}}", set()),
    ):
        base = parse_rule_texts([("operators.yaml", pack.replace("WHERE", where))])
        report = Evaluator(base).evaluate(FACTS.validate_python(servers))
        cause = next(c for c in report.causes if c.cause == "c1")
        assert {f.subject for f in cause.evidence} == expected, where


def test_list_membership_literal_and_negated() -> None:
    listings = [
        {"type": "spn_listing", "account": "EX01$", "spns": ["SMTPSVC/EX01", "HOST/EX01"]},
        {"type": "spn_listing", "account": "EX02$", "spns": ["HOST/EX02"]},
        {"type": "spn_listing", "account": "EX03$", "spns": []},
    ]
    pack = (
        PACK.replace("assessed_by: [port_state]", "assessed_by: [spn_listing]")
        .replace("fact: port_state", "fact: spn_listing")
        .replace("{p.source}", "{p.account}")
    )
    for where, expected in (
        ("{spns: {contains: smtpsvc/ex01}}", {"EX01$"}),
        ("{spns: {not_contains: SMTPSVC/EX01}}", {"EX02$", "EX03$"}),
    ):
        base = parse_rule_texts([("operators.yaml", pack.replace("WHERE", where))])
        report = Evaluator(base).evaluate(FACTS.validate_python(listings))
        cause = next(c for c in report.causes if c.cause == "c1")
        assert {f.subject for f in cause.evidence} == expected, where
