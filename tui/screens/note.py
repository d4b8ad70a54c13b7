"""The engineer's note about one cause or one fact, kept in the case (what the customer said,
what was tried). An empty note removes it."""

from __future__ import annotations

from typing import ClassVar

from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.widgets.footer import KeyFooter
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea


class NoteScreen(ModalScreen[str | None]):
    """Returns the note's text (empty: remove it), or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "tui.key.cancel"),
        Binding("ctrl+s", "keep", "tui.key.note_keep"),
    ]

    def __init__(self, subject: str, text: str, lang: Lang) -> None:
        super().__init__()
        self.subject = subject
        self.text = text
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("tui.note.title", self.lang, subject=self.subject)
            yield Static(Text(t("tui.note.hint", self.lang), style="bright_black"))
            yield TextArea(self.text, soft_wrap=True, id="note-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#note-text", TextArea).focus()

    def action_keep(self) -> None:
        self.dismiss(self.query_one("#note-text", TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
