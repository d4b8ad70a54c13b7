"""The ranked causes: a confidence bar, the number, the status and the KB step of each cause.

Causes the facts spoke to come first, highest confidence first; causes no fact spoke to follow
under their own heading with what to collect, because "not assessed" must never read as "fine".
During a what-if session a cause whose confidence moved shows where it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from kbdoctor.engine.report import CauseReport, Report
from kbdoctor.tui.i18n import Lang, t
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

BAR_CELLS = 8
_EIGHTHS = " ▏▎▍▌▋▊▉"
STATUS_STYLE = {
    "diagnosed": "bold red",
    "possible": "yellow",
    "ruled_out": "green",
    "no_evidence": "bright_black",
    "not_assessed": "bright_black",
}
_STATUS_ORDER = {"diagnosed": 0, "possible": 1, "no_evidence": 2, "ruled_out": 3, "not_assessed": 4}


def bar(confidence: float, cells: int = BAR_CELLS) -> str:
    """A bar of ``cells`` characters filled in eighths: 0.92 -> nine and a bit cells."""
    eighths = round(max(0.0, min(1.0, abs(confidence))) * cells * 8)
    full, rest = divmod(eighths, 8)
    text = "█" * full + (_EIGHTHS[rest] if rest else "")
    return text.ljust(cells, "·")


def ranked(report: Report) -> list[CauseReport]:
    """Assessed causes by confidence (then status, then id, so ties read the same every time),
    then the causes that were not assessed."""
    return sorted(
        report.causes,
        key=lambda c: (c.status == "not_assessed", -c.confidence, _STATUS_ORDER[c.status], c.cause),
    )


def kb_label(cause: CauseReport, lang: Lang) -> str:
    if cause.kb_steps:
        return t("tui.causes.kb_steps", lang, steps=", ".join(str(s) for s in cause.kb_steps))
    return cause.kb or ""


def cause_prompt(cause: CauseReport, was: float | None, lang: Lang) -> Text:
    style = STATUS_STYLE[cause.status]
    line = Text()
    if cause.status == "not_assessed":
        line.append("?", style="bright_black")
        label = kb_label(cause, lang)
        if label:
            line.append(f" {label}", style="bright_black")
        if cause.collect:
            line.append(" · " + t("tui.causes.collect_hint", lang), style="bright_black")
        line.append("\n")
        line.append(cause.title, style="italic")
        return line
    line.append(bar(cause.confidence), style=style)
    line.append(f" {cause.confidence:5.2f} ", style="bold")
    line.append(t(f"tui.status.{cause.status}", lang), style=style)
    label = kb_label(cause, lang)
    if label:
        line.append(f" · {label}", style="bright_black")
    if was is not None and abs(was - cause.confidence) >= 0.005:
        line.append(" " + t("tui.causes.was", lang, value=f"{was:.2f}"), style="bold magenta")
    line.append("\n")
    line.append(cause.title, style="bold")
    return line


class CauseList(OptionList):
    """One option per cause; the highlighted cause is the one the other panes show."""

    @dataclass
    class CauseHighlighted(Message):
        cause: str

    def show(self, report: Report, baseline: Report | None, lang: Lang) -> None:
        current = self.highlighted_option.id if self.highlighted_option is not None else None
        before = {c.cause: c.confidence for c in baseline.causes} if baseline else {}
        options: list[Option | None] = []
        heading_done = False
        for cause in ranked(report):
            if cause.status == "not_assessed" and not heading_done:
                heading_done = True
                if options:
                    options.append(None)
                options.append(
                    Option(Text(t("tui.causes.not_assessed", lang), style="bold"), disabled=True)
                )
            was = before.get(cause.cause) if baseline is not report else None
            options.append(Option(cause_prompt(cause, was, lang), id=cause.cause))
        self.clear_options()
        self.add_options(options)
        ids = [o.id for o in options if o is not None and o.id is not None]
        if ids:
            target = current if current in ids else ids[0]
            self.highlighted = self.get_option_index(target)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.CauseHighlighted(event.option_id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.CauseHighlighted(event.option_id))
