"""Choose a file or folder: a directory tree to browse, and a path line to type or paste into.

Opening a fact file takes a file; importing command outputs takes a file or a whole folder (the
path line accepts either; the highlighted node fills it in). The path is only returned here; the
reading happens in a worker of the application.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from kbdoctor.engine.probe import probe
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.widgets.footer import KeyFooter
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Static

PickMode = Literal["facts", "import", "compare"]  # compare: a fact file or a saved case


class PickPathScreen(ModalScreen[str | None]):
    """Returns the chosen path, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "tui.key.cancel"),
        Binding("ctrl+o", "choose", "tui.key.choose"),
    ]

    def __init__(self, mode: PickMode, lang: Lang, start: str | None = None) -> None:
        super().__init__()
        self.mode = mode
        self.lang = lang
        self.start = Path(start or ".").resolve()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t(f"tui.pick.{self.mode}.title", self.lang)
            yield Static(Text(t(f"tui.pick.{self.mode}.hint", self.lang), style="bright_black"))
            yield DirectoryTree(self.start, id="pick-tree")
            yield Input(placeholder=t("tui.pick.path", self.lang), id="pick-path")
            yield Static(id="pick-error")
            with Horizontal(classes="buttons"):
                yield Button(t("tui.pick.choose", self.lang), id="choose", variant="primary")
                yield Button(t("tui.edit.cancel", self.lang), id="cancel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DirectoryTree).focus()

    @on(DirectoryTree.NodeHighlighted)
    def _highlighted(self, event: DirectoryTree.NodeHighlighted[object]) -> None:
        data = event.node.data
        path = getattr(data, "path", None)
        if path is not None:
            self.query_one("#pick-path", Input).value = str(path)

    @on(DirectoryTree.FileSelected)
    def _file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#pick-path", Input).value = str(event.path)
        self.action_choose()

    @on(Input.Submitted, "#pick-path")
    @on(Button.Pressed, "#choose")
    def action_choose(self) -> None:
        value = self.query_one("#pick-path", Input).value.strip()
        if not value:
            return
        path = Path(value).expanduser()
        if not path.is_absolute():
            path = self.start / path
        # a path that cannot be looked at is taken: reading it says why, naming it
        seen = probe(path)
        wrong = self.mode != "import" and seen.kind not in ("file", "unknown")
        if seen.kind == "missing" or wrong:
            self.query_one("#pick-error", Static).update(
                Text(
                    t(f"tui.pick.{self.mode}.missing", self.lang, path=str(path)), style="bold red"
                )
            )
            return
        self.dismiss(str(path))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
