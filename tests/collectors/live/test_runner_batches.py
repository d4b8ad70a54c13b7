"""The runner hands its facts over as they become final (``collect(on_facts=...)``), so that the
TUI can diagnose a collection while its slow probes still wait: every fact of the result comes
exactly once, in a batch heard before the collection ends, and a collection cancelled from
another thread returns exactly what was handed over. The network is faked (as in
test_live_units.py): two DCs, the second one's port 445 answering only when the test says so."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from kbdoctor.collectors.live import dns_srv, ldap_dir, runner
from kbdoctor.collectors.live.model import LiveOptions, ProbeError, ProbeResult, Secret
from kbdoctor.collectors.live.runner import INCOMPLETE, collect
from kbdoctor.engine.facts import (
    ClockOffset,
    DomainController,
    ExchangeServer,
    Fact,
    PortState,
    SpnListing,
)
from kbdoctor.engine.facts import ProbeError as ProbeErrorFact

from .fake_network import HANG_GUARD_S, Answers, FakeNetwork, install


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeNetwork]:
    """DC01 (192.0.2.1, ten minutes fast) and DC02 (192.0.2.2): every port open but DC02's
    445, which answers (closed) once released, and 636, which is reset; the directory answers
    with one DC, one configured Exchange server and its computer account."""

    def listing(*_args: Any) -> ProbeResult:
        dc = DomainController(name="DC01", fqdn="dc01.corp.test", site="HQ", pdc=True)
        return ProbeResult(facts=[dc])

    def config(target: dns_srv.Target, root: ldap_dir.RootDse, *_args: Any) -> ProbeResult:
        server = ldap_dir.ExchangeConfigServer(
            name="EX01", fqdn="ex01.corp.test", site="HQ", version="Version 15.2",
            dn="CN=EX01,CN=Servers,CN=Configuration,DC=corp,DC=test",
        )  # fmt: skip
        return runner._ConfigPart(target=target, root=root, servers=[server])

    def servers(*_args: Any) -> ProbeResult:
        account = ExchangeServer(name="EX01", account="EX01$")  # completed by the configuration
        spns = SpnListing(account="EX01$", spns=["SMTPSVC/ex01.corp.test"])
        return ProbeResult(facts=[account, spns])

    def replication(target: dns_srv.Target, *_args: Any) -> ProbeResult:
        problem = ProbeError("ldap-replication", target.name, "no inbound links readable")
        return ProbeResult(errors=[problem])

    offsets: dict[str, float | None] = {"192.0.2.1": -600.0, "192.0.2.2": 0.0}
    answers = Answers(
        ldap_offsets=offsets,
        sntp_offsets={"192.0.2.1": -600.0, "192.0.2.2": 0.0},
        reset=frozenset({("192.0.2.2", 636)}),
        directory={
            "_dc_listing": listing,
            "_exchange_config": config,
            "_exchange_servers": servers,
            "_replication": replication,
        },
    )
    fake = install(monkeypatch, answers)
    yield fake
    fake.release.set()  # an abandoned probe ends with the test


OPTS = LiveOptions(
    domain="corp.test",
    dcs=("dc01.corp.test", "dc02.corp.test"),
    user="admin@corp.test",
    password=Secret("pw"),
    local_host="EX01",
    timeout=HANG_GUARD_S,
)


class Heard:
    """The batches ``on_facts`` was given, and on which thread."""

    def __init__(self) -> None:
        self.batches: list[list[Fact]] = []
        self.threads: set[str] = set()
        self.lock = threading.Lock()
        self.ports_of_dc01 = threading.Event()

    def __call__(self, facts: list[Fact]) -> None:
        with self.lock:
            self.batches.append(list(facts))
            self.threads.add(threading.current_thread().name)
        if any(isinstance(f, PortState) and f.target == "dc01.corp.test" for f in facts):
            self.ports_of_dc01.set()

    def facts(self) -> list[Fact]:
        with self.lock:
            return [fact for batch in self.batches for fact in batch]


def test_the_batches_together_are_exactly_the_facts_of_the_result(network: FakeNetwork) -> None:
    network.release.set()
    heard = Heard()
    outcome = collect(OPTS, on_facts=heard)
    delivered = heard.facts()
    assert len(heard.batches) > 3  # clocks, each DC's ports, directory reads, the rest
    assert all(heard.batches)  # no empty batch
    assert len({id(f) for f in delivered}) == len(delivered)  # none twice
    assert sorted(map(id, delivered)) == sorted(map(id, outcome.facts))  # none missing, same
    assert heard.threads == {threading.current_thread().name}  # the collecting thread
    kinds = {f.type for f in delivered}
    assert {"clock_offset", "port_state", "domain_controller", "spn_listing"} <= kinds
    errors = [f for f in delivered if isinstance(f, ProbeErrorFact)]
    assert {(f.probe, f.host) for f in errors} >= {
        ("port-tcp-636", "dc02.corp.test"),
        ("ldap-replication", "dc01.corp.test"),
    }
    assert len(errors) == len(outcome.errors)
    # an Exchange server is handed over once complete (its site from the configuration)
    (server,) = [f for f in delivered if isinstance(f, ExchangeServer)]
    assert (server.site, server.fqdn) == ("HQ", "ex01.corp.test")
    assert INCOMPLETE not in outcome.environment


def _collect_in_background(
    opts: LiveOptions, heard: Heard, cancel: threading.Event | None = None
) -> tuple[threading.Thread, list[runner.LiveResult]]:
    results: list[runner.LiveResult] = []
    thread = threading.Thread(
        target=lambda: results.append(collect(opts, on_facts=heard, cancel=cancel)), daemon=True
    )
    thread.start()
    return thread, results


def test_facts_are_heard_while_a_slow_probe_still_waits(network: FakeNetwork) -> None:
    heard = Heard()
    thread, results = _collect_in_background(OPTS, heard)
    assert heard.ports_of_dc01.wait(HANG_GUARD_S)
    assert network.slow_started.is_set()
    assert not network.release.is_set()
    early = heard.facts()
    assert thread.is_alive()  # the collection has not ended
    assert not results
    assert any(isinstance(f, ClockOffset) and f.reference == "dc01.corp.test" for f in early)
    assert not any(isinstance(f, PortState) and f.target == "dc02.corp.test" for f in early)
    network.release.set()
    thread.join(HANG_GUARD_S)
    (outcome,) = results
    assert sorted(map(id, heard.facts())) == sorted(map(id, outcome.facts))
    slow = ("dc02.corp.test", 445, "tcp")
    states = [
        f.state for f in outcome.facts
        if isinstance(f, PortState) and (f.target, f.port, f.protocol) == slow
    ]  # fmt: skip
    assert states == ["closed"]


def test_a_cancelled_collection_returns_what_was_heard_marked_cancelled(
    network: FakeNetwork,
) -> None:
    heard = Heard()
    cancel = threading.Event()
    thread, results = _collect_in_background(OPTS, heard, cancel)
    assert heard.ports_of_dc01.wait(HANG_GUARD_S)
    cancel.set()
    thread.join(HANG_GUARD_S)
    assert not thread.is_alive()  # returned with the slow probe still waiting
    assert not network.release.is_set()
    (outcome,) = results
    assert outcome.interrupted
    assert outcome.environment[INCOMPLETE] == "cancelled"
    assert sorted(map(id, heard.facts())) == sorted(map(id, outcome.facts))
    gathered = outcome.facts
    assert not any(isinstance(f, PortState) and f.target == "dc02.corp.test" for f in gathered)
    heard_at_return = len(heard.batches)
    network.release.set()  # the abandoned collection goes on, but says nothing more
    for abandoned in [t for t in threading.enumerate() if t.name == "kbdoctor-live-collect"]:
        abandoned.join(HANG_GUARD_S)
    assert len(heard.batches) == heard_at_return
