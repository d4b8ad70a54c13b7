"""Every loaded fact in a table, with a filter line: ``type:clock host:ex01 skew is:edited``.

What-if changes are marked in the first column (✎ edited, ⊘ disabled) so the table always shows
what the diagnosis is looking at. Opening, editing and disabling are requests to the application,
which owns the session. The table draws only the rows on screen (``LineTable``), so filtering a
thousand-server organisation keystroke by keystroke stays immediate.
"""

from __future__ import annotations

from kbdoctor.engine.presentation import source_text
from kbdoctor.tui.fact_query import FactQuery, SearchColumns
from kbdoctor.tui.fact_text import fact_summary
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.messages import FactIntent, FactRequested
from kbdoctor.tui.notes import note_tag, notes_of
from kbdoctor.tui.session import Entry, Session
from kbdoctor.tui.widgets.line_table import Column, LineTable
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

MARKS = {
    "loaded": Text(" "),
    "edited": Text("✎", style="bold magenta"),
    "disabled": Text("⊘", style="bold red"),
}


def row_cells(entry: Entry, tag: Text | None = None) -> tuple[Text, ...]:
    """The cells of a fact's row; ``tag`` (a note's marker) starts its summary, where the
    column's edge does not cut it off. Enter shows every field, the source and the note."""
    fact = entry.fact
    style = "strike bright_black" if entry.status == "disabled" else ""
    edited = "magenta" if entry.status == "edited" else ""
    summary = Text(fact_summary(fact), style=style or edited)
    return (
        MARKS[entry.status],
        Text(fact.type, style=style or "cyan"),
        Text.assemble(tag, " ", summary) if tag is not None else summary,
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
    SUMMARY_WIDTH = 44
    TYPE_WIDTH_MAX = 20

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._session: Session | None = None
        self._lang: Lang = "en"
        self._shown = 0
        self._indexed: tuple[int, int] | None = None  # (session, generation) already indexed
        self._columns_for: tuple[int, int, Lang] | None = None  # what the columns were made for
        # the last filter applied, to narrow: the columns it looked at, its query, what it kept
        self._kept: tuple[SearchColumns, FactQuery, list[int]] | None = None
        # what the rows were last drawn from: the session, and (generation, changes, lang, noted)
        self._cells_of: tuple[Session, tuple[object, ...]] | None = None

    def compose(self) -> ComposeResult:
        yield Input(id="fact-filter")
        yield LineTable(id="fact-table")
        yield Static(id="fact-count")

    @property
    def table(self) -> LineTable:
        return self.query_one("#fact-table", LineTable)

    def relabel(self, lang: Lang) -> None:
        self._lang = lang
        self.query_one("#fact-filter", Input).placeholder = t("tui.facts.filter", lang)
        if self._session is not None:
            self.show(self._session, lang)
        else:
            self.table.set_columns(self._columns(set()))

    def _columns(self, types: set[str]) -> list[Column]:
        lang = self._lang
        type_width = min(max((len(name) for name in types), default=4), self.TYPE_WIDTH_MAX)
        return [
            Column("", 1, min_width=1),
            Column(t("tui.facts.column.type", lang), type_width, min_width=6),
            Column(t("tui.facts.column.summary", lang), self.SUMMARY_WIDTH, min_width=16),
            Column(t("tui.facts.column.source", lang), None, min_width=8),
        ]

    def show(self, session: Session, lang: Lang) -> None:
        """Show the facts the filter keeps (after loading, filtering or a language change)."""
        self._session = session
        self._lang = lang
        table = self.table
        if self._columns_for != (id(session), session.generation, lang):
            # Only loading (the fact types) or the language changes the columns; a filter
            # keystroke does not.
            self._columns_for = (id(session), session.generation, lang)
            table.set_columns(self._columns({entry.fact.type for entry in session.entries()}))
        keys = self._filtered(session)
        self._shown = len(keys)
        notes, tag = notes_of(self.app), note_tag(lang)
        # A row's cells are made of its entry (loaded facts, what-if changes), whether its fact
        # has a note, and the language of the note's tag: when none of these changed (a filter
        # keystroke), a row drawn before is drawn again from memory.
        noted = frozenset(ident for about, ident in notes.notes if about == "fact")
        drawn_from = (session.generation, session.changes, lang, noted)
        before = self._cells_of
        same_cells = before is not None and before[0] is session and before[1] == drawn_from
        self._cells_of = (session, drawn_from)
        table.set_rows(
            keys,
            lambda key: row_cells(session.entry(key), tag if notes.fact(key) else None),
            keep=table.cursor_key,
            same_cells=same_cells,
        )
        self._count(len(session))
        if self._indexed != (id(session), session.generation):
            self._indexed = (id(session), session.generation)
            self._index(session)

    def _filtered(self, session: Session) -> list[int]:
        """The keys of the facts the filter keeps. When the session is as it was at the last
        filter (the same columns) and the query only narrows that one (a letter typed at the
        end of a word), only the facts kept then are looked at: the same keys in the same
        order, found among fewer."""
        query = FactQuery.parse(self.query_one("#fact-filter", Input).value)
        if query == FactQuery():
            # Every fact: no search text needed, so opening the tab does not wait for what
            # the index worker is working out.
            self._kept = None
            return session.keys()
        columns = session.search_columns()
        kept = self._kept
        among = None
        if kept is not None and kept[0] is columns and query.narrows(kept[1]):
            among = kept[2]
        rows = query.select(columns, among)
        self._kept = (columns, query, rows)
        keys = columns.keys
        return [keys[i] for i in rows]

    @work(thread=True, exclusive=True, group="fact-index", description="index facts")
    def _index(self, session: Session) -> None:
        """Work out what the filter searches for every fact before the first keystroke needs
        it (about half a second for the 14,000 facts of a 1,000-server organisation). The
        session only ever adds finished texts to its memo and labels the columns with the
        state they were made for, so a keystroke meanwhile at worst works one out twice."""
        session.search_columns()

    def update_entry(self, entry: Entry) -> None:
        """Redraw the row of one fact after a what-if change (cheaper than a rebuild)."""
        self.table.refresh_row(entry.key)

    def _count(self, total: int) -> None:
        self.query_one("#fact-count", Static).update(
            Text(
                t("tui.facts.count", self._lang, shown=self._shown, total=total),
                style="bright_black",
            ),
            layout=False,  # always one line high
        )

    def selected_key(self) -> int | None:
        return self.table.cursor_key

    @on(Input.Changed, "#fact-filter")
    def _filter_changed(self) -> None:
        if self._session is not None:
            self.show(self._session, self._lang)

    @on(Input.Submitted, "#fact-filter")
    def _filter_submitted(self) -> None:
        self.table.focus()

    @on(LineTable.Chosen, "#fact-table")
    def _row_chosen(self, event: LineTable.Chosen) -> None:
        event.stop()
        self.post_message(FactRequested(event.key, "open"))

    def action_focus_filter(self) -> None:
        self.query_one("#fact-filter", Input).focus()

    def action_request(self, intent: FactIntent) -> None:
        key = self.selected_key()
        if key is not None:
            self.post_message(FactRequested(key, intent))
