"""The command palette offers every key: commands made from the bindings of each pane.

The help screen says that whatever a key does can also be found in the command palette, and a
list written by hand drifts from the keys (copy, zoom, filter, why, fix and disable were
missing). So the palette's commands for the panes are made from their bindings: each binding
with a catalogue description (``tui.key.*``) becomes a command titled ``tui.command.<name>``
when the catalogue has one, else by its description, with its key in the help line; choosing it
shows the pane (switching tab if needed) and runs the binding's action there. On a dialog the
dialog's own bindings are offered.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kbdoctor.tui.compat import class_bindings
from kbdoctor.tui.i18n import Lang, catalogue, t
from kbdoctor.tui.keys import KEY_PREFIX, key_display
from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

if TYPE_CHECKING:
    from kbdoctor.tui.app import KbdoctorApp

Resolve = Callable[[], Awaitable[DOMNode | None]]

# Actions the palette never offers as a command: the palette itself.
NOT_COMMANDS = frozenset({"command_palette"})


@dataclass(frozen=True)
class Area:
    """A pane whose bindings become commands, and how to bring it on screen."""

    node_class: type[DOMNode]
    resolve: Resolve


def command_title(binding: Binding, lang: Lang) -> str:
    """The palette's title of a binding: its ``tui.command.*`` text, else its description."""
    name = binding.description.removeprefix(KEY_PREFIX)
    key = f"tui.command.{name}"
    if key in catalogue(lang):
        return t(key, lang)
    text = t(binding.description, lang)
    return text[:1].upper() + text[1:]


def command_help(binding: Binding, lang: Lang) -> str:
    name = binding.description.removeprefix(KEY_PREFIX)
    key = f"tui.command.{name}.help"
    shown = t("tui.command.key", lang, key=key_display(binding.key))
    if key in catalogue(lang):
        return f"{t(key, lang)} · {shown}"
    return shown


def documented_bindings(node_class: type[DOMNode]) -> Iterator[Binding]:
    """The bindings of a class that a person is told about (a ``tui.key.*`` description), one
    per action."""
    merged = class_bindings(node_class)
    seen: set[str] = set()
    for _key, binding in merged or ():
        if not binding.description.startswith(KEY_PREFIX):
            continue
        if binding.action in seen or binding.action in NOT_COMMANDS:
            continue
        seen.add(binding.action)
        yield binding


def main_areas(app: KbdoctorApp) -> list[Area]:
    """The panes of the main screen, each brought on screen before its action runs."""
    from kbdoctor.tui.screens.main import MainScreen
    from kbdoctor.tui.widgets.diagnosis import DiagnosisPane
    from kbdoctor.tui.widgets.facts import FactBrowser

    main = app.main

    async def the_screen() -> DOMNode:
        return main

    async def diagnosis() -> DOMNode | None:
        await main.action_tab("diagnosis")
        return main.query_one(DiagnosisPane)

    async def facts() -> DOMNode | None:
        await main.action_tab("facts")
        return main.query_one(FactBrowser)

    return [
        Area(type(app), _constant(app)),
        Area(MainScreen, the_screen),
        Area(DiagnosisPane, diagnosis),
        Area(FactBrowser, facts),
    ]


def _constant(node: DOMNode) -> Resolve:
    async def resolve() -> DOMNode:
        return node

    return resolve


def binding_commands(
    app: KbdoctorApp, screen: Screen[Any], lang: Lang, offered: set[str]
) -> Iterator[SystemCommand]:
    """A command for every documented binding of ``screen`` (the main screen: of each of its
    panes and of the application) whose title is not in ``offered`` yet."""
    areas = main_areas(app) if screen is app.main else [Area(type(screen), _constant(screen))]
    for area in areas:
        for binding in documented_bindings(area.node_class):
            if area.node_class is type(app) and not app.check_action(binding.action, ()):
                continue  # not available now (cancel with no evaluation running)
            title = command_title(binding, lang)
            if title in offered:
                continue
            offered.add(title)
            yield SystemCommand(
                title, command_help(binding, lang), _runner(app, area.resolve, binding.action)
            )


def _runner(app: KbdoctorApp, resolve: Resolve, action: str) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        node = await resolve()
        if node is not None:
            await app.run_action(action, node)

    return run
