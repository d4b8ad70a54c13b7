"""One line under the tabs: what is loaded, what-if changes, and the progress of slow work."""

from __future__ import annotations

from kbdoctor.tui.fact_text import fact_summary
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.session import Session
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static


def whatif_text(session: Session, lang: Lang) -> Text:
    """The changes the diagnosis is computed with, so a what-if result is never mistaken for the
    customer's real state. The keys come right after the title: the line is one line high, its
    end is cut at 80 columns, and ``W`` shows every change in full."""
    changed = session.changed
    text = Text()
    text.append(
        " " + t("tui.whatif.title", lang, count=len(changed)) + " ", style="bold reverse magenta"
    )
    text.append("  " + t("tui.whatif.hint", lang), style="bright_black")
    for entry in changed[:3]:
        mark = "⊘" if entry.status == "disabled" else "✎"
        text.append(f"  {mark} {entry.fact.type} {fact_summary(entry.fact)}"[:60], style="magenta")
    if len(changed) > 3:
        text.append("  " + t("tui.whatif.more", lang, count=len(changed) - 3), style="magenta")
    return text


def whatif_cleared_text(lang: Lang) -> Text:
    """The what-if line once every change is undone: it stays (saying so) rather than
    disappearing, so that the screen does not jump each time a fact is disabled and enabled
    again, which would also redraw the whole screen."""
    return Text(" " + t("tui.whatif.cleared", lang), style="bright_black")


class StatusBar(Horizontal):
    """Busy work shows a progress bar; otherwise the line says what is loaded. The bar (four
    widgets) is built the first time work reports progress: most sessions never need it, and
    the first screen is painted sooner without it."""

    def compose(self) -> ComposeResult:
        yield Static(id="status-text")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._said: Text | str | None = None
        self._bar: ProgressBar | None = None

    def say(self, text: Text | str) -> None:
        if text == self._said:
            return
        self._said = text
        self.query_one("#status-text", Static).update(text, layout=False)  # one line, always

    def progress(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = ProgressBar(id="status-progress", show_eta=False)
            self.mount(self._bar)
        self._bar.display = True
        self._bar.update(total=total or None, progress=done)

    def idle(self) -> None:
        if self._bar is not None:
            self._bar.display = False
