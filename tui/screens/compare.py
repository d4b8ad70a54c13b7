"""Before and after: the case now against the case as loaded (before what-if edits), against
another fact file, or against a saved case (an earlier save of this case, or a colleague's):
which causes changed status or confidence, and the firings that differ
(:mod:`kbdoctor.tui.comparison`). A saved case is compared as it was worked: its facts with its
what-if changes made, as reopening it would show them.

Both diagnoses are made by the application's diagnoser (the rules loaded now) in a worker, so the
screen opens at once and fills when they are ready; a fact file that does not load is said with
its file and line, and nothing is compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbdoctor.engine.errors import KbdoctorError
from kbdoctor.engine.facts import Fact
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
    """Ask for a fact file or a saved case, then compare it with the case now."""
    from kbdoctor.tui.screens.pick_path import PickPathScreen

    if not app.diagnoser.ready:
        app.notify(t("tui.rules.none_loaded", app.lang), severity="warning", markup=False)
        return

    def chosen(path: str | None) -> None:
        if path is not None:
            compare_file_now(app, path)

    app.open_dialog(PickPathScreen("compare", app.lang), chosen)


@dataclass(frozen=True)
class OtherSide:
    """The facts of the file compared with the case now, and how the comparison names it."""

    facts: list[Fact]
    files: list[str]
    environment: dict[str, str]
    name: str
    earlier: bool  # a saved case: an earlier state, so it is the first side (before)


def read_other_side(path: str, lang: Lang) -> OtherSide:
    """A fact file's facts, or a saved case's facts with its what-if changes made (as
    reopening it shows them); ``KbdoctorError`` when it does not load, with file and line."""
    from kbdoctor.tui import loading
    from kbdoctor.tui.case import is_case_file, load_case, session_of
    from kbdoctor.tui.diagnosis import file_label

    if not is_case_file(path):
        other = loading.load_facts([path])
        return OtherSide(
            other.facts, list(other.files), dict(other.environment), file_label(path), False
        )
    case = load_case(path)
    session, _notes = session_of(case, path)
    if case.saved_at is not None:
        when = case.saved_at.strftime("%Y-%m-%d %H:%M UTC")
        name = t("tui.compare.saved_case_at", lang, path=file_label(path), when=when)
    else:
        name = t("tui.compare.saved_case", lang, path=file_label(path))
    facts = session.effective_facts()
    return OtherSide(facts, list(session.files), dict(session.environment), name, True)


def compare_file_now(app: KbdoctorApp, path: str) -> None:
    """Compare the case now with the fact file or saved case at ``path``: a fact file is the
    second side (what another collection would change), a saved case the first (what changed
    since it was saved)."""
    lang, session = app.lang, app.session
    screen = ViewDialog(t("tui.compare.title", lang), Text(t("tui.compare.working", lang)))
    app.open_dialog(screen)
    now = session.effective_facts()
    files, environment = list(session.files), dict(session.environment)

    def work() -> None:
        diagnoser = app.diagnoser
        try:
            other = read_other_side(path, lang)
        except KbdoctorError as exc:
            problems = "\n".join(p.render(lang) for p in exc.problems)
            body: RenderableType = Text(t("tui.load.failed", lang) + "\n" + problems, style="red")
            app.call_from_thread(screen.show, body)
            return
        current = diagnoser.evaluate(
            now, lang=lang, files=files, environment=environment, explain=False
        )
        theirs = diagnoser.evaluate(
            other.facts, lang=lang, files=other.files, environment=other.environment,
            explain=False,
        )  # fmt: skip
        here = t("tui.compare.now", lang)
        if other.earlier:
            body = compare_body(theirs, current, other.name, here, lang)
        else:
            body = compare_body(current, theirs, here, other.name, lang)
        app.call_from_thread(screen.show, body)

    app.run_worker(work, thread=True, exit_on_error=False, description="compare")
