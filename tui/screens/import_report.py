"""What the last import read from each file: the import report (import-report/1) as a tree.

The toast after an import gives counts; an engineer who wants to check an import needs, per file,
which reader claimed which lines, what it read there, and what nothing read and why, to hold
against the material itself. This is the report ``kbdoctor collect --report`` writes, built by
the same code (:func:`kbdoctor.collectors.import_report.build_report`), shown as a tree: files,
their blocks with reader and lines (facts below them), and their warnings with line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from kbdoctor.engine.presentation import format_value
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.widgets.footer import KeyFooter
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

if TYPE_CHECKING:
    from kbdoctor.collectors.import_report import (
        BlockReport,
        FileReport,
        ImportReport,
        ReadFact,
        WarningReport,
    )
    from kbdoctor.collectors.importing import ImportResult

FACTS_SHOWN = 200  # facts listed under one block (an event log gives thousands); the rest counted


def file_label(file: FileReport, lang: Lang) -> Text:
    """``path  read`` (or why it was not read), the status in its colour."""
    status = t(f"tui.import_report.status.{file.status}", lang)
    if file.not_output is not None:
        status = t(
            "tui.import_report.status.not_output",
            lang,
            what=t(f"tui.import_report.not_output.{file.not_output}", lang),
        )
    style = "green" if file.status == "read" else "yellow"
    return Text.assemble((file.path, "bold"), "  ", (status, style))


def block_label(block: BlockReport, lang: Lang) -> Text:
    """The block as the terminal summary says it (``setspn-L lines 2-4: 1 fact(s)``), with the
    command typed at its prompt."""
    from kbdoctor.collectors.import_summary import block_text

    text = Text(block_text(block, lang), style="dim" if block.reader is None else "")
    if block.command:
        text.append(f"  > {block.command}", style="bright_black")
    return text


def fact_label(fact: ReadFact, lang: Lang) -> Text:
    """``line 10-12: clock_offset host=DC01 reference=EX01 offset_s=421.5``."""
    fields = " ".join(f"{name}={format_value(value)}" for name, value in fact.fields.items())
    return Text.assemble(
        (where(fact.line, fact.line_end, lang) + ": ", "bright_black"), (fact.type, "cyan"),
        " ", fields,
    )


def warning_label(warning: WarningReport, lang: Lang) -> Text:
    """``line 7: <text>``; a warning about the whole file shows its first line only (the list
    of known formats that follows is the same for every such file)."""
    first = warning.text.split("\n", 1)[0]
    location = where(warning.line, None, lang) + ": "
    return Text.assemble((location, "bright_black"), (first, "yellow"))


def where(line: int | None, line_end: int | None, lang: Lang) -> str:
    if line is None:
        return t("tui.import_report.whole_file", lang)
    if line_end is not None and line_end != line:
        return t("tui.import_report.lines", lang, first=line, last=line_end)
    return t("tui.import_report.line", lang, line=line)


def fill_tree(tree: Tree[None], report: ImportReport, lang: Lang) -> None:
    """Files expanded with their blocks and warnings; a block's facts folded under it."""
    tree.clear()
    totals = report.totals
    tree.root.set_label(Text(t("tui.import_report.totals", lang, **totals.model_dump())))
    for file in report.files:
        node = tree.root.add(file_label(file, lang), expand=True)
        for block in file.blocks:
            _add_block(node, block, lang)
        for warning in file.warnings:
            node.add_leaf(warning_label(warning, lang))
    if report.warnings:
        other = tree.root.add(Text(t("tui.import_report.other", lang), style="bold"), expand=True)
        for item in report.warnings:
            other.add_leaf(Text(f"{item.path}: {item.text.split(chr(10), 1)[0]}", style="yellow"))
    tree.root.expand()


def _add_block(parent: TreeNode[None], block: BlockReport, lang: Lang) -> None:
    if not block.facts:
        parent.add_leaf(block_label(block, lang))
        return
    node = parent.add(block_label(block, lang))
    for fact in block.facts[:FACTS_SHOWN]:
        node.add_leaf(fact_label(fact, lang))
    if len(block.facts) > FACTS_SHOWN:
        node.add_leaf(Text(f"… +{len(block.facts) - FACTS_SHOWN}", style="bright_black"))


class ImportReportScreen(ModalScreen[None]):
    """The report of the last import; Enter or a click opens a block to list its facts. A report
    made in another language than the one now shown is made again from ``result`` (in a worker:
    an import of event logs holds thousands of facts), so that its warnings read in it too."""

    DEFAULT_CSS = """
    ImportReportScreen #dialog {
        height: 90%;
    }
    ImportReportScreen #import-tree {
        height: 1fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,I", "dismiss", "tui.key.close"),
    ]

    def __init__(
        self, report: ImportReport, lang: Lang, result: ImportResult | None = None
    ) -> None:
        super().__init__()
        self.report = report
        self.lang = lang
        self.result = result

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("tui.import_report.title", self.lang)
            yield Static(Text(t("tui.import_report.intro", self.lang), style="bright_black"))
            tree: Tree[None] = Tree("", id="import-tree")
            fill_tree(tree, self.report, self.lang)
            yield tree
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#import-tree", Tree).focus()
        if self.report.lang != self.lang and self.result is not None:
            self.run_worker(self._translate, thread=True, exit_on_error=False)

    def _translate(self) -> None:
        from kbdoctor.collectors.import_report import build_report

        if self.result is not None:
            report = build_report(self.result, self.lang)
            self.app.call_from_thread(self._show, report)

    def _show(self, report: ImportReport) -> None:
        self.report = report
        fill_tree(self.query_one("#import-tree", Tree), report, self.lang)
