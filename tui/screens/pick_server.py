"""The list of the case's machines to open one (the palette's "Show server...", or h where
nothing on screen names a machine): Exchange servers first, then DCs, then other hosts the
facts name, each with its role."""

from __future__ import annotations

from typing import ClassVar

from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.server_facts import Server
from kbdoctor.tui.widgets.footer import KeyFooter
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class PickServerScreen(ModalScreen[Server | None]):
    """Returns the machine chosen with Enter, or None (escape)."""

    DEFAULT_CSS = """
    PickServerScreen #server-list {
        height: auto;
        max-height: 20;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "cancel", "tui.key.close")]

    def __init__(self, known: list[Server], lang: Lang) -> None:
        super().__init__()
        self.known = known
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("tui.server.pick", self.lang)
            options = [
                Option(
                    Text.assemble(
                        (server.label, "bold"),
                        "  ",
                        (t(f"tui.server.role.{server.role}", self.lang), "bright_black"),
                    ),
                    id=server.key,
                )
                for server in self.known
            ]
            yield OptionList(*options, id="server-list")
        yield KeyFooter()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(next(s for s in self.known if s.key == event.option_id))

    def action_cancel(self) -> None:
        self.dismiss(None)
