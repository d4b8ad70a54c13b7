"""Edit one fact for a what-if question: every field of its type, validated by the fact model.

List fields take one item a line (SPNs and account names may contain commas). An invalid value
keeps the form open and names the field; nothing in the session changes until the edit is valid.
"""

from __future__ import annotations

from kbdoctor.engine.facts import Fact, fact_fields
from kbdoctor.tui.fact_form import edit_fact, editable_text, is_list_field
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.session import Entry
from kbdoctor.tui.widgets.footer import KeyFooter
from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea


def validation_text(exc: ValidationError, lang: Lang) -> Text:
    text = Text(t("tui.edit.invalid", lang), style="bold red")
    for error in exc.errors(include_url=False):
        field = ".".join(str(p) for p in error["loc"]) or "?"
        key = f"pydantic.{error['type']}"
        params = {**(error.get("ctx") or {}), "field": field, "detail": error["msg"]}
        message = t(key, lang, **params)
        if message == key:
            message = error["msg"]
        text.append(f"\n{field}: {message}")
    return text


class FactEditScreen(ModalScreen[Fact | None]):
    """Returns the edited fact, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "tui.key.cancel"),
        Binding("ctrl+s", "save", "tui.key.apply"),
    ]

    def __init__(self, entry: Entry, lang: Lang) -> None:
        super().__init__()
        self.entry = entry
        self.lang = lang

    def compose(self) -> ComposeResult:
        fact = self.entry.fact
        with VerticalScroll(id="dialog") as dialog:
            dialog.border_title = t("tui.edit.title", self.lang, type=fact.type)
            yield Static(Text(t("tui.edit.hint", self.lang), style="bright_black"))
            for name in fact_fields(fact.type):
                yield Label(name, classes="field-label")
                if is_list_field(fact.type, name):
                    area = TextArea(
                        editable_text(fact, name), id=f"field-{name}", classes="list-field"
                    )
                    area.show_line_numbers = False
                    yield area
                else:
                    yield Input(editable_text(fact, name), id=f"field-{name}")
            yield Static(id="edit-errors")
            with Horizontal(classes="buttons"):
                yield Button(t("tui.edit.apply", self.lang), id="apply", variant="primary")
                yield Button(t("tui.edit.cancel", self.lang), id="cancel")
        yield KeyFooter()

    def values(self) -> dict[str, str]:
        out = {}
        for name in fact_fields(self.entry.fact.type):
            widget = self.query_one(f"#field-{name}")
            out[name] = widget.text if isinstance(widget, TextArea) else widget.value  # type: ignore[attr-defined]
        return out

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def action_save(self) -> None:
        try:
            edited = edit_fact(self.entry.fact, self.values())
        except ValidationError as exc:
            self.query_one("#edit-errors", Static).update(validation_text(exc, self.lang))
            return
        self.dismiss(edited)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
