"""Cancelling an evaluation from the TUI (issue 10, item 3): escape (or the command palette)
stops a slow evaluation, which runs off the UI thread; the application answers keys meanwhile,
says in the user's language that the diagnosis is from the cancelled run, and ctrl+q quits at
once even while an evaluation runs without a time budget."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from kbdoctor.engine.evaluate import Abandoned
from kbdoctor.tui.app import KbdoctorApp
from textual.pilot import Pilot

from tests.hostile.slow_pack import write_slow_pack

from .conftest import screen_text, settle

SIZE = (120, 40)
# How long a test waits before it calls a cancel lost: far more than a cancel takes (about 1 s
# on an idle development machine) on a machine that is busy. Speed is not asserted here (the
# benchmarks measure it); that the run was cut short, not finished, is.
_WHOLE_RUN = 300.0
MakeApp = Callable[..., KbdoctorApp]


async def _until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 60) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the condition did not come true in time"
        await pilot.pause(0.02)


def _slow_app(make_app: MakeApp, folder: Path, lang: str = "en") -> KbdoctorApp:
    rules, facts = write_slow_pack(folder)
    return make_app(str(facts), rules=[str(rules)], budget=None, lang=lang)


def _watch_evaluations(app: KbdoctorApp) -> tuple[threading.Event, threading.Event, list[Any]]:
    """The real diagnoser's evaluate, wrapped to say when one starts and ends and what it
    returned (a worker cancelled before it ran never evaluates)."""
    started, ended = threading.Event(), threading.Event()
    reports: list[Any] = []
    evaluate = app.diagnoser.evaluate

    def watched(*args: Any, **kwargs: Any) -> Any:
        started.set()
        try:
            report = evaluate(*args, **kwargs)
        except Abandoned as abandoned:  # the application quit: no report is built
            reports.append(abandoned)
            raise
        finally:
            ended.set()
        reports.append(report)
        return report

    app.diagnoser.evaluate = watched  # type: ignore[method-assign]
    return started, ended, reports


async def _evaluation_running(pilot: Pilot[None], started: threading.Event) -> None:
    await _until(pilot, started.is_set)
    await pilot.pause(0.3)  # inside the engine by now


@pytest.mark.parametrize(
    ("lang", "notice", "status"),
    [
        ("en", "Evaluation cancelled: the diagnosis shown is from the cancelled run",
         "diagnosis partial: evaluation cancelled"),
        ("pl", "Ocenę przerwano: pokazana diagnoza pochodzi z przerwanego przebiegu",
         "diagnoza częściowa: ocenę przerwano"),
    ],
)  # fmt: skip
async def test_escape_cancels_a_slow_evaluation_and_says_so(
    make_app: MakeApp, tmp_path: Path, lang: str, notice: str, status: str
) -> None:
    app = _slow_app(make_app, tmp_path, lang)
    started, _, _ = _watch_evaluations(app)
    async with app.run_test(size=SIZE) as pilot:
        await _evaluation_running(pilot, started)
        await pilot.press("2")  # the facts tab is built while the evaluation runs
        await _until(pilot, lambda: bool(app.main.query("#fact-table")), timeout=_WHOLE_RUN)
        assert app.evaluating(), "the evaluation ended before the test could cancel it"
        assert app.report is None
        await pilot.press("escape")
        await settle(pilot, timeout=_WHOLE_RUN)
        assert app.report is not None
        assert app.report.budget is not None
        assert app.report.budget.reason == "cancelled"
        assert app.report.budget.unfinished_rules  # stopped part-way, not a finished run relabelled
        assert not app.report.explained  # no WHY-NOT run is started for a cancelled diagnosis
        assert any(notice in n.message for n in app._notifications)
        await pilot.press("1")
        await pilot.pause()
        assert status in screen_text(app)
        assert not app.evaluating()


async def test_the_command_palette_offers_the_cancel_only_while_an_evaluation_runs(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = _slow_app(make_app, tmp_path)
    started, _, _ = _watch_evaluations(app)
    async with app.run_test(size=SIZE) as pilot:
        await _evaluation_running(pilot, started)
        commands = {str(c.title): c for c in app.get_system_commands(app.screen)}
        assert "Cancel the evaluation" in commands
        commands["Cancel the evaluation"].callback()  # what choosing it in the palette runs
        await settle(pilot)
        assert app.report is not None
        assert app.report.budget is not None
        assert app.report.budget.reason == "cancelled"
        titles = [str(c.title) for c in app.get_system_commands(app.screen)]
        assert "Cancel the evaluation" not in titles


async def test_a_new_evaluation_cancels_the_stale_one(make_app: MakeApp, tmp_path: Path) -> None:
    app = _slow_app(make_app, tmp_path)
    started, ended, reports = _watch_evaluations(app)
    async with app.run_test(size=SIZE) as pilot:
        await _evaluation_running(pilot, started)
        app.evaluate()  # what a what-if edit or a language switch does
        await _until(pilot, ended.is_set, timeout=_WHOLE_RUN)
        assert reports[0].budget is not None
        assert reports[0].budget.reason == "cancelled"
        assert reports[0].budget.unfinished_rules
        app.action_cancel_evaluation()  # the new one is slow too; not to be waited for here
        await settle(pilot)


@pytest.mark.parametrize("key", ["ctrl+q", "ctrl+c"])
async def test_quitting_is_at_once_during_a_slow_evaluation(
    make_app: MakeApp, tmp_path: Path, key: str
) -> None:
    app = _slow_app(make_app, tmp_path)
    started, ended, reports = _watch_evaluations(app)
    async with app.run_test(size=SIZE) as pilot:
        await _evaluation_running(pilot, started)
        await pilot.press(key)
        await _until(pilot, lambda: not app.is_running, timeout=_WHOLE_RUN)
    # the evaluation's thread stops too (the interpreter waits for it before exiting), cut
    # short, and without building the report of a cancelled run that nobody will read (on a
    # large case that took seconds after the screen was gone)
    assert await asyncio.to_thread(ended.wait, _WHOLE_RUN)
    assert len(reports) == 1
    assert isinstance(reports[0], Abandoned)


async def test_an_evaluation_cancelled_before_it_ran_says_no_diagnosis_is_available(
    make_app: MakeApp,
) -> None:
    """The diagnosis on screen is of the facts before the change the cancelled evaluation was
    to assess: it is taken away, not left to pass for the current one."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.evaluate()  # what a what-if edit does; its worker has not run yet
        app.action_cancel_evaluation()
        await _until(pilot, lambda: not app.evaluating())
        await pilot.pause()
        assert app.report is None
        assert "Evaluation cancelled before it started: no diagnosis is available" in screen_text(
            app
        )
