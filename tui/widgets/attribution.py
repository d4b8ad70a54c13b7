"""Whose word a line of the Diagnosis tab is: the rule that concluded it with the pack that wrote
the rule and the pack that set its certainty factor (when several packs are loaded, as the
reports name them), and the site's suppression that accepted it."""

from __future__ import annotations

from kbdoctor.engine.report import Firing, SuppressionNote
from kbdoctor.tui.i18n import Lang, t
from rich.text import Text


def rule_label(firing: Firing, lang: Lang) -> str:
    """The rule, with its pack and the pack that set its cf when several packs are loaded (as
    the text report names it); the rule alone with the shipped pack only."""
    out = firing.rule
    if firing.pack:
        out = t("report.rule_pack", lang, rule=out, pack=firing.pack)
    if firing.cf_set_by:
        cf = f"{firing.rule_cf:.2f}"
        out += ", " + t("report.cf_set_by", lang, cf=cf, pack=firing.cf_set_by)
    return out


def suppressed_text(note: SuppressionNote, lang: Lang) -> Text:
    """Who accepted a diagnosis, until when, why, and where the entry is written."""
    where = f"{note.file}:{note.line}" if note.line else note.file
    said = t(
        "report.suppressed",
        lang,
        by=note.accepted_by,
        until=note.expires,
        reason=note.reason,
        where=where,
    )
    return Text(said, style="italic cyan")
