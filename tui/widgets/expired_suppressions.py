"""The Diagnosis tab's sign that suppressions of the site have expired.

An expired suppression is ignored: the diagnosis it accepted counts again. The command line
warns on standard error, but the TUI covers the terminal as it starts, so the warning is never
read there; this line, above the causes, says which entries expired, where they are written and
who accepted them, so that someone renews or removes them.
"""

from __future__ import annotations

from kbdoctor.engine.report import SuppressionNote
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.widgets.sign_line import SignLine
from rich.text import Text


def expired_text(notes: list[SuppressionNote], lang: Lang) -> Text:
    """``2 expired suppression(s), ignored (...): accepted.yaml:3 cause spn_missing (until ...,
    by); ...``: where each entry is written first, since the sign is cut after three lines."""
    text = Text(t("tui.suppressions.expired_sign", lang, count=len(notes)), style="bold")
    entries = [
        t(
            "tui.suppressions.expired_entry",
            lang,
            kind=note.kind,
            id=note.id,
            until=note.expires,
            by=note.accepted_by,
            where=f"{note.file}:{note.line}" if note.line else note.file,
        )
        for note in notes
    ]
    text.append(" " + "; ".join(entries))
    return text


class ExpiredSuppressionsLine(SignLine):
    """Hidden while no suppression has expired."""

    DEFAULT_CSS = """
    ExpiredSuppressionsLine {
        background: $warning 20%;
    }
    """

    _shown: tuple[list[SuppressionNote], Lang] | None = None

    def show_expired(self, notes: list[SuppressionNote], lang: Lang) -> None:
        """Redrawn only when the entries (or the language) changed: every what-if edit brings a
        new report with the same expired entries."""
        if self._shown == (notes, lang):
            return
        self._shown = (notes, lang)
        self.say(expired_text(notes, lang) if notes else None)
