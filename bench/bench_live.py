"""Live collection against a real directory: how long ``kbdoctor collect --domain`` takes.

Run from the repository root, as root, with the test bed's Debian packages installed
(``samba samba-ad-dc samba-ad-provision winbind krb5-user faketime ldb-tools chrony``)::

    .venv/bin/python bench/bench_live.py [--timeout 2] [--dead 49] [--servers 200]

It provisions the test bed of tests/collectors/live (one Samba AD DC and chrony in a network
namespace, about a minute), then times three collections, each in the namespace:

1. the DC and two Exchange servers;
2. the same plus one DC that does not answer (its packets vanish): it must add about one
   ``--timeout``, not one per probe;
3. a forest of ``--dead`` more silent DCs and ``--servers`` Exchange servers (two of them real):
   the time must follow the slowest probe, not the number of probes (13 per DC).

Silent DCs stand in for a large forest: each costs the same probes as a real one, and their
timeouts are the slowest answers there are. Everything is torn down at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.machine import say_reference  # noqa: E402
from tests.collectors.live.testbed import (  # noqa: E402
    ADMIN,
    ADMIN_PASSWORD,
    DC_FQDN,
    DOMAIN,
    Testbed,
    missing_requirements,
)

PROBE = """
import json, sys
from kbdoctor.collectors.live.model import LiveOptions, Secret
from kbdoctor.collectors.live.runner import collect
args = json.loads(sys.argv[1])
opts = LiveOptions(domain=args["domain"], dcs=tuple(args["dcs"]), exchange=tuple(args["exchange"]),
                   user=args["user"], password=Secret(args["password"]), ca_file=args["ca"],
                   timeout=args["timeout"], dns_server="127.0.0.11", local_host="EX01")
outcome = collect(opts)
print(json.dumps({"seconds": outcome.seconds, "facts": len(outcome.facts),
                  "errors": len(outcome.errors)}))
"""


def run(bed: Testbed, dcs: list[str], exchange: list[str], timeout: float) -> dict[str, float]:
    args = {
        "domain": DOMAIN,
        "dcs": dcs,
        "exchange": exchange,
        "user": ADMIN,
        "password": ADMIN_PASSWORD,
        "ca": str(bed.ca_file),
        "timeout": timeout,
    }
    started = time.monotonic()
    done = subprocess.run(
        ["ip", "netns", "exec", bed.ns, sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    figures: dict[str, float] = json.loads(done.stdout)
    figures["process"] = time.monotonic() - started
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--dead", type=int, default=49)
    parser.add_argument("--servers", type=int, default=200)
    options = parser.parse_args(argv)
    reason = missing_requirements()
    if reason is not None:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    say_reference("before")
    with tempfile.TemporaryDirectory(prefix="kbdoctor-bench-live-") as folder:
        bed = Testbed(Path(folder), f"kbdlivebench{os.getpid() % 1000}")
        try:
            started = time.monotonic()
            bed.create_namespace()
            bed.add_black_hole("10.99.0.0/16")
            bed.provision()
            bed.start_samba()
            bed.start_chrony()
            bed.add_computer("EX01", ["SMTPSVC/ex01", f"SMTPSVC/ex01.{DOMAIN}"])
            bed.add_computer("EX02", [])
            print(f"test bed ready in {time.monotonic() - started:.1f} s")
            dead = [f"10.99.{i // 250}.{i % 250 + 2}" for i in range(options.dead)]
            servers = ["EX01", "EX02"] + [f"EX{i:03d}" for i in range(3, options.servers + 1)]
            cases = [
                ("1 DC, 2 Exchange servers", [DC_FQDN], ["EX01", "EX02"]),
                ("1 DC + 1 silent DC, 2 Exchange servers", [DC_FQDN, dead[0]], ["EX01", "EX02"]),
                (
                    f"1 DC + {options.dead} silent DCs, {len(servers)} Exchange servers",
                    [DC_FQDN, *dead],
                    servers,
                ),
            ]
            print(f"timeout per probe: {options.timeout:g} s")
            for title, dcs, exchange in cases:
                figures = run(bed, dcs, exchange, options.timeout)
                print(
                    f"{title}: collection {figures['seconds']:.2f} s "
                    f"(process with start-up {figures['process']:.2f} s), "
                    f"{figures['facts']:.0f} facts, {figures['errors']:.0f} probe errors"
                )
        finally:
            bed.destroy()
    say_reference("after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
