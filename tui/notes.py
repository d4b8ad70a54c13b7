"""Which causes and facts carry the engineer's note, as the panes ask while they draw.

A note typed about a cause or a fact (``n``) is part of the case; the cause list, the reasoning
tree and the facts table mark what has one (``[note]``, a tag any terminal shows) and show its
text where it is marked, so a note is never only in the case file. The panes ask a
:class:`NoteIndex` built from the case's notes and the session, and a fact cited by the report
(the report carries the fact's data, not the session's key) is matched only against the few
facts that have a note, never against every fact of the session.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kbdoctor.engine.report import FactRef
from kbdoctor.tui.case import CaseNote, Notes, note_key
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.session import Session, matches_ref
from rich.text import Text

TAG_STYLE = "bold yellow"


@dataclass(frozen=True)
class NoteIndex:
    """The notes of a case, looked up by cause id, fact key, or a fact the report cites."""

    notes: Notes = field(default_factory=dict)
    session: Session | None = None

    def cause(self, cause: str) -> CaseNote | None:
        return self.notes.get(note_key("cause", cause))

    def fact(self, key: int) -> CaseNote | None:
        return self.notes.get(note_key("fact", key))

    @property
    def causes(self) -> frozenset[str]:
        """The ids of the causes with a note."""
        return frozenset(ident for about, ident in self.notes if about == "cause")

    def ref(self, ref: FactRef) -> CaseNote | None:
        """The note on the fact the report cites (as the diagnosis saw it: edited facts by
        their edited data, disabled facts never)."""
        session = self.session
        if session is None:
            return None
        for (about, ident), note in self.notes.items():
            if about != "fact" or not ident.isdigit() or not session.holds(int(ident)):
                continue
            entry = session.entry(int(ident))
            if entry.status != "disabled" and matches_ref(entry.fact, ref):
                return note
        return None


NO_NOTES = NoteIndex()


def notes_of(app: object) -> NoteIndex:
    """The notes of the running application's case (none outside it: a pane tested alone)."""
    desk = getattr(app, "case_desk", None)
    index = getattr(desk, "index", None)
    if index is None:
        return NO_NOTES
    found = index()
    return found if isinstance(found, NoteIndex) else NO_NOTES


def note_tag(lang: Lang) -> Text:
    """The marker of something with a note: ``[note]``, ``[notatka]``, ``[Notiz]``."""
    return Text(t("tui.note.mark", lang), style=TAG_STYLE)


def note_line(note: CaseNote, lang: Lang) -> Text:
    """The note on one line (its lines joined), then who wrote it and when."""
    line = note_tag(lang)
    line.append(" " + " ".join(note.text.split()))
    stamp = ", ".join(part for part in (note.by, note.at and note.at.isoformat()) if part)
    if stamp:
        line.append(f"  ({stamp})", style="bright_black")
    return line
