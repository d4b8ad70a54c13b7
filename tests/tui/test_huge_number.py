"""A fact file holding an integer of 5,000 digits: the TUI hung on "Loading rules and facts…"
(a ValueError in its loading worker); it now says where the number is, in its language, and
keeps what was loaded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.screens.pick_path import PickPathScreen
from textual.widgets import Input

from .conftest import settle

SIZE = (120, 40)


async def test_a_huge_integer_is_refused_where_it_is(
    make_app: Callable[..., KbdoctorApp], tmp_path: Path
) -> None:
    huge = tmp_path / "huge.json"
    huge.write_text(
        '{"kbdoctor": "facts/1", "facts": [{"type": "clock_offset", "host": "EX01", '
        f'"reference": "DC01", "offset_s": {"1" * 5000}}}]}}\n',
        encoding="utf-8",
    )
    app = make_app(lang="pl")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        loaded = len(app.session)
        await pilot.press("o")
        assert isinstance(app.screen, PickPathScreen)
        app.screen.query_one("#pick-path", Input).value = str(huge)
        await pilot.press("ctrl+o")
        await pilot.press("a")  # add to the case: it already has a source
        await app.workers.wait_for_complete()
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any(
            "huge.json:1:109: liczba o 5000 cyfrach wykracza poza zakres" in m for m in messages
        ), messages
        assert len(app.session) == loaded
