"""ctrl+c quits the application as ctrl+q does, in every language (Textual's own ctrl+c only
showed "Do you want to quit? Press ctrl+q", in English), and cancels an evaluation under way."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from kbdoctor.engine.evaluate import Abandoned
from kbdoctor.tui.app import KbdoctorApp

from .conftest import settle
from .test_cancel import (
    _WHOLE_RUN,
    SIZE,
    MakeApp,
    _evaluation_running,
    _slow_app,
    _until,
    _watch_evaluations,
)


@pytest.mark.parametrize("lang", ["en", "pl"])
async def test_ctrl_c_quits(make_app: MakeApp, lang: str) -> None:
    app: KbdoctorApp = make_app(lang=lang)
    notices: list[str] = []
    app.notify = lambda message, **_: notices.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await _until(pilot, lambda: not app.is_running)
    assert app.return_code == 0
    assert notices == []  # no "Do you want to quit?"


async def test_ctrl_c_quits_at_once_during_a_slow_evaluation_and_cancels_it(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = _slow_app(make_app, tmp_path)
    started, ended, reports = _watch_evaluations(app)
    async with app.run_test(size=SIZE) as pilot:
        await _evaluation_running(pilot, started)
        await pilot.press("ctrl+c")
        await _until(pilot, lambda: not app.is_running, timeout=_WHOLE_RUN)
    assert await asyncio.to_thread(ended.wait, _WHOLE_RUN)
    assert len(reports) == 1
    assert isinstance(reports[0], Abandoned)  # cut short, and no report built for nobody
