"""The server view: everything the case holds about one Exchange server or DC, and the causes
whose subjects name it (:mod:`kbdoctor.tui.server_facts` finds them).

Opened with h: from a highlighted cause (its subject's machine), from a fact (the machine it is
about), else from a list of the case's machines (also the palette's "Show server...").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.engine.presentation import source_text
from kbdoctor.engine.report import Report
from kbdoctor.tui.fact_text import fact_summary
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.server_facts import (
    Server,
    registry,
    server_causes,
    server_entries,
    servers,
)
from kbdoctor.tui.session import Entry, Session
from kbdoctor.tui.widgets.causes import STATUS_STYLE
from kbdoctor.tui.widgets.view_dialog import ViewDialog
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from kbdoctor.tui.app import KbdoctorApp

ENTRY_STYLE = {"loaded": "", "edited": "bold magenta", "disabled": "strike bright_black"}


def facts_table(entries: list[Entry], lang: Lang) -> Table:
    """One row per fact: its type, every field, where it came from (wrapped, never cut)."""
    table = Table(box=None, pad_edge=False, expand=True, show_edge=False)
    table.add_column(t("tui.server.column.type", lang), style="cyan", no_wrap=True)
    table.add_column(t("tui.server.column.fact", lang), overflow="fold", ratio=3)
    table.add_column(
        t("tui.server.column.source", lang), style="bright_black", ratio=1, overflow="fold"
    )
    for entry in entries:
        summary = Text(fact_summary(entry.fact), style=ENTRY_STYLE[entry.status])
        if entry.status != "loaded":
            summary.append(f" ({t(f'tui.entry.{entry.status}', lang)})", style="italic")
        table.add_row(entry.fact.type, summary, source_text(entry.fact.provenance))
    return table


def server_body(
    server: Server, session: Session, report: Report | None, lang: Lang
) -> RenderableType:
    """The machine's role, its facts, then the causes that concern it (or why none show)."""
    entries = session.entries()
    about = server_entries(entries, server.key)
    parts: list[RenderableType] = [
        Text(t(f"tui.server.role.{server.role}", lang), style="bold"),
        Text(t("tui.server.facts", lang, count=len(about)), style="bold"),
    ]
    if about:
        parts.append(facts_table(about, lang))
    else:
        parts.append(Text(t("tui.server.no_facts", lang), style="italic bright_black"))
    parts.append(Text(""))
    parts.append(Text(t("tui.server.causes", lang), style="bold"))
    if report is None:
        parts.append(Text(t("tui.server.no_report", lang), style="italic bright_black"))
        return Group(*parts)
    names = registry(session.effective_facts())
    causes = server_causes(report, server.key, names)
    if not causes:
        parts.append(Text(t("tui.server.no_causes", lang), style="italic bright_black"))
    for cause in causes:
        line = Text()
        line.append(t(f"tui.status.{cause.status}", lang), style=STATUS_STYLE[cause.status])
        line.append(f" {cause.confidence:.2f} ", style="bold")
        line.append(cause.title)
        subjects = ", ".join(s.subject for s in cause.subjects)
        line.append(f"  ({subjects})", style="bright_black")
        parts.append(line)
    return Group(*parts)


class ServerScreen(ViewDialog):
    """One machine of the case."""

    def __init__(self, server: Server, session: Session, report: Report | None, lang: Lang):
        super().__init__(
            t("tui.server.title", lang, server=server.label),
            server_body(server, session, report, lang),
        )
        self.server = server


def open_server(app: KbdoctorApp, key: str | None) -> None:
    """Show the machine ``key``, or (None, or a machine the case does not know) the list to pick
    one from; say so when the case names no machine at all."""
    known = servers(app.session.effective_facts())
    if not known:
        app.notify(t("tui.server.none", app.lang), markup=False)
        return
    chosen = next((s for s in known if s.key == key), None)
    if chosen is not None:
        app.open_dialog(ServerScreen(chosen, app.session, app.report, app.lang))
        return
    from kbdoctor.tui.screens.pick_server import PickServerScreen

    def picked(server: Server | None) -> None:
        if server is not None:
            app.open_dialog(ServerScreen(server, app.session, app.report, app.lang))

    app.open_dialog(PickServerScreen(known, app.lang), picked)
