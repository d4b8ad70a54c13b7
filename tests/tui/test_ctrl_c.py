"""ctrl+c quits the application as ctrl+q does, in every language (Textual's own ctrl+c only
showed "Do you want to quit? Press ctrl+q", in English); that either key cancels an evaluation
under way is tests/tui/test_cancel.py's."""

from __future__ import annotations

import pytest
from kbdoctor.tui.app import KbdoctorApp

from .conftest import settle
from .test_cancel import SIZE, MakeApp, _until


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
