"""Each thing a support engineer does in the TUI, driven through the real application."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from kbdoctor.engine.factio import load_fact_files
from kbdoctor.engine.facts import is_disabled
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.fact_query import SearchColumns
from kbdoctor.tui.i18n import t
from kbdoctor.tui.messages import WorkFinished, WorkProgressed
from kbdoctor.tui.screens.fact_detail import FactDetailScreen
from kbdoctor.tui.screens.fact_edit import FactEditScreen
from kbdoctor.tui.screens.help import HelpScreen
from kbdoctor.tui.screens.pick_path import PickPathScreen
from kbdoctor.tui.screens.save import SaveScreen
from kbdoctor.tui.session import Session
from kbdoctor.tui.widgets.line_table import LineTable
from kbdoctor.tui.widgets.reasoning import ReasoningTree
from kbdoctor.tui.widgets.tabs import Tabbed
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, ProgressBar
from textual.widgets.tree import TreeNode

from .conftest import DATA, INCIDENT, ROOT, screen_text, settle

MakeApp = Callable[..., KbdoctorApp]
SIZE = (120, 40)


def tree_lines(app: KbdoctorApp) -> list[str]:
    tree = app.main.query_one(ReasoningTree)
    lines = []

    def walk(node, depth: int) -> None:  # type: ignore[no-untyped-def]
        lines.append("  " * depth + node.label.plain)
        for child in node.children:
            walk(child, depth + 1)

    walk(tree.root, 0)
    return lines


def cause_of(app: KbdoctorApp, cause: str) -> float:
    assert app.report is not None
    return next(c.confidence for c in app.report.causes if c.cause == cause)


async def test_the_diagnosis_shows_ranked_causes_symptoms_and_what_was_not_assessed(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        first_cause = text.index("Clocks more than 5 minutes apart")
        assert "0.90 diagnosed · step 1" in text
        assert first_cause < text.index("Active Directory replication is failing")  # ranked
        assert app.main.query_one("#causes", OptionList).highlighted == 0  # the best first
        assert "✓ Exchange server authentication fails: 454" in text
        assert "Not assessed: collect more" in text
        assert "Kerberos ports blocked" in text


async def test_the_reasoning_tree_goes_from_cause_to_rule_to_facts_with_their_source(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.select_cause("time_sync")
        await pilot.pause()
        lines = tree_lines(app)
        assert lines[0].startswith("Clocks more than 5 minutes apart")
        rule = next(line for line in lines if "[time.skew.between-parties]" in line)
        assert rule.strip().startswith("✓")
        fact = next(line for line in lines if "clock_offset" in line)
        assert "w32tm_ex01.txt:3" in fact


async def test_enter_on_a_fact_of_the_reasoning_tree_opens_the_fact(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.select_cause("time_sync")
        await pilot.pause()
        tree = app.main.query_one(ReasoningTree)
        node = next(n for n in _walk(tree.root) if getattr(n.data, "type", None) == "clock_offset")
        tree.move_cursor(node)
        tree.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FactDetailScreen)
        assert "offset_s" in screen_text(app)


def _walk(node: TreeNode[Any]) -> Iterator[TreeNode[Any]]:
    yield node
    for child in node.children:
        yield from _walk(child)


async def test_a_cause_that_was_not_concluded_shows_why_not(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.select_cause("connector_auth")
        await pilot.pause()
        lines = tree_lines(app)
        assert any("Why not" in line for line in lines)
        assert any("missing fact: receive_connector" in line for line in lines)
        assert any("What to collect" in line for line in lines)


async def test_the_fix_tab_shows_commands_and_c_copies_the_highlighted_one(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no clipboard tool: the copy goes as OSC 52
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.select_cause("time_sync")
        await pilot.press("f")
        assert app.main.query_one("#detail", Tabbed).active == "fix"
        text = screen_text(app)
        assert "KB 979174, step 1" in text
        assert "$ w32tm /config /syncfromflags:domhier" in text
        await pilot.press("c")  # the first step: the PDC emulator takes an external source
        await _until_copied(pilot)
        assert "/manualpeerlist:" in app.clipboard
        await pilot.press("escape", "down", "c")
        await _until_copied(pilot)
        assert app.clipboard == "w32tm /resync /rediscover"


async def _until_copied(pilot: Pilot[None]) -> None:
    """The copy runs in a worker, then shows what it copied (tui/screens/copied.py)."""
    from kbdoctor.tui.screens.copied import CopiedScreen

    for _ in range(200):
        await pilot.pause(0.02)
        if isinstance(pilot.app.screen, CopiedScreen):
            return
    raise AssertionError("the copy did not finish")


async def test_facts_can_be_filtered_by_type_host_and_text_and_opened(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        table = app.main.query_one("#fact-table", LineTable)
        assert table.row_count == 7
        await pilot.press("slash", *"type:clock")
        assert table.row_count == 1
        app.main.query_one("#fact-filter", Input).value = "host:dc02"
        await pilot.pause()
        assert table.row_count == 1  # the replication link from DC02
        app.main.query_one("#fact-filter", Input).value = "setspn_x"
        await pilot.pause()
        assert table.row_count == 1
        assert "3 of" not in screen_text(app)
        assert "1 of 7 facts" in screen_text(app)
        await pilot.press("enter", "enter")
        assert isinstance(app.screen, FactDetailScreen)
        text = screen_text(app)
        assert "OLDEX01$" in text
        assert "source.reader" in text
        assert "setspn-X" in text


async def test_the_facts_tab_opens_without_waiting_for_the_search_texts(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Working out what the filter searches is the index worker's job (half a second at 1,000
    servers); the tab with an empty filter shows every fact without it."""
    asked_by: list[bool] = []  # whether the caller was the interface's own thread
    search_columns = Session.search_columns

    def recorded(session: Session) -> SearchColumns:
        asked_by.append(threading.current_thread() is threading.main_thread())
        return search_columns(session)

    monkeypatch.setattr(Session, "search_columns", recorded)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert app.main.query_one("#fact-table", LineTable).row_count == 7
        assert asked_by == [False]  # the worker only
        await pilot.press("slash", "x")
        assert asked_by == [False, True]  # a filter keystroke reads what the worker made


