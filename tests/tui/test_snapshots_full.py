"""What the "in full" dialogs and the note marks look like at the smallest supported terminal, in
both languages: the reasoning of a cause in full (``v``), every what-if change (``W``), and a
cause with a note. Regenerate with ``pytest tests/tui --snapshot-update`` after a deliberate
change, and review the SVG diff."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, tzinfo
from typing import Any

import pytest
from kbdoctor.tui import case_desk, session
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.screens.note import NoteScreen
from textual.pilot import Pilot
from textual.widgets import TextArea

from .conftest import settle

MakeApp = Callable[..., KbdoctorApp]
SIZE = (80, 24)


class NoteClock(datetime):
    """The clock a note is stamped with, fixed so the screen is the same every day."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> NoteClock:
        return cls(2026, 3, 14, 9, 12, tzinfo=UTC)


def after(*keys: str, note: str | None = None) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        if note is not None:
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(pilot.app.screen, NoteScreen)
            pilot.app.screen.query_one("#note-text", TextArea).text = note
            await pilot.press("ctrl+s")
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("lang", ["en", "pl"])
class TestInFull:
    def test_reasoning_in_full(self, snap_compare: Any, make_app: MakeApp, lang: str) -> None:
        app = make_app(lang=lang)
        assert snap_compare(app, terminal_size=SIZE, run_before=after("w", "v"))

    def test_whatif_in_full(
        self, snap_compare: Any, make_app: MakeApp, lang: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("USER", "anna")  # who made each change, and when, are shown
        monkeypatch.setattr(session, "_now", NoteClock.now)
        keys = ("2", "d", "down", "d", "down", "down", "d", "down", "d", "W")
        assert snap_compare(make_app(lang=lang), terminal_size=SIZE, run_before=after(*keys))

    def test_a_noted_cause(
        self, snap_compare: Any, make_app: MakeApp, lang: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("USER", "anna")
        monkeypatch.setattr(case_desk, "datetime", NoteClock)
        run = after(note="customer restarted w32time on DC01 at 10:05")
        assert snap_compare(make_app(lang=lang), terminal_size=SIZE, run_before=run)
