"""The Exchange servers and domain controllers that imported material implies.

The rules ask about "every Exchange server" and "every DC", but customers rarely send
``Get-ExchangeServer | Format-List``. The material names them anyway: a receive connector or a
queue belongs to an Exchange server, so does the host of an MSExchangeTransport event, and a
computer account holding ``exchangeMDB/`` or ``SMTPSVC/`` SPNs is one; the DSAs of repadmin and
an account holding the directory replication SPN (``E3514235-4B06-11D1-AB04-00C04FC2DCD2/``) or
``GC/`` are domain controllers. Each inferred fact says how it was inferred (``source.inferred``)
and is made once per machine: a short name and its FQDN are merged, and machines already given
explicitly are not repeated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kbdoctor.engine.facts import (
    DomainController,
    Event,
    ExchangeServer,
    Fact,
    Queue,
    ReceiveConnector,
    ReplicationLink,
    Source,
    SpnListing,
)
from kbdoctor.engine.names import HostRegistry, account_name, is_ip_address, spn_host

EXCHANGE_EVENT_SOURCES = frozenset({"msexchangetransport", "msexchangefrontendtransport"})
EXCHANGE_SPN_CLASSES = frozenset({"exchangemdb", "smtpsvc"})
DC_SPN_CLASSES = frozenset({"e3514235-4b06-11d1-ab04-00c04fc2dcd2", "gc"})
INFERENCE_READER = "inference"


@dataclass(frozen=True)
class _Candidate:
    name: str
    how: str
    origin: Source | None


def infer_hosts(facts: Iterable[Fact]) -> list[Fact]:
    """The exchange_server and domain_controller facts implied by ``facts`` and not already in
    them, in the order their evidence appears."""
    all_facts = list(facts)
    servers: list[_Candidate] = []
    controllers: list[_Candidate] = []
    for fact in all_facts:
        servers.extend(_exchange_evidence(fact))
        controllers.extend(_dc_evidence(fact))
    registry = HostRegistry()
    for fact in all_facts:
        if isinstance(fact, (ExchangeServer, DomainController)):
            registry.add(fact.name)
            if fact.fqdn:
                registry.add(fact.fqdn)
    for candidate in (*servers, *controllers):
        registry.add(candidate.name)
    known_servers = _known(registry, [f for f in all_facts if isinstance(f, ExchangeServer)])
    known_dcs = _known(registry, [f for f in all_facts if isinstance(f, DomainController)])
    inferred: list[Fact] = []
    for key, group in _grouped(registry, servers, known_servers):
        name, fqdn = _names(registry, key, group)
        inferred.append(ExchangeServer(name=name, fqdn=fqdn, provenance=_source(group)))
    for key, group in _grouped(registry, controllers, known_dcs):
        name, fqdn = _names(registry, key, group)
        inferred.append(DomainController(name=name, fqdn=fqdn, provenance=_source(group)))
    return inferred


def _exchange_evidence(fact: Fact) -> list[_Candidate]:
    origin = fact.provenance
    if isinstance(fact, ReceiveConnector):
        return [_Candidate(fact.server, f"server of receive connector '{fact.name}'", origin)]
    if isinstance(fact, Queue):
        what = f"queue '{fact.identity}'" if fact.identity else "a queue"
        return [_Candidate(fact.server, f"server of {what}", origin)]
    if isinstance(fact, Event) and fact.source.lower() in EXCHANGE_EVENT_SOURCES:
        return [_Candidate(fact.host, f"host of {fact.source} event {fact.event_id}", origin)]
    if isinstance(fact, SpnListing):
        classes = {s.split("/", 1)[0].lower() for s in fact.spns if "/" in s}
        held = sorted(classes & EXCHANGE_SPN_CLASSES)
        if held:
            return _account_candidates(fact, held, "exchange", origin)
    return []


def _dc_evidence(fact: Fact) -> list[_Candidate]:
    origin = fact.provenance
    if isinstance(fact, ReplicationLink):
        return [
            _Candidate(fact.source, "source DSA of a replication link", origin),
            _Candidate(fact.destination, "destination DSA of a replication link", origin),
        ]
    if isinstance(fact, SpnListing):
        classes = {s.split("/", 1)[0].lower() for s in fact.spns if "/" in s}
        held = sorted(classes & DC_SPN_CLASSES)
        if held:
            return _account_candidates(fact, held, "dc", origin)
    return []


def _account_candidates(
    fact: SpnListing, held: list[str], kind: str, origin: Source | None
) -> list[_Candidate]:
    """The account's own name, and the FQDN its SPNs of the telling classes carry when that
    FQDN's first label is the account's name."""
    short = account_name(fact.account)
    if not short:
        return []
    label = "computer account holding " + ", ".join(f"{c}/" for c in held) + " SPNs"
    found = [_Candidate(_printed_short(fact.account, short), label, origin)]
    classes = EXCHANGE_SPN_CLASSES if kind == "exchange" else DC_SPN_CLASSES
    for spn in fact.spns:
        host = spn_host(spn)
        if (
            host
            and "." in host
            and spn.split("/", 1)[0].lower() in classes
            and host.split(".", 1)[0] == short
        ):
            found.append(_Candidate(spn.split("/", 1)[1].split("/", 1)[0].split(":", 1)[0],
                                    label, origin))
            break
    return found


def _printed_short(account: str, short: str) -> str:
    """The account's name as the material spells it (``EX01`` from ``CN=EX01,...``)."""
    text = account.strip()
    if text.upper().startswith("CN="):
        text = text[3:].split(",", 1)[0]
    text = text.rsplit("\\", 1)[-1].split("@", 1)[0].rstrip("$")
    return text if text.lower() == short else short


def _known(
    registry: HostRegistry, facts: list[ExchangeServer] | list[DomainController]
) -> set[str]:
    keys: set[str] = set()
    for fact in facts:
        keys.add(registry.key(fact.name))
        if fact.fqdn:
            keys.add(registry.key(fact.fqdn))
    return keys


def _grouped(
    registry: HostRegistry, candidates: list[_Candidate], known: set[str]
) -> list[tuple[str, list[_Candidate]]]:
    groups: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        name = candidate.name.strip()
        if not name or is_ip_address(name.lower()):
            continue
        key = registry.key(name)
        if key and key not in known:
            groups.setdefault(key, []).append(candidate)
    return list(groups.items())


def _names(registry: HostRegistry, key: str, group: list[_Candidate]) -> tuple[str, str | None]:
    """A short name as printed and the FQDN when one was seen."""
    printed = [c.name.strip().rstrip(".") for c in group]
    fqdn = next((p for p in printed if "." in p), registry.fqdn(key))
    short = next((p for p in printed if "." not in p), None)
    if short is None:
        source = fqdn or printed[0]
        short = source.split(".", 1)[0]
    return short, fqdn


def _source(group: list[_Candidate]) -> Source:
    """The provenance of an inferred fact: where its first evidence is, and every way it was
    inferred."""
    hows: list[str] = []
    for candidate in group:
        if candidate.how not in hows:
            hows.append(candidate.how)
    origin = group[0].origin
    return Source(
        collector="import",
        reader=INFERENCE_READER,
        command=origin.command if origin else None,
        file=origin.file if origin else None,
        line=origin.line if origin else None,
        line_end=origin.line_end if origin else None,
        host=origin.host if origin else None,
        inferred="; ".join(hows),
    )
