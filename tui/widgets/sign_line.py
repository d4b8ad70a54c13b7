"""A sign above the causes of the Diagnosis tab: hidden until there is something the engineer
must know about the diagnosis they read (the rule files are broken, a collection has not given
its last word); then one line, wrapped to at most three."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class SignLine(Static):
    """Hidden while it has nothing to say; its subclasses colour it."""

    DEFAULT_CSS = """
    SignLine {
        height: auto;
        max-height: 3;
    }
    """

    def on_mount(self) -> None:
        self.display = False

    def say(self, text: Text | None) -> None:
        """Show ``text``, or hide the sign when there is none."""
        self.display = text is not None
        if text is not None:
            self.update(text)
