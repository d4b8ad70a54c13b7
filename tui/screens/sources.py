"""The Sources screen: every fact file, import and live collection of the case, as objects.

An engineer must see which material the diagnosis stands on and act on each piece: a fact file
of the wrong organisation is removed, an import the customer sent again is read again, and an
import's report (readers, blocks, what was skipped and why) is opened from its source, not only
right after the import. The screen shows the session's sources and asks the application's
source desk (:mod:`kbdoctor.tui.source_desk`) to remove or reload one; both are undoable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.sources import CaseSource
from kbdoctor.tui.widgets.footer import KeyFooter
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

if TYPE_CHECKING:
    from kbdoctor.tui.session import Session

KIND_STYLE = {"file": "cyan", "demo": "bright_black", "import": "magenta", "live": "green"}


def read_at_text(source: CaseSource) -> str:
    """When it was read, in UTC (the time a customer's ticket and the fact files use)."""
    return source.read_at.strftime("%Y-%m-%d %H:%M:%S UTC")


def counts_text(source: CaseSource, lang: Lang) -> str:
    """``clock_offset 4 · spn_listing 2`` (no facts: said so)."""
    if not source.counts:
        return t("tui.sources.no_facts", lang)
    return " · ".join(f"{kind} {count}" for kind, count in source.counts)


def detail_text(source: CaseSource, lang: Lang) -> Text:
    """Everything about one source: what it holds, its files, its environment, its import
    report's totals, and what can be done with it."""
    text = Text()
    text.append(source.label, style="bold")
    text.append(f"  {t(f'tui.sources.kind.{source.kind}', lang)}\n", style=KIND_STYLE[source.kind])
    text.append(t("tui.sources.read_at", lang, when=read_at_text(source)) + "\n")
    text.append(t("tui.sources.holds", lang, facts=source.facts) + " ")
    text.append(counts_text(source, lang) + "\n")
    if source.files:
        text.append(t("tui.sources.files", lang, files=", ".join(source.files)) + "\n")
    for key, value in source.environment.items():
        text.append(f"{key}: ", style="bright_black")
        text.append(f"{value}\n")
    if source.report is not None:
        totals = source.report.totals.model_dump()
        text.append(t("tui.import_report.totals", lang, **totals) + "\n", style="magenta")
        text.append(t("tui.sources.report_hint", lang) + "\n", style="bright_black")
    if source.needs_password:
        text.append(password_text(source, lang), style="yellow")
    elif not source.reloadable:
        text.append(t("tui.sources.not_reloadable", lang), style="bright_black")
    return text


def password_text(source: CaseSource, lang: Lang) -> str:
    """Why a live collection reopened from a case cannot simply be read again: its password
    is never written anywhere, so it must be given again."""
    live = source.origin.live
    user = live.user if live is not None and live.user else "?"
    return t("tui.sources.needs_password", lang, user=user)


class SourcesScreen(ModalScreen[None]):
    """The sources in the case: a table (one row each) and the highlighted one in full."""

    DEFAULT_CSS = """
    SourcesScreen #dialog {
        height: 90%;
    }
    SourcesScreen #sources-table {
        height: auto;
        max-height: 50%;
    }
    SourcesScreen #source-detail-scroll {
        height: 1fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "tui.key.close"),
        Binding("delete,d", "remove", "tui.key.source_remove"),
        Binding("r", "reload", "tui.key.source_reload"),
        Binding("enter,I", "report", "tui.key.source_report"),
    ]

    def __init__(self, session: Session, lang: Lang) -> None:
        super().__init__()
        self.session = session
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("tui.sources.title", self.lang)
            yield DataTable(id="sources-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="source-detail-scroll"):
                yield Static(id="source-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_sources()
        self.query_one(DataTable).focus()

    def refresh_sources(self) -> None:
        """Show the session's sources again (after a removal, a reload, an undo)."""
        lang = self.lang
        table = self.query_one(DataTable)
        keep, row = self.selected(), table.cursor_row  # a reloaded source keeps its row
        table.clear(columns=True)
        for column in ("kind", "source", "facts", "read_at"):
            table.add_column(t(f"tui.sources.column.{column}", lang), key=column)
        sources = self.session.sources()
        for source in sources:
            table.add_row(
                Text(t(f"tui.sources.kind.{source.kind}", lang), style=KIND_STYLE[source.kind]),
                Text(source.label),
                Text(str(source.facts), justify="right"),
                Text(read_at_text(source), style="bright_black"),
                key=str(source.id),
            )
        if keep is not None and any(s.id == keep.id for s in sources):
            table.move_cursor(row=table.get_row_index(str(keep.id)))
        elif sources:
            table.move_cursor(row=min(row, len(sources) - 1))
        self._show_detail()

    def selected(self) -> CaseSource | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.session.source(int(key)) if key is not None else None

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        source = self.selected()
        detail = self.query_one("#source-detail", Static)
        if source is None:
            detail.update(Text(t("tui.sources.none", self.lang), style="bright_black"))
        else:
            detail.update(detail_text(source, self.lang))

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_report()

    def action_remove(self) -> None:
        from kbdoctor.tui.source_desk import remove_source

        source = self.selected()
        if source is not None:
            remove_source(self.app, source.id)  # type: ignore[arg-type]
            self.refresh_sources()

    def action_reload(self) -> None:
        from kbdoctor.tui.source_desk import reload_source

        source = self.selected()
        if source is not None:
            reload_source(self.app, source.id)  # type: ignore[arg-type]

    def action_report(self) -> None:
        source = self.selected()
        if source is None:
            return
        if source.report is None:
            self.notify(t("tui.sources.no_report", self.lang), markup=False)
            return
        from kbdoctor.tui.screens.import_report import ImportReportScreen

        self.app.push_screen(ImportReportScreen(source.report, self.lang, source.result))
