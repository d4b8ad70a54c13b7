"""What a one-line pane cuts, in full: the texts the "show in full" dialog (``v``, ``W``) shows.

The reasoning tree draws one line per node and the what-if line one line in all, so at 80x24 a
long fact, a long HOW or WHY-NOT line or the fifth change is cut. Rather than a second way of
reading each, these texts go into the one dialog that already shows views in full
(:class:`kbdoctor.tui.widgets.view_dialog.ViewDialog`): there lines wrap by word in the
dialog's width and the rest is a scroll away. Built as Rich renderables by plain functions, so
they are tested without a screen.
"""

from __future__ import annotations

from kbdoctor.engine.facts import fact_fields
from kbdoctor.engine.presentation import format_value
from kbdoctor.tui.fact_text import fact_summary
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.session import Session
from rich.text import Text
from rich.tree import Tree as RichTree
from textual.widgets.tree import TreeNode

MARKS = {"edited": "✎", "disabled": "⊘"}


def branch_in_full(node: TreeNode[object]) -> RichTree:
    """A node of the reasoning tree and everything under it, folded or not, as a Rich tree
    (whose labels wrap by word under their guides)."""
    tree = RichTree(_label(node), guide_style="bright_black")
    _grow(tree, node)
    return tree


def _grow(tree: RichTree, node: TreeNode[object]) -> None:
    for child in node.children:
        _grow(tree.add(_label(child)), child)


def _label(node: TreeNode[object]) -> Text:
    label = node.label
    return label.copy() if isinstance(label, Text) else Text(str(label))


def whatif_in_full(session: Session, lang: Lang) -> Text:
    """Every what-if change: the fact as the diagnosis sees it, each edited field's loaded and
    new value, and who made the change and when."""
    changed = session.changed
    text = Text()
    if not changed:
        text.append(t("tui.whatif.cleared", lang), style="bright_black")
        return text
    made = {change.key: change for change in session.history()}
    for number, entry in enumerate(changed):
        if number:
            text.append("\n\n")
        text.append(f"{MARKS[entry.status]} ", style="bold magenta")
        text.append(entry.fact.type, style="cyan")
        text.append(" " + fact_summary(entry.fact))
        text.append("\n  " + t(f"tui.entry.{entry.status}", lang), style="magenta")
        change = made.get(entry.key)
        if change is not None:
            text.append(f"  ({change.by}, {change.at.isoformat()})", style="bright_black")
        if entry.status != "edited":
            continue
        for name in fact_fields(entry.fact.type):
            before, after = getattr(entry.loaded, name), getattr(entry.fact, name)
            if before != after:
                text.append(f"\n  {name}: ", style="bold")
                text.append("—" if before is None else format_value(before), style="bright_black")
                text.append(" → ")
                text.append("—" if after is None else format_value(after), style="magenta")
    return text
