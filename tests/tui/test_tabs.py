"""Tabs drawn by one widget over a content switcher: a click or the program picks the pane."""

from __future__ import annotations

from kbdoctor.tui.widgets.tabs import Tab, Tabbed, TabStrip
from textual.app import App, ComposeResult
from textual.widgets import Static

TABS = [Tab("a", "1 Alpha", "pane-a"), Tab("b", "2 Beta", "pane-b"), Tab("c", "3 Gamma", "pane-c")]


class TabsApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.activated: list[str] = []

    def compose(self) -> ComposeResult:
        with Tabbed(TABS, initial="a", id="tabs"):
            for tab in TABS:
                yield Static(f"content of {tab.id}", id=tab.pane)

    def on_tabbed_activated(self, message: Tabbed.Activated) -> None:
        self.activated.append(message.tab)

    def shown(self) -> list[str]:
        return [tab.pane for tab in TABS if self.query_one(f"#{tab.pane}").display]

    def strip(self) -> str:
        strip = self.query_one(TabStrip)
        return "\n".join(strip.render_line(y).text for y in range(strip.size.height))


async def test_only_the_active_pane_is_shown_and_a_click_on_a_label_switches() -> None:
    app = TabsApp()
    async with app.run_test(size=(60, 8)) as pilot:
        assert app.shown() == ["pane-a"]
        labels = app.strip().splitlines()[0]
        await pilot.click(TabStrip, offset=(labels.index("2 Beta"), 0))
        assert app.query_one(Tabbed).active == "b"
        assert app.shown() == ["pane-b"]
        assert app.activated[-1] == "b"
        await pilot.click(TabStrip, offset=(labels.index("2 Beta"), 1))  # the underline: no tab
        assert app.activated.count("b") == 1


async def test_the_program_switches_tabs_and_relabels_them() -> None:
    app = TabsApp()
    async with app.run_test(size=(60, 8)) as pilot:
        app.query_one(Tabbed).active = "c"
        await pilot.pause()
        assert app.shown() == ["pane-c"]
        assert app.activated == ["c"]
        app.query_one(Tabbed).relabel("c", "3 Gamma (PL)")
        await pilot.pause()
        assert "3 Gamma (PL)" in app.strip()
        assert app.strip().splitlines()[1].startswith("━")  # the underline, under every label
