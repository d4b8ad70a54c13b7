"""The engine against an independent evaluator (tests/support/oracle.py) on generated organisations:
the same firings (rule, bound facts) and the same certainty for every conclusion; and the report
does not depend on the order of the facts."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import Fact
from pydantic import TypeAdapter

from tests.support.oracle import Oracle, engine_result

FACT = TypeAdapter(Fact)
DOMAIN = "corp.example.com"
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def evaluator() -> Evaluator:
    return Evaluator()


@pytest.fixture(scope="module")
def oracle(evaluator: Evaluator) -> Oracle:
    return Oracle(evaluator.base)


# --- spelling ------------------------------------------------------------------------------------


@st.composite
def cased(draw: st.DrawFn, text: str) -> str:
    """The same name in a random mix of upper and lower case."""
    bits = draw(st.integers(min_value=0, max_value=2 ** len(text) - 1))
    return "".join(c.upper() if bits >> i & 1 else c.lower() for i, c in enumerate(text))


@st.composite
def spn_spelling(draw: st.DrawFn, spn: str) -> str:
    """An SPN as setspn prints it (service class upper case), all lower case, or any case."""
    return draw(st.one_of(st.just(spn), st.just(spn.lower()), cased(spn)))


@st.composite
def host_spelling(draw: st.DrawFn, short: str) -> str:
    """A host as some command would print it: short or fully qualified, any case."""
    name = short if draw(st.booleans()) else f"{short}.{DOMAIN}"
    return draw(cased(name))


@st.composite
def account_spelling(draw: st.DrawFn, short: str) -> str:
    upper = short.upper()
    form = draw(st.sampled_from([
        f"{upper}$", f"CORP\\{upper}$", f"{upper.lower()}$",
        f"CN={upper},OU=Servers,DC=corp,DC=example,DC=com", f"{upper}$@CORP.EXAMPLE.COM",
    ]))
    return form


# --- facts ---------------------------------------------------------------------------------------

OFFSETS = st.one_of(
    st.sampled_from([300.0, -300.0, 300.001, -300.001, 299.999, 0.0, 421.5, -1800.0, 5.2]),
    st.floats(min_value=-700, max_value=700, allow_nan=False),
    st.integers(min_value=-400, max_value=400).map(float),
)

QUEUE_ERRORS = [
    '[{LRT=1/15/2024 9:12:03 AM};{LED=451 4.4.0 Primary target IP address responded with: '
    '"454 4.7.0 Temporary authentication failure." Attempted failover to alternate host, but '
    'that did not succeed.};{FQDN=ex02.corp.example.com};{IP=10.0.0.12}]',
    '451 4.4.0 Primary target IP address responded with: "454 4.7.0 Temporary authentication '
    'failure."',
    '451 4.4.0 Primary target IP address responded with: "421 4.4.1 Connection timed out."',
    '451 4.4.0 Primary target IP address responded with: "451 5.7.3 Cannot achieve Exchange '
    'Server authentication."',
    '451 4.4.0 Primary target IP address responded with: "451 4.7.3 Secure domain failure."',
    "451 4.4.0 DNS query failed. The error was: SMTPSEND.DNS.NonExistentDomain",
    "Security status InvalidToken",
    "",
]

EVENT_MESSAGES = [
    "Inbound authentication failed with error IllegalMessage for Receive connector Default EX01. "
    "The authentication mechanism is ExchangeAuth. The source IP address of the client who tried "
    "to authenticate to Microsoft Exchange is [10.0.0.11].",
    "Inbound authentication failed with error UnexpectedExchangeAuthBlobCheckForClockSkew for "
    "Receive connector Default EX02. The authentication mechanism is ExchangeAuth. The source IP "
    "address of the client who tried to authenticate to Microsoft Exchange is [10.0.0.11].",
    "Inbound authentication failed with error LogonDenied for Receive connector Client Frontend "
    "EX01. The authentication mechanism is Login. The source IP address of the client who tried "
    "to authenticate to Microsoft Exchange is [203.0.113.7].",
    "Inbound authentication failed with error IllegalMessage for Receive connector Client "
    "Frontend EX01. The authentication mechanism is Gssapi. The source IP address is [10.0.0.50].",
    "Outbound authentication failed with error LogonDenied for Send connector Intra-Organization "
    "SMTP Send Connector. The authentication mechanism is ExchangeAuth. The target is "
    "SMTPSVC/ex02.corp.example.com.",
    "The service was started.",
    "The KDC encountered duplicate names while processing a Kerberos authentication request. The "
    "duplicate name is SMTPSVC/ex01.corp.example.com (of type DS_SERVICE_PRINCIPAL_NAME).",
]
KDC_EVENT = len(EVENT_MESSAGES) - 1

KERBEROS_CODES = ["KRB_AP_ERR_SKEW", "37", "0x25", "KDC_ERR_S_PRINCIPAL_UNKNOWN", "7",
                  "KRB_AP_ERR_MODIFIED", "0x80090322", "KDC_UNREACHABLE", "0xC000005E",
                  "KDC_ERR_PREAUTH_FAILED", "krb_ap_err_skew"]
TIME_SOURCES = ["Local CMOS Clock", "Free-running System Clock", "dc01.corp.example.com",
                "time.windows.com,0x8", "VM IC Time Synchronization Provider", "Lokalny zegar CMOS"]
AUTH_MECHANISMS = ["Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer",
                   "ExternalAuthoritative", "None"]
PERMISSION_GROUPS = ["AnonymousUsers", "ExchangeUsers", "ExchangeServers", "ExchangeLegacyServers",
                     "Partners", "Custom"]
CHECKS = ["spn_duplicates", "replication", "kerberos_ports", "connectors", "clocks"]


@st.composite
def organisation(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A small Exchange organisation as a customer's collected facts might describe it."""
    servers = [f"ex{i:02d}" for i in range(1, draw(st.integers(1, 6)) + 1)]
    dcs = [f"dc{i:02d}" for i in range(1, draw(st.integers(1, 3)) + 1)]
    hosts = servers + dcs
    facts: list[dict[str, Any]] = []
    for name in servers:
        fact: dict[str, Any] = {"type": "exchange_server", "name": draw(cased(name.upper()))}
        if draw(st.booleans()):
            fact["fqdn"] = draw(cased(f"{name}.{DOMAIN}"))
        if draw(st.integers(0, 3)) == 0:
            fact["account"] = draw(account_spelling(name))
        facts.append(fact)
    for index, name in enumerate(dcs):
        fact = {"type": "domain_controller", "name": draw(cased(name.upper()))}
        if draw(st.booleans()):
            fact["fqdn"] = draw(host_spelling(name))
        if index == 0 and draw(st.booleans()):
            fact["pdc"] = True
        facts.append(fact)

    def pick(names: list[str]) -> str:
        return draw(host_spelling(draw(st.sampled_from(names))))

    # "ntp01" is presumably a machine of the domain that no fact describes; time.windows.com
    # and a public address are plainly outside it: no Kerberos pair
    outside = st.sampled_from(["time.windows.com", "104.40.149.189"])
    for _ in range(draw(st.integers(0, 5))):
        facts.append({"type": "clock_offset",
                      "host": pick([*hosts, "ntp01"]) if draw(st.integers(0, 4)) else draw(outside),
                      "reference": pick([*hosts, "ntp01"]) if draw(st.integers(0, 4))
                      else draw(outside),
                      "offset_s": draw(OFFSETS)})
    if draw(st.integers(0, 3)) == 0:
        # an outside machine that measured a domain clock, on a pair no reading above has: a
        # pair measured both ways is one reading, so there it would often not be the one kept
        facts.append({"type": "clock_offset", "host": "pool.ntp.org", "reference": pick(hosts),
                      "offset_s": draw(OFFSETS)})
    for _ in range(draw(st.integers(0, 4))):
        owner = draw(st.sampled_from([*servers, "web01"]))
        wanted = [f"SMTP/{owner}", f"SMTP/{owner}.{DOMAIN}", f"SMTPSVC/{owner}",
                  f"SMTPSVC/{owner}.{DOMAIN}"]
        chosen = draw(st.lists(st.sampled_from(wanted), max_size=6))  # duplicates allowed
        extra = draw(st.lists(st.sampled_from([f"HOST/{owner}", f"HOST/{owner}.{DOMAIN}",
                                               f"exchangeMDB/{owner}.{DOMAIN}"]), max_size=2))
        spns = [draw(cased(s)) for s in chosen + extra]
        facts.append({"type": "spn_listing", "account": draw(account_spelling(owner)),
                      "spns": draw(st.permutations(spns))})
    for _ in range(draw(st.integers(0, 4))):
        facts.append({"type": "port_state", "source": pick(servers), "target": pick(dcs),
                      "port": draw(st.sampled_from([88, 464, 389, 3268])),
                      "protocol": draw(st.sampled_from(["tcp", "udp"])),
                      "state": draw(st.sampled_from(["open", "closed", "filtered", "unknown"]))})
    for _ in range(draw(st.integers(0, 3))):
        server = draw(st.sampled_from(servers))
        connector: dict[str, Any] = {
            "type": "receive_connector", "server": draw(host_spelling(server)),
            "name": draw(st.sampled_from(["Default", "Default Frontend", "Client Frontend",
                                          "Client Proxy", "Outbound Proxy Frontend"]))
            + " " + server.upper(),
            "auth_mechanisms": draw(st.lists(st.sampled_from(AUTH_MECHANISMS).flatmap(cased),
                                             max_size=4, unique_by=str.lower)),
        }
        # ExchangeServer decides the connector rules: offered in about half the connectors
        if draw(st.booleans()) and not any(
            m.lower() == "exchangeserver" for m in connector["auth_mechanisms"]
        ):
            connector["auth_mechanisms"].append(draw(cased("ExchangeServer")))
        if draw(st.booleans()):
            connector["permission_groups"] = draw(st.lists(st.sampled_from(PERMISSION_GROUPS),
                                                           max_size=3, unique=True))
        facts.append(connector)
    for _ in range(draw(st.integers(0, 3))):
        identity = draw(st.sampled_from(servers)).upper() + "\\" + str(draw(st.integers(1, 9)))
        facts.append({"type": "queue", "server": pick(servers), "identity": identity,
                      "last_error": draw(st.sampled_from(QUEUE_ERRORS))})
    for _ in range(draw(st.integers(0, 4))):
        index = draw(st.integers(0, len(EVENT_MESSAGES) - 1))
        # mostly the id and source that go with the message, sometimes a look-alike of either
        usual = 2017 if index == 4 else 11 if index == KDC_EVENT else 1035
        event_id = draw(st.sampled_from([usual, usual, 1035, 2017, 1030]))
        kdc = ["Microsoft-Windows-Kerberos-Key-Distribution-Center", "KDC"] * 4
        source = draw(st.sampled_from(
            ["MSExchangeTransport", "msexchangetransport", "MSExchangeFrontEndTransport"]
            + (kdc if index == KDC_EVENT else [])))
        facts.append({"type": "event", "host": pick(hosts), "source": source,
                      "event_id": event_id, "message": EVENT_MESSAGES[index]})
    for _ in range(draw(st.integers(0, 3))):
        error: dict[str, Any] = {"type": "kerberos_error", "host": pick(hosts),
                                 "code": draw(st.sampled_from(KERBEROS_CODES))}
        if draw(st.booleans()):
            target = draw(st.sampled_from(servers))
            error["target"] = draw(cased(draw(st.sampled_from(
                [f"SMTPSVC/{target}.{DOMAIN}", f"SMTP/{target}", f"cifs/{target}.{DOMAIN}"]))))
        facts.append(error)
    for _ in range(draw(st.integers(0, 3))):
        facts.append({"type": "replication_link", "source": pick(dcs), "destination": pick(dcs),
                      "naming_context": "DC=corp,DC=example,DC=com",
                      "last_result": draw(st.sampled_from([0, 0, 1722, 8524, 1398, 8453,
                                                           -2146893022]))})
    for _ in range(draw(st.integers(0, 2))):
        facts.append({"type": "time_status", "host": pick(hosts),
                      "time_source": draw(st.sampled_from(TIME_SOURCES))})
    for _ in range(draw(st.integers(0, 2))):
        owner = draw(st.sampled_from(servers))
        facts.append({"type": "spn_query",
                      "spn": draw(spn_spelling(draw(st.sampled_from([f"SMTPSVC/{owner}.{DOMAIN}",
                                                                     f"SMTP/{owner}",
                                                                     f"HOST/{owner}"])))),
                      "accounts": draw(st.sampled_from([[], [f"{owner.upper()}$"],
                                                        ["CORP\\svc-mail"],
                                                        [f"{owner.upper()}$", "WEB01$"]]))})
    for _ in range(draw(st.integers(0, 2))):
        a, b = draw(st.lists(st.sampled_from([*servers, "web01", "svc-mail"]), min_size=2,
                             max_size=2, unique=True))
        facts.append({"type": "spn_duplicate",
                      "spn": draw(spn_spelling(draw(st.sampled_from([f"SMTPSVC/{a}.{DOMAIN}",
                                                                     f"SMTP/{a}", f"HTTP/{a}"])))),
                      "accounts": [f"{a.upper()}$", f"CORP\\{b.upper()}$"]})
    for _ in range(draw(st.integers(0, 3))):
        facts.append({"type": "check_run", "check": draw(st.sampled_from(CHECKS)),
                      "found": draw(st.integers(0, 2))})
    return draw(st.permutations(facts))


