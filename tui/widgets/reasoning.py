"""The reasoning behind one cause, as a tree: cause -> rules that concluded it -> facts they used.

Each fact shows where it came from (file and line, or collector and host), so that a support
engineer can go back to the customer's material. A cause that was not concluded gets a WHY NOT
branch (the condition that failed or the fact that was missing), and a cause no fact spoke to
says what to collect. Conclusions a rule built on (symptoms, findings) open into their own
evidence, so a chain of rules reads from the top down.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kbdoctor.engine.presentation import format_value, source_text
from kbdoctor.engine.report import CauseReport, ConclusionRef, FactRef, Firing, Report
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.notes import NO_NOTES, NoteIndex, note_line, note_tag
from kbdoctor.tui.widgets.attribution import suppressed_text
from kbdoctor.tui.widgets.causes import STATUS_STYLE
from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from kbdoctor.render.common import rule_ref

MAX_PREMISE_DEPTH = 4
MAX_SUBJECTS_IN_LINE = 6

FactMark = Callable[[FactRef], str | None]  # "edited" for a fact changed by a what-if edit


def fact_label(ref: FactRef, mark: str | None, lang: Lang, noted: bool = False) -> Text:
    label = Text()
    label.append("● ", style="cyan")
    if noted:  # first: the end of a long line is cut
        label.append_text(note_tag(lang))
        label.append(" ")
    label.append(ref.type, style="cyan")
    label.append(" " + (ref.summary or _fields_line(ref)))
    where = source_text(ref.source)
    if where:
        label.append("  ⟵ " + where, style="bright_black")
    if mark:
        label.append("  " + t(f"tui.mark.{mark}", lang), style="bold magenta")
    return label


def contribution_text(contribution: float) -> Text:
    """What a firing adds to its cause's confidence, signed once: ``+0.90``, ``-0.20`` (a
    negative certainty factor speaks against the cause, and is shown in red)."""
    return Text(f"  {contribution:+.2f}", style="green" if contribution >= 0 else "red")


def _fields_line(ref: FactRef) -> str:
    return " ".join(f"{k}={format_value(v)}" for k, v in ref.fields.items() if v is not None)


@dataclass
class Branch:
    """One node of the tree as it should be shown. The whole tree is described first and
    compared with what is on screen, so that a report that does not change the highlighted
    cause's reasoning leaves the tree (and what the user unfolded in it) alone."""

    label: Text
    data: FactRef | None = None
    expand: bool = False
    children: list[Branch] | None = None  # None: a leaf

    def add(self, label: Text, *, expand: bool = False) -> Branch:
        branch = Branch(label, expand=expand, children=[])
        self.kids.append(branch)
        return branch

    def add_leaf(self, label: Text, data: FactRef | None = None) -> None:
        self.kids.append(Branch(label, data))

    @property
    def kids(self) -> list[Branch]:
        if self.children is None:
            self.children = []
        return self.children


