"""Asked when a file is opened or outputs are imported while the case already has sources:
does the new material join this case, or start a new one? Merging another organisation's facts
into a case silently mixed two incidents in one diagnosis."""

from __future__ import annotations

from typing import ClassVar

from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.widgets.footer import KeyFooter
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class AddOrReplaceScreen(ModalScreen[str | None]):
    """Returns ``add``, ``replace``, or None (cancelled: nothing is read)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "choose('')", "tui.key.cancel"),
        Binding("a", "choose('add')", "tui.key.source_add"),
        Binding("r", "choose('replace')", "tui.key.source_replace"),
    ]

    def __init__(self, sources: list[str], lang: Lang) -> None:
        super().__init__()
        self.sources = sources
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("tui.add_or_replace.title", lang)
            yield Static(Text(t("tui.add_or_replace.question", lang)))
            yield Static(Text("\n".join(f"  {s}" for s in self.sources), style="cyan"))
            with Horizontal(classes="buttons"):
                yield Button(t("tui.add_or_replace.add", lang), id="add", variant="primary")
                yield Button(t("tui.add_or_replace.replace", lang), id="replace")
                yield Button(t("tui.edit.cancel", lang), id="cancel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#add", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id if event.button.id != "cancel" else "")

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice or None)
