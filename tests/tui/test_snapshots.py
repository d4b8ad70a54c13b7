"""What the main screens look like, at the smallest supported terminal and at a common large one,
in both languages. Regenerate with ``pytest tests/tui --snapshot-update`` after a deliberate
change of the screens (or of the rules or texts they show), and review the SVG diff."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from kbdoctor.tui.app import KbdoctorApp
from textual.pilot import Pilot

from .conftest import settle

MakeApp = Callable[..., KbdoctorApp]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGS = ["en", "pl"]


def after(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
class TestMainScreens:
    def test_diagnosis(
        self, snap_compare: Any, make_app: MakeApp, lang: str, size: tuple[int, int]
    ) -> None:
        assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=after())

    def test_fix(
        self, snap_compare: Any, make_app: MakeApp, lang: str, size: tuple[int, int]
    ) -> None:
        assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=after("f"))

    def test_facts(
        self, snap_compare: Any, make_app: MakeApp, lang: str, size: tuple[int, int]
    ) -> None:
        assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=after("2"))

    def test_rules(
        self, snap_compare: Any, make_app: MakeApp, lang: str, size: tuple[int, int]
    ) -> None:
        assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=after("3"))


@pytest.mark.parametrize("size", SIZES)
class TestWhatIf:
    def test_a_disabled_fact_is_marked(
        self, snap_compare: Any, make_app: MakeApp, size: tuple[int, int]
    ) -> None:
        keys = ("2", "slash", *"type:clock", "enter", "d", "1")
        assert snap_compare(make_app(), terminal_size=size, run_before=after(*keys))
