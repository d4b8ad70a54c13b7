"""A rule as an engineer checks it (Enter on a rule of the Rules tab): its conditions, file and
line, pack, what it concludes, and its firings in this case (:mod:`kbdoctor.tui.rule_detail`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.tui.diagnosis import file_label
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.rule_detail import RuleFacts, rule_facts
from kbdoctor.tui.widgets.view_dialog import ViewDialog
from rich.console import Group, RenderableType
from rich.text import Text

if TYPE_CHECKING:
    from kbdoctor.tui.app import KbdoctorApp


def rule_body(found: RuleFacts, lang: Lang) -> RenderableType:
    rule = found.rule
    where = file_label(found.file) + (f":{found.line}" if found.line is not None else "")
    head = Text()
    head.append(str(rule.title.get(lang)), style="bold")
    head.append("\n" + t("tui.rule.where", lang, where=where, pack=found.pack))
    head.append("\n" + t(f"tui.rule_status.{rule.status}", lang), style="bright_black")
    if rule.kb_step is not None:
        head.append(" · " + t("tui.rule.kb_step", lang, step=rule.kb_step), style="bright_black")
    if found.disabled_by:
        head.append("\n" + t("tui.rules.disabled_by", lang, by=found.disabled_by), style="red")
    if found.cf_set_by:
        head.append("\n" + t("tui.rule.cf_set_by", lang, by=found.cf_set_by), style="yellow")
    conditions = Text(t("tui.rule.conditions", lang), style="bold")
    for number, condition in enumerate(found.conditions, 1):
        conditions.append(f"\n {number}. ", style="bright_black")
        conditions.append(condition)
    conclusion = Text(t("tui.rule.concludes", lang), style="bold")
    conclusion.append(" " + found.conclusion)
    firings = Text(t("tui.rule.firings", lang, count=len(found.firings)), style="bold")
    if not found.firings:
        firings.append("\n" + t("tui.rule.no_firings", lang), style="italic bright_black")
    for target, firing in found.firings:
        firings.append(f"\n {firing.contribution:+.2f} ", style="bold")
        firings.append(f"{target} ", style="cyan")
        firings.append(firing.subject)
        firings.append(f"\n    {firing.text}", style="bright_black")
    return Group(head, Text(""), conditions, Text(""), conclusion, Text(""), firings)


def open_rule(app: KbdoctorApp, rule_id: str) -> None:
    """Show the rule; the file is read for its line in a worker (a rule file may be large)."""
    base = app.diagnoser.rule_base
    if base is None:
        return
    lang, report = app.lang, app.report
    screen = ViewDialog(t("tui.rule.title", lang, rule=rule_id), Text(t("tui.rule.reading", lang)))
    app.open_dialog(screen)

    def read() -> None:
        found = rule_facts(base, rule_id, report)
        body = rule_body(found, lang) if found else Text(t("tui.rule.gone", lang))
        app.call_from_thread(screen.show, body)

    app.run_worker(read, thread=True, exit_on_error=False, description="rule detail")
