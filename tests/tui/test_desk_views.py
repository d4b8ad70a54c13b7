"""The views an engineer asks for, driven through the real application: the server view (from a
cause, a fact and the palette's list), the timeline, before/after comparisons, the rule detail,
the sign of broken rule files and the "(was ...)" of a rule change."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.screens.compare import compare_file_now
from kbdoctor.tui.screens.pick_server import PickServerScreen
from kbdoctor.tui.screens.server import ServerScreen
from kbdoctor.tui.widgets.view_dialog import ViewDialog

from .conftest import ROOT, settle

MakeApp = Callable[..., KbdoctorApp]
LATER = "tests/data/tui/desk-later.yaml"
RULES = ROOT / "kb_rules" / "kb979174.yaml"


def body_text(app: KbdoctorApp) -> str:
    screen = app.screen
    assert isinstance(screen, ViewDialog)
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    console.print(screen.body)
    return console.export_text()


async def test_h_on_a_cause_shows_the_server_its_subject_names(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.main.select_cause("spn_duplicate")  # subject SMTPSVC/ex01.contoso.local
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, ServerScreen)
        assert app.screen.server.key == "ex01.contoso.local"
        text = body_text(app)
        # the SPN listing's subject is the account EX01$, the duplicate names it among others
        for fact_type in ("exchange_server", "clock_offset", "spn_listing", "spn_duplicate"):
            assert fact_type in text
        assert "replication_link" not in text
        assert "queue" not in text
        assert "SMTP/SMTPSVC SPN registered on more than one account" in text
        assert "Clocks more than 5 minutes apart" in text
        assert "setspn_ex01.txt:1-6 (setspn-L)" in text  # the source, as reports write it


async def test_h_on_a_fact_shows_its_machine(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2", "slash", *"type:replication", "enter", "enter")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, ServerScreen)
        assert app.screen.server.key == "dc01.contoso.local"  # the DC, not the unknown DC02
        assert "domain_controller" in body_text(app)


async def test_the_palette_lists_the_machines_to_pick_from(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_pick_server()
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickServerScreen)
        labels = [(s.label, s.role) for s in picker.known]
        assert labels[:2] == [("ex01.contoso.local", "exchange"), ("dc01.contoso.local", "dc")]
        assert ("DC02", "host") in labels
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ServerScreen)
        assert app.screen.server.key == "dc01.contoso.local"


async def test_the_timeline_is_newest_first_with_sources(make_app: MakeApp) -> None:
    app = make_app(LATER)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        text = body_text(app)
        order = [
            text.index("2024-03-12 07:55:00"),  # clock_offset observed_at
            text.index("2024-03-12 07:40:00"),  # time_status last_sync
            text.index("2024-03-12 07:30:00"),  # replication last_success
            text.index("2024-03-11 09:12:30"),  # event time
        ]
        assert order == sorted(order)
        assert "time_status.last_sync" in text
        assert "event.time" in text
        assert "app_ex01.csv:17 (event-log)" in text


async def test_the_timeline_says_when_no_fact_has_a_time(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert "No fact of the case carries a time" in body_text(app)


async def test_before_after_names_the_cause_an_edit_changed_and_why(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2", "slash", *"type:clock", "enter", "d")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        text = body_text(app)
        assert "Causes that changed: 1" in text
        assert "Clocks more than 5 minutes apart" in text
        assert "diagnosed 0.90 → not assessed 0.00" in text
        assert "- time.skew.between-parties +0.90 DC01 / EX01" in text


async def test_comparing_with_a_fact_file(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        compare_file_now(app, LATER)
        await settle(pilot)
        text = body_text(app)
        assert "From the case now to tests/data/tui/desk-later.yaml" in text
        assert "- time.skew.between-parties +0.90 DC01 / EX01" in text
        assert "diagnosed 0.90 → diagnosed 0.80" in text  # the event 1035 names the skew
        assert "+ time.event-1035-clock-skew +0.80 EX01" in text
        assert "diagnosed 0.95 → not assessed 0.00" in text  # no SPN facts in that file


async def test_comparing_with_a_broken_file_says_where(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        compare_file_now(app, "tests/data/tui/broken-facts.yaml")
        await settle(pilot)
        text = body_text(app)
        assert "broken-facts.yaml:" in text
        assert "Causes that changed" not in text


async def test_enter_on_a_rule_shows_conditions_line_and_firings(make_app: MakeApp) -> None:
    app = make_app()
    lines = RULES.read_text(encoding="utf-8").splitlines()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        table = app.main.query_one("#rules-table")
        from textual.widgets import DataTable

        assert isinstance(table, DataTable)
        table.move_cursor(row=table.get_row_index("time.skew.between-parties"))
        await pilot.press("enter")
        await settle(pilot)
        text = body_text(app)
        where = next(w for w in text.split() if w.startswith("kb_rules/kb979174.yaml:"))
        line = int(where.rsplit(":", 1)[1])
        assert "id: time.skew.between-parties" in lines[line - 1]
        assert "fact clock_offset as off: offset_s abs_gt 300" in text
        assert "Firings in this case: 1" in text
        assert "+0.90 time_sync DC01 / EX01" in text


async def test_broken_rules_show_on_the_diagnosis_tab_and_a_change_shows_was(
    make_app: MakeApp, tmp_path: Path
) -> None:
    rules = tmp_path / "rules.yaml"
    shutil.copy(RULES, rules)
    app = make_app(rules=[str(rules)])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        sign = app.main.query_one("#rules-broken")
        assert not sign.display
        good = rules.read_text(encoding="utf-8")
        rules.write_text(good + "\nrules: [\n", encoding="utf-8")
        app.action_reload_rules()
        await settle(pilot)
        assert sign.display
        assert "Rule files broken (1 problem(s)" in str(sign.render())
        assert "rules.yaml:" in str(sign.render())
        # the clock rule's cf moves from 0.9 to 0.7: the cause says where it was
        start = good.index("id: time.skew.between-parties")
        cf = good.index("cf: 0.9", start)
        rules.write_text(good[:cf] + "cf: 0.7" + good[cf + 7 :], encoding="utf-8")
        app.action_reload_rules()
        await settle(pilot)
        assert not sign.display
        from kbdoctor.tui.widgets.causes import CauseList

        causes = app.main.query_one(CauseList)
        prompt = str(causes.get_option("time_sync").prompt)
        assert "0.70" in prompt
        assert "(was 0.90)" in prompt