class ReasoningTree(Tree[FactRef | None]):
    """HOW and WHY NOT for the highlighted cause; selecting a fact opens it, selecting any
    other line that does not fold shows it in full (a line is cut at the pane's edge)."""

    @dataclass
    class FactPicked(Message):
        ref: FactRef

    @dataclass
    class LineChosen(Message):
        node: TreeNode[FactRef | None]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.show_root = True
        self.guide_depth = 3
        self._report: Report | None = None
        self._mark: FactMark = lambda ref: None
        self._lang: Lang = "en"
        self._notes: NoteIndex = NO_NOTES
        self._shown: Branch | None = None

    def show(
        self,
        cause: CauseReport | None,
        report: Report,
        mark: FactMark,
        lang: Lang,
        notes: NoteIndex = NO_NOTES,
    ) -> None:
        self._report = report
        self._mark = mark
        self._lang = lang
        self._notes = notes
        described = self.describe(cause, report)
        if described == self._shown:
            return
        self._shown = described
        self.clear()
        self.root.set_label(described.label)
        self._grow(self.root, described)
        self.root.expand()

    def _grow(self, node: TreeNode[FactRef | None], branch: Branch) -> None:
        for child in branch.children or ():
            if child.children is None:
                node.add_leaf(child.label, data=child.data)
            else:
                self._grow(node.add(child.label, data=child.data, expand=child.expand), child)

    def describe(self, cause: CauseReport | None, report: Report) -> Branch:
        """The tree for ``cause`` (the root is the cause itself)."""
        lang = self._lang
        if cause is None:
            return Branch(Text(t("tui.reasoning.no_cause", lang), style="italic"))
        note = self._notes.cause(cause.cause)
        root_label = Text()
        if note is not None:
            root_label.append_text(note_tag(lang))
            root_label.append(" ")
        root_label.append(cause.title, style="bold")
        status = t(f"tui.status.{cause.status}", lang)
        root_label.append(f"  {status} {cause.confidence:.2f}", style=STATUS_STYLE[cause.status])
        root = Branch(root_label, expand=True, children=[])
        if note is not None:
            root.add_leaf(note_line(note, lang))
        if cause.suppressed is not None:
            root.add_leaf(suppressed_text(cause.suppressed, lang))
        if cause.subjects:
            self._add_subjects(root, cause)
        for firing in cause.evidence:
            self._add_firing(root, firing, depth=0)
        if cause.why_not:
            branch = root.add(
                Text("✗ " + t("tui.reasoning.why_not", lang), style="bold yellow"),
                expand=not cause.evidence,
            )
            for miss in cause.why_not:
                node = branch.add(
                    Text.assemble(
                        (miss.rule_title, "bold"),
                        (f"  [{miss.rule}]", "bright_black"),
                        ("  " + t(f"tui.miss.{miss.reason}", lang), "yellow"),
                    ),
                    expand=True,
                )
                node.add_leaf(Text(miss.text, style="italic"))
                if miss.fact_type:
                    node.add_leaf(
                        Text(
                            t("tui.reasoning.missing_type", lang, type=miss.fact_type),
                            style="yellow",
                        )
                    )
                for ref in miss.facts:
                    node.add_leaf(self._fact_label(ref), data=ref)
        elif not cause.evidence and not report.explained:
            root.add_leaf(Text(t("tui.reasoning.not_explained", lang), style="italic"))
        elif not cause.evidence:
            root.add_leaf(Text(t("tui.reasoning.nothing", lang), style="italic"))
        if cause.collect:
            branch = root.add(
                Text("⇣ " + t("tui.reasoning.collect", lang), style="bold"),
                expand=cause.status == "not_assessed",
            )
            for item in cause.collect:
                node = branch.add(Text(item.text), expand=True)
                node.add_leaf(Text(t("tui.reasoning.facts", lang, types=", ".join(item.facts))))
                if item.command:
                    node.add_leaf(Text("$ " + item.command, style="bold green"))
        return root

    def _add_subjects(self, root: Branch, cause: CauseReport) -> None:
        """The servers or accounts the cause concerns. In a large organisation they are many:
        the line names the first few and opens into one line each, instead of one line as wide
        as a hundred servers (which is also slow to draw)."""
        lang = self._lang
        shown = [f"{s.subject} {s.confidence:.2f}" for s in cause.subjects]
        if len(shown) <= MAX_SUBJECTS_IN_LINE:
            root.add_leaf(Text(t("tui.reasoning.subjects", lang, subjects=", ".join(shown))))
            return
        line = ", ".join(shown[:MAX_SUBJECTS_IN_LINE])
        more = t("tui.reasoning.subjects_more", lang, count=len(shown) - MAX_SUBJECTS_IN_LINE)
        branch = root.add(Text(t("tui.reasoning.subjects", lang, subjects=f"{line} {more}")))
        for subject in shown:
            branch.add_leaf(Text(subject))

    def _add_firing(self, parent: Branch, firing: Firing, depth: int) -> None:
        label = Text()
        label.append("✓ ", style="green")
        label.append(firing.rule_title, style="bold")
        label.append(f"  [{rule_ref(firing, self._lang)}]", style="bright_black")
        label.append_text(contribution_text(firing.contribution))
        if firing.subject:
            label.append(f"  {firing.subject}")
        node = parent.add(label, expand=depth == 0)
        if firing.text:
            node.add_leaf(Text("“" + firing.text + "”", style="italic"))
        if firing.note:
            node.add_leaf(Text(firing.note, style="yellow"))
        for ref in firing.facts:
            node.add_leaf(self._fact_label(ref), data=ref)
        for premise in firing.premises:
            self._add_premise(node, premise, depth + 1)

    def _fact_label(self, ref: FactRef) -> Text:
        """A fact's line, marked when it is edited or carries a note (with the note under it,
        in the full view and the fact's own dialog)."""
        return fact_label(ref, self._mark(ref), self._lang, self._notes.ref(ref) is not None)

    def _add_premise(self, parent: Branch, premise: ConclusionRef, depth: int) -> None:
        lang = self._lang
        label = Text.assemble(
            ("↳ ", "blue"),
            (t(f"tui.kind.{premise.kind}", lang) + " ", "blue"),
            (self._title_of(premise), "bold"),
            (f"  {premise.subject}  {premise.confidence:.2f}", ""),
        )
        firings = self._firings_of(premise)
        if not firings or depth > MAX_PREMISE_DEPTH:
            parent.add_leaf(label)
            return
        node = parent.add(label, expand=False)
        for firing in firings:
            self._add_firing(node, firing, depth)

    def _title_of(self, premise: ConclusionRef) -> str:
        report = self._report
        if report is None:
            return premise.id
        titles = {
            **{("cause", c.cause): c.title for c in report.causes},
            **{("finding", f.id): f.title for f in report.findings},
            **{("symptom", s.id): s.title for s in report.symptoms},
        }
        return titles.get((premise.kind, premise.id), premise.id)

    def _firings_of(self, premise: ConclusionRef) -> list[Firing]:
        report = self._report
        if report is None:
            return []
        if premise.kind == "symptom":
            for symptom in report.symptoms:
                if symptom.id == premise.id:
                    return [f for f in symptom.evidence if f.subject == premise.subject]
        if premise.kind == "finding":
            return [
                f
                for finding in report.findings
                if finding.id == premise.id and finding.subject == premise.subject
                for f in finding.evidence
            ]
        if premise.kind == "cause":
            for cause in report.causes:
                if cause.cause == premise.id:
                    return [f for f in cause.evidence if f.subject == premise.subject]
        return []

    def on_tree_node_selected(self, event: Tree.NodeSelected[FactRef | None]) -> None:
        if event.node.data is not None:
            event.stop()
            self.post_message(self.FactPicked(event.node.data))
        elif not event.node.allow_expand:
            event.stop()
            self.post_message(self.LineChosen(event.node))
