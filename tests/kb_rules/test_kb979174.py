"""KB 979174 rules as specifications: every rule has a fact set that makes it fire and fact sets
that keep it silent (the look-alikes of field-notes.md among them), and the six causes are
diagnosed from small organisations the way a support engineer would expect."""

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
from kbdoctor.engine.rulebase import bundled_rule_files, load_rule_base
from kbdoctor.engine.yamlio import load_yaml
from pydantic import TypeAdapter

from tests.support.oracle import Oracle, engine_result

FACT = TypeAdapter(Fact)
KB_FILE = next(f for f in bundled_rule_files() if f.endswith("kb979174.yaml"))

Q454 = ('[{LRT=1/15/2024 9:12:03 AM};{LED=451 4.4.0 Primary target IP address responded with: '
        '"454 4.7.0 Temporary authentication failure." Attempted failover to alternate host, but '
        'that did not succeed. Either there are no alternate hosts, or delivery failed to all '
        'alternate hosts.};{FQDN=ex02.corp.example.com};{IP=10.0.0.12}]')
E1035 = ("Inbound authentication failed with error {error} for Receive connector {connector}. "
         "The authentication mechanism is {mechanism}. The source IP address of the client who "
         "tried to authenticate to Microsoft Exchange is [10.0.0.11].")

KDC11 = ("The KDC encountered duplicate names while processing a Kerberos authentication request. "
         "The duplicate name is {spn} (of type DS_SERVICE_PRINCIPAL_NAME). This may result in "
         "authentication failures or downgrades to NTLM.")

EX01 = {"type": "exchange_server", "name": "EX01", "fqdn": "ex01.corp.example.com"}
EX01_SHORT = {"type": "exchange_server", "name": "EX01"}
DC01 = {"type": "domain_controller", "name": "DC01", "fqdn": "dc01.corp.example.com", "pdc": True}
ALL_SPNS = ["SMTP/EX01", "SMTP/ex01.corp.example.com", "SMTPSVC/EX01",
            "SMTPSVC/ex01.corp.example.com"]


def listing(*spns: str, account: str = "EX01$") -> dict[str, Any]:
    return {"type": "spn_listing", "account": account, "spns": list(spns)}


def without(spn: str) -> dict[str, Any]:
    return listing(*(s for s in ALL_SPNS if s != spn))


def offset(host: str, reference: str, seconds: float) -> dict[str, Any]:
    return {"type": "clock_offset", "host": host, "reference": reference, "offset_s": seconds}


def event(source: str, event_id: int, message: str, host: str = "EX01") -> dict[str, Any]:
    return {"type": "event", "host": host, "source": source, "event_id": event_id,
            "message": message}


def kerberos(code: str, target: str | None = None) -> dict[str, Any]:
    fact: dict[str, Any] = {"type": "kerberos_error", "host": "EX01", "code": code}
    if target is not None:
        fact["target"] = target
    return fact


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


# --- rule by rule --------------------------------------------------------------------------------

Case = list[dict[str, Any]]

