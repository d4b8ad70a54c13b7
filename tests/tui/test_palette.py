"""Everything is reachable: every key of the application and its panes has a command in the
palette, the palette speaks the language shown (Textual's own words included), and the footer
keeps help, language, quit and the palette in a narrow terminal."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.compat import class_bindings
from kbdoctor.tui.i18n import t
from kbdoctor.tui.keys import KEY_PREFIX
from kbdoctor.tui.palette import command_title
from kbdoctor.tui.screens.fact_detail import FactDetailScreen
from kbdoctor.tui.screens.main import MainScreen
from kbdoctor.tui.widgets.diagnosis import DiagnosisPane
from kbdoctor.tui.widgets.facts import FactBrowser
from textual.command import CommandInput, CommandList, CommandPalette
from textual.dom import DOMNode
from textual.pilot import Pilot

from .conftest import screen_text, settle

MakeApp = Callable[..., KbdoctorApp]
SIZE = (120, 40)


def keyed_actions(node_class: type[DOMNode]) -> list[tuple[str, object]]:
    """(action, binding) of every binding a person is told about."""
    merged = class_bindings(node_class)
    assert merged is not None
    return [
        (b.action, b)
        for _key, b in merged
        if b.description.startswith(KEY_PREFIX) and b.action != "command_palette"
    ]


def titles(app: KbdoctorApp, screen: object) -> list[str]:
    return [c.title for c in app.get_system_commands(screen)]  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["en", "pl"])
async def test_every_key_of_the_application_and_its_panes_has_a_palette_command(
    make_app: MakeApp, lang: str
) -> None:
    app = make_app(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        offered = titles(app, app.main)
        assert len(offered) == len(set(offered)), "a command offered twice"
        checked = 0
        for node_class in (type(app), MainScreen, DiagnosisPane, FactBrowser):
            for action, binding in keyed_actions(node_class):
                if action in ("cancel_evaluation", "stop_collection"):
                    continue  # offered only while an evaluation or a collection runs
                title = command_title(binding, app.lang)  # type: ignore[arg-type]
                assert title in offered, f"{node_class.__name__}: {action} ({title})"
                checked += 1
        assert checked >= 20
        for action in ("copy", "copy_all", "zoom", "filter", "why", "fix", "toggle", "edit"):
            assert t(f"tui.command.{action}", app.lang) in offered


async def test_a_dialogs_keys_are_its_palette_commands(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FactDetailScreen)
        offered = titles(app, app.screen)
        for _action, binding in keyed_actions(FactDetailScreen):
            assert command_title(binding, "en") in offered  # type: ignore[arg-type]


async def _palette(pilot: Pilot[None], typed: str) -> CommandPalette:
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.press(*typed)
    await pilot.pause(0.8)  # past the palette's countdowns
    return palette


async def test_zoom_is_run_from_the_palette(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _palette(pilot, "zoom the pane")
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.main.maximized is not None


async def test_copy_is_run_from_the_palette_on_the_diagnosis_tab(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")  # on the facts tab: copy brings the diagnosis back first
        await _palette(pilot, "copy all commands")
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.02)
            if type(app.screen).__name__ == "CopiedScreen":
                break
        assert type(app.screen).__name__ == "CopiedScreen"


async def test_the_palette_speaks_polish_including_textuals_own_words(make_app: MakeApp) -> None:
    app = make_app(lang="pl")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        palette = await _palette(pilot, "qqqzzz")
        assert palette.query_one(CommandInput).placeholder == "Szukaj poleceń…"
        shown = palette.query_one(CommandList)
        assert shown.option_count == 1
        assert "Nic nie znaleziono" in str(shown.get_option_at_index(0).prompt.renderable)  # type: ignore[union-attr]
        assert "No matches" not in screen_text(app)


@pytest.mark.parametrize("lang", ["en", "pl"])
async def test_the_footer_at_80x24_keeps_help_language_quit_and_palette(
    make_app: MakeApp, lang: str
) -> None:
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        for key in ("tui.key.help", "tui.key.quit", "tui.key.palette_short"):
            assert t(key, app.lang) in footer, footer
        assert "l " in footer  # the language key (its description names the other language)
        assert "f1" in footer
        assert "^p" in footer
