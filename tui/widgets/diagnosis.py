"""The diagnosis at a glance: symptoms, ranked causes and findings, and the reasoning and fix of
the cause highlighted.

The left column answers "what is wrong", the right column "why do we think so" and "what do I
do"; the right column follows the highlighted cause, so the arrow keys walk through the
diagnosis without opening anything.
"""

from __future__ import annotations

from kbdoctor.engine.report import CauseReport, Report
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.notes import notes_of
from kbdoctor.tui.widgets.causes import CauseList
from kbdoctor.tui.widgets.disagreeing_readings import DisagreeingReadingsLine
from kbdoctor.tui.widgets.expired_suppressions import ExpiredSuppressionsLine
from kbdoctor.tui.widgets.live_state import LiveStateLine
from kbdoctor.tui.widgets.reasoning import FactMark, ReasoningTree
from kbdoctor.tui.widgets.remediation import RemediationView
from kbdoctor.tui.widgets.rules_broken import RulesBrokenLine
from kbdoctor.tui.widgets.tabs import Tab, Tabbed
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static


def symptoms_text(report: Report, lang: Lang) -> Text:
    text = Text()
    text.append(t("tui.symptoms.title", lang), style="bold")
    if not report.symptoms:
        text.append("\n" + t("tui.symptoms.none", lang), style="italic bright_black")
    for symptom in report.symptoms:
        subjects = ", ".join(s.subject for s in symptom.subjects)
        text.append("\n✓ ", style="green")
        text.append(symptom.title)
        text.append(f"  {symptom.confidence:.2f}", style="bold")
        if subjects:
            text.append(f"  {subjects}", style="bright_black")
    return text


class DiagnosisPane(Horizontal):
    """Left: symptoms, causes and findings. Right: WHY (reasoning tree) and FIX (remediation)."""

    BINDINGS = [
        Binding("c", "copy_command", "tui.key.copy"),
        Binding("C", "copy_all", "tui.key.copy_all", show=False),
        Binding("w", "detail('why')", "tui.key.why"),
        Binding("f", "detail('fix')", "tui.key.fix"),
    ]

    def __init__(self, *, id: str | None = None, lang: Lang = "en") -> None:
        super().__init__(id=id)
        self._report: Report | None = None
        self._baseline: Report | None = None
        self._cause: str | None = None
        self._mark: FactMark = lambda ref: None
        self._lang: Lang = lang
        self._symptoms: Text | None = None

    def compose(self) -> ComposeResult:
        lang = self._lang
        with Vertical(id="overview") as overview:
            overview.border_title = t("tui.causes.title", lang)
            yield RulesBrokenLine(id="rules-broken")
            yield LiveStateLine(id="live-state")
            yield ExpiredSuppressionsLine(id="expired-suppressions")
            yield DisagreeingReadingsLine(id="disagreeing-readings")
            yield Static(id="symptoms")
            yield CauseList(id="causes")
        tabs = [
            Tab("why", t("tui.tab.why", lang), "reasoning"),
            Tab("fix", t("tui.tab.fix", lang), "remediation"),
        ]
        with Tabbed(tabs, initial="why", id="detail"):
            yield ReasoningTree(id="reasoning")
            yield RemediationView(id="remediation")

    def relabel(self, lang: Lang) -> None:
        self._lang = lang
        detail = self.query_one("#detail", Tabbed)
        detail.relabel("why", t("tui.tab.why", lang))
        detail.relabel("fix", t("tui.tab.fix", lang))
        self.query_one("#overview").border_title = t("tui.causes.title", lang)

    def show(self, report: Report, baseline: Report | None, mark: FactMark, lang: Lang) -> None:
        """Show a new report. Each part is redrawn only when what it shows changed: after a
        what-if edit most of the screen stays as it was, and redrawing it would cost more than
        the evaluation."""
        self._report = report
        self._baseline = baseline
        self._mark = mark
        if lang != self._lang:
            self.relabel(lang)
        symptoms = symptoms_text(report, lang)
        if symptoms != self._symptoms:
            self._symptoms = symptoms
            self.query_one("#symptoms", Static).update(symptoms)
        self.query_one(ExpiredSuppressionsLine).show_expired(report.expired_suppressions, lang)
        readings = report.disagreeing_readings
        self.query_one(DisagreeingReadingsLine).show_disagreeing(readings, lang)
        self.query_one(CauseList).show(report, baseline, lang, notes_of(self.app).causes)
        self._show_cause()

    def show_notes(self) -> None:
        """A note was kept or removed: the causes and the reasoning show their markers again."""
        if self._report is not None:
            self.show(self._report, self._baseline, self._mark, self._lang)

    @property
    def cause(self) -> CauseReport | None:
        if self._report is None:
            return None
        for cause in self._report.causes:
            if cause.cause == self._cause:
                return cause
        return None

    @on(CauseList.CauseHighlighted)
    def _cause_highlighted(self, event: CauseList.CauseHighlighted) -> None:
        if event.cause != self._cause:
            self._cause = event.cause
            self._show_cause()

    def _show_cause(self) -> None:
        if self._report is None:
            return
        if self.cause is None and self._report.causes:
            highlighted = self.query_one(CauseList).highlighted_option
            self._cause = highlighted.id if highlighted is not None else None
        tree = self.query_one(ReasoningTree)
        tree.show(self.cause, self._report, self._mark, self._lang, notes_of(self.app))
        self.query_one(RemediationView).show(self.cause, self._lang)

    def select_cause(self, cause: str) -> None:
        causes = self.query_one(CauseList)
        causes.highlighted = causes.get_option_index(cause)
        causes.focus()

    def action_detail(self, pane: str) -> None:
        self.query_one("#detail", Tabbed).active = pane
        target = ReasoningTree if pane == "why" else RemediationView
        widget = self.query_one(target)
        if isinstance(widget, RemediationView):
            widget.query_one("#steps").focus()
        else:
            widget.focus()

    def action_copy_command(self) -> None:
        command = self.query_one(RemediationView).selected_command()
        self._copy([command] if command is not None else [])

    def action_copy_all(self) -> None:
        self._copy(self.query_one(RemediationView).commands())

    def _copy(self, commands: list[str]) -> None:
        """Copy the commands and show them (see ``tui/screens/copied.py``: what the copy did is
        said as it happened, and the text is always there to copy or write to a file)."""
        if not commands:
            self.notify(t("tui.copy.nothing", self._lang), severity="warning", markup=False)
            return
        from kbdoctor.tui.screens.copied import offer_copy

        offer_copy(self.app, "\n".join(commands), len(commands), self._lang)