async def test_a_filter_typed_after_a_what_if_change_sees_the_change(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "slash", *"type:clock", "enter", "d")
        await settle(pilot)
        line = app.main.query_one("#fact-filter", Input)
        line.value = "type:clock is:disabled"  # narrows the query before, on a changed case
        await pilot.pause()
        assert app.main.query_one("#fact-table", LineTable).row_count == 1
        assert "1 of 7 facts" in screen_text(app)


async def test_a_what_if_edit_updates_the_diagnosis_and_can_be_undone(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert cause_of(app, "time_sync") == pytest.approx(0.9)
        await pilot.press("2", "slash", *"type:clock", "enter", "e")
        assert isinstance(app.screen, FactEditScreen)
        app.screen.query_one("#field-offset_s", Input).value = "0"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert cause_of(app, "time_sync") < 0.5
        await pilot.press("1")
        text = screen_text(app)
        assert "WHAT-IF: 1 change(s)" in text
        assert "(was 0.90)" in text
        await pilot.press("u")
        await settle(pilot)
        assert cause_of(app, "time_sync") == pytest.approx(0.9)
        assert "WHAT-IF" not in screen_text(app)
        await pilot.press("U")
        await settle(pilot)
        assert cause_of(app, "time_sync") < 0.5


async def test_an_invalid_edit_is_refused_with_the_field_named(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "slash", *"type:clock", "enter", "e")
        app.screen.query_one("#field-offset_s", Input).value = "soon"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FactEditScreen)
        assert "offset_s" in screen_text(app)
        await pilot.press("escape")
        assert not app.session.changed


async def test_disabling_a_fact_is_marked_and_changes_the_diagnosis(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "slash", *"type:clock", "enter", "d")
        await settle(pilot)
        assert "⊘" in screen_text(app)
        assert cause_of(app, "time_sync") < 0.5
        await pilot.press("d")
        await settle(pilot)
        assert cause_of(app, "time_sync") == pytest.approx(0.9)