def _facts(data: list[dict[str, Any]]) -> list[Fact]:
    return [FACT.validate_python(d) for d in data]


# Boundaries every run checks, whatever the random examples are: offsets of exactly 300 s either
# way, SPNs in other case and spread over two listings of one account, a short name that becomes
# an FQDN through another fact, a look-alike of each symptom.
BOUNDARIES: list[dict[str, Any]] = [
    {"type": "exchange_server", "name": "EX01"},
    {"type": "exchange_server", "name": "ex02", "fqdn": "EX02.corp.example.com"},
    {"type": "domain_controller", "name": "DC01", "pdc": True},
    {"type": "clock_offset", "host": "ex01.CORP.example.com", "reference": "DC01",
     "offset_s": 300.0},
    {"type": "clock_offset", "host": "EX02", "reference": "dc01", "offset_s": -300.0},
    {"type": "clock_offset", "host": "DC01", "reference": "ex02", "offset_s": -300.001},
    {"type": "clock_offset", "host": "dc01.corp.example.com", "reference": "EX01",
     "offset_s": 300.001},
    {"type": "spn_listing", "account": "CORP\\EX01$", "spns": ["smtpsvc/EX01.CORP.EXAMPLE.COM"]},
    {"type": "spn_listing", "account": "ex01$", "spns": ["SMTP/ex01", "SMTP/ex01"]},
    {"type": "spn_listing", "account": "CN=EX02,OU=Servers,DC=corp,DC=example,DC=com",
     "spns": ["SmtpSvc/ex02", "HOST/ex02"]},
    {"type": "queue", "server": "EX01", "last_error": QUEUE_ERRORS[3]},
    {"type": "event", "host": "EX01", "source": "MSExchangeFrontEndTransport", "event_id": 1035,
     "message": EVENT_MESSAGES[2]},
    {"type": "receive_connector", "server": "ex02", "name": "Default Frontend EX02",
     "auth_mechanisms": ["Tls"]},
    {"type": "port_state", "source": "EX01", "target": "DC01", "port": 88, "protocol": "udp",
     "state": "unknown"},
]


