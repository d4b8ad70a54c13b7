"""Generated Exchange organisations, for the engine against the oracle
(tests/engine/test_oracle_properties.py).

One builder and two sources of its choices. The properties draw through Hypothesis, which shrinks a
failure and favours the edges. The claim that the organisations reach every rule is made on a
seeded ``random.Random`` instead, because it needs the same organisations in every process, and
Hypothesis does not give them even derandomized: its draws mix in the literals of every local
module the process has imported (the "local constants" of hypothesis.internal.conjecture), so a
whole test run, which has imported most of the package, draws other organisations than the test
run alone, and so does a Hypothesis release (pyproject.toml does not pin it) or a new number in
the package's code."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from hypothesis import strategies as st

T = TypeVar("T")

DOMAIN = "corp.example.com"

# The organisations of the coverage claim: enough that every rule fires in some and stays silent in
# some, with room to spare (tests/engine/test_oracle_properties.py measures it).
COVERAGE_SEEDS = range(300)


class Choices(Protocol):
    """Where an organisation's choices come from; ranges include both ends."""

    def integer(self, low: int, high: int) -> int: ...

    def boolean(self) -> bool: ...

    def one(self, options: Sequence[T]) -> T: ...

    def some(
        self, options: Sequence[T], max_size: int, *, min_size: int = 0, unique: bool = False
    ) -> list[T]: ...

    def number(self, low: float, high: float) -> float: ...

    def shuffled(self, items: Sequence[T]) -> list[T]: ...


class DrawnChoices:
    """Choices Hypothesis draws, inside a composite strategy: it shrinks them."""

    def __init__(self, draw: st.DrawFn) -> None:
        self._draw = draw

    def integer(self, low: int, high: int) -> int:
        return self._draw(st.integers(low, high))

    def boolean(self) -> bool:
        return self._draw(st.booleans())

    def one(self, options: Sequence[T]) -> T:
        return self._draw(st.sampled_from(options))

    def some(
        self, options: Sequence[T], max_size: int, *, min_size: int = 0, unique: bool = False
    ) -> list[T]:
        return self._draw(
            st.lists(st.sampled_from(options), min_size=min_size, max_size=max_size, unique=unique)
        )

    def number(self, low: float, high: float) -> float:
        return self._draw(st.floats(min_value=low, max_value=high, allow_nan=False))

    def shuffled(self, items: Sequence[T]) -> list[T]:
        return self._draw(st.permutations(items))


