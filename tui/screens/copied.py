"""What a copy did, and the copied text itself, selected, for when the clipboard was not reached.

Copying from a terminal application may silently fail (no clipboard tool, a terminal or tmux
that drops OSC 52), so the copy says which way it went - a system clipboard tool that took the
text, or OSC 52 sent to the terminal with no way to know it arrived - and always shows the text
here as plain text, selected, to copy with the terminal's own selection, with a key that writes
it to a file (atomically).
"""

from __future__ import annotations

from pathlib import Path

from kbdoctor.engine.atomic import write_atomic
from kbdoctor.tui.clipboard import copy_with_tool
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.keys import localise_bindings
from kbdoctor.tui.widgets.footer import KeyFooter
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea


def how_copied(tool: str | None, lang: Lang) -> str:
    """The sentence that says what the copy did (never that the clipboard has it, unless a
    clipboard tool said so by its exit status)."""
    if tool is not None:
        return t("tui.copied.tool", lang, tool=tool)
    return t("tui.copied.osc52", lang)


def offer_copy(app: App[None], text: str, count: int, lang: Lang) -> None:
    """Copy ``text`` (``count`` commands): a clipboard tool in a worker, OSC 52 when none took
    it; then open :class:`CopiedScreen`, which says which and shows the text."""

    def copy() -> None:
        tool = copy_with_tool(text)
        app.call_from_thread(copied, tool)

    def copied(tool: str | None) -> None:
        if tool is None:
            app.copy_to_clipboard(text)  # OSC 52: sent, never known to have arrived
        # the dialog says what happened (no toast besides, which would cover the text)
        screen = CopiedScreen(text, tool, count, lang)
        localise_bindings(screen, lang)
        app.push_screen(screen)

    app.run_worker(copy, thread=True, group="copy", exit_on_error=False, description="copy")


class CopiedScreen(ModalScreen[None]):
    """The copied text, selected; ctrl+s writes it to a file."""

    BINDINGS = [
        Binding("escape", "dismiss", "tui.key.close"),
        Binding("ctrl+s", "write", "tui.key.write_text"),
    ]

    def __init__(self, text: str, tool: str | None, count: int, lang: Lang) -> None:
        super().__init__()
        self.text = text
        self.tool = tool
        self.count = count
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("tui.copied.count", lang, count=self.count)
            style = "bold green" if self.tool is not None else "bold yellow"
            yield Static(Text(how_copied(self.tool, lang), style=style), id="copied-how")
            yield Static(Text(t("tui.copied.hint", lang), style="bright_black"))
            yield TextArea(self.text, read_only=True, soft_wrap=True, id="copied-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        area = self.query_one("#copied-text", TextArea)
        area.focus()
        area.select_all()

    def action_write(self) -> None:
        from kbdoctor.tui.screens.save import SaveScreen

        default = str(Path.cwd() / "kbdoctor-commands.txt")
        screen = SaveScreen("commands", [("commands_text", ".txt")], default, self.lang)
        localise_bindings(screen, self.lang)
        self.app.push_screen(screen, self._write)

    def _write(self, choice: tuple[str, str] | None) -> None:
        if choice is None:
            return
        path = choice[0]
        try:
            write_atomic(path, self.text if self.text.endswith("\n") else self.text + "\n")
        except OSError as exc:
            self.notify(
                t("tui.save.failed", self.lang, path=path) + f": {exc.strerror or exc}",
                severity="error",
                markup=False,
            )
            return
        self.notify(t("tui.save.done", self.lang, path=path), markup=False)
