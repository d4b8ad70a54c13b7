"""The failing paths: which sender cannot authenticate to which receiver, and the DCs they use.

A queue on EX02 whose next hop is EX01, Event 1035 on EX01 naming the sender's IP, Event 2017 on
the sender naming ``SMTPSVC/<receiver>``: the symptom facts say which pair fails. A cause matters
for this queue when its subject lies on such a path; a problem elsewhere (EX03 lacking an SPN) is
real but *latent*, and ranks below. Which facts carry the sender and the receiver is said by the
symptom rules themselves, through the values ``sender``, ``receiver``, ``sender_ip`` and
``receiver_ip`` of their conclusions, so a rule author can teach the engine a new symptom
without touching this module.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kbdoctor.engine.evaluate import Run
from kbdoctor.engine.names import host_name, is_ip_address
from kbdoctor.engine.report import DIAGNOSIS_THRESHOLD
from kbdoctor.engine.subjects import unknown
from kbdoctor.engine.templates import render


@dataclass(frozen=True)
class FailingPath:
    sender: str | None  # host keys
    receiver: str | None
    sender_name: str | None  # as the facts write them
    receiver_name: str | None
    dcs: frozenset[str]  # keys of the DCs the two may use
    rules: tuple[str, ...]  # the symptom rules that showed it

    @property
    def open_ended(self) -> bool:
        return self.sender is None or self.receiver is None


@dataclass(frozen=True)
class Organisation:
    """What the facts say about the domain, for placing subjects and writing fixes."""

    pdc: str | None  # the PDC emulator as the facts name it (FQDN when known)
    pdc_key: str | None
    dcs: dict[str, str | None]  # DC key -> site
    exchange: dict[str, str | None]  # Exchange server key -> site
    fqdn: dict[str, str]  # host key -> FQDN as written
    names: dict[str, str]  # host key -> name as written on its exchange_server or DC fact


def organisation(run: Run) -> Organisation:
    registry = run.registry
    dcs: dict[str, str | None] = {}
    exchange: dict[str, str | None] = {}
    fqdn: dict[str, str] = {}
    names: dict[str, str] = {}
    pdcs: list[tuple[str, str]] = []
    for prepared in run.facts.values():
        display = prepared.display
        if prepared.type not in ("domain_controller", "exchange_server"):
            continue
        key = registry.key(display["name"])
        site = display.get("site")
        site = site.strip().lower() if isinstance(site, str) else None
        names.setdefault(key, str(display["name"]))
        if display.get("fqdn"):
            fqdn[key] = str(display["fqdn"])
        if prepared.type == "domain_controller":
            dcs[key] = site or dcs.get(key)
            if display.get("pdc") is True:
                pdcs.append((key, str(display.get("fqdn") or display["name"])))
        else:
            exchange[key] = site or exchange.get(key)
    unique_pdcs = sorted(set(pdcs))
    pdc_key, pdc = unique_pdcs[0] if len({k for k, _ in unique_pdcs}) == 1 else (None, None)
    return Organisation(pdc, pdc_key, dcs, exchange, fqdn, names)


def failing_paths(run: Run, org: Organisation) -> list[FailingPath]:
    """Every sender/receiver pair the symptoms show, with the DCs each may use."""
    registry = run.registry
    by_ip = _ip_map(run)
    found: dict[tuple[str | None, str | None], tuple[str | None, str | None, set[str]]] = {}
    for key, conclusion in run.conclusions.items():
        if key[0] != "symptom" or run.confidence.get(key, 0.0) < DIAGNOSIS_THRESHOLD:
            continue
        for record in conclusion.firings:
            rule = run.compiled.rules[record.rule_index].rule
            templates = rule.conclude.values
            if not ({"sender", "receiver", "sender_ip", "receiver_ip"} & set(templates)):
                continue
            bindings = run.bindings(record)
            values = {n: render(t, bindings).strip() for n, t in templates.items()}
            sender = _known(values.get("sender"))
            receiver = _known(values.get("receiver"))
            if sender is None and _known(values.get("sender_ip")):
                sender = by_ip.get(host_name(values["sender_ip"]))
            if _known(values.get("receiver_ip")) and (
                receiver is None or registry.key(receiver) not in org.exchange
            ):
                receiver = by_ip.get(host_name(values["receiver_ip"]), receiver)
            sender_key = registry.key(sender) if sender else None
            receiver_key = registry.key(receiver) if receiver else None
            if sender_key is None and receiver_key is None:
                continue
            entry = found.setdefault((sender_key, receiver_key), (sender, receiver, set()))
            entry[2].add(rule.id)
    complete = {(s, r) for s, r in found if s is not None and r is not None}
    for s, r in list(found):
        if (s is None or r is None) and any(
            (s is None or s == cs) and (r is None or r == cr) for cs, cr in complete
        ):
            # "something failed to reach EX01" adds nothing to "EX02 failed to reach EX01"
            del found[(s, r)]
    paths = [
        FailingPath(
            sender=s,
            receiver=r,
            sender_name=org.names.get(s, names[0]) if s else None,
            receiver_name=org.names.get(r, names[1]) if r else None,
            dcs=frozenset(_dcs_used(org, [h for h in (s, r) if h])),
            rules=tuple(sorted(names[2])),
        )
        for (s, r), names in found.items()
    ]
    return sorted(paths, key=lambda p: (p.sender or "", p.receiver or "", p.rules))


Locator = tuple[str | None, str]  # a host key (None: not known) and the role it must play
Verdicts = dict[tuple[Locator, ...], "bool | None"]  # locators -> ``place``'s answer

_VERDICTS: dict[tuple[object, ...], Verdicts] = {}
_VERDICT_SETS = 4  # the last sets of paths placed on (a what-if and its baseline, a comparison)
_VERDICTS_LOCK = threading.Lock()


def verdicts_for(paths: list[FailingPath], org: Organisation) -> Verdicts:
    """Where subjects lie on these paths, kept between reports: a verdict depends only on the
    paths and on which machines are DCs and Exchange servers (see ``place``), which a what-if
    edit seldom changes, and placing thousands of subjects again was a third of the report of a
    1,000-server organisation. The caller fills the mapping as it places."""
    key = (tuple(paths), frozenset(org.dcs), frozenset(org.exchange))
    with _VERDICTS_LOCK:
        found = _VERDICTS.get(key)
        if found is None:
            if len(_VERDICTS) >= _VERDICT_SETS:
                del _VERDICTS[next(iter(_VERDICTS))]
            found = _VERDICTS[key] = {}
        return found


def place(
    locators: tuple[Locator, ...], paths: Iterable[FailingPath], org: Organisation
) -> bool | None:
    """Whether a subject lies on a failing path: True when every machine it names plays its part
    in one path (a party: the sender, the receiver or a DC they use; or the given end), False
    when it lies on none, None when the facts cannot tell (no path known, an end of the path not
    known, or a machine of unknown role)."""
    verdicts = [_on(locators, path, org) for path in paths]
    if not verdicts:
        return None
    if any(v is True for v in verdicts):
        return True
    if all(v is False for v in verdicts):
        return False
    return None


def _on(locators: tuple[Locator, ...], path: FailingPath, org: Organisation) -> bool | None:
    known = [(host, role) for host, role in locators if host is not None]
    if not known:
        return None
    result: bool | None = True
    for host, role in known:
        if role in ("sender", "receiver"):
            end = path.sender if role == "sender" else path.receiver
            if end is None:
                result = None  # the symptoms do not name that end
            elif host != end:
                return False
            continue
        if host in (path.sender, path.receiver):
            continue
        if host in org.dcs:
            if host not in path.dcs:
                if not path.open_ended:
                    return False
                result = None  # a DC the end the symptoms do not name may use
            continue
        if host in org.exchange:
            if not path.open_ended:
                return False
            result = None  # it may be the end of the path that the symptoms do not name
            continue
        result = None
    return result


def _dcs_used(org: Organisation, parties: list[str]) -> set[str]:
    """The DCs a party may ask for tickets: those of its AD site when the facts give sites and
    the site has a DC (the DC locator prefers them), otherwise every DC."""
    used: set[str] = set()
    for party in parties:
        site = org.exchange.get(party)
        local = {dc for dc, dc_site in org.dcs.items() if site and dc_site == site}
        used |= local or set(org.dcs)
    return used


def _ip_map(run: Run) -> dict[str, str]:
    """IP address -> server, from what is certain: an Exchange server's own ``ip_addresses``,
    and the ``{FQDN=...};{IP=...}`` pair Exchange writes into a queue's LastError. An address
    claimed by two machines maps to neither."""
    claims: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for prepared in sorted(run.facts.values(), key=lambda p: p.id):
        display = prepared.display
        pairs: list[tuple[Any, Any]] = []
        if prepared.type == "exchange_server":
            pairs = [(display["name"], ip) for ip in display.get("ip_addresses") or []]
        elif prepared.type == "queue" and display.get("peer_ip") and display.get("peer_host"):
            pairs = [(display["peer_host"], display["peer_ip"])]
        for name, ip in pairs:
            canonical = host_name(str(ip))
            if is_ip_address(canonical):
                key = run.registry.key(str(name))
                claims.setdefault(canonical, set()).add(key)
                names.setdefault(key, str(name))
    return {ip: names[next(iter(keys))] for ip, keys in claims.items() if len(keys) == 1}


def _known(value: Any) -> str | None:
    return None if unknown(value) else str(value).strip()
