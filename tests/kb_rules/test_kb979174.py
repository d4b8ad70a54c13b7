"""What the YAML tests beside the KB 979174 rules (kb_rules/tests, run by ``kbdoctor rules test``)
cannot say: that every rule has a test making it fire and one keeping it silent, that the oracle
(tests/support/oracle.py) agrees with the engine on every fact set of those tests, that fact sets
which once crashed durable-rules evaluate in a fresh process, and what the report holds beyond
ids and statuses (remediation and collection commands, recommendation steps, both languages).
The rule-by-rule cases and the small organisations of each cause are YAML tests now."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import Fact
from kbdoctor.engine.i18n import Lang
from kbdoctor.engine.report import Report
from kbdoctor.engine.rule_files import bundled_rule_files
from kbdoctor.engine.rulebase import load_rule_base
from kbdoctor.engine.yamlio import load_yaml, load_yaml_data
from pydantic import TypeAdapter

from tests.support.oracle import Oracle, engine_result

FACT = TypeAdapter(Fact)
KB_FILE = next(f for f in bundled_rule_files() if f.endswith("kb979174.yaml"))

Q454 = ('[{LRT=1/15/2024 9:12:03 AM};{LED=451 4.4.0 Primary target IP address responded with: '
        '"454 4.7.0 Temporary authentication failure." Attempted failover to alternate host, but '
        'that did not succeed. Either there are no alternate hosts, or delivery failed to all '
        'alternate hosts.};{FQDN=ex02.corp.example.com};{IP=10.0.0.12}]')
EX01 = {"type": "exchange_server", "name": "EX01", "fqdn": "ex01.corp.example.com"}
EX01_SHORT = {"type": "exchange_server", "name": "EX01"}
DC01 = {"type": "domain_controller", "name": "DC01", "fqdn": "dc01.corp.example.com", "pdc": True}
ALL_SPNS = ["SMTP/EX01", "SMTP/ex01.corp.example.com", "SMTPSVC/EX01",
            "SMTPSVC/ex01.corp.example.com"]


def listing(*spns: str, account: str = "EX01$") -> dict[str, Any]:
    return {"type": "spn_listing", "account": account, "spns": list(spns)}


def offset(host: str, reference: str, seconds: float) -> dict[str, Any]:
    return {"type": "clock_offset", "host": host, "reference": reference, "offset_s": seconds}


def port(number: int, state: str, protocol: str = "tcp") -> dict[str, Any]:
    return {"type": "port_state", "source": "EX01", "target": "DC01", "port": number,
            "protocol": protocol, "state": state}


def link(result: int, source: str = "DC01", destination: str = "DC02") -> dict[str, Any]:
    return {"type": "replication_link", "source": source, "destination": destination,
            "naming_context": "DC=corp,DC=example,DC=com", "last_result": result}


def connector(name: str, mechanisms: list[str], groups: list[str] | None = None,
              server: str = "EX01") -> dict[str, Any]:
    fact: dict[str, Any] = {"type": "receive_connector", "server": server, "name": name,
                            "auth_mechanisms": mechanisms}
    if groups is not None:
        fact["permission_groups"] = groups
    return fact


def queue(error: str, server: str = "EX01") -> dict[str, Any]:
    return {"type": "queue", "server": server, "identity": f"{server}\\3", "last_error": error}


# --- rule by rule: the YAML tests, checked for what they cannot check themselves ----------------

Case = list[dict[str, Any]]
RULE_TESTS = sorted((Path(KB_FILE).parent / "tests").glob("*.yaml"))


def _rule_tests() -> list[tuple[str, Case, dict[str, Any]]]:
    """(name, inline facts, expect) of every YAML test that gives its facts inline."""
    found = []
    for path in RULE_TESTS:
        for test in load_yaml_data(path.read_text(encoding="utf-8"))["tests"]:
            if test.get("facts"):
                found.append((f"{path.name}: {test['name']}", test["facts"], test["expect"]))
    return found


@pytest.fixture(scope="module")
def evaluator() -> Evaluator:
    return Evaluator()


def _facts(data: Case) -> list[Fact]:
    return [FACT.validate_python(d) for d in data]


def _fired(evaluator: Evaluator, data: Case) -> set[str]:
    """Rules that fired, after checking that the oracle agrees with the engine on this case."""
    facts = _facts(data)
    engine = engine_result(evaluator.run(facts))
    assert engine.firings == Oracle(evaluator.base).run(facts).firings
    return {rule for rule, _ in engine.firings}


def test_every_rule_of_the_file_has_a_test_that_fires_it_and_one_that_keeps_it_silent() -> None:
    data, _ = load_yaml(Path(KB_FILE).read_text(encoding="utf-8"))
    ids = {rule["id"] for rule in data["rules"]}
    tests = _rule_tests()
    assert {r for _, _, expect in tests for r in expect.get("fires", [])} >= ids
    assert {r for _, _, expect in tests for r in expect.get("silent", [])} >= ids


@pytest.mark.parametrize(
    ("facts", "expect"), [(f, e) for _, f, e in _rule_tests()], ids=[n for n, _, _ in _rule_tests()]
)
def test_the_oracle_agrees_with_the_engine_on_every_rule_test(
    evaluator: Evaluator, facts: Case, expect: dict[str, Any]
) -> None:
    fired = _fired(evaluator, facts)
    assert set(expect.get("fires", [])) <= fired
    assert not set(expect.get("silent", [])) & fired


@pytest.mark.parametrize("fact", [
    {"type": "spn_duplicate", "spn": "SMTPSVC/ex01.corp.example.com",
     "accounts": ["EX01$", "WEB01$"]},
    {"type": "spn_query", "spn": "SMTPSVC/ex01.corp.example.com", "accounts": []},
], ids=["duplicate", "query"])
def test_an_smtp_spn_written_in_upper_case_is_recognised(
    evaluator: Evaluator, fact: dict[str, Any]
) -> None:
    assert _fired(evaluator, [fact]) & {"spn.duplicate-smtp", "spn.query-not-found"}


# --- what once crashed the process (each run in a child process, which a crash kills) -----------

_CHILD = """
import json, sys
from pydantic import TypeAdapter
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import Fact
run = Evaluator().run([TypeAdapter(Fact).validate_python(d) for d in json.loads(sys.argv[1])])
print(json.dumps(sorted({run.compiled.rules[r.rule_index].rule.id for r in run.firings})))
"""


def _child(data: Case) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _CHILD, json.dumps(data)], capture_output=True,
                          text=True, timeout=120, check=False)


def test_a_fact_set_no_rule_fires_on_evaluates_in_a_fresh_process() -> None:
    """durable-rules crashed in delete_state when the first session of a process fired nothing."""
    result = _child([EX01_SHORT])
    assert (result.returncode, result.stdout.strip()) == (0, "[]")


@pytest.mark.parametrize(("seconds", "rule"), [
    (1e-05, "time.within.between-parties"), (-3e-07, "time.within.between-parties"),
    (1e16, "time.skew.between-parties"),
])
def test_an_offset_written_with_an_exponent_is_judged_like_any_other(
    seconds: float, rule: str
) -> None:
    result = _child([EX01, DC01, offset("EX01", "DC01", seconds)])
    assert result.returncode == 0
    assert rule in json.loads(result.stdout)


# --- causes, from small organisations ------------------------------------------------------------


def healthy_organisation() -> Case:
    """Two Exchange servers and two DCs with everything the KB checks in order."""
    facts: Case = [
        EX01, {"type": "exchange_server", "name": "EX02", "fqdn": "ex02.corp.example.com"},
        DC01, {"type": "domain_controller", "name": "DC02", "fqdn": "dc02.corp.example.com"},
        offset("EX01", "DC01", 0.8), offset("EX02", "DC01", -1.3), offset("DC02", "DC01", 0.01),
        {"type": "time_status", "host": "DC01", "time_source": "time.windows.com,0x8"},
        {"type": "time_status", "host": "DC02", "time_source": "dc01.corp.example.com"},
        link(0, "DC01", "DC02"), link(0, "DC02", "DC01"),
        {"type": "check_run", "check": "spn_duplicates", "found": 0},
        listing(*ALL_SPNS, account="CN=EX01,OU=Servers,DC=corp,DC=example,DC=com"),
        listing("SMTP/EX02", "SMTP/ex02.corp.example.com", "SMTPSVC/EX02",
                "SMTPSVC/ex02.corp.example.com", account="EX02$"),
    ]
    for server in ("EX01", "EX02"):
        for protocol in ("tcp", "udp"):
            facts.append({"type": "port_state", "source": server, "target": "DC01", "port": 88,
                          "protocol": protocol, "state": "open"})
        facts.append(connector(f"Default {server}", ["Tls", "Integrated", "BasicAuth",
                                                     "BasicAuthRequireTLS", "ExchangeServer"],
                               ["ExchangeUsers", "ExchangeServers", "ExchangeLegacyServers"],
                               server=server))
    return facts


def _replace(facts: Case, old: dict[str, Any], new: dict[str, Any] | None) -> Case:
    assert old in facts
    return [f for f in facts if f != old] + ([new] if new is not None else [])


FAULTS: dict[str, Any] = {
    "time_sync": lambda org: _replace(org, offset("EX02", "DC01", -1.3),
                                      offset("EX02", "DC01", -421.5)),
    "ad_replication": lambda org: _replace(org, link(0, "DC01", "DC02"),
                                           link(1722, "DC01", "DC02")),
    "spn_missing": lambda org: _replace(
        org, listing("SMTP/EX02", "SMTP/ex02.corp.example.com", "SMTPSVC/EX02",
                     "SMTPSVC/ex02.corp.example.com", account="EX02$"),
        listing("SMTP/EX02", "SMTP/ex02.corp.example.com", "SMTPSVC/EX02", account="EX02$")),
    "spn_duplicate": lambda org: _replace(
        org, {"type": "check_run", "check": "spn_duplicates", "found": 0},
        {"type": "spn_duplicate", "spn": "smtpsvc/ex02.corp.example.com",
         "accounts": ["CN=EX02,OU=Servers,DC=corp,DC=example,DC=com",
                      "CN=WEB01,OU=Servers,DC=corp,DC=example,DC=com"]}),
    "kerberos_ports_blocked": lambda org: _replace(
        org, {"type": "port_state", "source": "EX01", "target": "DC01", "port": 88,
              "protocol": "udp", "state": "open"},
        {"type": "port_state", "source": "EX01", "target": "DC01", "port": 88,
         "protocol": "udp", "state": "filtered"}),
    "connector_auth": lambda org: _replace(
        org, connector("Default EX02", ["Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS",
                                        "ExchangeServer"],
                       ["ExchangeUsers", "ExchangeServers", "ExchangeLegacyServers"],
                       server="EX02"),
        connector("Default EX02", ["Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS"],
                  ["ExchangeUsers", "ExchangeServers", "ExchangeLegacyServers"], server="EX02")),
}


def _report(evaluator: Evaluator, data: Case, lang: Lang = "en") -> Report:
    return evaluator.evaluate(_facts(data), lang=lang)


def test_every_cause_of_the_file_has_an_organisation() -> None:
    assert set(FAULTS) == set(load_rule_base([KB_FILE]).causes)


def test_a_healthy_organisation_diagnoses_nothing(evaluator: Evaluator) -> None:
    report = _report(evaluator, [*healthy_organisation(), queue("")])
    assert report.diagnoses == []
    assert report.recommendations == []
    assert report.not_assessed == []


def test_kerberos_logging_is_recommended_when_the_symptom_has_no_cause(
    evaluator: Evaluator,
) -> None:
    report = _report(evaluator, [*healthy_organisation(), queue(Q454)])
    assert [r.id for r in report.recommendations] == ["enable_kerberos_logging"]
    assert all(step.command and "LogLevel" in step.command
               for step in report.recommendations[0].steps[::2])


def test_kerberos_logging_is_not_recommended_without_the_symptom(evaluator: Evaluator) -> None:
    report = _report(evaluator, [EX01, queue('451 4.4.0 Primary target IP address responded '
                                             'with: "421 4.4.1 Connection timed out."'),
                                 port(88, "open")])
    assert report.symptoms == []
    assert report.recommendations == []


def test_kerberos_logging_is_recommended_when_the_best_cause_stays_below_one_half(
    evaluator: Evaluator,
) -> None:
    """A DC on its CMOS clock makes skew likely (0.35) but does not confirm it."""
    org = _replace(healthy_organisation(),
                   {"type": "time_status", "host": "DC02", "time_source": "dc01.corp.example.com"},
                   {"type": "time_status", "host": "DC02", "time_source": "Local CMOS Clock"})
    org = [f for f in org if f.get("type") != "clock_offset"]
    report = _report(evaluator, [*org, queue(Q454)])
    time_sync = next(c for c in report.causes if c.cause == "time_sync")
    assert 0 < time_sync.confidence < 0.5
    assert [r.id for r in report.recommendations] == ["enable_kerberos_logging"]


def test_causes_no_fact_speaks_to_are_listed_with_what_to_collect(evaluator: Evaluator) -> None:
    report = _report(evaluator, [EX01, queue(Q454)])
    assert report.not_assessed == sorted(FAULTS)
    for cause in report.causes:
        assert cause.status == "not_assessed"
        assert cause.collect
        assert all(c.command for c in cause.collect)


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_diagnosed_causes_are_rendered_completely_in_each_language(
    evaluator: Evaluator, lang: Lang
) -> None:
    org = healthy_organisation()
    for fault in FAULTS.values():
        org = fault(org)
    report = _report(evaluator, [*org, queue(Q454)], lang)
    assert sorted(d.cause for d in report.diagnoses) == sorted(FAULTS)
    for diagnosis in report.diagnoses:
        texts = [diagnosis.title, diagnosis.description,
                 *(step.text for step in diagnosis.remediation),
                 *(f.text for f in diagnosis.evidence)]
        commands = [step.command for step in diagnosis.remediation if step.command]
        assert commands
        for line in texts + commands:
            assert "{" not in line, line
            assert "}" not in line, line
        for command in commands:
            assert "?" not in command, command


def test_english_and_polish_reports_differ_only_in_words(evaluator: Evaluator) -> None:
    org = FAULTS["time_sync"](healthy_organisation())
    english = _report(evaluator, [*org, queue(Q454)], "en")
    polish = _report(evaluator, [*org, queue(Q454)], "pl")
    assert [d.cause for d in english.diagnoses] == [d.cause for d in polish.diagnoses]
    assert english.diagnoses[0].title != polish.diagnoses[0].title
    assert [s.command for s in english.diagnoses[0].remediation] == [
        s.command for s in polish.diagnoses[0].remediation]
