"""The key footer: the keys the focused part of the screen offers, in one line drawn by one widget.

Textual's footer is a widget per key, rebuilt whenever the screen says its bindings may have
changed: at every focus change, and several times while the application starts. Mounting and
styling a dozen widgets was a good part of the first paint and of moving the focus between panes.
This footer draws the same line (each key, then what it does, in the theme's footer colours, and
the command palette's key on the right) as text, draws it again only when what it shows changed,
and a click on a key presses that key, as in Textual's footer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class Key(NamedTuple):
    key: str  # what a click presses
    display: str  # how the key is written
    description: str
    enabled: bool
    action: str = ""


# Keys that stay on a narrow screen, in every language: how to get help, switch the language
# and leave (the palette's key is kept on the right too). Others give way from the right.
ESSENTIAL_ACTIONS = frozenset({"help", "switch_language", "quit"})


class Shown(NamedTuple):
    keys: tuple[Key, ...]
    palette: Key | None


class KeyFooter(Widget):
    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description"}

    def __init__(self) -> None:
        super().__init__()
        self._shown = Shown((), None)
        self._spans: list[tuple[int, int, Key]] = []  # where each key was drawn

    @property
    def keys(self) -> tuple[Key, ...]:
        """The keys shown, left to right (the command palette's key apart)."""
        return self._shown.keys

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen:
            return
        shown = self._would_show()
        if shown != self._shown:
            self._shown = shown
            self.refresh()

    def _would_show(self) -> Shown:
        """One key per action (the first of the keys bound to it), as Textual's footer does."""
        app = self.app
        active = self.screen.active_bindings
        actions: set[str] = set()
        keys = []
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                keys.append(
                    Key(
                        binding.key,
                        app.get_key_display(binding),
                        binding.description,
                        enabled,
                        binding.action,
                    )
                )
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = Key(binding.key, app.get_key_display(binding), binding.description, enabled)
        return Shown(tuple(keys), palette)

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")

        def part(key: Key) -> Text:
            text = Text.assemble((key.display, key_style))
            if key.description:
                text.append(" " + key.description, description_style)
            if not key.enabled:
                text.stylize("dim")
            return text

        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, Key]] = []
        palette = self._shown.palette
        reserve = cell_len(part(palette).plain) + 2 if palette is not None else 0
        for key in self.fitting(self._shown.keys, part, self.size.width - reserve):
            if spans:
                line.append(" ")
            start = line.cell_len
            line.append_text(part(key))
            spans.append((start, line.cell_len, key))
        if palette is not None:
            text = part(palette)
            room = self.size.width - line.cell_len - cell_len(text.plain) - 2
            if room >= 1:
                line.append(" " * room + "▏", "dim")
                spans.append((line.cell_len, line.cell_len + text.cell_len, palette))
                line.append_text(text)
        self._spans = spans
        return line

    @staticmethod
    def fitting(keys: Sequence[Key], part: Callable[[Key], Text], width: int) -> list[Key]:
        """The keys that fit in ``width`` cells: when not all do, the last keys that are not
        essential (``ESSENTIAL_ACTIONS``) give way first, so that help, language and quit stay
        in a narrow terminal whatever the length of the other descriptions."""
        kept = list(keys)

        def length() -> int:
            return sum(part(key).cell_len for key in kept) + max(len(kept) - 1, 0)

        while kept and length() > width:
            droppable = [i for i, key in enumerate(kept) if key.action not in ESSENTIAL_ACTIONS]
            if not droppable:
                break
            del kept[droppable[-1]]
        return kept

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                if key.enabled:
                    self.app.simulate_key(key.key)
                else:
                    self.app.bell()
                return
