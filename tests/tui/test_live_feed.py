"""A live collection's facts join the case as they arrive (issue 12): the diagnosis is made of the
first facts while the collection still runs, said provisional, and of all of them when it ends,
said final; a stopped collection keeps what arrived, marked incomplete; a burst of batches
during a diagnosis is followed by one diagnosis more, not one each. The runner is real, its
network faked (tests/collectors/live runs the real one): DC02's port 445 answers only when the
test releases it, so the collection is provably still running when the first facts are shown."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from kbdoctor.collectors.live import runner
from kbdoctor.collectors.live.model import LiveOptions
from kbdoctor.engine.facts import Fact, PortState
from kbdoctor.engine.report import Report
from kbdoctor.tui import live_collection
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.messages import LiveCollectionEnded, LiveFactsArrived
from kbdoctor.tui.sources import CaseSource
from kbdoctor.tui.widgets.live_state import LiveStateLine
from textual.pilot import Pilot

from ..collectors.live.fake_network import HANG_GUARD_S, Answers, install
from .conftest import settle

MakeApp = Callable[..., KbdoctorApp]
SIZE = (120, 40)
OPTS = LiveOptions(domain="corp.test", dcs=("dc01.corp.test", "dc02.corp.test"), timeout=60)
INCOMPLETE = "kbdoctor.live.incomplete"


@pytest.fixture
def release(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """DC01 and DC02 answer every probe at once (DC02's clock ten minutes behind DC01's), but
    DC02's TCP 445 waits for the event returned (then: closed)."""
    answers = Answers(
        ldap_offsets={"192.0.2.1": None, "192.0.2.2": None},
        sntp_offsets={"192.0.2.1": 0.0, "192.0.2.2": 600.0},
    )
    fake = install(monkeypatch, answers)
    yield fake.release
    fake.release.set()  # a probe abandoned by a stopped collection ends with the test


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    """Wait for ``condition`` (a hang guard, not a measure of speed)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + HANG_GUARD_S
    while not condition():
        assert loop.time() < deadline, f"never happened: {what}"
        await pilot.pause(0.02)


def live_source(app: KbdoctorApp) -> CaseSource | None:
    return next((s for s in app.session.sources() if s.kind == "live"), None)


def live_ports(app: KbdoctorApp) -> list[PortState]:
    return [
        f for f in app.session.effective_facts()
        if isinstance(f, PortState) and f.provenance is not None
        and f.provenance.collector == "live"
    ]  # fmt: skip


class Diagnosed:
    """The facts of each diagnosis the application asked for (the diagnoser's own calls)."""

    def __init__(self, app: KbdoctorApp) -> None:
        self.app = app
        self.calls: list[list[Fact]] = []
        evaluate = app.diagnoser.evaluate

        def recorded(facts: list[Fact], **options: Any) -> Report:
            self.calls.append(list(facts))
            return evaluate(facts, **options)

        app.diagnoser.evaluate = recorded  # type: ignore[method-assign]

    def shown_is_current(self) -> bool:
        """A diagnosis is on screen, none is under way, and the last one was of the facts in
        the case now (the same objects)."""
        app = self.app
        if app.report is None or app.evaluations.diagnosing() or not self.calls:
            return False
        return list(map(id, self.calls[-1])) == list(map(id, app.session.effective_facts()))


def record_status(app: KbdoctorApp) -> list[str]:
    said: list[str] = []
    status = app.main.status

    def say(text: Any) -> None:
        said.append(str(text))
        status(text)

    app.main.status = say  # type: ignore[method-assign]
    return said


def first_facts_diagnosed(app: KbdoctorApp, diagnosed: Diagnosed) -> bool:
    return any(p.target == "dc01.corp.test" for p in live_ports(app)) and (
        diagnosed.shown_is_current()
    )


async def test_the_diagnosis_follows_the_first_facts_before_the_collection_ends(
    make_app: MakeApp, release: threading.Event
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = record_status(app)
        diagnosed = Diagnosed(app)
        assert app.live.start(OPTS)
        await until(pilot, lambda: first_facts_diagnosed(app, diagnosed), "DC01 diagnosed")
        # the collection still runs: DC02's 445 waits for the release below
        assert app.live.running
        assert not release.is_set()
        assert not any(p.target == "dc02.corp.test" for p in live_ports(app))
        report = app.report
        assert report is not None
        assert "live corp.test" in report.inputs.files
        clocks = [f for f in app.session.effective_facts() if f.type == "clock_offset"]
        assert clocks  # DC02 against DC01, from the first batches
        assert "diagnosis provisional: collecting from corp.test" in said[-1]
        # and above the causes, where the engineer reads them
        assert banner(app) == "Diagnosis provisional: collecting from corp.test"
        source = live_source(app)
        assert source is not None
        assert source.environment[INCOMPLETE] == "collecting"  # a case saved now says so

        release.set()
        await until(pilot, lambda: not app.live.running, "the collection ended")
        await settle(pilot)
        slow = [p.state for p in live_ports(app) if (p.target, p.port) == ("dc02.corp.test", 445)]
        assert slow == ["closed"]
        assert diagnosed.shown_is_current()  # of every fact, the slow one's too
        assert [s.id for s in app.session.sources() if s.kind == "live"] == [source.id]
        ended = live_source(app)
        assert ended is not None
        assert ended.environment["kbdoctor.live.domain"] == "corp.test"
        assert INCOMPLETE not in ended.environment
        assert "diagnosis final: collection from corp.test complete" in said[-1]
        assert banner(app) is None  # a whole collection's diagnosis needs no sign


async def test_stopping_the_collection_keeps_what_arrived_marked_incomplete(
    make_app: MakeApp, release: threading.Event
) -> None:
    app = make_app(lang="pl")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = record_status(app)
        diagnosed = Diagnosed(app)
        assert app.live.start(OPTS)
        await until(pilot, lambda: first_facts_diagnosed(app, diagnosed), "DC01 diagnosed")
        kept = len(live_ports(app))
        await pilot.press("escape")  # stops the collection (not the evaluation)
        await until(pilot, lambda: not app.live.running, "the collection stopped")
        await settle(pilot)
        assert not release.is_set()  # stopped while DC02's 445 still waited
        source = live_source(app)
        assert source is not None
        assert source.environment[INCOMPLETE] == "cancelled"
        assert app.session.environment[INCOMPLETE] == "cancelled"  # the case says so
        assert len(live_ports(app)) == kept
        assert not any(p.target == "dc02.corp.test" for p in live_ports(app))
        assert diagnosed.shown_is_current()
        assert "diagnoza ostateczna dla zebranych faktów" in said[-1]
        assert "niepełne" in said[-1]
        shown = banner(app)
        assert shown is not None
        assert shown.startswith("Diagnoza ostateczna dla zebranych faktów")


def banner(app: KbdoctorApp) -> str | None:
    """The line above the causes, when it is shown (its first words)."""
    line = app.main.query_one("#live-state", LiveStateLine)
    if not line.display:
        return None
    return str(line.render()).split(",", 1)[0]


def port(number: int) -> Fact:
    return PortState(
        source="ws1", target="dc9.corp.test", port=number, protocol="tcp", state="open"
    )


async def test_a_burst_of_batches_during_a_diagnosis_starts_one_diagnosis_more(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thirty batches arrive while the first one's diagnosis is held: when it ends, one
    diagnosis of all thirty follows, then one more when the collection ends."""
    app = make_app()
    held, gate, finish = threading.Event(), threading.Event(), threading.Event()

    def burst(app: KbdoctorApp, run: int, opts: LiveOptions) -> None:
        app.post_message(LiveFactsArrived(run, [port(1)]))
        assert held.wait(HANG_GUARD_S)  # the first batch's diagnosis has begun
        for number in range(2, 31):
            app.post_message(LiveFactsArrived(run, [port(number)]))
        assert finish.wait(HANG_GUARD_S)
        app.post_message(LiveCollectionEnded(run, {"kbdoctor.live.domain": opts.domain}, []))

    monkeypatch.setattr(live_collection, "run_collection", burst)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        diagnosed = Diagnosed(app)
        evaluate = app.diagnoser.evaluate

        def held_once(facts: list[Fact], **options: Any) -> Report:
            if not held.is_set():
                held.set()
                assert gate.wait(HANG_GUARD_S)
            return evaluate(facts, **options)

        app.diagnoser.evaluate = held_once  # type: ignore[method-assign]
        starts: list[int] = []
        start = app.evaluations.start

        def counted() -> None:
            starts.append(len(app.session))
            start()

        app.evaluations.start = counted  # type: ignore[method-assign]
        before = len(app.session)
        assert app.live.start(OPTS)
        await until(pilot, lambda: len(app.session) == before + 30, "thirty batches in")
        assert starts == [before + 1]  # the first batch's, still held
        gate.set()
        await until(pilot, diagnosed.shown_is_current, "all thirty diagnosed")
        assert starts == [before + 1, before + 30]
        finish.set()
        await until(pilot, lambda: not app.live.running, "the collection ended")
        await settle(pilot)
        assert starts == [before + 1, before + 30, before + 30]  # the final one


async def test_a_failed_collection_keeps_what_arrived_marked_incomplete(
    make_app: MakeApp, release: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault of kbdoctor's own after the ports were probed (here: completing the Exchange
    servers raises) ends the collection; the clocks and ports heard before it stay."""

    def broken(*_args: Any) -> list[Fact]:
        raise RuntimeError("a bug of kbdoctor's own")

    monkeypatch.setattr(runner, "complete_servers", broken)
    release.set()
    app = make_app(lang="de")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = record_status(app)
        assert app.live.start(OPTS)
        await until(pilot, lambda: not app.live.running, "the collection ended")
        await settle(pilot)
        source = live_source(app)
        assert source is not None
        assert source.environment[INCOMPLETE] == "failed"
        assert "a bug of kbdoctor's own" in source.environment["kbdoctor.live.error.1"]
        assert {p.target for p in live_ports(app)} == {"dc01.corp.test", "dc02.corp.test"}
        assert "Diagnose endgültig für das Eingetroffene" in said[-1]
        assert "fehlgeschlagen" in said[-1]
