"""A simulated forest for bench_live: the live runner's network layer replaced by probes that
sleep for a given latency and answer as a healthy directory would, so that thousands of probes
cost no network and the figures show the scheduling alone: does the wall time follow the
slowest probe, or the number of probes?

What is replaced: name resolution, every port probe, the SNTP query, the rootDSE read and the
four LDAP readings (DCs, Exchange's configuration, the servers' computer accounts and SPNs,
replication). Everything else (the probe pool, the waiting, the chaining from the configuration
to the servers it lists, turning answers into facts) is the real runner.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from kbdoctor.collectors.live import dns_srv, ldap_dir, ports, runner, sntp
from kbdoctor.collectors.live.model import LiveOptions, ProbeResult, Secret
from kbdoctor.engine.facts import ExchangeServer


class Latency:
    """Each probe's delay: uniform between ``low`` and ``high`` seconds, and exactly ``high``
    for one probe in ``slow_every`` (the slowest answer of the forest)."""

    def __init__(self, low: float, high: float, seed: int = 7, slow_every: int = 50) -> None:
        self.low, self.high, self.slow_every = low, high, slow_every
        self._random = random.Random(seed)
        self._count = 0

    def wait(self) -> None:
        self._count += 1
        delay = (
            self.high
            if self._count % self.slow_every == 0
            else self._random.uniform(self.low, self.high)
        )
        time.sleep(delay)


@contextlib.contextmanager
def simulated(latency: Latency, servers: int) -> Iterator[None]:
    """The runner's network layer replaced for the duration."""

    def root(target: dns_srv.Target, opts: LiveOptions) -> ldap_dir.RootDse:
        latency.wait()
        return ldap_dir.RootDse(
            dns_host_name=target.name, default_nc="DC=sim,DC=test",
            config_nc="CN=Configuration,DC=sim,DC=test", root_nc="DC=sim,DC=test",
            current_time=datetime.now(UTC), offset_s=0.0, observed_at=datetime.now(UTC),
            transport="ldaps",
        )  # fmt: skip

    def config(target: dns_srv.Target, root_dse: Any, opts: LiveOptions, local: str) -> Any:
        latency.wait()
        part = runner._ConfigPart(target=target, root=root_dse)
        part.servers = [
            ldap_dir.ExchangeConfigServer(
                f"EX{i:03d}", f"ex{i:03d}.sim.test", "Site", "Version 15.2", f"CN=EX{i:03d}"
            )
            for i in range(1, servers + 1)
        ]
        return part

    def accounts(
        target: dns_srv.Target, root_dse: Any, opts: LiveOptions, local: str, names: list[str]
    ) -> ProbeResult:
        latency.wait()  # one search for every computer account
        latency.wait()  # one Global Catalog search for every SPN
        return ProbeResult(facts=[ExchangeServer(name=n, account=f"{n}$") for n in names])

    def quiet(*_args: Any) -> ProbeResult:
        latency.wait()
        return ProbeResult()

    def port(*_args: Any) -> tuple[str, None]:
        latency.wait()
        return "open", None

    def clock(*_args: Any) -> sntp.SntpReading:
        latency.wait()
        return sntp.SntpReading(offset_s=0.001, delay_s=0.001, stratum=3)

    replaced: list[tuple[Any, str, Any]] = [
        (dns_srv, "resolve", lambda name, *_a: dns_srv.Target(name=name, address="192.0.2.1")),
        (ports, "probe_tcp", port),
        (ports, "probe_udp", port),
        (sntp, "query", clock),
        (runner, "_root_dse", root),
        (runner, "_dc_listing", quiet),
        (runner, "_exchange_config", config),
        (runner, "_exchange_servers", accounts),
        (runner, "_replication", quiet),
    ]
    saved = [(module, name, getattr(module, name)) for module, name, _ in replaced]
    try:
        for module, name, fake in replaced:
            setattr(module, name, fake)
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


def forest(dcs: int, servers: int, low: float, high: float) -> tuple[float, int]:
    """One simulated collection: its wall time and how many probes it ran."""
    counted: list[int] = [0]

    def count(_done: int, started: int) -> None:
        counted[0] = max(counted[0], started)

    opts = LiveOptions(
        domain="sim.test", dcs=tuple(f"dc{i:02d}.sim.test" for i in range(1, dcs + 1)),
        user="admin", password=Secret("unused"), timeout=high * 2, local_host="EX001",
    )  # fmt: skip
    with simulated(Latency(low, high), servers):
        outcome = runner.collect(opts, on_count=count)
    return outcome.seconds, counted[0]
