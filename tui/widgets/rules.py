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

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a rule: its title in full, its conditions, file and line, pack, and its
        firings in this case (the table's columns are cut at 80 columns)."""
        event.stop()
        if event.row_key.value is not None:
            self._open(event.row_key.value)

    def open_selected(self) -> None:
        """The rule under the cursor in full (``v``, as Enter)."""
        table = self.query_one(DataTable)
        if table.row_count:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
            if row_key.value is not None:
                self._open(row_key.value)

    def _open(self, rule_id: str) -> None:
        from kbdoctor.tui.app import KbdoctorApp
        from kbdoctor.tui.screens.rule_detail import open_rule

        if isinstance(self.app, KbdoctorApp):
            open_rule(self.app, rule_id)

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
                title = rule.title.get(lang)
                table.add_row(
                    Text(file_label(pack.file), style="bright_black"),
                    Text(pack_label(base, pack.pack, rule.id, lang)),
                    Text(rule.id, style="cyan"),
                    status_text(base, rule.id, rule.status, lang),
                    Text(str(title)),
                    key=rule.id,
                )


def pack_label(base: RuleBase, pack: str, rule_id: str, lang: Lang) -> str:
    """The pack that wrote the rule, and the later pack that set its cf, if one did."""
    if rule_id not in base.changed:
        return pack
    by, _ = base.changed[rule_id]
    cf = next(r.conclude.cf for r in base.rules if r.id == rule_id)
    return t("tui.rules.cf_set_by", lang, pack=pack, by=by, cf=f"{cf:g}")


def status_text(base: RuleBase, rule_id: str, status: str, lang: Lang) -> Text:
    """The rule's status, or the pack that disabled it."""
    if rule_id in base.disabled:
        return Text(t("tui.rules.disabled_by", lang, by=base.disabled[rule_id]), style="red")
    return Text(t(f"tui.rule_status.{status}", lang), style=STATUS_STYLE[status])
