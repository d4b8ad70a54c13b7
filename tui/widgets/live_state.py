"""The Diagnosis tab's sign that a live collection has not given its last word.

While a collection runs, the diagnosis follows the facts that have arrived (``tui/live_feed.py``):
causes may still appear or go. The status line says so, but the status line is at the other end
of the screen from the causes an engineer reads; this line, above the causes, says it where they
look. A collection cut short (stopped, failed) keeps saying that its diagnosis covers only what
arrived. A whole collection's final diagnosis needs no sign.
"""

from __future__ import annotations

from typing import Literal

from kbdoctor.tui.widgets.sign_line import SignLine
from rich.text import Text

State = Literal["provisional", "incomplete", "final"]


class LiveStateLine(SignLine):
    """Hidden unless the diagnosis shown is provisional or covers an incomplete collection."""

    DEFAULT_CSS = """
    LiveStateLine {
        background: $warning 20%;
    }
    """

    def show_state(self, note: str | None, state: State | None) -> None:
        shown = note is not None and state in ("provisional", "incomplete")
        self.say(Text(note[:1].upper() + note[1:], style="bold") if shown and note else None)
