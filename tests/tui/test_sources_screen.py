"""The engineer controls the case's sources: opening a second file asks whether it joins the case
or replaces it; the Sources screen lists each source with what it holds and when it was read,
opens an import's report, removes a source and reads one again; undo covers all of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.screens.add_or_replace import AddOrReplaceScreen
from kbdoctor.tui.screens.import_report import ImportReportScreen
from kbdoctor.tui.screens.sources import SourcesScreen
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from .conftest import screen_text, settle

MakeApp = Callable[..., KbdoctorApp]
SIZE = (120, 40)
OTHER = (
    "kbdoctor: facts/1\nfacts:\n"
    "  - {type: port_state, source: EX01, target: DC01, port: 88, protocol: tcp,"
    " state: filtered}\n"
)


async def _open(app: KbdoctorApp, pilot: Pilot[None], key: str, path: Path, answer: str) -> None:
    await pilot.press(key)
    app.screen.query_one("#pick-path", Input).value = str(path)
    await pilot.press("ctrl+o")
    await pilot.pause()
    assert isinstance(app.screen, AddOrReplaceScreen)
    await pilot.press(answer)
    await app.workers.wait_for_complete()
    await settle(pilot)


async def test_a_second_file_joins_the_case_and_undo_takes_it_out_again(
    make_app: MakeApp, tmp_path: Path
) -> None:
    extra = tmp_path / "ports.yaml"
    extra.write_text(OTHER, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(app, pilot, "o", extra, "a")
        assert len(app.session) == 8
        assert [s.kind for s in app.session.sources()] == ["file", "file"]
        await pilot.press("u")
        await settle(pilot)
        assert len(app.session) == 7
        assert any("ports.yaml taken out of the case" in n.message for n in app._notifications)
        assert "ports.yaml" not in screen_text(app)
        await pilot.press("U")
        await settle(pilot)
        assert len(app.session) == 8


async def test_replacing_the_case_keeps_only_the_new_file(
    make_app: MakeApp, tmp_path: Path
) -> None:
    extra = tmp_path / "ports.yaml"
    extra.write_text(OTHER, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(app, pilot, "o", extra, "r")
        assert len(app.session) == 1
        assert app.report is not None
        assert app.report.inputs.facts == 1
        await pilot.press("u")
        await settle(pilot)
        assert len(app.session) == 7


async def test_the_sources_screen_lists_removes_reloads_and_opens_an_import_report(
    make_app: MakeApp, tmp_path: Path
) -> None:
    folder = tmp_path / "EX01"
    folder.mkdir()
    output = folder / "setspn.txt"
    output.write_text(
        "PS C:\\> setspn -L EX01\nRegistered ServicePrincipalNames for "
        "CN=EX01,OU=Servers,DC=corp,DC=example,DC=com:\n        SMTPSVC/EX01\n",
        encoding="utf-8",
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(app, pilot, "i", folder, "a")
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourcesScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        text = screen_text(app)
        assert "fact file" in text
        assert "import" in text
        assert "UTC" in text
        await pilot.press("down")  # the import
        detail = str(screen.query_one("#source-detail", Static).render())
        assert "spn_listing 1" in detail
        assert "1 file(s): 1 read" in detail
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportReportScreen)
        await pilot.press("escape")
        # the customer sends the output again, with a second SPN: r reads it again
        output.write_text(output.read_text(encoding="utf-8") + "        SMTP/EX01\n",
                          encoding="utf-8")  # fmt: skip
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await settle(pilot)
        spns = [f for f in app.session.effective_facts() if f.type == "spn_listing"]
        assert spns[-1].spns == ["SMTPSVC/EX01", "SMTP/EX01"]
        assert table.row_count == 2
        await pilot.press("d")  # remove the import
        await settle(pilot)
        assert table.row_count == 1
        assert len(app.session) == 7
        await pilot.press("escape", "u")
        await settle(pilot)
        assert len(app.session) == 9  # the import is back (its spn_listing, exchange_server)
        await pilot.press("u")
        await settle(pilot)
        spns = [f for f in app.session.effective_facts() if f.type == "spn_listing"]
        assert spns[-1].spns == ["SMTPSVC/EX01"]
