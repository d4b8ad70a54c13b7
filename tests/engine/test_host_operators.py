"""Every operator that compares a host field with literal names compares them as Windows does
(README, facts): ``EX01``, ``ex01`` and ``EX01.corp.example.com`` name one machine when the facts
know its FQDN, so a negation never states that EX01 is not EX01."""

from __future__ import annotations

import pytest
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import ClockOffset, ExchangeServer, Fact, TimeStatus
from kbdoctor.engine.rulebase import parse_rule_texts

PACK = """kbdoctor: rules/1
pack: hosts
findings:
  seen:
    title: {en: Seen, pl: Widziany}
    subject: host
rules:
  - id: pick
    title: {en: P, pl: P}
    when:
      - bind: o
        fact: FACT
        where: WHERE
    conclude: {finding: seen, cf: 0.5, subject: "{o.host}"}
    explain: {en: x, pl: x}
"""

# EX01 is known by its FQDN; the facts about it name it short, and DC01 has no FQDN
FACTS: list[Fact] = [
    ExchangeServer(name="EX01", fqdn="ex01.corp.example.com"),
    ClockOffset(host="EX01", reference="DC01", offset_s=5000),
    ClockOffset(host="DC01", reference="DC02", offset_s=6000),
    TimeStatus(host="EX01", time_source="DC01", peers=["DC01"]),
    TimeStatus(host="DC01", time_source="Local CMOS Clock", peers=["EX01", "dc02"]),
]

SPELLINGS = ["EX01", "ex01.corp.example.com", "Ex01.CORP.Example.Com", "ex01"]
# (fact type, where with NAME for one spelling of EX01, hosts the rule must find)
CASES: dict[str, tuple[str, str, set[str]]] = {
    "eq": ("clock_offset", "{host: NAME}", {"ex01"}),
    "ne": ("clock_offset", "{host: {ne: NAME}}", {"dc01"}),
    "in": ("clock_offset", "{host: {in: [NAME, EX02]}}", {"ex01"}),
    "in alone": ("clock_offset", "{host: {in: [NAME]}}", {"ex01"}),
    "not_in": ("clock_offset", "{host: {not_in: [NAME]}}", {"dc01"}),
    "not_in of two": ("clock_offset", "{host: {not_in: [NAME, EX02]}}", {"dc01"}),
    "contains": ("time_status", "{peers: {contains: NAME}}", {"dc01"}),
    "not_contains": ("time_status", "{peers: {not_contains: NAME}}", {"ex01"}),
    "not of in": ("clock_offset", "{not: {host: {in: [NAME]}}}", {"dc01"}),
}


def _found(fact_type: str, where: str) -> set[str]:
    text = PACK.replace("FACT", fact_type).replace("WHERE", where)
    report = Evaluator(parse_rule_texts([("hosts.yaml", text)])).evaluate(FACTS)
    return {f.subject.split(".", 1)[0].lower() for f in report.findings if f.id == "seen"}


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_every_operator_names_a_host_by_any_spelling(name: str, spelling: str) -> None:
    fact_type, where, expected = CASES[name]
    assert _found(fact_type, where.replace("NAME", spelling)) == expected


# DC01 has no FQDN in the facts: whether it is dc01.corp.example.com is not known, so no operator
# may hold either way; a host whose first label differs is certainly another machine, and two
# FQDNs that differ are two machines
UNKNOWN_DOMAIN: dict[str, tuple[str, str, set[str]]] = {
    "eq": ("clock_offset", "{host: dc01.corp.example.com}", set()),
    "ne": ("clock_offset", "{host: {ne: dc01.corp.example.com}}", {"ex01"}),
    "in": ("clock_offset", "{host: {in: [dc01.corp.example.com]}}", set()),
    "not_in": ("clock_offset", "{host: {not_in: [dc01.corp.example.com, EX09]}}", {"ex01"}),
    "not of eq": ("clock_offset", "{not: {host: dc01.corp.example.com}}", {"ex01"}),
    "contains": ("time_status", "{peers: {contains: dc02.corp.example.com}}", set()),
    "not_contains": ("time_status", "{peers: {not_contains: dc02.corp.example.com}}", {"ex01"}),
    "ne, another label": ("clock_offset", "{host: {ne: dc09.corp.example.com}}", {"ex01", "dc01"}),
    "ne, another domain": (
        "clock_offset",
        "{host: {ne: ex01.other.example.com}}",
        {"ex01", "dc01"},
    ),
    "not_contains, another label": (
        "time_status",
        "{peers: {not_contains: dc07.corp.example.com}}",
        {"ex01", "dc01"},
    ),
}


@pytest.mark.parametrize("name", sorted(UNKNOWN_DOMAIN))
def test_an_fqdn_is_neither_equal_nor_unequal_to_a_host_known_by_its_short_name(
    name: str,
) -> None:
    """Before, ``ne: dc01.corp.example.com`` held for DC01 (its key, ``dc01``, differs from the
    FQDN): a rule stated that DC01 is not dc01.corp.example.com, which no fact says."""
    fact_type, where, expected = UNKNOWN_DOMAIN[name]
    assert _found(fact_type, where) == expected
