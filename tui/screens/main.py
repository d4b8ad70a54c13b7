"""The main screen: three tabs (diagnosis, facts, rules) between a what-if line and a status line.

The screen only arranges and relabels; the application pushes reports, sessions and rule states
into it, so the same screen shows a first diagnosis, a what-if result or a reloaded rule base.
The facts and rules tabs are built the first time they are shown (what was pushed into them
until then is kept and shown at that moment): the first screen is the diagnosis, and building
a table of a thousand facts nobody looks at yet would only delay it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kbdoctor.engine.errors import Problem
from kbdoctor.engine.report import Report
from kbdoctor.engine.rulebase import RuleBase
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.keys import localise_bindings
from kbdoctor.tui.messages import FactRequested
from kbdoctor.tui.session import Entry, Session
from kbdoctor.tui.widgets.diagnosis import DiagnosisPane
from kbdoctor.tui.widgets.footer import KeyFooter
from kbdoctor.tui.widgets.live_state import LiveStateLine, State
from kbdoctor.tui.widgets.reasoning import FactMark, ReasoningTree
from kbdoctor.tui.widgets.rules_broken import RulesBrokenLine
from kbdoctor.tui.widgets.status import StatusBar, whatif_cleared_text, whatif_text
from kbdoctor.tui.widgets.tabs import Tab, Tabbed
from kbdoctor.tui.widgets.title_bar import TitleBar
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets.tree import TreeNode

if TYPE_CHECKING:
    from kbdoctor.tui.widgets.facts import FactBrowser
    from kbdoctor.tui.widgets.rules import RulesView

TABS = ("diagnosis", "facts", "rules")
RulesState = tuple[RuleBase | None, list[str], list[Problem], Lang]


def tab_label(pane: str, lang: Lang) -> str:
    return f"{TABS.index(pane) + 1} {t(f'tui.tab.{pane}', lang)}"


PANES = {"diagnosis": "diagnosis-pane", "facts": "facts", "rules": "rules"}  # tab -> its pane


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("1", "tab('diagnosis')", "tui.key.tab_diagnosis", show=False),
        Binding("2", "tab('facts')", "tui.key.tab_facts", show=False),
        Binding("3", "tab('rules')", "tui.key.tab_rules", show=False),
        Binding("z", "zoom", "tui.key.zoom", show=False),
        Binding("v", "view_full", "tui.key.view_full", show=False),
        Binding("W", "whatif_full", "tui.key.whatif_full", show=False),
    ]

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    AUTO_FOCUS = "#causes"

    def __init__(self, lang: Lang = "en") -> None:
        super().__init__()
        self._lang = lang
        self._session: Session | None = None
        self._rules: RulesState | None = None
        self._facts_view: FactBrowser | None = None  # built when the tab is first shown
        self._rules_view: RulesView | None = None
        localise_bindings(self, lang)

    def compose(self) -> ComposeResult:
        # Everything is composed with its labels and keys in the starting language: relabelling
        # after the first paint would repaint the tabs and the footer for nothing.
        lang = self._lang
        self._set_breakpoint(self.app.size.width)
        diagnosis = DiagnosisPane(id="diagnosis-pane", lang=lang)
        localise_bindings(diagnosis, lang)
        yield TitleBar()
        whatif = Static(id="whatif")
        whatif.display = False
        yield whatif
        tabs = [Tab(tab, tab_label(tab, lang), PANES[tab]) for tab in TABS]
        with Tabbed(tabs, initial="diagnosis", id="tabs"):
            yield diagnosis
            yield Vertical(id="facts")
            yield Vertical(id="rules")
        yield StatusBar(id="status")
        yield KeyFooter()

    def _set_breakpoint(self, width: int) -> None:
        """The class Textual gives the screen for its width (``HORIZONTAL_BREAKPOINTS``), set
        before the widgets are mounted: given at the first resize it would style every widget of
        the screen a second time."""
        for edge, name in sorted(self.HORIZONTAL_BREAKPOINTS, reverse=True):
            if width >= edge:
                self.add_class(name, update=False)
                return

    def on_mount(self) -> None:
        self.query_one(DiagnosisPane).loading = True

    def relabel(self, lang: Lang) -> None:
        """Labels in another language (the keys are relabelled by the application)."""
        self._lang = lang
        tabs = self.query_one("#tabs", Tabbed)
        for tab in TABS:
            tabs.relabel(tab, tab_label(tab, lang))
        self.query_one(DiagnosisPane).relabel(lang)
        if self._facts_view is not None:
            self._facts_view.relabel(lang)

    # -- what the application pushes in ---------------------------------------------------------

    def show_report(
        self, report: Report, baseline: Report | None, mark: FactMark, lang: Lang
    ) -> None:
        pane = self.query_one(DiagnosisPane)
        pane.loading = False
        pane.show(report, baseline, mark, lang)

    def show_no_report(self, message: str) -> None:
        """No diagnosis can be shown (no rules loaded): say why instead of spinning forever."""
        pane = self.query_one(DiagnosisPane)
        pane.loading = False
        self.status(Text(message, style="bold red"))

    def show_session(self, session: Session, lang: Lang) -> None:
        self._session = session
        if self._facts_view is not None:
            self._facts_view.show(session, lang)
        self.show_whatif(session, lang)

    def show_change(self, entry: Entry | None, session: Session, lang: Lang) -> None:
        if entry is not None and self._facts_view is not None:
            self._facts_view.update_entry(entry)
        self.show_whatif(session, lang)

    def show_whatif(self, session: Session, lang: Lang) -> None:
        """The what-if line appears with the first change and then stays (see
        ``whatif_cleared_text``)."""
        bar = self.query_one("#whatif", Static)
        if session.changed:
            bar.display = True
            bar.update(whatif_text(session, lang), layout=False)  # always one line high
        elif bar.display:
            bar.update(whatif_cleared_text(lang), layout=False)

    def show_live_state(self, note: str | None, state: State | None) -> None:
        """The diagnosis is provisional (a collection under way) or covers an incomplete one."""
        self.query_one("#live-state", LiveStateLine).show_state(note, state)

    def show_rules(
        self, base: RuleBase | None, files: list[str], problems: list[Problem], lang: Lang
    ) -> None:
        self._rules = (base, files, problems, lang)
        self.query_one("#rules-broken", RulesBrokenLine).show_problems(problems, lang)
        if self._rules_view is not None:
            self._rules_view.show(base, files, problems, lang)

    async def build_tab(self, tab: str) -> None:
        """Build the facts or rules tab if it was never shown, with what it has to show."""
        # Imported here: neither tab is on the first screen, and their modules would only delay it.
        if tab == "facts" and self._facts_view is None:
            from kbdoctor.tui.widgets.facts import FactBrowser

            browser = self._facts_view = FactBrowser(id="fact-browser")
            localise_bindings(browser, self._lang)
            await self.query_one("#facts", Vertical).mount(browser)
            if self._session is not None:
                browser.show(self._session, self._lang)
            else:
                browser.relabel(self._lang)
        elif tab == "rules" and self._rules_view is None:
            from kbdoctor.tui.widgets.rules import RulesView

            rules = self._rules_view = RulesView(id="rules-view")
            await self.query_one("#rules", Vertical).mount(rules)
            if self._rules is not None:
                rules.show(*self._rules)

    @on(Tabbed.Activated, "#tabs")
    async def _tab_activated(self, event: Tabbed.Activated) -> None:
        await self.build_tab(event.tab)

    def status(self, text: Text | str) -> None:
        self.query_one(StatusBar).say(text)

    def progress(self, done: int, total: int) -> None:
        self.query_one(StatusBar).progress(done, total)

    def idle(self) -> None:
        self.query_one(StatusBar).idle()

    # -- actions --------------------------------------------------------------------------------

    async def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", Tabbed).active = tab
        await self.build_tab(tab)
        if tab == "facts":
            self.query_one("#fact-table").focus()
        elif tab == "rules":
            self.query_one("#rules-table").focus()
        else:
            self.query_one("#causes").focus()

    def action_zoom(self) -> None:
        """Give the focused pane the whole screen (and back): long commands and deep reasoning
        trees stay readable at 80x24."""
        if self.maximized is not None:
            self.minimize()
        elif self.focused is not None:
            self.maximize(self.focused)

    def action_view_full(self) -> None:
        """The line under the cursor in full, whichever pane has it: a line of the reasoning
        tree with everything under it (from the causes, the whole reasoning of the highlighted
        cause), a fact with every field and its source, a rule with its title and conditions."""
        from kbdoctor.tui.widgets.reasoning import ReasoningTree

        focused = self.focused
        tree = self.query_one(ReasoningTree)
        if isinstance(focused, ReasoningTree):
            self.show_branch(focused.cursor_node or focused.root)
        elif focused is not None and focused.id == "fact-table" and self._facts_view is not None:
            key = self._facts_view.selected_key()
            if key is not None:
                self.post_message(FactRequested(key, "open"))
        elif focused is not None and focused.id == "rules-table" and self._rules_view is not None:
            self._rules_view.open_selected()
        elif self.query_one("#tabs", Tabbed).active == "diagnosis":
            self.show_branch(tree.root)
        else:
            self.notify(t("tui.full.nothing", self._lang), markup=False)

    def show_branch(self, node: TreeNode[Any]) -> None:
        """A line of the reasoning tree and what is under it, wrapped in a scrolling dialog."""
        from kbdoctor.tui.full_view import branch_in_full
        from kbdoctor.tui.widgets.view_dialog import ViewDialog

        self._open(ViewDialog(t("tui.full.why", self._lang), branch_in_full(node)))

    def action_whatif_full(self) -> None:
        """Every what-if change in full (the what-if line has room for three, cut)."""
        from kbdoctor.tui.full_view import whatif_in_full
        from kbdoctor.tui.widgets.view_dialog import ViewDialog

        session = self._session
        if session is None or not session.changed:
            self.notify(t("tui.whatif.cleared", self._lang), markup=False)
            return
        title = t("tui.whatif.title", self._lang, count=len(session.changed))
        self._open(ViewDialog(title, whatif_in_full(session, self._lang)))

    def _open(self, screen: Screen[Any]) -> None:
        open_dialog = getattr(self.app, "open_dialog", None)
        if open_dialog is not None:  # the application: the dialog's keys in its language
            open_dialog(screen)
        else:
            self.app.push_screen(screen)

    @on(ReasoningTree.LineChosen)
    def _line_chosen(self, event: ReasoningTree.LineChosen) -> None:
        """Enter on a line of the tree that is neither a fact nor a branch: the line in full."""
        self.show_branch(event.node)

    def show_notes(self) -> None:
        """A note was kept or removed: redraw the markers (cause list, tree, facts table)."""
        self.query_one(DiagnosisPane).show_notes()
        if self._facts_view is not None and self._session is not None:
            self._facts_view.show(self._session, self._lang)

    def select_cause(self, cause: str) -> None:
        self.query_one("#tabs", Tabbed).active = "diagnosis"
        self.query_one(DiagnosisPane).select_cause(cause)
