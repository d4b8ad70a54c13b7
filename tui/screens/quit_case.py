"""Asked when the engineer quits with work not saved in a case (what-if changes, notes): save
the case, quit without saving, or stay. Leaving used to lose that work without a word."""

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


class QuitCaseScreen(ModalScreen[str | None]):
    """Returns ``save``, ``discard``, or None (cancelled: the application stays)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "choose('')", "tui.key.cancel"),
        Binding("s", "choose('save')", "tui.key.quit_save"),
        Binding("d", "choose('discard')", "tui.key.quit_discard"),
    ]

    def __init__(self, unsaved: str, lang: Lang) -> None:
        super().__init__()
        self.unsaved = unsaved
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("tui.quit.title", lang)
            yield Static(Text(t("tui.quit.question", lang, unsaved=self.unsaved)), id="quit-what")
            with Horizontal(classes="buttons"):
                yield Button(t("tui.quit.save", lang), id="save", variant="primary")
                yield Button(t("tui.quit.discard", lang), id="discard", variant="error")
                yield Button(t("tui.edit.cancel", lang), id="cancel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id if event.button.id != "cancel" else "")

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice or None)