FIRES: dict[str, Case] = {
    "symptom.queue-454": [queue(Q454)],
    "symptom.event-1035-exchangeauth": [event("MSExchangeTransport", 1035, E1035.format(
        error="IllegalMessage", connector="Default EX01", mechanism="ExchangeAuth"))],
    "symptom.event-2017-outbound": [event("MSExchangeTransport", 2017,
        "Outbound authentication failed with error LogonDenied for Send connector Intra-Org. "
        "The authentication mechanism is ExchangeAuth. The target is SMTPSVC/ex02.")],
    "time.skew.between-parties": [EX01, DC01, offset("ex01.corp.example.com", "DC01", 421.5)],
    "time.skew.with-presumed-member": [EX01, offset("EX01", "DC07", -421.5)],
    "time.within.between-parties": [EX01, DC01, offset("DC01", "ex01", -300.0)],
    "time.external-drift": [DC01, offset("dc01", "time.windows.com", 300.5)],
    "time.external-drift-measured-outside": [EX01, offset("time.windows.com", "EX01", -420.0)],
    "time.kerberos-skew": [kerberos("37")],
    "time.event-1035-clock-skew": [event("MSExchangeTransport", 1035, E1035.format(
        error="UnexpectedExchangeAuthBlobCheckForClockSkew", connector="Default EX01",
        mechanism="ExchangeAuth"))],
    "time.replication-time-skew": [link(1398)],
    "time.unreliable-source": [DC01, {"type": "time_status", "host": "dc01.corp.example.com",
                                      "time_source": "Free-running System Clock"}],
    "time.unreliable-source-risk": [DC01, {"type": "time_status", "host": "DC01",
                                           "time_source": "Local CMOS Clock"}],
    "replication.link-failing": [link(1722)],
    "replication.link-healthy": [link(0)],
    "spn.smtpsvc-fqdn-missing": [EX01, without("SMTPSVC/ex01.corp.example.com")],
    "spn.smtpsvc-name-missing": [EX01, without("SMTPSVC/EX01")],
    "spn.smtp-fqdn-missing": [EX01, without("SMTP/ex01.corp.example.com")],
    "spn.smtp-name-missing": [EX01, without("SMTP/EX01")],
    "spn.smtpsvc-fqdn-present": [EX01, listing("SmtpSvc/EX01.Corp.Example.COM",
                                               account="CN=EX01,OU=Servers,DC=corp,DC=example,DC=com")],
    "spn.query-not-found": [{"type": "spn_query", "spn": "smtpsvc/ex01.corp.example.com",
                             "accounts": []}],
    "spn.query-held-by-another-account": [{"type": "spn_query",
                                           "spn": "SMTPSVC/ex01.corp.example.com",
                                           "accounts": ["CORP\\svc-mailrelay"]}],
    "spn.kerberos-principal-unknown": [kerberos("KDC_ERR_S_PRINCIPAL_UNKNOWN",
                                                "SMTPSVC/ex01.corp.example.com")],
    "spn.duplicate-smtp": [{"type": "spn_duplicate", "spn": "smtpsvc/ex01.corp.example.com",
                            "accounts": ["EX01$", "WEB01$"]}],
    "spn.kdc-duplicate-name": [event(
        "Microsoft-Windows-Kerberos-Key-Distribution-Center", 11, KDC11.format(
            spn="SMTPSVC/ex01.corp.example.com"), host="DC01")],
    "spn.kerberos-modified": [kerberos("0x80090322", "SMTPSVC/ex01.corp.example.com")],
    "spn.duplicates-none-found": [{"type": "check_run", "check": "spn_duplicates", "found": 0}],
    "ports.kerberos-blocked": [port(88, "filtered", "udp")],
    "ports.kpasswd-blocked": [port(464, "closed")],
    "ports.kerberos-open": [port(88, "open")],
    "ports.kdc-unreachable": [kerberos("0xC000005E")],
    "connector.default-without-exchange-auth": [connector("Default EX01", ["Tls", "Integrated"])],
    "connector.exchange-servers-without-exchange-auth": [
        connector("Internal relay", ["Tls"], ["ExchangeServers", "ExchangeUsers"])],
    "connector.default-with-exchange-auth": [connector("Default EX01", ["Tls", "ExchangeServer"])],
}

