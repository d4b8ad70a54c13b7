"""A dialog that shows one read-only view of the case (a server, the timeline, a comparison, a
rule) and scrolls, so that nothing is cut at 80x24: long lines wrap by word in the dialog's
width and the rest is a scroll away.

The views are built as Rich renderables by plain functions (tested without a screen); this
dialog only frames them, says what to press, and takes a new body when a worker brings one.
"""

from __future__ import annotations

from typing import ClassVar

from kbdoctor.tui.widgets.footer import KeyFooter
from rich.console import RenderableType
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class ViewDialog(ModalScreen[None]):
    """A titled, scrolling view; escape or q closes it."""

    DEFAULT_CSS = """
    ViewDialog #dialog {
        height: 90%;
        max-width: 140;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "tui.key.close"),
    ]

    def __init__(self, title: str, body: RenderableType) -> None:
        super().__init__()
        self._title = title
        self._body = body
        self._composed: RenderableType | None = None  # the body compose showed

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog") as dialog:
            dialog.border_title = self._title
            self._composed = self._body
            yield Static(self._body, id="view-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#dialog", VerticalScroll).focus()
        if self._body is not self._composed:  # a worker's body came between compose and mount
            self.query_one("#view-body", Static).update(self._body)

    def show(self, body: RenderableType) -> None:
        """Another body (a worker's result), in place of the one shown."""
        self._body = body
        if self.is_mounted:  # else compose or on_mount shows it
            self.query_one("#view-body", Static).update(body)

    @property
    def body(self) -> RenderableType:
        return self._body
