"""Tabs as one widget drawing its labels and underline, above a content switcher.

Textual's TabbedContent is about ten widgets (the tab strip, a widget per tab, the underline, the
switcher and a pane per tab); the first screen had two of them, and mounting, styling and laying
them out took a tenth of the first paint's one-second budget. Here the strip is a single widget
that draws the labels and the underline the way Textual's tabs look, and each pane is the
switcher's own child. A click on a label activates the tab; the keys that switch tabs belong to
the screens, which know what each tab is for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import ContentSwitcher

Label = str | Content


@dataclass(frozen=True)
class Tab:
    """A tab: its id, its label, and the id of the widget it shows."""

    id: str
    label: Label
    pane: str


class TabStrip(Widget):
    """The labels on one line, the underline under them, the active tab highlighted."""

    COMPONENT_CLASSES = {
        "tab-strip--tab",
        "tab-strip--active",
        "tab-strip--bar",
        "tab-strip--bar-active",
    }

    active: reactive[str] = reactive("", layout=False)

    class Clicked(Message):
        def __init__(self, tab: str) -> None:
            super().__init__()
            self.tab = tab

    def __init__(self, tabs: Sequence[Tab], active: str) -> None:
        super().__init__()
        self._labels = {tab.id: tab.label for tab in tabs}
        self._spans: list[tuple[int, int, str]] = []
        self.set_reactive(TabStrip.active, active)

    def relabel(self, tab: str, label: Label) -> None:
        self._labels[tab] = label
        self.refresh()

    def render(self) -> Text:
        active = self.get_component_rich_style("tab-strip--active")
        inactive = self.get_component_rich_style("tab-strip--tab")
        labels = Text(no_wrap=True, end="")
        spans: list[tuple[int, int, str]] = []
        for tab, label in self._labels.items():
            text = label.plain if isinstance(label, Content) else label
            start = labels.cell_len
            labels.append(f" {text} ", active if tab == self.active else inactive)
            spans.append((start, labels.cell_len, tab))
        self._spans = spans
        bar = Text("━" * self.size.width, self.get_component_rich_style("tab-strip--bar"))
        for start, end, tab in spans:
            if tab == self.active:
                bar.stylize(self.get_component_rich_style("tab-strip--bar-active"), start, end)
        return Text("\n", end="").join([labels, bar])

    def on_click(self, event: events.Click) -> None:
        for start, end, tab in self._spans:
            if start <= event.x < end and event.y == 0:
                self.post_message(self.Clicked(tab))
                return


class Tabbed(Vertical):
    """A tab strip over a content switcher. The widgets composed inside are the panes; each tab
    names the pane it shows."""

    active: reactive[str] = reactive("", init=False)

    class Activated(Message):
        """A tab became active (by a click or by the program)."""

        def __init__(self, tabbed: Tabbed, tab: str) -> None:
            super().__init__()
            self.tabbed = tabbed
            self.tab = tab

        @property
        def control(self) -> Tabbed:
            return self.tabbed

    def __init__(self, tabs: Sequence[Tab], *, initial: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self._tabs = {tab.id: tab for tab in tabs}
        self._panes: list[Widget] = []
        self.set_reactive(Tabbed.active, initial)

    def compose_add_child(self, widget: Widget) -> None:
        self._panes.append(widget)

    def compose(self) -> ComposeResult:
        yield TabStrip(list(self._tabs.values()), self.active)
        yield ContentSwitcher(*self._panes, initial=self._tabs[self.active].pane)

    def relabel(self, tab: str, label: Label) -> None:
        self.query_one(TabStrip).relabel(tab, label)

    def watch_active(self, tab: str) -> None:
        self.query_one(TabStrip).active = tab
        self.query_one(ContentSwitcher).current = self._tabs[tab].pane
        self.post_message(self.Activated(self, tab))

    def on_tab_strip_clicked(self, message: TabStrip.Clicked) -> None:
        message.stop()
        self.active = message.tab
