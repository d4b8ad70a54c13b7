"""The ranked causes: a confidence bar, the number, the status and the KB step of each cause.

Causes the facts spoke to come first, highest confidence first; then the findings
(``tui/widgets/findings.py``), which are no cause but must be seen; causes no fact spoke to follow
under their own heading with what to collect, because "not assessed" must never read as "fine".
During a what-if session a cause whose confidence moved shows where it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from kbdoctor.engine.report import SCOPE_RANK, CauseReport, Report
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.notes import note_tag
from kbdoctor.tui.widgets.findings import finding_prompts
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
    """Assessed causes: the believed ones on a failing path first and latent problems after them
    (as the report ranks them), then by confidence (then status, then id, so ties read the same
    every time); then the causes that were not assessed."""
    return sorted(
        report.causes,
        key=lambda c: (
            c.status == "not_assessed",
            SCOPE_RANK[c.scope] if c.confidence > 0 else len(SCOPE_RANK),
            -c.confidence,
            _STATUS_ORDER[c.status],
            c.cause,
        ),
    )


def kb_label(cause: CauseReport, lang: Lang) -> str:
    if cause.kb_steps:
        return t("tui.causes.kb_steps", lang, steps=", ".join(str(s) for s in cause.kb_steps))
    return cause.kb or ""


def cause_prompt(cause: CauseReport, was: float | None, lang: Lang, noted: bool = False) -> Text:
    """Two lines: the confidence (or what to collect) and the title, which a note's tag starts
    (where a narrow column does not cut it off); a third for a suppressed cause: why the site
    accepted it."""
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
        _tag(line, noted, lang)
        line.append(cause.title, style="italic")
        return line
    line.append(bar(cause.confidence), style=style)
    line.append(f" {cause.confidence:5.2f} ", style="bold")
    line.append(t(f"tui.status.{cause.status}", lang), style=style)
    label = kb_label(cause, lang)
    if label:
        line.append(f" · {label}", style="bright_black")
    if cause.confidence > 0 and cause.scope == "latent":
        line.append(" · " + t("tui.causes.latent", lang), style="italic")
    if was is not None and abs(was - cause.confidence) >= 0.005:
        line.append(" " + t("tui.causes.was", lang, value=f"{was:.2f}"), style="bold magenta")
    if cause.suppressed is not None:  # accepted by the site: shown, never hidden
        note = cause.suppressed
        line.append(
            " · " + t("tui.causes.suppressed", lang, by=note.accepted_by, until=note.expires),
            style="italic cyan",
        )
    line.append("\n")
    _tag(line, noted, lang)
    line.append(cause.title, style="bold")
    if cause.suppressed is not None:
        reason = t("tui.causes.suppressed_reason", lang, reason=cause.suppressed.reason)
        line.append("\n" + reason, style="italic cyan")
    return line


def _tag(line: Text, noted: bool, lang: Lang) -> None:
    if noted:
        line.append_text(note_tag(lang))
        line.append(" ")


Row = tuple[str | None, bool, Text]  # cause (None: a heading or a finding), a divider, prompt


def cause_rows(
    report: Report, baseline: Report | None, lang: Lang, noted: frozenset[str] = frozenset()
) -> list[Row]:
    before = {c.cause: c.confidence for c in baseline.causes} if baseline else {}

    def row(cause: CauseReport) -> Row:
        was = before.get(cause.cause) if baseline is not report else None
        return (cause.cause, False, cause_prompt(cause, was, lang, cause.cause in noted))

    causes = ranked(report)  # the causes not assessed last
    rows = [row(c) for c in causes if c.status != "not_assessed"]
    findings: list[Row] = [(None, False, prompt) for prompt in finding_prompts(report, lang)]
    _section(rows, t("tui.findings.title", lang), findings)
    _section(
        rows,
        t("tui.causes.not_assessed", lang),
        [row(c) for c in causes if c.status == "not_assessed"],
    )
    return rows


def _section(rows: list[Row], heading: str, section: list[Row]) -> None:
    """A heading and its rows, divided from the rows above; nothing when there are none."""
    if not section:
        return
    if rows:
        rows[-1] = (rows[-1][0], True, rows[-1][2])
    rows.append((None, False, Text(heading, style="bold")))
    rows.extend(section)


class CauseList(OptionList):
    """One option per cause; the highlighted cause is the one the other panes show."""

    @dataclass
    class CauseHighlighted(Message):
        cause: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[Row] = []

    def show(
        self,
        report: Report,
        baseline: Report | None,
        lang: Lang,
        noted: frozenset[str] = frozenset(),
    ) -> None:
        """Show the causes of ``report`` (those in ``noted`` tagged as having a note). When the
        causes keep their order (a what-if edit that only moves a confidence, a note) only the
        prompts that changed are replaced, and the list keeps its scroll position and
        highlight."""
        rows = cause_rows(report, baseline, lang, noted)
        if rows == self._rows:
            return
        if [row[:2] for row in rows] == [row[:2] for row in self._rows]:
            for index, (row, old) in enumerate(zip(rows, self._rows, strict=True)):
                if row[2] != old[2]:
                    self.replace_option_prompt_at_index(index, row[2])
            self._rows = rows
            return
        current = self.highlighted_option.id if self.highlighted_option is not None else None
        options: list[Option | None] = []
        for cause, divided, prompt in rows:
            options.append(Option(prompt, id=cause, disabled=cause is None))
            if divided:
                options.append(None)
        self._rows = rows
        self.clear_options()
        self.add_options(options)
        ids = [cause for cause, _, _ in rows if cause is not None]
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
