"""What the views an engineer asks for look like (server, timeline, before/after, rule detail)
at the smallest supported terminal and a common large one, in both languages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from kbdoctor.tui.app import KbdoctorApp
from textual.pilot import Pilot
from textual.widgets import DataTable

from .conftest import settle
from .test_snapshots import LANGS, SIZES, after

MakeApp = Callable[..., KbdoctorApp]
LATER = "tests/data/tui/desk-later.yaml"


def rule_detail(rule: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        table = pilot.app.screen.query_one("#rules-table", DataTable)
        table.move_cursor(row=table.get_row_index(rule))
        await pilot.press("enter")
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
class TestViews:
    def test_server(
        self, snap_compare: Any, make_app: MakeApp, lang: str, size: tuple[int, int]
    ) -> None:
        assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=after("h"))

    def test_timeline(
        self, snap_compare: Any, make_app: MakeApp, lang: str, size: tuple[int, int]
    ) -> None:
        assert snap_compare(make_app(LATER, lang=lang), terminal_size=size, run_before=after("t"))

    def test_before_after(
        self, snap_compare: Any, make_app: MakeApp, lang: str, size: tuple[int, int]
    ) -> None:
        keys = ("2", "slash", *"type:clock", "enter", "d", "b")
        assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=after(*keys))

    def test_rule_detail(
        self, snap_compare: Any, make_app: MakeApp, lang: str, size: tuple[int, int]
    ) -> None:
        app = make_app(lang=lang)
        assert snap_compare(app, terminal_size=size, run_before=rule_detail("spn.duplicate-smtp"))
