"""The timeline: every time the facts carry (events, last syncs, replication results, when a
fact was observed), newest first, each with its fact and source (:mod:`kbdoctor.tui.timeline`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.tui.fact_text import fact_summary
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.session import Session
from kbdoctor.tui.timeline import Moment, moments
from kbdoctor.tui.widgets.view_dialog import ViewDialog
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from kbdoctor.tui.app import KbdoctorApp


def timeline_body(found: list[Moment], lang: Lang) -> RenderableType:
    """One row a time: when (in UTC, or marked as a machine's clock with no zone), which time
    it is, the fact, its source."""
    intro = Text(t("tui.timeline.intro", lang, count=len(found)), style="bright_black")
    if not found:
        return Group(intro, Text(t("tui.timeline.none", lang), style="italic bright_black"))
    table = Table(box=None, pad_edge=False, expand=True, show_edge=False)
    table.add_column(t("tui.timeline.column.when", lang), no_wrap=True, style="bold")
    table.add_column(t("tui.timeline.column.what", lang), style="cyan", overflow="fold")
    table.add_column(t("tui.timeline.column.fact", lang), overflow="fold", ratio=3)
    table.add_column(
        t("tui.timeline.column.source", lang), style="bright_black", overflow="fold", ratio=1
    )
    for moment in found:
        fact = moment.entry.fact
        when = moment.at.strftime("%Y-%m-%d %H:%M:%S")
        zone = "UTC" if moment.zoned else t("tui.timeline.local", lang)
        table.add_row(
            f"{when} {zone}",
            f"{fact.type}.{moment.what}",
            fact_summary(fact),
            moment.source,
        )
    return Group(intro, table)


def timeline_screen(session: Session, lang: Lang) -> ViewDialog:
    return ViewDialog(
        t("tui.timeline.title", lang), timeline_body(moments(session.entries()), lang)
    )


def open_timeline(app: KbdoctorApp) -> None:
    app.open_dialog(timeline_screen(app.session, app.lang))
