"""What the copy, note and quit dialogs look like, at 80x24 and 120x40, in English and Polish.
Regenerate with ``pytest tests/tui --snapshot-update`` after a deliberate change."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.screens.copied import CopiedScreen
from textual.pilot import Pilot

from .conftest import settle

MakeApp = Callable[..., KbdoctorApp]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGS = ["en", "pl"]


def after(*keys: str, until: type | None = None) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        for _ in range(200):
            await pilot.pause(0.02)
            if until is None or isinstance(pilot.app.screen, until):
                break
        await pilot.pause()

    return run_before


@pytest.fixture
def no_clipboard(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No clipboard tool and no display: the copy goes out as OSC 52, and says so."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
class TestCaseDialogs:
    def test_copied(
        self,
        snap_compare: Any,
        make_app: MakeApp,
        no_clipboard: None,
        lang: str,
        size: tuple[int, int],
    ) -> None:
        run = after("f", "C", until=CopiedScreen)
        assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=run)

    def test_note(
        self, snap_compare: Any, make_app: MakeApp, lang: str, size: tuple[int, int]
    ) -> None:
        run = after("n", *"NTP ok")
        assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=run)

    def test_quit_with_unsaved_changes(
        self, snap_compare: Any, make_app: MakeApp, lang: str, size: tuple[int, int]
    ) -> None:
        run = after("2", "d", "q")
        assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=run)
