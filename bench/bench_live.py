"""Live collection: how long ``kbdoctor collect --domain`` takes.

Run from the repository root::

    .venv/bin/python bench/bench_live.py [--timeout 2] [--simulated-only]

Against a real directory (as root, with the test bed's Debian packages: ``samba samba-ad-dc
samba-ad-provision winbind krb5-user faketime ldb-tools chrony``), it provisions the test bed of
tests/collectors/live (one Samba AD DC with Exchange's receive-connector schema, chrony, in a
network namespace) and times, each in the namespace:

1. the DC and two Exchange servers (with their receive connectors);
2. the same plus one DC that does not answer (its packets vanish): it must add no more than one
   ``--timeout``.

Then, anywhere, a simulated forest (bench/live_simulated.py: the runner's network layer replaced
by probes that sleep): 1 DC and 2 servers against 50 DCs and 200 servers with the same
latencies, and the 50-DC forest again with every latency doubled. The wall time must follow the
slowest probe (times the longest chain of questions: rootDSE, configuration, accounts), not the
number of probes. Everything is torn down at the end.
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


def simulated_forest() -> None:
    from bench.live_simulated import forest

    print("simulated forest (probe latency uniform in [0.02, high] s, every 50th probe = high):")
    for dcs, servers, high in ((1, 2, 0.5), (50, 200, 0.5), (50, 200, 1.0)):
        seconds, probes = forest(dcs, servers, 0.02, high)
        print(
            f"  {dcs:>2} DC(s), {servers:>3} Exchange servers, slowest probe {high:.1f} s: "
            f"{probes:>4} probes in {seconds:.2f} s"
        )


def real_directory(timeout: float) -> int:
    reason = missing_requirements()
    if reason is not None:
        print(f"real directory skipped: {reason}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="kbdoctor-bench-live-") as folder:
        bed = Testbed(Path(folder), f"kbdlivebench{os.getpid() % 1000}")
        try:
            started = time.monotonic()
            bed.create_namespace()
            bed.add_black_hole("10.99.0.0/16")
            bed.provision()
            bed.add_exchange_schema()
            bed.start_samba()
            bed.start_chrony()
            for name in ("EX01", "EX02"):
                bed.add_computer(name, [f"SMTPSVC/{name.lower()}.{DOMAIN}"])
                bed.add_exchange_server(name)
                bed.add_receive_connector(name, f"Default {name}", 31, ["0.0.0.0:2525"])
            print(f"test bed ready in {time.monotonic() - started:.1f} s")
            print(f"timeout per probe: {timeout:g} s")
            cases = [
                ("1 DC, 2 Exchange servers", [DC_FQDN]),
                ("1 DC + 1 silent DC, 2 Exchange servers", [DC_FQDN, "10.99.0.2"]),
            ]
            seconds: list[float] = []
            for title, dcs in cases:
                figures = run(bed, dcs, ["EX01", "EX02"], timeout)
                seconds.append(figures["seconds"])
                print(
                    f"{title}: collection {figures['seconds']:.2f} s "
                    f"(process with start-up {figures['process']:.2f} s), "
                    f"{figures['facts']:.0f} facts, {figures['errors']:.0f} probe errors"
                )
            added = seconds[1] - seconds[0]
            verdict = "within" if added <= timeout else "MORE than"
            print(f"the silent DC added {added:.2f} s: {verdict} one timeout ({timeout:g} s)")
        finally:
            bed.destroy()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--simulated-only", action="store_true")
    options = parser.parse_args(argv)
    say_reference("before")
    status = 0 if options.simulated_only else real_directory(options.timeout)
    simulated_forest()
    say_reference("after")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
