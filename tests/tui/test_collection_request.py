"""For the causes nothing assessed, a collects the commands to ask the customer for: the
collection script's own commands (one list), with this organisation's names, where to run them
and how to save the files, in English or Polish, copyable and written to a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kbdoctor.collectors.request_plan import reader_fact_types, steps_for
from kbdoctor.collectors.script import STEPS, known_names, layout
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.collection_request import build_request, render_request
from kbdoctor.tui.screens.collection_request import CollectionRequestScreen
from kbdoctor.tui.screens.save import SaveScreen
from textual.widgets import Input, TextArea

from .conftest import settle

MakeApp = Callable[..., KbdoctorApp]
SIZE = (120, 40)


def test_the_request_cuts_the_scripts_one_list_by_the_facts_each_reader_gives() -> None:
    assert [s.reader for s in steps_for(["spn_listing"])] == ["setspn-L", "setspn-Q"]
    assert all(step in STEPS for step in steps_for(["port_state", "clock_offset"]))
    assert reader_fact_types("w32tm-stripchart") == {"clock_offset"}


async def test_the_request_names_the_organisations_machines_and_is_written_to_a_file(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        report = app.report
        assert report is not None
        unassessed = [c for c in report.causes if c.status == "not_assessed"]
        assert unassessed
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CollectionRequestScreen)
        text = screen.query_one(TextArea).text
        for cause in unassessed:
            assert f"({cause.cause})" in text
        facts = app.session.effective_facts()
        known = known_names(None, [], [], facts)
        servers = [s.name for s in known.exchange]
        assert servers
        assert f"each Exchange server ({', '.join(servers)})" in text
        # every command is the script's, with the names of this case
        wanted = {k for c in unassessed for step in c.collect for k in step.facts}
        script_commands = {p.command for p in layout(known, "M")}
        planned = build_request(report, facts).plan.commands
        assert planned
        for _step, command in planned:
            assert command.command in script_commands
            assert reader_fact_types(command.reader) & wanted
            assert f"'PS kbdoctor> {command.command}'; {command.command} }}" in text
        assert 'Out-File -Encoding UTF8 -FilePath "kbdoctor\\$env:COMPUTERNAME\\' in text
        await pilot.press("l")  # the customer reads Polish
        text_pl = screen.query_one(TextArea).text
        assert "Gdzie: na każdym serwerze Exchange" in text_pl
        target = tmp_path / "request.txt"
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, SaveScreen)
        app.screen.query_one("#save-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (
            target.read_text(encoding="utf-8")
            == text_pl
            == render_request(build_request(report, facts), "pl")
        )


async def test_without_a_diagnosis_or_with_nothing_unassessed_it_says_so(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        report = app.report
        assert report is not None
        done = report.model_copy(
            update={"causes": [c for c in report.causes if c.status != "not_assessed"]}
        )
        text = render_request(build_request(done, []), "en")
        assert "Every cause has been assessed" in text
        assert "PS kbdoctor>" not in text
