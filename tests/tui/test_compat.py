"""The private Textual APIs kbdoctor uses (tui/compat.py) still exist and still work on the
installed Textual: an upgrade that changes them fails here, by name."""

from __future__ import annotations

import pytest
from kbdoctor.tui.compat import (
    PALETTE_PRIVATE_NAMES,
    PRIVATE_NAMES,
    LocalisedCommandPalette,
    class_bindings,
    replace_bindings,
)
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.command import CommandList, CommandPalette
from textual.dom import DOMNode
from textual.widget import Widget


class Keyed(Widget, can_focus=True):
    BINDINGS = [Binding("x", "noop", "tui.key.quit")]


@pytest.mark.parametrize("name", PRIVATE_NAMES)
def test_each_private_name_is_still_an_attribute_of_textuals_dom_nodes(name: str) -> None:
    node = DOMNode()
    assert hasattr(type(node), name) or hasattr(node, name)


def test_a_class_gives_its_merged_bindings() -> None:
    merged = class_bindings(Keyed)
    assert merged is not None
    assert [b.description for _key, b in merged if b.key == "x"] == ["tui.key.quit"]


async def test_replaced_bindings_are_the_ones_the_app_answers_to_and_shows() -> None:
    class Host(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.pressed: list[str] = []

        def compose(self) -> ComposeResult:
            yield Keyed()

        def action_record(self) -> None:
            self.pressed.append("x")

    app = Host()
    async with app.run_test() as pilot:
        widget = app.query_one(Keyed)
        renamed = Binding("x", "app.record", "Quit, in another language")
        replace_bindings(widget, BindingsMap.from_keys({"x": [renamed]}))
        widget.focus()
        await pilot.pause()
        shown = [
            b.binding.description for b in app.active_bindings.values() if b.binding.key == "x"
        ]
        assert shown == ["Quit, in another language"]
        await pilot.press("x")
        assert app.pressed == ["x"]


@pytest.mark.parametrize("name", PALETTE_PRIVATE_NAMES)
def test_each_private_name_of_the_command_palette_still_exists(name: str) -> None:
    assert hasattr(CommandPalette, name)


async def test_the_no_matches_line_is_replaced_by_the_words_given() -> None:
    class Host(App[None]):
        def action_command_palette(self) -> None:
            self.push_screen(LocalisedCommandPalette(placeholder="Szukaj", no_matches="Brak"))

    app = Host()
    async with app.run_test() as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("q", "q", "q", "z")
        await pilot.pause(0.8)
        options = app.screen.query_one(CommandList)
        assert "Brak" in str(options.get_option_at_index(0).prompt.renderable)  # type: ignore[union-attr]
