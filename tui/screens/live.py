"""The form of a live collection: the options of ``kbdoctor collect --domain`` as fields.

The password is either the name of an environment variable holding it (as ``--password-env``)
or typed into a field that shows no characters; the form returns the runner's options, whose
password is a ``Secret``, and keeps nothing.
"""

from __future__ import annotations

from typing import ClassVar

from kbdoctor.collectors.live.model import LiveOptions
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.live_collection import LiveForm, live_options
from kbdoctor.tui.widgets.footer import KeyFooter
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

FIELDS = ("domain", "dcs", "exchange", "user", "password_env", "password", "timeout")


class LiveScreen(ModalScreen[LiveOptions | None]):
    """Returns the options to collect with, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "tui.key.cancel"),
        Binding("ctrl+o", "collect", "tui.key.live_start"),
    ]

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with VerticalScroll(id="dialog") as dialog:
            dialog.border_title = t("tui.live.title", lang)
            yield Static(Text(t("tui.live.intro", lang), style="bright_black"))
            for name in FIELDS:
                yield Label(t(f"tui.live.field.{name}", lang), classes="field-label")
                yield Input(
                    placeholder=t(f"tui.live.hint.{name}", lang),
                    password=name == "password",
                    id=f"live-{name}",
                )
            yield Checkbox(t("tui.live.field.insecure", lang), id="live-insecure")
            yield Static(id="live-error")
            with Horizontal(classes="buttons"):
                yield Button(t("tui.live.start", lang), id="collect", variant="primary")
                yield Button(t("tui.edit.cancel", lang), id="cancel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#live-domain", Input).focus()

    def form(self) -> LiveForm:
        values = {name: self.query_one(f"#live-{name}", Input).value for name in FIELDS}
        return LiveForm(**values, insecure=self.query_one("#live-insecure", Checkbox).value)

    @on(Button.Pressed, "#collect")
    @on(Input.Submitted)
    def action_collect(self) -> None:
        opts = live_options(self.form(), self.lang)
        if isinstance(opts, str):
            self.query_one("#live-error", Static).update(Text(opts, style="bold red"))
            return
        self.dismiss(opts)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
