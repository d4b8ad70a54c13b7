"""Two DCs on a faked network, for the tests of a collection as it arrives (the runner's batches,
the TUI's live feed): every probe answers at once but DC02's TCP 445, which waits until the test
releases it (then: closed), so a test can look at a collection half done. What else the DCs
answer (their clocks, their directory) is each test's own."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from kbdoctor.collectors.live import dns_srv, ldap_dir, ports, runner, sntp
from kbdoctor.collectors.live.model import LiveOptions, ProbeResult

HANG_GUARD_S = 60.0  # far above any machine's pace: only a hang reaches it
ADDRESSES = {"dc01.corp.test": "192.0.2.1", "dc02.corp.test": "192.0.2.2"}
SLOW = ("192.0.2.2", 445)  # the probe that waits for the test
DIRECTORY_PARTS = ("_dc_listing", "_exchange_config", "_exchange_servers", "_replication")


@dataclass
class FakeNetwork:
    release: threading.Event = field(default_factory=threading.Event)
    slow_started: threading.Event = field(default_factory=threading.Event)


@dataclass
class Answers:
    """What the two DCs say: the clock offset of their RootDSE (None: not read) and of SNTP,
    the TCP ports that are reset, and the runner's directory parts replaced by fakes (those not
    given find nothing)."""

    ldap_offsets: dict[str, float | None]
    sntp_offsets: dict[str, float]
    reset: frozenset[tuple[str, int]] = frozenset()
    directory: dict[str, Callable[..., Any]] = field(default_factory=dict)


def install(monkeypatch: pytest.MonkeyPatch, answers: Answers) -> FakeNetwork:
    fake = FakeNetwork()

    def tcp(address: str, port: int, timeout: float) -> tuple[str, str | None]:
        if (address, port) == SLOW:
            fake.slow_started.set()
            assert fake.release.wait(HANG_GUARD_S), "the test never released the slow probe"
            return "closed", None
        if (address, port) in answers.reset:
            return "unknown", "connection reset"
        return "open", None

    def root(target: dns_srv.Target, opts: LiveOptions) -> ldap_dir.RootDse:
        assert target.address is not None
        return ldap_dir.RootDse(
            dns_host_name=target.name, default_nc="DC=corp,DC=test",
            config_nc="CN=Configuration,DC=corp,DC=test", root_nc="DC=corp,DC=test",
            current_time=datetime.now(UTC), offset_s=answers.ldap_offsets[target.address],
            observed_at=datetime.now(UTC), transport="ldaps",
        )  # fmt: skip

    def reading(address: str, _timeout: float) -> sntp.SntpReading:
        return sntp.SntpReading(offset_s=answers.sntp_offsets[address], delay_s=0.001, stratum=3)

    def quiet(*_args: Any) -> ProbeResult:
        return ProbeResult()

    monkeypatch.setattr(
        dns_srv, "resolve", lambda name, *_a: dns_srv.Target(name=name, address=ADDRESSES[name])
    )
    monkeypatch.setattr(ports, "probe_tcp", tcp)
    monkeypatch.setattr(ports, "probe_udp", lambda *_a: ("open", None))
    monkeypatch.setattr(sntp, "query", reading)
    monkeypatch.setattr(runner, "_root_dse", root)
    for name in DIRECTORY_PARTS:
        monkeypatch.setattr(runner, name, answers.directory.get(name, quiet))
    return fake
