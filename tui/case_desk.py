"""The application's side of a case: saving it, reopening it, notes, and asking before leaving.

The case's format and its link to the session are in ``tui/case.py``; this module connects them
to the screen: the save dialog and the atomic write (in a worker), the note dialog for the cause
or fact in view, and the question asked when the engineer quits with what-if changes or notes
not saved in a case. Every message says what happened (written, or not and why).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from kbdoctor.engine.atomic import write_atomic
from kbdoctor.tui.case import CaseFile, CaseNote, Notes, case_of, dump_case, note_key, session_of
from kbdoctor.tui.i18n import t
from kbdoctor.tui.notes import NoteIndex
from kbdoctor.tui.session import current_user

if TYPE_CHECKING:
    from kbdoctor.tui.app import KbdoctorApp

# More facts than this and a new case is offered as JSON first: a case of 1,000 servers (13,811
# facts, 4.2 MB) reads in about 0.15 s as JSON against 1.8 s as YAML, and writes in 0.6 s
# against 27 s (bench/tui_bench.py measures both).
LARGE_CASE_FACTS = 2000

Signature = tuple[tuple[tuple[int, datetime, int], ...], tuple[tuple[tuple[str, str], str], ...]]


class CaseDesk:
    """The case of the running application: its notes, its file, and what was last saved."""

    def __init__(self, app: KbdoctorApp) -> None:
        self._app = app
        self.notes: Notes = {}
        self.path: str | None = None
        self._saved: Signature = self.signature()

    # -- what is not saved ----------------------------------------------------------------------

    def signature(self) -> Signature:
        """What a save would keep of the engineer's work: the changes made (undo takes them
        away again) and the notes."""
        history = self._app.session.history()
        return (
            tuple((c.key, c.at, id(c.after)) for c in history),
            tuple(sorted((key, note.text) for key, note in self.notes.items())),
        )

    def dirty(self) -> bool:
        return self.signature() != self._saved

    def unsaved_text(self) -> str:
        lang = self._app.lang
        changes, notes = self.signature()
        return t("tui.quit.unsaved", lang, changes=len(changes), notes=len(notes))

    # -- opening and saving ---------------------------------------------------------------------

    def open(self, case: CaseFile, path: str) -> None:
        """Take the case's session and notes (before the application starts)."""
        self._app.session, self.notes = session_of(case, path)
        self.path = path
        self._saved = self.signature()

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Ask where (YAML or JSON) and write the case; ``then`` runs once it is written."""
        from kbdoctor.tui.screens.save import SaveScreen

        app = self._app
        large = len(app.session) > LARGE_CASE_FACTS
        default = self.path or str(
            Path.cwd() / ("kbdoctor-case.json" if large else "kbdoctor-case.yaml")
        )

        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            path, fmt = choice
            saved = self.signature()
            case = case_of(
                app.session, self.notes, app.diagnoser.files(), datetime.now(UTC).replace(
                    microsecond=0)
            )  # fmt: skip
            app.run_worker(
                partial(self._write, path, case, "json" if fmt == "json" else "yaml", saved, then),
                thread=True,
                group="write",
                exit_on_error=False,
                description="write case",
            )

        # offered first: the format of the path proposed (a case's own, or JSON for a large one)
        formats = [("yaml", ".yaml"), ("json", ".json")]
        if Path(default).suffix.lower() == ".json":
            formats.reverse()
        app.open_dialog(SaveScreen("case", formats, default, app.lang), chosen)

    def _write(
        self,
        path: str,
        case: CaseFile,
        fmt: Literal["yaml", "json"],
        saved: Signature,
        then: Callable[[], None] | None,
    ) -> None:
        # written out here, in the worker: YAML of a case of 1,000 servers takes half a minute
        app = self._app
        try:
            write_atomic(path, dump_case(case, fmt))
        except OSError as exc:
            detail = exc.strerror or str(exc)
            app.call_from_thread(
                app.notify,
                t("tui.save.failed", app.lang, path=path) + f": {detail}",
                severity="error",
                markup=False,
            )
            return
        app.call_from_thread(self._written, path, saved, then)

    def _written(self, path: str, saved: Signature, then: Callable[[], None] | None) -> None:
        self.path = path
        self._saved = saved
        self._app.notify(t("tui.case.saved", self._app.lang, path=path), markup=False)
        if then is not None:
            then()

    # -- notes ----------------------------------------------------------------------------------

    def index(self) -> NoteIndex:
        """The notes as the panes look them up while they draw."""
        return NoteIndex(dict(self.notes), self._app.session)

    def note(self) -> None:
        """Write a note about the fact selected (on the facts tab) or the cause highlighted."""
        from kbdoctor.tui.screens.note import NoteScreen
        from kbdoctor.tui.widgets.diagnosis import DiagnosisPane
        from kbdoctor.tui.widgets.facts import FactBrowser
        from kbdoctor.tui.widgets.tabs import Tabbed

        app, lang = self._app, self._app.lang
        main = app.main
        about: str
        browsers = main.query(FactBrowser)
        if main.query_one("#tabs", Tabbed).active == "facts" and browsers:
            fact = browsers.first().selected_key()
            if fact is None:
                app.notify(t("tui.note.nothing", lang), severity="warning", markup=False)
                return
            key = note_key("fact", fact)
            about = f"{app.session.entry(fact).fact.type} #{fact}"
        else:
            cause = main.query_one(DiagnosisPane).cause
            if cause is None:
                app.notify(t("tui.note.nothing", lang), severity="warning", markup=False)
                return
            key = note_key("cause", cause.cause)
            about = cause.title
        existing = self.notes.get(key)

        def written(text: str | None) -> None:
            if text is None:
                return
            if text:
                self.notes[key] = CaseNote(
                    about="cause" if key[0] == "cause" else "fact",
                    id=key[1],
                    text=text,
                    by=current_user(),
                    at=datetime.now(UTC).replace(microsecond=0),
                )
                app.notify(t("tui.note.kept", lang, subject=about), markup=False)
            elif self.notes.pop(key, None) is not None:
                app.notify(t("tui.note.removed", lang, subject=about), markup=False)
            else:
                return
            main.show_notes()  # the marker appears (or goes) where the note is

        screen = NoteScreen(about, existing.text if existing else "", lang)
        app.open_dialog(screen, written)

    # -- leaving --------------------------------------------------------------------------------

    def quit(self) -> None:
        """Leave; with work not saved, ask first (save the case, discard, or stay)."""
        app = self._app
        if not self.dirty():
            app.exit()
            return
        from kbdoctor.tui.screens.quit_case import QuitCaseScreen

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.save(then=app.exit)
            elif choice == "discard":
                app.exit()

        app.open_dialog(QuitCaseScreen(self.unsaved_text(), app.lang), answered)
