"""Whose word a line of the Diagnosis tab is: the site's suppression that accepted it, in the
words the reports use (the rule and its packs are ``render.common.rule_ref``, as there)."""

from __future__ import annotations

from kbdoctor.engine.report import SuppressionNote
from kbdoctor.tui.i18n import Lang
from rich.text import Text

from kbdoctor.render.common import suppressed_line


def suppressed_text(note: SuppressionNote, lang: Lang) -> Text:
    """Who accepted a diagnosis, until when, why, and where the entry is written."""
    return Text(suppressed_line(note, lang), style="italic cyan")