class SeededChoices:
    """Choices of a seeded ``random.Random``: the same for a seed in every process."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)

    def integer(self, low: int, high: int) -> int:
        return self._random.randint(low, high)

    def boolean(self) -> bool:
        return self._random.random() < 0.5

    def one(self, options: Sequence[T]) -> T:
        return self._random.choice(options)

    def some(
        self, options: Sequence[T], max_size: int, *, min_size: int = 0, unique: bool = False
    ) -> list[T]:
        if unique:
            size = self._random.randint(min_size, min(max_size, len(options)))
            return self._random.sample(list(options), size)
        size = self._random.randint(min_size, max_size)
        return [self._random.choice(options) for _ in range(size)]

    def number(self, low: float, high: float) -> float:
        return self._random.uniform(low, high)

    def shuffled(self, items: Sequence[T]) -> list[T]:
        out = list(items)
        self._random.shuffle(out)
        return out


# --- spelling ------------------------------------------------------------------------------------


def cased(choose: Choices, text: str) -> str:
    """The same name in a random mix of upper and lower case."""
    bits = choose.integer(0, 2 ** len(text) - 1)
    return "".join(c.upper() if bits >> i & 1 else c.lower() for i, c in enumerate(text))


def spn_spelling(choose: Choices, spn: str) -> str:
    """An SPN as setspn prints it (service class upper case), all lower case, or any case."""
    form = choose.integer(0, 2)
    return spn if form == 0 else spn.lower() if form == 1 else cased(choose, spn)


def host_spelling(choose: Choices, short: str) -> str:
    """A host as some command would print it: short or fully qualified, any case."""
    name = short if choose.boolean() else f"{short}.{DOMAIN}"
    return cased(choose, name)


def account_spelling(choose: Choices, short: str) -> str:
    upper = short.upper()
    return choose.one(
        [
            f"{upper}$",
            f"CORP\\{upper}$",
            f"{upper.lower()}$",
            f"CN={upper},OU=Servers,DC=corp,DC=example,DC=com",
            f"{upper}$@CORP.EXAMPLE.COM",
        ]
    )


# --- facts ---------------------------------------------------------------------------------------

BOUNDARY_OFFSETS = [300.0, -300.0, 300.001, -300.001, 299.999, 0.0, 421.5, -1800.0, 5.2]

QUEUE_ERRORS = [
    "[{LRT=1/15/2024 9:12:03 AM};{LED=451 4.4.0 Primary target IP address responded with: "
    '"454 4.7.0 Temporary authentication failure." Attempted failover to alternate host, but '
    "that did not succeed.};{FQDN=ex02.corp.example.com};{IP=10.0.0.12}]",
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

KERBEROS_CODES = [
    "KRB_AP_ERR_SKEW",
    "37",
    "0x25",
    "KDC_ERR_S_PRINCIPAL_UNKNOWN",
    "7",
    "KRB_AP_ERR_MODIFIED",
    "0x80090322",
    "KDC_UNREACHABLE",
    "0xC000005E",
    "KDC_ERR_PREAUTH_FAILED",
    "krb_ap_err_skew",
]
TIME_SOURCES = [
    "Local CMOS Clock",
    "Free-running System Clock",
    "dc01.corp.example.com",
    "time.windows.com,0x8",
    "VM IC Time Synchronization Provider",
    "Lokalny zegar CMOS",
]
AUTH_MECHANISMS = [
    "Tls",
    "Integrated",
    "BasicAuth",
    "BasicAuthRequireTLS",
    "ExchangeServer",
    "ExternalAuthoritative",
    "None",
]
PERMISSION_GROUPS = [
    "AnonymousUsers",
    "ExchangeUsers",
    "ExchangeServers",
    "ExchangeLegacyServers",
    "Partners",
    "Custom",
]
CHECKS = ["spn_duplicates", "replication", "kerberos_ports", "connectors", "clocks"]


def offset(choose: Choices) -> float:
    """A clock offset: one of the boundaries, anything within a few limits, or whole seconds."""
    form = choose.integer(0, 2)
    if form == 0:
        return choose.one(BOUNDARY_OFFSETS)
    if form == 1:
        return choose.number(-700, 700)
    return float(choose.integer(-400, 400))


def organisation(choose: Choices) -> list[dict[str, Any]]:
    """A small Exchange organisation as a customer's collected facts might describe it."""
    servers = [f"ex{i:02d}" for i in range(1, choose.integer(1, 6) + 1)]
    dcs = [f"dc{i:02d}" for i in range(1, choose.integer(1, 3) + 1)]
    hosts = servers + dcs
    facts: list[dict[str, Any]] = []
    for name in servers:
        fact: dict[str, Any] = {"type": "exchange_server", "name": cased(choose, name.upper())}
        if choose.boolean():
            fact["fqdn"] = cased(choose, f"{name}.{DOMAIN}")
        if choose.integer(0, 3) == 0:
            fact["account"] = account_spelling(choose, name)
        facts.append(fact)
    for index, name in enumerate(dcs):
        fact = {"type": "domain_controller", "name": cased(choose, name.upper())}
        if choose.boolean():
            fact["fqdn"] = host_spelling(choose, name)
        if index == 0 and choose.boolean():
            fact["pdc"] = True
        facts.append(fact)

    def pick(names: list[str]) -> str:
        return host_spelling(choose, choose.one(names))

    # "ntp01" is presumably a machine of the domain that no fact describes; time.windows.com
    # and a public address are plainly outside it: no Kerberos pair
    def clock_end() -> str:
        if choose.integer(0, 4):
            return pick([*hosts, "ntp01"])
        return choose.one(["time.windows.com", "104.40.149.189"])

    for _ in range(choose.integer(0, 5)):
        facts.append(
            {
                "type": "clock_offset",
                "host": clock_end(),
                "reference": clock_end(),
                "offset_s": offset(choose),
            }
        )
    if choose.integer(0, 3) == 0:
        # an outside machine that measured a domain clock, on a pair no reading above has: a
        # pair measured both ways is one reading, so there it would often not be the one kept
        facts.append(
            {
                "type": "clock_offset",
                "host": "pool.ntp.org",
                "reference": pick(hosts),
                "offset_s": offset(choose),
            }
        )
    for _ in range(choose.integer(0, 4)):
        owner = choose.one([*servers, "web01"])
        wanted = [
            f"SMTP/{owner}",
            f"SMTP/{owner}.{DOMAIN}",
            f"SMTPSVC/{owner}",
            f"SMTPSVC/{owner}.{DOMAIN}",
        ]
        chosen = choose.some(wanted, 6)  # duplicates allowed
        extra = choose.some(
            [f"HOST/{owner}", f"HOST/{owner}.{DOMAIN}", f"exchangeMDB/{owner}.{DOMAIN}"], 2
        )
        spns = [cased(choose, s) for s in chosen + extra]
        facts.append(
            {
                "type": "spn_listing",
                "account": account_spelling(choose, owner),
                "spns": choose.shuffled(spns),
            }
        )
    for _ in range(choose.integer(0, 4)):
        facts.append(
            {
                "type": "port_state",
                "source": pick(servers),
                "target": pick(dcs),
                "port": choose.one([88, 464, 389, 3268]),
                "protocol": choose.one(["tcp", "udp"]),
                "state": choose.one(["open", "closed", "filtered", "unknown"]),
            }
        )
    for _ in range(choose.integer(0, 3)):
        server = choose.one(servers)
        connector: dict[str, Any] = {
            "type": "receive_connector",
            "server": host_spelling(choose, server),
            "name": choose.one(
                [
                    "Default",
                    "Default Frontend",
                    "Client Frontend",
                    "Client Proxy",
                    "Outbound Proxy Frontend",
                ]
            )
            + " "
            + server.upper(),
            "auth_mechanisms": [
                cased(choose, m) for m in choose.some(AUTH_MECHANISMS, 4, unique=True)
            ],
        }
        # ExchangeServer decides the connector rules: offered in about half the connectors
        if choose.boolean() and not any(
            m.lower() == "exchangeserver" for m in connector["auth_mechanisms"]
        ):
            connector["auth_mechanisms"].append(cased(choose, "ExchangeServer"))
        if choose.boolean():
            connector["permission_groups"] = choose.some(PERMISSION_GROUPS, 3, unique=True)
        facts.append(connector)
    for _ in range(choose.integer(0, 3)):
        identity = choose.one(servers).upper() + "\\" + str(choose.integer(1, 9))
        facts.append(
            {
                "type": "queue",
                "server": pick(servers),
                "identity": identity,
                "last_error": choose.one(QUEUE_ERRORS),
            }
        )
    for _ in range(choose.integer(0, 4)):
        index = choose.integer(0, len(EVENT_MESSAGES) - 1)
        # mostly the id and source that go with the message, sometimes a look-alike of either
        usual = 2017 if index == 4 else 11 if index == KDC_EVENT else 1035
        event_id = choose.one([usual, usual, 1035, 2017, 1030])
        kdc = ["Microsoft-Windows-Kerberos-Key-Distribution-Center", "KDC"] * 4
        source = choose.one(
            ["MSExchangeTransport", "msexchangetransport", "MSExchangeFrontEndTransport"]
            + (kdc if index == KDC_EVENT else [])
        )
        facts.append(
            {
                "type": "event",
                "host": pick(hosts),
                "source": source,
                "event_id": event_id,
                "message": EVENT_MESSAGES[index],
            }
        )
    for _ in range(choose.integer(0, 3)):
        error: dict[str, Any] = {
            "type": "kerberos_error",
            "host": pick(hosts),
            "code": choose.one(KERBEROS_CODES),
        }
        if choose.boolean():
            target = choose.one(servers)
            error["target"] = cased(
                choose,
                choose.one(
                    [f"SMTPSVC/{target}.{DOMAIN}", f"SMTP/{target}", f"cifs/{target}.{DOMAIN}"]
                ),
            )
        facts.append(error)
    for _ in range(choose.integer(0, 3)):
        facts.append(
            {
                "type": "replication_link",
                "source": pick(dcs),
                "destination": pick(dcs),
                "naming_context": "DC=corp,DC=example,DC=com",
                "last_result": choose.one([0, 0, 1722, 8524, 1398, 8453, -2146893022]),
            }
        )
    for _ in range(choose.integer(0, 2)):
        facts.append(
            {"type": "time_status", "host": pick(hosts), "time_source": choose.one(TIME_SOURCES)}
        )
    for _ in range(choose.integer(0, 2)):
        owner = choose.one(servers)
        spn = choose.one([f"SMTPSVC/{owner}.{DOMAIN}", f"SMTP/{owner}", f"HOST/{owner}"])
        facts.append(
            {
                "type": "spn_query",
                "spn": spn_spelling(choose, spn),
                "accounts": choose.one(
                    [[], [f"{owner.upper()}$"], ["CORP\\svc-mail"], [f"{owner.upper()}$", "WEB01$"]]
                ),
            }
        )
    for _ in range(choose.integer(0, 2)):
        a, b = choose.some([*servers, "web01", "svc-mail"], 2, min_size=2, unique=True)
        spn = choose.one([f"SMTPSVC/{a}.{DOMAIN}", f"SMTP/{a}", f"HTTP/{a}"])
        facts.append(
            {
                "type": "spn_duplicate",
                "spn": spn_spelling(choose, spn),
                "accounts": [f"{a.upper()}$", f"CORP\\{b.upper()}$"],
            }
        )
    for _ in range(choose.integer(0, 3)):
        facts.append(
            {"type": "check_run", "check": choose.one(CHECKS), "found": choose.integer(0, 2)}
        )
    return choose.shuffled(facts)


@st.composite
def organisations(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Organisations as Hypothesis draws them."""
    return organisation(DrawnChoices(draw))


def coverage_sample() -> list[list[dict[str, Any]]]:
    """The fixed organisations every rule must be reached in."""
    return [organisation(SeededChoices(seed)) for seed in COVERAGE_SEEDS]