SILENT: dict[str, dict[str, Case]] = {
    "symptom.queue-454": {
        "421 4.4.1 timeout": [queue('451 4.4.0 Primary target IP address responded with: '
                                    '"421 4.4.1 Connection timed out."')],
        "451 5.7.3": [queue('451 4.4.0 Primary target IP address responded with: "451 5.7.3 '
                            'Cannot achieve Exchange Server authentication."')],
        "451 4.7.3": [queue('451 4.4.0 Primary target IP address responded with: "451 4.7.3 '
                            'Secure domain failure."')],
        "InvalidToken": [queue("451 4.4.0 Security status InvalidToken")],
    },
    "symptom.event-1035-exchangeauth": {
        "frontend password guessing": [event("MSExchangeFrontEndTransport", 1035, E1035.format(
            error="LogonDenied", connector="Client Frontend EX01", mechanism="Login"))],
        "gssapi client": [event("MSExchangeFrontEndTransport", 1035, E1035.format(
            error="IllegalMessage", connector="Client Frontend EX01", mechanism="Gssapi"))],
        "other event id": [event("MSExchangeTransport", 1030, E1035.format(
            error="IllegalMessage", connector="Default EX01", mechanism="ExchangeAuth"))],
    },
    "symptom.event-2017-outbound": {
        "no ExchangeAuth": [event("MSExchangeTransport", 2017,
                                  "Outbound authentication failed for Send connector Internet. "
                                  "The authentication mechanism is Login.")],
        "frontend source": [event("MSExchangeFrontEndTransport", 2017, "ExchangeAuth failed")],
    },
    "time.skew.between-parties": {
        "exactly 300 s": [EX01, DC01, offset("EX01", "DC01", 300.0)],
        "exactly -300 s": [EX01, DC01, offset("DC01", "EX01", -300.0)],
        "peer outside the domain": [EX01, DC01, offset("DC01", "time.windows.com", 900.0)],
        "host is no known machine": [EX01, DC01, offset("EX02", "DC01", 900.0)],
    },
    "time.skew.with-presumed-member": {
        "both known": [EX01, DC01, offset("EX01", "DC01", 900.0)],
        "outside the domain's DNS suffix": [EX01, offset("EX01", "ntp.example.net", 900.0)],
        "a public address": [EX01, offset("EX01", "104.40.149.189", 900.0)],
        "neither known": [EX01, offset("EX07", "DC07", 900.0)],
    },
    "time.within.between-parties": {
        "300.5 s": [EX01, DC01, offset("EX01", "DC01", 300.5)],
        "peer outside the domain": [EX01, offset("EX01", "time.windows.com", 1.0)],
    },
    "time.external-drift": {
        "299.9 s": [DC01, offset("DC01", "time.windows.com", 299.9)],
        "both in the domain": [EX01, DC01, offset("EX01", "DC01", 900.0)],
        "host is no known machine": [DC01, offset("DC02", "time.windows.com", 900.0)],
    },
    "time.external-drift-measured-outside": {
        "within 5 minutes": [EX01, offset("time.windows.com", "EX01", -1.0)],
        "both in the domain": [EX01, DC01, offset("DC01", "EX01", 900.0)],
    },
    "time.kerberos-skew": {"other code": [kerberos("KRB_AP_ERR_MODIFIED")]},
    "time.event-1035-clock-skew": {
        "IllegalMessage": [event("MSExchangeTransport", 1035, E1035.format(
            error="IllegalMessage", connector="Default EX01", mechanism="ExchangeAuth"))],
        "frontend source": [event("MSExchangeFrontEndTransport", 1035, E1035.format(
            error="UnexpectedExchangeAuthBlobCheckForClockSkew", connector="Client Frontend EX01",
            mechanism="ExchangeAuth"))],
    },
    "time.replication-time-skew": {"1722": [link(1722)]},
    "time.unreliable-source": {
        "a peer": [DC01, {"type": "time_status", "host": "DC01",
                          "time_source": "time.windows.com,0x8"}],
        "not a DC": [DC01, {"type": "time_status", "host": "EX01",
                            "time_source": "Local CMOS Clock"}],
    },
    "time.unreliable-source-risk": {
        "a peer": [DC01, {"type": "time_status", "host": "DC01",
                          "time_source": "dc02.corp.example.com"}],
    },
    "replication.link-failing": {"success": [link(0)]},
    "replication.link-healthy": {"8524": [link(8524)]},
    "spn.smtpsvc-fqdn-missing": {
        "present in other case": [EX01, listing("smtpsvc/EX01.CORP.EXAMPLE.COM")],
        "fqdn not known": [EX01_SHORT, listing()],
        "no listing of the account": [EX01, listing(account="WEB01$")],
        "account as a DN": [EX01, listing("SMTPSVC/ex01.corp.example.com",
                                          account="CN=EX01,OU=Servers,DC=corp,DC=example,DC=com")],
    },
    "spn.smtpsvc-name-missing": {
        "present in other case": [EX01, listing("smtpsvc/ex01")],
        "listed in a second listing": [EX01, listing("SMTP/EX01"),
                                       listing("SMTPSVC/EX01", account="CORP\\EX01$")],
    },
    "spn.smtp-fqdn-missing": {
        "present in other case": [EX01, listing("Smtp/Ex01.Corp.Example.Com")],
        "fqdn not known": [EX01_SHORT, listing()],
    },
    "spn.smtp-name-missing": {"present in other case": [EX01_SHORT, listing("smtp/ex01")]},
    "spn.smtpsvc-fqdn-present": {
        "missing": [EX01, without("SMTPSVC/ex01.corp.example.com")],
        "on another account": [EX01, listing("SMTPSVC/ex01.corp.example.com", account="WEB01$")],
    },
    "spn.query-not-found": {
        "found": [{"type": "spn_query", "spn": "smtpsvc/ex01.corp.example.com",
                   "accounts": ["EX01$"]}],
        "not an SMTP SPN": [{"type": "spn_query", "spn": "host/ex01.corp.example.com",
                             "accounts": []}],
    },
    "spn.query-held-by-another-account": {
        "held by the server": [{"type": "spn_query", "spn": "smtpsvc/ex01.corp.example.com",
                                "accounts": ["CN=EX01,OU=Servers,DC=corp,DC=example,DC=com"]}],
        "held by both": [{"type": "spn_query", "spn": "smtpsvc/ex01.corp.example.com",
                          "accounts": ["EX01$", "svc-mailrelay"]}],
        "held by nobody": [{"type": "spn_query", "spn": "smtpsvc/ex01.corp.example.com",
                            "accounts": []}],
        "not an SMTP SPN": [{"type": "spn_query", "spn": "http/ex01.corp.example.com",
                             "accounts": ["svc-web"]}],
    },
    "spn.kerberos-principal-unknown": {
        "other service": [kerberos("KDC_ERR_S_PRINCIPAL_UNKNOWN", "cifs/ex01.corp.example.com")],
        "other code": [kerberos("KDC_ERR_PREAUTH_FAILED", "SMTPSVC/ex01.corp.example.com")],
    },
    "spn.duplicate-smtp": {
        "HTTP SPN": [{"type": "spn_duplicate", "spn": "http/ex01.corp.example.com",
                      "accounts": ["EX01$", "WEB01$"]}],
    },
    "spn.kdc-duplicate-name": {
        "HTTP SPN": [event("KDC", 11, KDC11.format(spn="HTTP/web01.corp.example.com"),
                           host="DC01")],
        "other event": [event("KDC", 7, KDC11.format(spn="SMTPSVC/ex01.corp.example.com"),
                              host="DC01")],
        "transport source": [event("MSExchangeTransport", 11, KDC11.format(
            spn="SMTPSVC/ex01.corp.example.com"))],
    },
    "spn.kerberos-modified": {"skew": [kerberos("KRB_AP_ERR_SKEW")]},
    "spn.duplicates-none-found": {
        "one found": [{"type": "check_run", "check": "spn_duplicates", "found": 1}],
        "other check": [{"type": "check_run", "check": "replication", "found": 0}],
    },
    "ports.kerberos-blocked": {
        "open": [port(88, "open")], "ldap closed": [port(389, "closed")],
        "unknown": [port(88, "unknown", "udp")],
    },
    "ports.kpasswd-blocked": {"open": [port(464, "open")], "88 closed": [port(88, "closed")]},
    "ports.kerberos-open": {"88 closed": [port(88, "closed")], "ldap open": [port(389, "open")]},
    "ports.kdc-unreachable": {"skew": [kerberos("KRB_AP_ERR_SKEW")]},
    "connector.default-without-exchange-auth": {
        "Default Frontend": [connector("Default Frontend EX01", ["Tls", "BasicAuth"])],
        "Client Frontend": [connector("Client Frontend EX01", ["Tls", "BasicAuth"])],
        "ExchangeServer in lower case": [connector("Default EX01", ["tls", "exchangeserver"])],
    },
    "connector.exchange-servers-without-exchange-auth": {
        "with ExchangeServer": [connector("Internal", ["Tls", "ExchangeServer"],
                                          ["ExchangeServers"])],
        "anonymous only": [connector("Internet", ["Tls"], ["AnonymousUsers"])],
        "groups unknown": [connector("Internal", ["Tls"])],
    },
    "connector.default-with-exchange-auth": {
        "Default Frontend": [connector("Default Frontend EX01", ["Tls", "ExchangeServer"])],
        "without": [connector("Default EX01", ["Tls", "Integrated"])],
    },
}


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