# --- properties ----------------------------------------------------------------------------------


@SETTINGS
@given(organisation())
@example(BOUNDARIES)
def test_engine_fires_exactly_what_the_oracle_fires(
    evaluator: Evaluator, oracle: Oracle, data: list[dict[str, Any]]
) -> None:
    facts = _facts(data)
    engine = engine_result(evaluator.run(facts))
    expected = oracle.run(facts)
    assert sorted(engine.firings) == sorted(expected.firings)
    assert engine.confidence.keys() == expected.confidence.keys()
    for key, value in expected.confidence.items():
        assert engine.confidence[key] == pytest.approx(value, abs=1e-6), key


@SETTINGS
@given(organisation(), st.randoms(use_true_random=False), st.booleans())
def test_the_report_does_not_depend_on_the_order_of_the_facts(
    evaluator: Evaluator, data: list[dict[str, Any]], rnd: random.Random, explain: bool
) -> None:
    facts = _facts(data)
    shuffled = list(facts)
    rnd.shuffle(shuffled)
    first = evaluator.evaluate(facts, explain=explain).to_json()
    second = evaluator.evaluate(shuffled, explain=explain).to_json()
    assert first == second


def test_the_generated_organisations_reach_every_rule(evaluator: Evaluator, oracle: Oracle) -> None:
    """The strategy is strong enough to matter: over a fixed sample every rule fires somewhere
    and every rule stays silent somewhere."""
    fired: set[str] = set()
    silent: set[str] = set()
    rule_ids = {rule.id for rule in evaluator.base.rules}

    @settings(max_examples=400, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(organisation())
    def sample(data: list[dict[str, Any]]) -> None:
        got = {rule for rule, _ in oracle.run(_facts(data)).firings}
        fired.update(got)
        silent.update(rule_ids - got)

    sample()
    assert fired == rule_ids
    assert silent == rule_ids
