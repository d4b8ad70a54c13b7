"""What the application does with the case's sources: add what was read as a source, remove
one, read one again, and ask whether a newly opened file joins the case or replaces it.

Kept out of :mod:`kbdoctor.tui.app` (which schedules evaluations and owns the keys): these are
the source actions the Sources screen, the open and import dialogs and undo share. Reading runs
in a thread worker of the application and comes back as a :class:`MaterialRead` naming the
sources it replaces, so that a reload is one undoable step.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from kbdoctor.engine.errors import KbdoctorError
from kbdoctor.tui import loading
from kbdoctor.tui.diagnosis import file_label
from kbdoctor.tui.i18n import t
from kbdoctor.tui.messages import MaterialRead, WorkFinished, WorkProgressed
from kbdoctor.tui.session import Change, SourceChange
from kbdoctor.tui.sources import CaseSource, SourceOrigin

if TYPE_CHECKING:
    from kbdoctor.tui.app import KbdoctorApp


def add_material(app: KbdoctorApp, message: MaterialRead) -> None:
    """Put what was read into the session as a source of its own (replacing the sources the
    message names), then show the case again."""
    label = message.label or ", ".join(file_label(f) for f in message.files) or "?"
    origin = message.origin or SourceOrigin("file", tuple(message.files))
    app.session.add_source(
        message.facts,
        label,
        origin,
        environment=message.environment,
        files=message.files,
        report=message.report,
        result=message.result,
        replace=message.replace,
        undoable=message.undoable,
    )
    refresh_sources_screen(app)


def refresh_sources_screen(app: KbdoctorApp) -> None:
    """The Sources screen, when open, shows the session again."""
    if "kbdoctor.tui.screens.sources" not in sys.modules:
        return  # never opened, so not open: importing it here delayed the first paint
    from kbdoctor.tui.screens.sources import SourcesScreen

    for screen in app.screen_stack:
        if isinstance(screen, SourcesScreen):
            screen.refresh_sources()


def case_changed(app: KbdoctorApp) -> None:
    """The sources changed: the facts tab, the what-if line, the status and the diagnosis."""
    app.main.show_session(app.session, app.lang)
    refresh_sources_screen(app)
    app.evaluate()


def open_sources(app: KbdoctorApp) -> None:
    from kbdoctor.tui.screens.sources import SourcesScreen

    app.open_dialog(SourcesScreen(app.session, app.lang))


def remove_source(app: KbdoctorApp, source_id: int) -> None:
    source = app.session.source(source_id)
    if app.session.remove_source(source_id) is not None:
        app.notify(t("tui.sources.removed", app.lang, source=source.label), markup=False)
        case_changed(app)


def undone_text(app: KbdoctorApp, change: Change | SourceChange, undone: bool) -> str | None:
    """What an undo (or redo) of a source change did, in words; None for a what-if change."""
    if not isinstance(change, SourceChange):
        return None
    gone, back = (change.added, change.removed) if undone else (change.removed, change.added)
    names = {
        "gone": ", ".join(app.session.source(i).label for i in gone) or "-",
        "back": ", ".join(app.session.source(i).label for i in back) or "-",
    }
    return t("tui.sources.undo" if undone else "tui.sources.redo", app.lang, **names)


def ask_add_or_replace(app: KbdoctorApp, then: Callable[[tuple[int, ...]], object]) -> None:
    """With sources in the case, ask whether the new one joins it or replaces it (a second
    organisation's file must not merge silently into the first); ``then`` gets the sources to
    replace (none: add)."""
    sources = app.session.sources()
    if not sources:
        then(())
        return
    from kbdoctor.tui.screens.add_or_replace import AddOrReplaceScreen

    def chosen(choice: str | None) -> None:
        if choice == "add":
            then(())
        elif choice == "replace":
            then(tuple(s.id for s in sources))

    app.open_dialog(AddOrReplaceScreen([s.label for s in sources], app.lang), chosen)


def reload_source(app: KbdoctorApp, source_id: int) -> None:
    """Read a source again from where it came from, in a worker; the new reading replaces the
    old one in one undoable step (nothing changes when the reading fails). A live collection
    runs again as one does from its form, its first facts taking the old one's place."""
    source = app.session.source(source_id)
    if not source.reloadable:
        app.notify(t("tui.sources.not_reloadable", app.lang), markup=False)
        return
    if source.needs_password:
        from kbdoctor.tui.screens.sources import password_text

        app.notify(password_text(source, app.lang), severity="warning", markup=False)
        return
    if source.origin.live is not None:
        app.live.start(source.origin.live, replace=(source.id,), label=source.label)
        return
    app.run_worker(
        lambda: _reload(app, source),
        thread=True,
        group="load",
        exit_on_error=False,
        description="reload source",
    )


def _reload(app: KbdoctorApp, source: CaseSource) -> None:
    lang, origin = app.lang, source.origin
    app.post_message(WorkProgressed(t("tui.load.reading", lang, path=source.label), 0, 0))
    try:
        if origin.kind == "file":
            fact_set = loading.load_facts(origin.paths)
            read = MaterialRead(fact_set.facts, fact_set.files, fact_set.environment)
        elif origin.kind == "import":
            outcome = loading.import_outputs(origin.paths, lang=lang)
            read = MaterialRead(
                outcome.facts, list(source.files), {}, report=outcome.report,
                result=outcome.result,
            )  # fmt: skip
        else:
            return  # a live source is read again by the live feed (see reload_source)
    except (OSError, KbdoctorError) as exc:
        detail = exc.render(lang) if isinstance(exc, KbdoctorError) else str(exc)
        app.post_message(WorkFinished(t("tui.sources.reload_failed", lang), [detail], "error"))
        return
    read.origin, read.replace, read.undoable, read.label = origin, (source.id,), True, source.label
    app.post_message(read)
    app.post_message(WorkFinished(t("tui.sources.reloaded", lang, source=source.label), []))
