"""Everything the case holds about one machine: its facts and the causes whose subjects name it.

An engineer on a ticket thinks in servers ("what do we know about EX01?"), while the facts are
grouped by type. A machine is written many ways (``EX01``, ``ex01.contoso.local``, the computer
account ``EX01$``, its DN ``CN=EX01,...``, the host of an SPN); the facts are matched with the
engine's own name rules (:mod:`kbdoctor.engine.names`), so the view shows what the rules join on,
and an ambiguous short name is never guessed to be a machine it might not be. No Textual here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kbdoctor.engine.facts import Fact
from kbdoctor.engine.names import HostRegistry, account_name, host_name, is_ip_address, spn_host
from kbdoctor.engine.report import CauseReport, Report
from kbdoctor.tui.fact_text import fact_hosts
from kbdoctor.tui.session import Entry

ROLE_TYPES = {"exchange_server": "exchange", "domain_controller": "dc"}
# how the sections of the view are ordered: what the machine is, then its clock, names, network,
# transport, logs, directory, and what could not be observed
SECTION_ORDER = (
    "exchange_server",
    "domain_controller",
    "clock_offset",
    "time_status",
    "spn_listing",
    "spn_duplicate",
    "spn_query",
    "port_state",
    "receive_connector",
    "queue",
    "event",
    "kerberos_error",
    "replication_link",
    "probe_error",
)
_SEPARATORS = re.compile(r"[\s()\[\]|;]+|->|→|/(?=\s)")


@dataclass(frozen=True)
class Server:
    """A machine of the case: its key (as the engine joins on it), how to call it, its role."""

    key: str
    label: str
    role: str  # "exchange", "dc" or "host" (named by facts that do not say what it is)


def registry(facts: Iterable[Fact]) -> HostRegistry:
    """A registry of every host name the facts give (so short names resolve as the engine
    resolves them)."""
    names = HostRegistry()
    for fact in facts:
        for host in fact_hosts(fact):
            names.add(host)
        fqdn = getattr(fact, "fqdn", None)
        if isinstance(fqdn, str):
            names.add(fqdn)
    return names


def servers(facts: Sequence[Fact]) -> list[Server]:
    """The Exchange servers and DCs the facts describe (by name), then the other machines the
    facts name, each once, sorted by role and name."""
    names = registry(facts)
    found: dict[str, Server] = {}
    for fact in facts:
        role = ROLE_TYPES.get(fact.type)
        if role is None:
            continue
        name = str(fact.name)  # type: ignore[union-attr]
        fqdn = getattr(fact, "fqdn", None)
        key = names.key(str(fqdn) if fqdn else name)
        found.setdefault(key, Server(key, str(fqdn) if fqdn else name, role))
    for fact in facts:
        for host in fact_hosts(fact):
            key = names.key(host)
            if key and not is_ip_address(key):
                found.setdefault(key, Server(key, host, "host"))  # as the facts first write it
    order = {"exchange": 0, "dc": 1, "host": 2}
    return sorted(found.values(), key=lambda s: (order[s.role], s.label.lower()))


def concerns(fact: Fact, key: str, names: HostRegistry) -> bool:
    """Whether the fact names the machine ``key``: a host field, a computer account, or the
    fully qualified name of a server."""
    if any(names.key(host) == key for host in fact_hosts(fact)):
        return True
    fqdn = getattr(fact, "fqdn", None)
    return isinstance(fqdn, str) and names.key(fqdn) == key


def server_entries(entries: Sequence[Entry], key: str) -> list[Entry]:
    """The entries (disabled ones included: the view shows them marked) about the machine, in
    the order of :data:`SECTION_ORDER`, then as loaded."""
    names = registry(e.fact for e in entries)
    about = [e for e in entries if concerns(e.fact, key, names)]
    rank = {name: i for i, name in enumerate(SECTION_ORDER)}
    return sorted(about, key=lambda e: rank.get(e.fact.type, len(rank)))


def subject_hosts(subject: str, names: HostRegistry) -> set[str]:
    """The machine keys a subject of the report names (``DC01 / EX01``, ``DC02 -> DC01 (DC=...)``,
    ``SMTPSVC/ex01.contoso.local``, ``EX01$``): each word that reads as a host, an account or an
    SPN's host; a distinguished name's DC= parts are a domain, not a machine."""
    keys: set[str] = set()
    for word in _SEPARATORS.split(subject):
        word = word.strip(",")
        if not word or word.upper().startswith("DC="):
            continue
        if word.upper().startswith("CN=") or word.split("@", 1)[0].endswith("$"):
            keys.add(names.key(account_name(word)))
        elif "/" in word:
            host = spn_host(word)
            if host:
                keys.add(names.key(host))
        else:
            keys.add(names.key(host_name(word)))
    return keys


def server_causes(report: Report, key: str, names: HostRegistry) -> list[CauseReport]:
    """The causes of the report with a subject naming the machine, in the report's order."""
    return [
        cause
        for cause in report.causes
        if any(key in subject_hosts(s.subject, names) for s in cause.subjects)
    ]


def first_host(subjects: Iterable[str], names: HostRegistry, known: Iterable[str]) -> str | None:
    """The first machine of the case that one of ``subjects`` names (to open its view from a
    cause), or None when they name none the case knows."""
    wanted = set(known)
    for subject in subjects:
        for key in sorted(subject_hosts(subject, names)):
            if key in wanted:
                return key
    return None
