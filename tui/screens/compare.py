"""Before and after: the case now against the case as loaded (before what-if edits), or against
another fact file. Which causes changed status or confidence, and the firings that differ
(:mod:`kbdoctor.tui.comparison`).

Both diagnoses are made by the application's diagnoser (the rules loaded now) in a worker, so the
screen opens at once and fills when they are ready; a fact file that does not load is said with
its file and line, and nothing is compared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.engine.errors import KbdoctorError
from kbdoctor.engine.report import Firing, Report
from kbdoctor.tui.comparison import CauseChange, compare
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.widgets.causes import STATUS_STYLE
from kbdoctor.tui.widgets.view_dialog import ViewDialog
from rich.console import Group, RenderableType
from rich.text import Text

if TYPE_CHECKING:
    from kbdoctor.tui.app import KbdoctorApp


def _firing(sign: str, firing: Firing, lang: Lang) -> Text:
    style = "red" if sign == "-" else "green"
    line = Text(f"   {sign} ", style=style)
    line.append(f"{firing.rule} ", style="cyan")
    line.append(f"{firing.contribution:+.2f} ", style="bold")
    line.append(firing.subject)
    return line


def change_text(change: CauseChange, lang: Lang) -> Text:
    text = Text(change.title, style="bold")
    text.append("\n   ")
    text.append(
        t(f"tui.status.{change.before_status}", lang), style=STATUS_STYLE[change.before_status]
    )
    text.append(f" {change.before:.2f} → ")
    text.append(
        t(f"tui.status.{change.after_status}", lang), style=STATUS_STYLE[change.after_status]
    )
    text.append(f" {change.after:.2f}")
    if change.gone:
        text.append("\n   " + t("tui.compare.gone", lang), style="bright_black")
        for firing in change.gone:
            text.append("\n").append(_firing("-", firing, lang))
    if change.came:
        text.append("\n   " + t("tui.compare.came", lang), style="bright_black")
        for firing in change.came:
            text.append("\n").append(_firing("+", firing, lang))
    return text


def compare_body(
    before: Report, after: Report, first: str, second: str, lang: Lang
) -> RenderableType:
    """What changed from ``first`` to ``second`` (how each is named), or that nothing did."""
    changes = compare(before, after)
    parts: list[RenderableType] = [
        Text(t("tui.compare.sides", lang, first=first, second=second), style="bright_black"),
        Text(t("tui.compare.count", lang, count=len(changes)), style="bold"),
    ]
    if not changes:
        parts.append(Text(t("tui.compare.same", lang), style="italic"))
    for change in changes:
        parts.append(Text(""))
        parts.append(change_text(change, lang))
    return Group(*parts)


def open_comparison(app: KbdoctorApp) -> None:
    """The case as loaded (first) against the case now, with its what-if edits (second)."""
    lang, session = app.lang, app.session
    if not app.diagnoser.ready:
        app.notify(t("tui.rules.none_loaded", lang), severity="warning", markup=False)
        return
    screen = ViewDialog(t("tui.compare.title", lang), Text(t("tui.compare.working", lang)))
    app.open_dialog(screen)
    loaded, now = session.loaded_facts(), session.effective_facts()
    files, environment = list(session.files), dict(session.environment)

    def work() -> None:
        diagnoser = app.diagnoser
        before = diagnoser.evaluate(
            loaded, lang=lang, files=files, environment=environment, explain=False
        )
        after = diagnoser.evaluate(
            now, lang=lang, files=files, environment=environment, explain=False
        )
        body = compare_body(
            before, after, t("tui.compare.as_loaded", lang), t("tui.compare.now", lang), lang
        )
        app.call_from_thread(screen.show, body)

    app.run_worker(work, thread=True, exit_on_error=False, description="compare")


def compare_with_file(app: KbdoctorApp) -> None:
    """Ask for a fact file, then compare the case now (first) with that file (second)."""
    from kbdoctor.tui.screens.pick_path import PickPathScreen

    if not app.diagnoser.ready:
        app.notify(t("tui.rules.none_loaded", app.lang), severity="warning", markup=False)
        return

    def chosen(path: str | None) -> None:
        if path is not None:
            compare_file_now(app, path)

    app.open_dialog(PickPathScreen("facts", app.lang), chosen)


def compare_file_now(app: KbdoctorApp, path: str) -> None:
    """Compare the case now (first) with the fact file at ``path`` (second)."""
    from kbdoctor.tui import loading
    from kbdoctor.tui.diagnosis import file_label

    lang, session = app.lang, app.session
    screen = ViewDialog(t("tui.compare.title", lang), Text(t("tui.compare.working", lang)))
    app.open_dialog(screen)
    now = session.effective_facts()
    files, environment = list(session.files), dict(session.environment)

    def work() -> None:
        diagnoser = app.diagnoser
        try:
            other = loading.load_facts([path])
        except KbdoctorError as exc:
            problems = "\n".join(p.render(lang) for p in exc.problems)
            body: RenderableType = Text(t("tui.load.failed", lang) + "\n" + problems, style="red")
            app.call_from_thread(screen.show, body)
            return
        before = diagnoser.evaluate(
            now, lang=lang, files=files, environment=environment, explain=False
        )
        after = diagnoser.evaluate(
            other.facts, lang=lang, files=other.files, environment=other.environment, explain=False
        )
        body = compare_body(before, after, t("tui.compare.now", lang), file_label(path), lang)
        app.call_from_thread(screen.show, body)

    app.run_worker(work, thread=True, exit_on_error=False, description="compare")
