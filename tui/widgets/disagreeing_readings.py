"""The Diagnosis tab's sign that readings of one moment disagree.

Two files give the clock of EX02 against DC01 at one time as 12 s and as 400 s: the diagnosis
uses the one that shows more of the problem (a cause wrongly ruled out is the one nobody checks)
and the other is set aside. The reports say so in a section of their own; here the causes are
read first, so this line above them names the reading used and those set aside, each with where
it was read, so that the engineer finds out which was right before trusting the ranking.
"""

from __future__ import annotations

from kbdoctor.engine.report import DisagreeingReadings
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.widgets.sign_line import SignLine
from rich.text import Text

from kbdoctor.render.disagreeing import Reading, no_source, readings


def disagreeing_text(entries: list[DisagreeingReadings], lang: Lang) -> Text:
    """``Readings that disagree (1); ...: used clock of DC01 vs ex02: -400.000 s;
    offset_s=-400 (b.txt:5), set aside clock of EX02 vs DC01: +12.000 s; offset_s=12 (a.txt:5)``:
    each reading with where it was read, since the sign is cut after three lines."""
    text = Text(t("tui.disagreeing.sign", lang, count=len(entries)), style="bold")
    shown = []
    for entry in entries:
        used, *aside = readings(entry, lang)
        shown.append(
            t(
                "tui.disagreeing.entry",
                lang,
                used=_reading(used, lang),
                others="; ".join(_reading(other, lang) for other in aside),
            )
        )
    text.append(" " + " | ".join(shown))
    return text


def _reading(reading: Reading, lang: Lang) -> str:
    return f"{reading.text} ({reading.where or no_source(lang)})"


class DisagreeingReadingsLine(SignLine):
    """Hidden while every reading agrees with the others of its moment."""

    DEFAULT_CSS = """
    DisagreeingReadingsLine {
        background: $warning 20%;
    }
    """

    _shown: tuple[list[DisagreeingReadings], Lang] | None = None

    def show_disagreeing(self, entries: list[DisagreeingReadings], lang: Lang) -> None:
        """Redrawn only when the readings (or the language) changed: every what-if edit brings a
        new report, most often with the same disagreement."""
        if self._shown == (entries, lang):
            return
        self._shown = (entries, lang)
        self.say(disagreeing_text(entries, lang) if entries else None)
