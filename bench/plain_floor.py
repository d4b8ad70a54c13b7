"""The plain-Python floor of issue 14: the six causes of KB 979174 checked on a generated
organisation (bench/generate.py) by the plainest script that finds the same diagnosed subjects as
the engine, with no engine, no rules and no validation. What kbdoctor costs is measured against
it: ``bench/bench_speed.py`` runs both in the same run and prints the ratio, and checks that both
name the same subjects (so the floor cannot get cheaper by doing less).

It knows the generator's shape (which it may: it is a yardstick, not a diagnosis tool): Exchange
servers, DCs, clock offsets against a DC (pairs of Exchange servers further apart than five
minutes through a common DC are derived, as the engine derives them), SPN listings, duplicate
SPNs, Kerberos ports, receive connectors and replication links.

Run: ``python bench/plain_floor.py FILE`` prints the subjects per cause as JSON.
"""

from __future__ import annotations

import json
import sys
from typing import Any

SKEW_S = 300.0


def diagnose(data: dict[str, Any]) -> dict[str, list[str]]:
    """Cause id -> the subjects diagnosed, as the engine's report shows them, sorted."""
    facts = data["facts"]
    exchange: dict[str, str] = {}  # lower-case name -> name
    dcs: dict[str, str] = {}
    fqdn_of: dict[str, str] = {}
    for fact in facts:
        kind = fact["type"]
        if kind == "exchange_server" or kind == "domain_controller":
            (exchange if kind == "exchange_server" else dcs)[fact["name"].lower()] = fact["name"]
            if fact.get("fqdn"):
                fqdn_of[fact["name"].lower()] = fact["fqdn"].lower()
    found: dict[str, set[str]] = {c: set() for c in CAUSES}
    readings: dict[str, list[tuple[float, str]]] = {}  # DC -> (offset, Exchange server)
    measured: set[frozenset[str]] = set()
    for fact in facts:
        kind = fact["type"]
        if kind == "clock_offset":
            host, reference = fact["host"], fact["reference"]
            measured.add(frozenset((host.lower(), reference.lower())))
            if host.lower() in exchange and reference.lower() in dcs:
                readings.setdefault(reference.lower(), []).append((fact["offset_s"], host))
                if abs(fact["offset_s"]) > SKEW_S:
                    found["time_sync"].add(_pair(host, reference))
        elif kind == "spn_listing":
            account = fact["account"].split(",", 1)[0].removeprefix("CN=").lower()
            if account in exchange:
                spns = {s.lower() for s in fact["spns"]}
                fqdn = fqdn_of.get(account, account)
                if f"smtpsvc/{fqdn}" not in spns or f"smtpsvc/{account}" not in spns:
                    found["spn_missing"].add(exchange[account])
        elif kind == "spn_duplicate":
            if fact["spn"].lower().startswith("smtpsvc/"):
                found["spn_duplicate"].add(fact["spn"])
        elif kind == "port_state":
            # 464 alone (kpasswd) is below the diagnosis threshold: password changes fail, not
            # authentication
            if fact["port"] == 88 and fact["state"] != "open":
                found["kerberos_ports_blocked"].add(
                    f"{fact['source']} -> {fact['target']} {fact['port']}/{fact['protocol']}"
                )
        elif kind == "receive_connector":
            name = fact["name"]
            default = name.startswith("Default ") and not name.startswith("Default Frontend")
            if default and "ExchangeServer" not in fact["auth_mechanisms"]:
                found["connector_auth"].add(f"{fact['server']}\\{name}")
        elif kind == "replication_link" and fact["last_result"] != 0:
            context = fact["naming_context"]
            found["ad_replication"].add(f"{fact['source']} -> {fact['destination']} ({context})")
    for offsets in readings.values():
        offsets.sort()
        for i, (low, first) in enumerate(offsets):
            for high, second in offsets[i + 1 :]:
                pair = frozenset((first.lower(), second.lower()))
                if high - low > SKEW_S and pair not in measured:
                    found["time_sync"].add(_pair(first, second))
    return {cause: sorted(subjects) for cause, subjects in found.items() if subjects}


CAUSES = (
    "time_sync",
    "spn_missing",
    "spn_duplicate",
    "kerberos_ports_blocked",
    "connector_auth",
    "ad_replication",
)


def _pair(a: str, b: str) -> str:
    return " / ".join(sorted((a, b), key=str.lower))


def main(argv: list[str]) -> int:
    with open(argv[0], encoding="utf-8") as handle:
        data = json.load(handle)
    json.dump(diagnose(data), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
