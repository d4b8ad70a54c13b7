"""What a new report redraws, and what it leaves alone (issue 4: a what-if edit must show its
effect within 100 ms, so nothing is rebuilt that did not change)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from kbdoctor.engine.report import CauseReport, SubjectAssessment
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.screens.help import HelpScreen
from kbdoctor.tui.widgets.causes import CauseList
from kbdoctor.tui.widgets.footer import KeyFooter
from kbdoctor.tui.widgets.reasoning import MAX_SUBJECTS_IN_LINE, ReasoningTree
from textual.command import CommandPalette

from .conftest import screen_text, settle

MakeApp = Callable[..., KbdoctorApp]
SIZE = (120, 40)


def clock_key(app: KbdoctorApp) -> int:
    return next(e.key for e in app.session.entries() if e.fact.type == "clock_offset")


async def test_the_facts_and_rules_tabs_are_built_when_first_shown(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.main.query("#fact-table")
        assert not app.main.query("#rules-table")
        app.session.toggle(clock_key(app))  # a change made before the table exists
        app._changed(clock_key(app))
        await settle(pilot)
        await pilot.press("2")
        assert "⊘" in screen_text(app)
        await pilot.press("3")
        assert "time.skew.between-parties" in screen_text(app)


async def test_the_what_if_line_stays_once_every_change_is_undone(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "what-if" not in screen_text(app).lower()
        app.session.toggle(clock_key(app))
        app._changed(clock_key(app))
        await settle(pilot)
        assert "WHAT-IF: 1 change(s)" in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        text = screen_text(app)
        assert "WHAT-IF" not in text
        assert "No what-if changes: the diagnosis is of the facts as loaded" in text


async def test_a_report_that_changes_nothing_leaves_the_tree_as_the_user_unfolded_it(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.main.query_one(ReasoningTree)
        firing = next(n for n in tree.root.children if n.children and n.is_expanded)
        firing.collapse()
        app._show_report()  # the same report again, as after an edit that changes nothing
        await pilot.pause()
        assert firing in tree.root.children
        assert not firing.is_expanded


async def test_a_changed_confidence_in_the_same_order_replaces_only_that_prompt(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        report = app.report
        assert report is not None
        causes = app.main.query_one(CauseList)
        causes.action_cursor_down()
        highlighted = causes.highlighted_option
        assert highlighted is not None
        assert highlighted.id is not None
        options = list(causes.options)
        moved = highlighted.id
        baseline = report.model_copy(
            update={
                "causes": [
                    c.model_copy(update={"confidence": 0.12}) if c.cause == moved else c
                    for c in report.causes
                ]
            }
        )
        causes.show(report, baseline, "en")
        await pilot.pause()
        assert list(causes.options) == options  # the same options, in place
        assert causes.highlighted_option is highlighted
        assert "(was 0.12)" in str(causes.get_option(moved).prompt)
        assert [str(o.prompt) for o in causes.options if o.id != moved] == [
            str(o.prompt) for o in options if o.id != moved
        ]


async def test_a_what_if_edit_that_reorders_the_causes_keeps_the_highlighted_cause(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        causes = app.main.query_one(CauseList)
        app.main.select_cause("time_sync")
        before = causes.highlighted
        await pilot.press("2", "slash", *"type:clock", "enter", "d", "1")
        await settle(pilot)
        highlighted = causes.highlighted_option
        assert highlighted is not None
        assert highlighted.id == "time_sync"
        assert causes.highlighted != before  # it moved down the list, and the highlight with it


async def test_a_cause_about_many_servers_names_a_few_and_opens_into_all(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.report is not None
        cause = app.report.causes[0]
        subjects = [SubjectAssessment(subject=f"EX{n:02}", confidence=0.5) for n in range(20)]
        many = CauseReport.model_validate({**cause.model_dump(), "subjects": subjects})
        branch = app.main.query_one(ReasoningTree).describe(many, app.report).kids[0]
        assert branch.label.plain.startswith("Concerns: EX00 0.50, EX01 0.50")
        assert f"and {20 - MAX_SUBJECTS_IN_LINE} more" in branch.label.plain
        assert [k.label.plain for k in branch.kids] == [f"EX{n:02} 0.50" for n in range(20)]
        assert not branch.expand


async def test_the_footer_is_drawn_again_only_when_its_keys_change(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        footer = app.main.query_one(KeyFooter)
        keys = footer.keys
        redrawn: list[tuple[object, ...]] = []
        refresh = footer.refresh

        def counted(*regions: object, **options: bool) -> object:
            redrawn.append(regions)
            return refresh()

        monkeypatch.setattr(footer, "refresh", counted)
        app.main.refresh_bindings()  # what every focus change does
        await pilot.pause()
        assert footer.keys == keys
        assert redrawn == []
        await pilot.press("2")
        await settle(pilot)
        assert footer.keys != keys  # the facts tab has keys of its own
        assert redrawn
        assert "/ filter" in screen_text(app)


async def test_a_click_on_a_footer_key_presses_it(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        line = screen_text(app).splitlines()[-1]
        await pilot.click(KeyFooter, offset=(line.index("f1 help"), 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.click(KeyFooter, offset=(line.index("^p palette"), 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
