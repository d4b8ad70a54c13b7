"""The collection request on screen: the text to send the customer, selectable to copy with
the terminal, copied with ``c``, written to a file with ``x`` (atomically), and switched between
English and Polish with ``l`` (the customer's language need not be the engineer's)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from kbdoctor.tui.collection_request import CollectionRequest, build_request, render_request
from kbdoctor.tui.i18n import Lang, other_language, t
from kbdoctor.tui.widgets.footer import KeyFooter
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import TextArea

if TYPE_CHECKING:
    from kbdoctor.tui.app import KbdoctorApp


def open_request(app: KbdoctorApp) -> None:
    """The request for the diagnosis on screen (none yet: said so)."""
    if app.report is None:
        app.notify(t("tui.request.no_report", app.lang), severity="warning", markup=False)
        return
    request = build_request(app.report, app.session.effective_facts())
    app.open_dialog(CollectionRequestScreen(request, app.lang))


class CollectionRequestScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    CollectionRequestScreen #dialog {
        height: 90%;
    }
    CollectionRequestScreen #request-text {
        height: 1fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "tui.key.close"),
        Binding("c", "copy", "tui.key.copy_request"),
        Binding("x", "export", "tui.key.export_request"),
        Binding("l", "language", "tui.key.request_language"),
    ]

    def __init__(self, request: CollectionRequest, lang: Lang) -> None:
        super().__init__()
        self.request = request
        self.lang = lang  # of the screen
        self.text_lang: Lang = lang  # of the request

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("tui.request.title", self.lang)
            area = TextArea(self.text(), read_only=True, soft_wrap=True, id="request-text")
            area.show_line_numbers = False
            yield area
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def text(self) -> str:
        return render_request(self.request, self.text_lang)

    def action_language(self) -> None:
        self.text_lang = other_language(self.text_lang)
        self.query_one(TextArea).load_text(self.text())

    def action_copy(self) -> None:
        """Copy the request the way every copy does (tui/screens/copied.py: a clipboard tool or
        OSC 52, said as it happened, the text shown to copy with the terminal or to write)."""
        from kbdoctor.tui.screens.copied import offer_copy

        offer_copy(self.app, self.text(), len(self.request.plan.commands), self.lang)

    def action_export(self) -> None:
        from kbdoctor.tui.screens.save import SaveScreen

        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                self.app._write(choice[0], self.text())  # type: ignore[attr-defined]

        default = str(Path.cwd() / f"kbdoctor-request.{self.text_lang}.txt")
        screen = SaveScreen("request", [("text", ".txt")], default, self.lang)
        self.app.open_dialog(screen, chosen)  # type: ignore[attr-defined]
