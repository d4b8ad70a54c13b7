"""One fact with all its fields, where it came from, and (after a what-if edit) what it was."""

from __future__ import annotations

from kbdoctor.engine.facts import fact_fields
from kbdoctor.engine.presentation import format_value
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.messages import FactIntent, FactRequested
from kbdoctor.tui.notes import note_line, notes_of
from kbdoctor.tui.session import Entry
from kbdoctor.tui.widgets.footer import KeyFooter
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def detail_table(entry: Entry, lang: Lang) -> Table:
    fact, loaded = entry.fact, entry.loaded
    table = Table(box=None, show_header=entry.status == "edited", pad_edge=False, expand=True)
    table.add_column(t("tui.detail.field", lang), style="bold cyan", no_wrap=True)
    table.add_column(t("tui.detail.value", lang), overflow="fold")
    if entry.status == "edited":
        table.add_column(t("tui.detail.loaded", lang), style="bright_black", overflow="fold")
    names = ("type", *fact_fields(fact.type), "observed_at")
    for name in names:
        value, before = getattr(fact, name), getattr(loaded, name)
        shown = Text("—", style="bright_black") if value is None else Text(format_value(value))
        if entry.status == "edited" and value != before:
            shown.stylize("bold magenta")
            table.add_row(name, shown, "—" if before is None else format_value(before))
        elif entry.status == "edited":
            table.add_row(name, shown, "")
        else:
            table.add_row(name, shown)
    source = fact.provenance.model_dump(exclude_none=True) if fact.provenance else {}
    for key, value in source.items():
        table.add_row(Text(f"source.{key}", style="bright_black"), Text(str(value)))
    table.add_row(Text(t("tui.detail.origin", lang), style="bright_black"), Text(entry.origin))
    return table


class FactDetailScreen(ModalScreen[None]):
    """Read one fact; e edits it, d disables or enables it, R reverts a what-if change."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "tui.key.close"),
        Binding("e", "request('edit')", "tui.key.edit"),
        Binding("d", "request('toggle')", "tui.key.toggle"),
        Binding("R", "request('revert')", "tui.key.revert"),
        Binding("h", "app.server", "tui.key.server"),  # the machine the fact is about
    ]

    def __init__(self, entry: Entry, lang: Lang) -> None:
        super().__init__()
        self.entry = entry
        self.lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog") as dialog:
            status = t(f"tui.entry.{self.entry.status}", self.lang)
            dialog.border_title = f"{self.entry.fact.type} · {status}"
            yield Static(detail_table(self.entry, self.lang), id="detail")
            note = notes_of(self.app).fact(self.entry.key)
            if note is not None:  # the engineer's note on this fact, in full
                yield Static(note_line(note, self.lang), id="detail-note")
        yield KeyFooter()

    def action_request(self, intent: FactIntent) -> None:
        key = self.entry.key
        self.dismiss()
        self.app.post_message(FactRequested(key, intent))
