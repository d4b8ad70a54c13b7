"""The loaded rule files, their rules and status, and the problems of a file that did not load.

A rule file being edited is reloaded when it changes on disk; while it is broken the last good
rules keep working and this pane shows each problem with file, line and column.
"""

from __future__ import annotations

from kbdoctor.engine.errors import Problem
from kbdoctor.engine.rulebase import RuleBase
from kbdoctor.tui.diagnosis import file_label
from kbdoctor.tui.i18n import Lang, t
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

STATUS_STYLE = {"stable": "green", "experimental": "yellow", "deprecated": "bright_black"}


def problems_text(problems: list[Problem], lang: Lang) -> Text:
    text = Text()
    text.append(t("tui.rules.broken", lang), style="bold red")
    for problem in problems:
        text.append("\n" + problem.render(lang))
    return text


class RulesView(Vertical):
    """Status line (or problems), then one row per rule."""

    COLUMNS = ("file", "pack", "rule", "status", "title")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lang: Lang = "en"

    def compose(self) -> ComposeResult:
        yield Static(id="rules-status")
        yield DataTable(id="rules-table", cursor_type="row", zebra_stripes=True)

    def show(
        self, base: RuleBase | None, files: list[str], problems: list[Problem], lang: Lang
    ) -> None:
        self._lang = lang
        status = self.query_one("#rules-status", Static)
        if problems:
            status.update(problems_text(problems, lang))
            status.add_class("-broken")
        else:
            rules = sum(len(p.rules) for p in base.packs) if base else 0
            status.update(
                Text(
                    t("tui.rules.status", lang, files=len(files), rules=rules), style="bright_black"
                )
            )
            status.remove_class("-broken")
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for column in self.COLUMNS:
            table.add_column(t(f"tui.rules.column.{column}", lang), key=column)
        if base is None:
            return
        for pack in base.packs:
            for rule in pack.rules:
                title = getattr(rule.title, lang)
                table.add_row(
                    Text(file_label(pack.file), style="bright_black"),
                    Text(pack.pack),
                    Text(rule.id, style="cyan"),
                    Text(
                        t(f"tui.rule_status.{rule.status}", lang), style=STATUS_STYLE[rule.status]
                    ),
                    Text(str(title)),
                    key=rule.id,
                )