async def test_the_modified_facts_are_saved_as_a_new_file(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "slash", *"type:clock", "enter", "d", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SaveScreen)
        target = tmp_path / "whatif.yaml"
        app.screen.query_one("#save-path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        await app.workers.wait_for_complete()
    saved = load_fact_files([str(target)])
    assert len(saved.facts) == 7  # the disabled fact is kept, marked as disabled
    clock = next(f for f in saved.facts if f.type == "clock_offset")
    assert is_disabled(clock)
    assert clock.provenance is not None
    assert clock.provenance.file  # where it was read, as before
    assert saved.collected_at == load_fact_files([str(INCIDENT)]).collected_at
    assert "what_if" in saved.environment
    assert INCIDENT.read_text(encoding="utf-8").count("clock_offset") == 1


async def test_another_fact_file_is_opened_from_the_picker(
    make_app: MakeApp, tmp_path: Path
) -> None:
    extra = tmp_path / "ports.yaml"
    extra.write_text(
        "kbdoctor: facts/1\nfacts:\n"
        "  - {type: port_state, source: EX01, target: DC01, port: 88, protocol: tcp,"
        " state: filtered}\n",
        encoding="utf-8",
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        assert isinstance(app.screen, PickPathScreen)
        app.screen.query_one("#pick-path", Input).value = str(extra)
        await pilot.press("ctrl+o")
        await pilot.press("a")  # add to the case: it already has a source
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert len(app.session) == 8
        status = next(c for c in app.report.causes if c.cause == "kerberos_ports_blocked")  # type: ignore[union-attr]
        assert status.status != "not_assessed"


async def test_an_invalid_fact_file_shows_where_it_is_wrong_and_keeps_what_was_loaded(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        app.screen.query_one("#pick-path", Input).value = str(DATA / "broken-facts.yaml")
        await pilot.press("ctrl+o")
        await pilot.press("a")  # add to the case: it already has a source
        await app.workers.wait_for_complete()
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("broken-facts.yaml:6" in m for m in messages)
        # a load that failed is not then said to have succeeded
        titles = [n.title for n in app._notifications]
        assert not any(
            m.startswith("Loaded") or t.startswith("Loaded")
            for m, t in zip(messages, titles, strict=True)
        )
        assert len(app.session) == 7
        assert cause_of(app, "time_sync") == pytest.approx(0.9)


async def test_command_outputs_are_imported_from_a_folder_file_by_file(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "EX01"
    folder.mkdir()
    setspn = ROOT / "tests" / "data" / "importers" / "setspn"
    source = next(p for p in sorted(setspn.iterdir()) if p.is_file())
    shutil.copy(source, folder / source.name)
    (folder / "notes.txt").write_text("nothing a reader knows\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        steps: list[tuple[int, int]] = []
        labels: list[str] = []
        monkeypatch.setattr(app.main, "progress", lambda done, total: steps.append((done, total)))
        monkeypatch.setattr(app.main, "status", lambda text: labels.append(str(text)))
        await pilot.press("i")
        app.screen.query_one("#pick-path", Input).value = str(folder)
        await pilot.press("ctrl+o")
        await pilot.press("a")  # add to the case: it already has a source
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert len(app.session) > 7
        messages = " ".join(n.message + (n.title or "") for n in app._notifications)
        assert "notes.txt" in messages
        assert steps == [(0, 2), (1, 2)]  # before each of the two files
        assert f"Importing file 1 of 2: {source.name}" in labels
        assert "Importing file 2 of 2: notes.txt" in labels


async def test_rules_are_listed_reloaded_when_changed_and_errors_located(
    make_app: MakeApp, tmp_path: Path
) -> None:
    rules = tmp_path / "rules.yaml"
    bundled = ROOT / "kb_rules" / "kb979174.yaml"
    good = bundled.read_text(encoding="utf-8")
    rules.write_text(good, encoding="utf-8")
    app = make_app(rules=[str(rules)])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        table = app.main.query_one("#rules-table", DataTable)
        assert table.row_count > 10
        assert "time.skew.between-parties" in screen_text(app)
        rules.write_text(
            good.replace("kbdoctor: rules/1", "kbdoctor: rules/1\n  oops: [", 1), "utf-8"
        )
        app._check_rules()
        await app.workers.wait_for_complete()
        await settle(pilot)
        text = screen_text(app)
        assert "rules.yaml:" in text
        assert "last rules that loaded are still in use" in text
        assert cause_of(app, "time_sync") == pytest.approx(0.9)
        rules.write_text(
            good.replace("Clocks more than 5 minutes apart", "Clocks apart", 1), "utf-8"
        )
        app._check_rules()
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert any(c.title == "Clocks apart" for c in app.report.causes)  # type: ignore[union-attr]


async def test_a_broken_rule_file_at_start_is_reported_and_the_app_keeps_running(
    make_app: MakeApp, tmp_path: Path
) -> None:
    rules = tmp_path / "broken.yaml"
    rules.write_text("kbdoctor: rules/1\npack: x\nrules:\n  - id: [\n", encoding="utf-8")
    app = make_app(rules=[str(rules)])
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert app.report is None
        assert "No rules could be loaded" in screen_text(app)
        await pilot.press("3")
        assert "broken.yaml:" in screen_text(app)
        assert len(app.session) == 7


async def test_the_language_switches_at_run_time(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert app.report is not None
        assert app.report.lang == "pl"
        text = screen_text(app)
        assert "1 Diagnoza" in text
        assert "Przyczyny" in text
        assert "zdiagnozowana" in text
        assert "l deutsch" in text
        await pilot.press("l")
        await settle(pilot)
        german = app.report
        assert german is not None
        assert german.lang == "de"
        text = screen_text(app)
        assert "1 Diagnose" in text
        assert "Ursachen" in text
        assert "l english" in text
        await pilot.press("l")
        await settle(pilot)
        assert "1 Diagnosis" in screen_text(app)


@pytest.mark.parametrize(
    ("env", "expected"), [("pl_PL.UTF-8", "pl"), ("de_DE.UTF-8", "de"), ("en_GB.UTF-8", "en")]
)
async def test_the_language_comes_from_lang_unless_given(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, env: str, expected: str
) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", env)
    assert make_app(lang=None).lang == expected
    assert make_app(lang="en").lang == "en"


@pytest.mark.parametrize(
    ("choice", "check"), [("markdown", "# "), ("json", '"kbdoctor": "report/1"')]
)
async def test_the_report_is_exported(
    make_app: MakeApp, tmp_path: Path, choice: str, check: str
) -> None:
    app = make_app()
    target = tmp_path / "report.md"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        assert isinstance(app.screen, SaveScreen)
        if choice == "json":
            app.screen.query_one("#json").value = True  # type: ignore[attr-defined]
            await pilot.pause()
            target = tmp_path / "report.json"
        app.screen.query_one("#save-path", Input).value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
    written = target.read_text(encoding="utf-8")
    assert check in written
    if choice == "json":
        assert "time_sync" in [d["cause"] for d in json.loads(written)["diagnoses"]]


async def test_help_lists_every_key_and_the_palette_offers_the_actions(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        dialog = app.screen.query_one("#dialog")
        text = screen_text(app)
        while dialog.scroll_y < dialog.max_scroll_y:  # every page of the help, top to bottom
            dialog.scroll_page_down(animate=False)
            await pilot.pause()
            text += screen_text(app)
        for words in ("Ctrl+P", "copy command", "undo", "Ctrl+S", "sources", "collect live"):
            assert words in text
        for words in ("disable/enable", "Fact filter", "is:edited"):
            assert words in text
        await pilot.press("escape", "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Import command outputs" in titles
        assert "Switch language" in titles
        assert any(title.startswith("Cause: Clocks") for title in titles)


async def test_the_mouse_selects_a_cause(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        causes = app.main.query_one("#causes", OptionList)
        title = "Active Directory replication is failing"
        row = next(i for i, line in enumerate(screen_text(app).splitlines()) if title in line)
        await pilot.click("#causes", offset=(3, row - causes.region.y))
        await pilot.pause()
        assert tree_lines(app)[0].startswith("Active Directory replication is failing")


async def test_slow_work_shows_a_progress_bar_until_it_ends(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.main.query(ProgressBar)  # built the first time work reports progress
        app.post_message(WorkProgressed("Importing file 2 of 4: w32tm.txt", 1, 4))
        await pilot.pause()
        bar = app.main.query_one(ProgressBar)
        assert bar.display
        assert (bar.progress, bar.total) == (1, 4)
        assert "Importing file 2 of 4: w32tm.txt" in screen_text(app)
        app.post_message(WorkFinished("Imported", []))
        await pilot.pause()
        assert not bar.display


async def test_a_spent_time_budget_is_said_and_the_application_stays_usable(
    make_app: MakeApp,
) -> None:
    """An evaluation is bounded like on the command line: a slow rule pack cannot freeze the
    application for ever, and a partial diagnosis says that it is partial."""
    app = make_app(budget=1e-9)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.report is not None
        assert app.report.budget is not None
        messages = " ".join(n.message for n in app._notifications)
        assert "time budget" in messages
        assert not app.main.query("#fact-table")
        await pilot.press("2")  # still answering keys: the facts tab is built when first shown
        await settle(pilot)
        assert app.main.query("#fact-table")


@pytest.mark.parametrize("lang", ["en", "pl"])
async def test_a_budget_spent_while_preparing_says_that_no_rule_ran(
    make_app: MakeApp, tmp_path: Path, lang: str
) -> None:
    """A large organisation's facts take seconds to prepare: a budget spent then leaves every
    cause unassessed, and the sign must not read as the ordinary partial diagnosis."""
    from bench.generate import generate_organisation

    organisation = tmp_path / "organisation.json"
    organisation.write_text(json.dumps(generate_organisation(100)), encoding="utf-8")
    app = make_app(str(organisation), lang=lang, budget=1e-9)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.report is not None
        assert app.report.budget is not None
        assert app.report.budget.before_rules
        messages = " ".join(n.message for n in app._notifications)
        assert t("tui.budget_spent_preparing", lang, seconds="1e-09") in messages  # type: ignore[arg-type]
