"""Choose where (and in which format) to write: the what-if facts, or the current report.

Only the choice is made here; the application writes in a worker, atomically, so a failed write
never leaves half a file.
"""

from __future__ import annotations

from pathlib import Path

from kbdoctor.engine.probe import probe
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.widgets.footer import KeyFooter
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

Format = tuple[str, str]  # (format id, file suffix)


class SaveScreen(ModalScreen[tuple[str, str] | None]):
    """Returns (path, format id), or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "tui.key.cancel"),
        Binding("ctrl+s", "save", "tui.key.save"),
    ]

    def __init__(self, kind: str, formats: list[Format], default: str, lang: Lang) -> None:
        super().__init__()
        self.kind = kind
        self.formats = formats
        self.default = default
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t(f"tui.save.{self.kind}.title", self.lang)
            yield Static(Text(t(f"tui.save.{self.kind}.hint", self.lang), style="bright_black"))
            with RadioSet(id="save-format"):
                for index, (fmt, _suffix) in enumerate(self.formats):
                    yield RadioButton(t(f"tui.format.{fmt}", self.lang), value=index == 0, id=fmt)
            yield Input(self.default, id="save-path")
            yield Static(id="save-error")
            with Horizontal(classes="buttons"):
                yield Button(t("tui.save.save", self.lang), id="save", variant="primary")
                yield Button(t("tui.edit.cancel", self.lang), id="cancel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#save-path", Input).focus()

    def chosen_format(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.id if pressed is not None and pressed.id else self.formats[0][0]

    @on(RadioSet.Changed)
    def _format_changed(self) -> None:
        suffix = dict(self.formats)[self.chosen_format()]
        field = self.query_one("#save-path", Input)
        if field.value:
            field.value = str(Path(field.value).with_suffix(suffix))

    @on(Input.Submitted, "#save-path")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        value = self.query_one("#save-path", Input).value.strip()
        folder = Path(value).expanduser().parent
        # a folder that cannot be looked at is taken: the write says why, naming it
        if not value or probe(folder).kind not in ("folder", "unknown"):
            self.query_one("#save-error", Static).update(
                Text(t("tui.save.bad_folder", self.lang, path=str(folder)), style="bold red")
            )
            return
        self.dismiss((str(Path(value).expanduser()), self.chosen_format()))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
