"""Nothing is cut for good: a line the reasoning tree, the facts table, the what-if line or the
Rules tab cuts at the pane's edge is read in full in the dialog ``v`` (or Enter, or ``W``)
opens, at the smallest supported terminal and a common large one, in English and (through the
application's language switch) Polish. Each test first shows that the value is cut where it is
listed, so it proves the dialog is the way to read it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.screens.fact_detail import FactDetailScreen
from kbdoctor.tui.widgets.reasoning import ReasoningTree
from kbdoctor.tui.widgets.view_dialog import ViewDialog
from textual.pilot import Pilot
from textual.widgets import DataTable

from .conftest import INCIDENT, ROOT, dialog_text, flat, screen_text, settle

MakeApp = Callable[..., KbdoctorApp]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGS = ["en", "pl"]

# A duplicate SPN held by a retired server's account, written as its long DN, listed in a file
# deep in the customer's ticket folder: both longer than any pane at 120 columns.
LONG_ACCOUNT = (
    "CN=OLDEX01-decommissioned-2019-kept-for-the-archive-mailboxes,"
    "OU=Retired Exchange Servers,OU=Warsaw,DC=contoso,DC=local"
)
LONG_FILE = (
    "ticket-20240311-contoso/outputs-collected-by-the-customer-on-monday/"
    "setspn-x-every-duplicate-spn-in-the-forest.txt"
)
LONG_TITLE = (
    "Queue last error carries 454 4.7.0 from the receiving Exchange server, as the sending "
    "server's queue viewer shows it after every retry"
)


@pytest.fixture
def long_facts(tmp_path: Path) -> str:
    text = INCIDENT.read_text(encoding="utf-8")
    text = text.replace("accounts: [EX01$, OLDEX01$]", f'accounts: [EX01$, "{LONG_ACCOUNT}"]')
    text = text.replace("file: setspn_x.txt", f"file: {LONG_FILE}")
    assert LONG_ACCOUNT in text
    assert LONG_FILE in text
    path = tmp_path / "incident-long.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


async def start(pilot: Pilot[None], lang: str) -> None:
    """Settle, then switch to Polish with the application's own key when asked."""
    await settle(pilot)
    if lang == "pl":
        await pilot.press("l")
        await settle(pilot)
    assert pilot.app.lang == lang  # type: ignore[attr-defined]


async def open_reasoning(pilot: Pilot[None], app: KbdoctorApp) -> ReasoningTree:
    """The reasoning tree of the duplicate-SPN cause, opened with ``w`` (cursor on the cause)."""
    app.main.select_cause("spn_duplicate")
    await pilot.press("w")
    await settle(pilot)
    return app.main.query_one(ReasoningTree)


def cut_on_screen(app: KbdoctorApp, value: str) -> bool:
    """No line of the screen holds the whole value (a one-line pane cut it)."""
    return not any(value in line for line in screen_text(app).splitlines())


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
async def test_v_on_the_reasoning_shows_a_cut_fact_line_in_full(
    make_app: MakeApp, long_facts: str, lang: str, size: tuple[int, int]
) -> None:
    app = make_app(long_facts)
    async with app.run_test(size=size) as pilot:
        await start(pilot, lang)
        tree = await open_reasoning(pilot, app)
        assert app.focused is tree
        assert cut_on_screen(app, LONG_ACCOUNT)
        assert cut_on_screen(app, LONG_FILE)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ViewDialog)
        shown = flat(await dialog_text(pilot))
        assert flat(LONG_ACCOUNT) in shown
        assert flat(LONG_FILE) in shown
        title = app.report.causes[0].title if app.report else ""
        assert flat(title) in shown  # the cause the reasoning is about, on top


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
async def test_enter_on_a_line_that_is_not_a_fact_shows_it_in_full(
    make_app: MakeApp, long_facts: str, lang: str, size: tuple[int, int]
) -> None:
    app = make_app(long_facts)
    async with app.run_test(size=size) as pilot:
        await start(pilot, lang)
        tree = await open_reasoning(pilot, app)
        # the firing's own words ("... is registered on the accounts EX01$, CN=...") are a leaf
        quote = next(
            node
            for node in tree.root.children[-1].children
            if node.data is None and not node.allow_expand
        )
        tree.move_cursor(quote)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ViewDialog)
        shown = flat(await dialog_text(pilot))
        assert flat(str(quote.label)) in shown
        assert flat(LONG_ACCOUNT) in shown


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", ["v", "enter"])
async def test_a_cut_source_of_the_facts_table_is_read_in_full(
    make_app: MakeApp, long_facts: str, lang: str, size: tuple[int, int], key: str
) -> None:
    app = make_app(long_facts)
    async with app.run_test(size=size) as pilot:
        await start(pilot, lang)
        await pilot.press("2", "slash", *"type:spn_dup", "enter")
        await settle(pilot)
        assert cut_on_screen(app, LONG_FILE)  # the Source column
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, FactDetailScreen)
        shown = flat(await dialog_text(pilot))
        assert flat(LONG_FILE) in shown
        assert flat(LONG_ACCOUNT) in shown


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
async def test_w_shows_every_what_if_change_the_what_if_line_cuts(
    make_app: MakeApp, long_facts: str, lang: str, size: tuple[int, int]
) -> None:
    app = make_app(long_facts)
    async with app.run_test(size=size) as pilot:
        await start(pilot, lang)
        await pilot.press("2")
        await settle(pilot)
        for _ in range(4):  # disable the first four facts, the SPN duplicate last
            await pilot.press("d", "down")
        await pilot.press("slash", *"type:spn_dup", "enter", "d")
        await settle(pilot)
        changed = app.session.changed
        assert len(changed) == 5
        assert cut_on_screen(app, LONG_ACCOUNT)  # the what-if line lists three, cut
        await pilot.press("W")
        await settle(pilot)
        assert isinstance(app.screen, ViewDialog)
        shown = flat(await dialog_text(pilot))
        assert flat(LONG_ACCOUNT) in shown
        for entry in changed:
            assert flat(entry.fact.type) in shown


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", ["v", "enter"])
async def test_a_rule_title_the_rules_tab_cuts_is_read_in_full(
    make_app: MakeApp, tmp_path: Path, lang: str, size: tuple[int, int], key: str
) -> None:
    rules = tmp_path / "rules.yaml"
    shutil.copy(ROOT / "kb_rules" / "kb979174.yaml", rules)
    text = rules.read_text(encoding="utf-8")
    old = '{en: "Queue last error carries 454 4.7.0", pl: "Ostatni błąd kolejki zawiera 454 4.7.0"}'
    assert old in text
    rules.write_text(
        text.replace(old, f'{{en: "{LONG_TITLE}", pl: "PL {LONG_TITLE}"}}'), encoding="utf-8"
    )
    title = LONG_TITLE if lang == "en" else f"PL {LONG_TITLE}"
    app = make_app(rules=[str(rules)])
    async with app.run_test(size=size) as pilot:
        await start(pilot, lang)
        await pilot.press("3")
        await settle(pilot)
        table = app.main.query_one("#rules-table", DataTable)
        table.move_cursor(row=table.get_row_index("symptom.queue-454"))
        await pilot.pause()
        assert cut_on_screen(app, title)
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, ViewDialog)
        shown = flat(await dialog_text(pilot))
        assert flat(title) in shown


async def test_v_in_the_filter_line_is_a_letter_typed(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "slash")  # the filter line: v is typed, not an action
        await pilot.press("v")
        assert not isinstance(app.screen, ViewDialog)
        assert app.main.query_one("#fact-filter").value == "v"  # type: ignore[attr-defined]
