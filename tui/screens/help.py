"""Every key of the application by area, the fact filter syntax, and where things are."""

from __future__ import annotations

from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.widgets.footer import KeyFooter
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

Section = tuple[str, list[tuple[str, str]]]  # (title, [(key, description)])


def help_table(sections: list[Section], lang: Lang) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, expand=True)
    table.add_column(style="bold cyan", no_wrap=True, min_width=12)
    table.add_column(overflow="fold")
    for title, rows in sections:
        table.add_row(Text(title, style="bold underline"), "")
        for key, description in rows:
            table.add_row(key, description)
        table.add_row("", "")
    table.add_row(Text(t("tui.help.filter_title", lang), style="bold underline"), "")
    table.add_row("", t("tui.help.filter", lang))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "tui.key.close")]

    def __init__(self, sections: list[Section], lang: Lang) -> None:
        super().__init__()
        self.sections = sections
        self.lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog") as dialog:
            dialog.border_title = t("tui.help.title", self.lang)
            yield Static(Text(t("tui.help.intro", self.lang)))
            yield Static(help_table(self.sections, self.lang), id="help-keys")
        yield KeyFooter()