def test_every_rule_of_the_file_has_firing_and_silent_cases() -> None:
    data, _ = load_yaml(Path(KB_FILE).read_text(encoding="utf-8"))
    ids = {rule["id"] for rule in data["rules"]}
    assert set(FIRES) == ids
    assert set(SILENT) == ids


@pytest.mark.parametrize("rule_id", sorted(FIRES))
def test_rule_fires(evaluator: Evaluator, rule_id: str) -> None:
    assert rule_id in _fired(evaluator, FIRES[rule_id])


@pytest.mark.parametrize(("rule_id", "case"),
                         [(r, c) for r in sorted(SILENT) for c in sorted(SILENT[r])])
def test_rule_stays_silent(evaluator: Evaluator, rule_id: str, case: str) -> None:
    assert rule_id not in _fired(evaluator, SILENT[rule_id][case])


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


@pytest.mark.parametrize("cause", sorted(FAULTS))
def test_each_cause_is_diagnosed_from_a_small_organisation(
    evaluator: Evaluator, cause: str
) -> None:
    data = [*FAULTS[cause](healthy_organisation()), queue(Q454, server="EX01")]
    report = _report(evaluator, data)
    assert [d.cause for d in report.diagnoses] == [cause]
    assert report.diagnoses[0].remediation
    assert report.recommendations == []


def test_kerberos_logging_is_recommended_when_the_symptom_has_no_cause(
    evaluator: Evaluator,
) -> None:
    report = _report(evaluator, [*healthy_organisation(), queue(Q454)])
    assert [r.id for r in report.recommendations] == ["enable_kerberos_logging"]
    assert all(step.command and "LogLevel" in step.command
               for step in report.recommendations[0].steps[::2])


def test_kerberos_logging_is_not_recommended_when_a_cause_is_diagnosed(
    evaluator: Evaluator,
) -> None:
    report = _report(evaluator, [*FAULTS["spn_missing"](healthy_organisation()), queue(Q454)])
    assert report.recommendations == []


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
