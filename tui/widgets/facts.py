"""Every loaded fact in a table, with a filter line: ``type:clock host:ex01 skew is:edited``.

What-if changes are marked in the first column (✎ edited, ⊘ disabled) so the table always shows
what the diagnosis is looking at. Opening, editing and disabling are requests to the application,
which owns the session.
"""

from __future__ import annotations

from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.messages import FactIntent, FactRequested
from kbdoctor.tui.state import Entry, FactQuery, Session, fact_summary, source_text
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

MARKS = {
    "loaded": Text(" "),
    "edited": Text("✎", style="bold magenta"),
    "disabled": Text("⊘", style="bold red"),
}


def row_cells(entry: Entry) -> tuple[Text, ...]:
    fact = entry.fact
    style = "strike bright_black" if entry.status == "disabled" else ""
    return (
        MARKS[entry.status],
        Text(fact.type, style=style or "cyan"),
        Text(fact_summary(fact), style=style or ("magenta" if entry.status == "edited" else "")),
        Text(source_text(fact.provenance) or entry.origin, style="bright_black"),
    )


class FactBrowser(Vertical):
    """The filter line, the table, and how many facts the filter keeps."""

    BINDINGS = [
        Binding("slash", "focus_filter", "tui.key.filter"),
        Binding("e", "request('edit')", "tui.key.edit"),
        Binding("d", "request('toggle')", "tui.key.toggle"),
        Binding("R", "request('revert')", "tui.key.revert", show=False),
    ]
    COLUMNS = ("mark", "type", "summary", "source")
    SUMMARY_WIDTH = 44

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._session: Session | None = None
        self._lang: Lang = "en"
        self._shown = 0

    def compose(self) -> ComposeResult:
        yield Input(id="fact-filter")
        yield DataTable(id="fact-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="fact-count")

    def relabel(self, lang: Lang) -> None:
        self._lang = lang
        self.query_one("#fact-filter", Input).placeholder = t("tui.facts.filter", lang)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for column in self.COLUMNS:
            label = "" if column == "mark" else t(f"tui.facts.column.{column}", lang)
            width = self.SUMMARY_WIDTH if column == "summary" else None
            table.add_column(label, key=column, width=width)
        if self._session is not None:
            self.show(self._session, lang)

    def show(self, session: Session, lang: Lang) -> None:
        """Rebuild the rows (after loading, filtering or a language change)."""
        self._session = session
        self._lang = lang
        table = self.query_one(DataTable)
        if not table.columns:
            self.relabel(lang)
            return
        cursor = self.selected_key()
        query = FactQuery.parse(self.query_one("#fact-filter", Input).value)
        table.clear()
        shown = 0
        for entry in session.entries():
            if query.matches(entry):
                table.add_row(*row_cells(entry), key=str(entry.key))
                shown += 1
        self._shown = shown
        if cursor is not None and str(cursor) in table.rows:
            table.move_cursor(row=table.get_row_index(str(cursor)))
        self._count(len(session))

    def update_entry(self, entry: Entry) -> None:
        """Redraw the row of one fact after a what-if change (cheaper than a rebuild)."""
        table = self.query_one(DataTable)
        key = str(entry.key)
        if key not in table.rows:
            return
        for column, cell in zip(self.COLUMNS, row_cells(entry), strict=True):
            table.update_cell(key, column, cell)

    def _count(self, total: int) -> None:
        self.query_one("#fact-count", Static).update(
            Text(
                t("tui.facts.count", self._lang, shown=self._shown, total=total),
                style="bright_black",
            )
        )

    def selected_key(self) -> int | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(row_key.value) if row_key.value is not None else None

    @on(Input.Changed, "#fact-filter")
    def _filter_changed(self) -> None:
        if self._session is not None:
            self.show(self._session, self._lang)

    @on(Input.Submitted, "#fact-filter")
    def _filter_submitted(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(FactRequested(int(event.row_key.value), "open"))

    def action_focus_filter(self) -> None:
        self.query_one("#fact-filter", Input).focus()

    def action_request(self, intent: FactIntent) -> None:
        key = self.selected_key()
        if key is not None:
            self.post_message(FactRequested(key, intent))
