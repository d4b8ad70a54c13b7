"""What to do about one cause: the KB text of its step and the exact commands, ready to copy.

For a cause that was not assessed the steps are the commands that would collect the missing
facts, because the next thing to do is to look, not to fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from kbdoctor.engine.report import CauseReport
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.widgets.causes import kb_label
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class Step:
    text: str
    command: str | None
    subject: str | None = None


def steps_of(cause: CauseReport) -> list[Step]:
    if cause.status == "not_assessed" or not cause.remediation:
        return [Step(c.text, c.command) for c in cause.collect]
    return [Step(c.text, c.command, c.subject) for c in cause.remediation]


def step_prompt(number: int, step: Step) -> Text:
    text = Text()
    text.append(f"{number}. ", style="bold")
    text.append(step.text)
    if step.subject:
        text.append(f"  ({step.subject})", style="bright_black")
    if step.command:
        text.append("\n   $ ", style="bright_black")
        text.append(step.command, style="bold green")
    return text


class RemediationView(VerticalScroll):
    """The KB step of the highlighted cause and its commands."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._steps: list[Step] = []
        self._head: Text | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="kb-text")
        yield OptionList(id="steps", markup=False)

    def show(self, cause: CauseReport | None, lang: Lang) -> None:
        """Show the step of ``cause``; nothing is redrawn when the text and the commands are
        those already shown (most reports after a what-if edit)."""
        head, steps = self.describe(cause, lang)
        if head == self._head and steps == self._steps:
            return
        self._head, self._steps = head, steps
        self.query_one("#kb-text", Static).update(head)
        options = self.query_one("#steps", OptionList)
        options.clear_options()
        options.add_options(
            [Option(step_prompt(n, s), id=str(n - 1)) for n, s in enumerate(steps, 1)]
        )
        if steps:
            options.highlighted = 0

    @staticmethod
    def describe(cause: CauseReport | None, lang: Lang) -> tuple[Text, list[Step]]:
        """The KB text above the steps, and the steps."""
        if cause is None:
            return Text(t("tui.reasoning.no_cause", lang), style="italic"), []
        head = Text()
        head.append(cause.title, style="bold")
        label = kb_label(cause, lang)
        if cause.kb or label:
            head.append("  " + (cause.kb or label), style="bright_black")
        if cause.description:
            head.append("\n" + cause.description)
        if cause.url:
            head.append("\n" + cause.url, style="underline bright_blue")
        steps = steps_of(cause)
        collecting = cause.status == "not_assessed" or not cause.remediation
        heading = "tui.fix.collect" if collecting and cause.collect else "tui.fix.steps"
        head.append("\n\n" + t(heading, lang), style="bold underline")
        if not steps:
            head.append("\n" + t("tui.fix.none", lang), style="italic")
        return head, steps

    def selected_command(self) -> str | None:
        """The command of the highlighted step (or the first step with a command)."""
        steps = self.query_one("#steps", OptionList)
        index = steps.highlighted
        if index is not None and 0 <= index < len(self._steps) and self._steps[index].command:
            return self._steps[index].command
        return next((s.command for s in self._steps if s.command), None)

    def commands(self) -> list[str]:
        """Every command of the steps shown, in order (what copy all copies)."""
        return [s.command for s in self._steps if s.command]
