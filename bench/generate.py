"""Synthetic Exchange organisations as fact files, for benchmarks and load tests.

A real customer's fact file is what ``kbdoctor collect`` reads out of saved command output; this
module builds one of any size without a forest: Exchange servers spread over sites of about ten
servers, two domain controllers per site (the first site's first one the PDC emulator), and for
every machine the facts the collectors would produce (``setspn -L``, ``Test-NetConnection`` to
88 and 464, ``Get-ReceiveConnector``, ``w32tm``, ``Get-Queue``, ``repadmin /showrepl``). A few
servers carry one fault each, one of every cause of KB 979174, so that the rules that conclude
are exercised as well as those that rule out, and the queues in front of the faulty servers show
the 454 4.7.0 symptom.

The result depends only on ``servers`` and ``seed``, so timings can be compared between runs.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SERVERS_PER_SITE = 10
FAULT_KINDS = ("time", "spn_missing", "spn_duplicate", "ports", "connector", "replication")

_LED = (
    '451 4.4.0 Primary target IP address responded with: "454 4.7.0 Temporary authentication '
    'failure." Attempted failover to alternate host, but that did not succeed. Either there are '
    "no alternate hosts, or delivery failed to all alternate hosts."
)
_NAMING_CONTEXTS = ("DC={d}", "CN=Configuration,DC={d}", "CN=Schema,CN=Configuration,DC={d}")

Fact = dict[str, Any]


def generate_organisation(servers: int, seed: int = 0) -> dict[str, Any]:
    """A ``facts/1`` mapping (plain JSON types) for an organisation of ``servers`` Exchange
    servers; about one server in a hundred, and at least one per kind, has a fault."""
    if servers < 1:
        raise ValueError("an organisation needs at least one Exchange server")
    rng = random.Random(seed * 1_000_003 + servers)
    domain = f"ad.org{servers}.example"
    dn = ",DC=".join(domain.split("."))
    sites = [f"SITE{i:03d}" for i in range((servers + SERVERS_PER_SITE - 1) // SERVERS_PER_SITE)]
    names = [f"EX{i:04d}" for i in range(1, servers + 1)]
    site_of = {name: sites[i // SERVERS_PER_SITE] for i, name in enumerate(names)}
    dcs = {site: [f"DC{si:03d}A", f"DC{si:03d}B"] for si, site in enumerate(sites)}
    pdc = dcs[sites[0]][0]
    faults = _choose_faults(names, rng)

    facts: list[Fact] = []
    add = facts.append
    for site in sites:
        for dc in dcs[site]:
            add({"type": "domain_controller", "name": dc, "fqdn": f"{dc.lower()}.{domain}",
                 "site": site, "pdc": dc == pdc,
                 "source": _source("w32tm-monitor", "w32tm /monitor", pdc, "w32tm-monitor.txt")})
            if dc != pdc:
                add({"type": "clock_offset", "host": dc, "reference": pdc,
                     "offset_s": round(rng.uniform(-0.05, 0.05), 4)})
            add({"type": "time_status", "host": dc,
                 "time_source": "time.windows.com,0x9" if dc == pdc else f"{pdc.lower()}.{domain}",
                 "stratum": 4 if dc == pdc else 5, "leap_indicator": 0})
    facts.extend(_replication(sites, dcs, dn, faults, rng))

    for index, name in enumerate(names):
        fault = faults.get(name)
        site = site_of[name]
        fqdn = f"{name.lower()}.{domain}"
        local_dcs = dcs[site]
        add({"type": "exchange_server", "name": name, "fqdn": fqdn, "site": site,
             "version": "Version 15.2 (Build 1544.4)",
             "source": _source("exchange-server", "Get-ExchangeServer | Format-List", names[0],
                               "get-exchangeserver.txt", 3 + 17 * index)})
        spns = [f"SMTPSVC/{name}", f"SMTPSVC/{fqdn}", f"SMTP/{name}", f"SMTP/{fqdn}",
                f"exchangeAB/{name}", f"exchangeAB/{fqdn}", f"HOST/{name}", f"HOST/{fqdn}"]
        if fault == "spn_missing":
            spns = [s for s in spns if not s.startswith("SMTPSVC/")]
        add({"type": "spn_listing", "account": f"CN={name},OU=Exchange Servers,DC={dn}",
             "spns": spns,
             "source": _source("setspn-L", f"setspn -L {name}", pdc, f"setspn-L-{name}.txt", 2)})
        if fault == "spn_duplicate":
            add({"type": "spn_duplicate", "spn": f"SMTPSVC/{fqdn}",
                 "accounts": [f"CN={name},OU=Exchange Servers,DC={dn}",
                              f"CN=OLD-{name},CN=Computers,DC={dn}"]})
        offset = rng.uniform(-0.5, 0.5)
        if fault == "time":
            offset = rng.choice((-1, 1)) * rng.uniform(320.0, 900.0)
        add({"type": "clock_offset", "host": name, "reference": local_dcs[0],
             "offset_s": round(offset, 4),
             "source": _source("w32tm-stripchart", f"w32tm /stripchart /computer:{local_dcs[0]}",
                               name, f"w32tm-stripchart-{local_dcs[0]}.txt", 3)})
        for dc in local_dcs:
            for port in (88, 464):
                state = "filtered" if fault == "ports" and dc == local_dcs[0] else "open"
                add({"type": "port_state", "source": name, "target": dc, "port": port,
                     "protocol": "tcp", "state": state,
                     "origin": _source("test-netconnection",
                                       f"Test-NetConnection -ComputerName {dc} -Port {port}",
                                       name, f"tnc-{dc}-{port}.txt")})
        facts.extend(_connectors(name, fault))
        facts.extend(_queues(name, index, names, faults, domain))
        if fault in ("spn_missing", "spn_duplicate", "connector", "ports", "time"):
            add({"type": "event", "host": name, "source": "MSExchangeTransport", "event_id": 1035,
                 "log": "Application",
                 "message": (f"Inbound authentication failed with error IllegalMessage for "
                             f"Receive connector Default {name}. The authentication mechanism is "
                             f"ExchangeAuth. The source IP address of the client who tried to "
                             f"authenticate to Microsoft Exchange is [10.0.{index // 250}."
                             f"{index % 250 + 1}]."),
                 "origin": _source("eventlog-list", "Get-WinEvent ... | Format-List *", name,
                                   "application-1035.txt", 3)})
    duplicates = sum(1 for f in faults.values() if f == "spn_duplicate")
    add({"type": "check_run", "check": "spn_duplicates", "scope": domain, "found": duplicates})
    return {
        "kbdoctor": "facts/1",
        "environment": {"organisation": f"synthetic, {servers} Exchange servers",
                        "seed": str(seed)},
        "facts": facts,
    }


def _choose_faults(names: list[str], rng: random.Random) -> dict[str, str]:
    """About 1 % of the servers, at least one per kind, each with exactly one fault."""
    count = max(len(FAULT_KINDS), len(names) // 100)
    chosen = rng.sample(names, min(count, len(names)))
    return {name: FAULT_KINDS[i % len(FAULT_KINDS)] for i, name in enumerate(chosen)}


def _source(reader: str, command: str, host: str, file: str, line: int = 1) -> dict[str, Any]:
    return {"collector": "import", "reader": reader, "command": command,
            "file": f"collected/{host}/{file}", "line": line, "host": host}


def _replication(
    sites: list[str], dcs: dict[str, list[str]], dn: str, faults: dict[str, str],
    rng: random.Random,
) -> list[Fact]:
    """Every DC replicates each naming context from its site partner and from the next site's
    first DC (a ring), as the KCC would lay it out; one link fails when a replication fault was
    chosen."""
    ring = [dc for site in sites for dc in dcs[site]]
    broken = any(f == "replication" for f in faults.values())
    failing = rng.randrange(len(ring)) if broken else -1
    links: list[Fact] = []
    for position, destination in enumerate(ring):
        partners = {ring[position - 1], ring[(position + 1) % len(ring)]} - {destination}
        for partner in sorted(partners):
            for nc in _NAMING_CONTEXTS:
                fails = position == failing and nc == _NAMING_CONTEXTS[0]
                links.append({
                    "type": "replication_link", "source": partner, "destination": destination,
                    "naming_context": nc.format(d=dn),
                    "last_result": 1722 if fails else 0,
                    "consecutive_failures": 41 if fails else 0,
                    "origin": _source("repadmin-showrepl-csv", "repadmin /showrepl * /csv",
                                      ring[0], "showrepl.csv", 2 + len(links)),
                })
    return links


def _connectors(name: str, fault: str | None) -> list[Fact]:
    hub = ["Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer"]
    if fault == "connector":
        hub = hub[:-1]
    return [
        {"type": "receive_connector", "server": name, "name": f"Default {name}",
         "auth_mechanisms": hub,
         "permission_groups": ["ExchangeUsers", "ExchangeServers", "ExchangeLegacyServers"],
         "bindings": ["[::]:2525", "0.0.0.0:2525"]},
        {"type": "receive_connector", "server": name, "name": f"Default Frontend {name}",
         "auth_mechanisms": ["Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS",
                             "ExchangeServer"],
         "permission_groups": ["AnonymousUsers", "ExchangeServers", "ExchangeLegacyServers"],
         "bindings": ["[::]:25", "0.0.0.0:25"]},
        {"type": "receive_connector", "server": name, "name": f"Client Frontend {name}",
         "auth_mechanisms": ["Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS"],
         "permission_groups": ["ExchangeUsers"],
         "bindings": ["[::]:587", "0.0.0.0:587"]},
    ]


def _queues(
    name: str, index: int, names: list[str], faults: dict[str, str], domain: str
) -> list[Fact]:
    """The submission queue and one delivery queue to the next server; that queue holds the
    symptom when the next server has a fault that breaks ExchangeAuth."""
    target = names[(index + 1) % len(names)]
    blocked = faults.get(target) not in (None, "replication") and target != name
    error = ""
    if blocked:
        error = (f"[{{LRT=3/14/2024 9:12:44 AM}};{{LED={_LED}}};"
                 f"{{FQDN={target.lower()}.{domain}}};{{IP=10.0.0.{(index + 1) % 250 + 1}}}]")
    return [
        {"type": "queue", "server": name, "identity": f"{name}\\Submission", "status": "Ready",
         "message_count": 0, "last_error": ""},
        {"type": "queue", "server": name, "identity": f"{name}\\{index % 90 + 3}",
         "next_hop": f"{target.lower()}.{domain}", "status": "Retry" if blocked else "Ready",
         "message_count": 12 if blocked else 0, "last_error": error},
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """``python bench/generate.py SERVERS [-o FILE] [--seed N]``: the organisation as a fact file,
    on standard output or written atomically to FILE, with one line on standard error saying what
    was written (a run that printed nothing looked like one that did nothing)."""
    parser = argparse.ArgumentParser(
        prog="bench/generate.py",
        description="Write a synthetic Exchange organisation as a facts/1 file.",
    )
    parser.add_argument("servers", type=int, help="number of Exchange servers (at least 1)")
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.servers < 1:
        parser.error("SERVERS must be at least 1")
    organisation = generate_organisation(args.servers, args.seed)
    text = json.dumps(organisation, indent=1) + "\n"
    count = len(organisation["facts"])
    if args.output is None:
        sys.stdout.write(text)
        print(f"{count} facts, {args.servers} servers", file=sys.stderr)
        return 0
    repo = Path(__file__).resolve().parent.parent
    if str(repo) not in sys.path:
        sys.path.insert(0, str(repo))
    from kbdoctor.engine.atomic import write_atomic

    try:
        write_atomic(args.output, text)
    except OSError as error:
        print(f"bench/generate.py: cannot write {args.output}: {error.strerror or error}",
              file=sys.stderr)
        return 2
    print(f"wrote {args.output}: {count} facts, {args.servers} servers", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
