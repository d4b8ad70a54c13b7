"""A case saved and resumed: sources with their facts, what-if changes with who and when,
notes and rule files in one file (kbdoctor: case/1) that reopens to the same diagnosis, and
quitting with unsaved work asks first."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from kbdoctor.engine.errors import UsageError
from kbdoctor.engine.facts import ClockOffset, ReplicationLink, SpnListing
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.case import CaseNote, case_of, dump_case, load_case, note_key, session_of
from kbdoctor.tui.fact_form import edit_fact
from kbdoctor.tui.launch import create_app
from kbdoctor.tui.screens.note import NoteScreen
from kbdoctor.tui.screens.quit_case import QuitCaseScreen
from kbdoctor.tui.screens.save import SaveScreen
from kbdoctor.tui.session import Session
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from kbdoctor.cli import main as kbdoctor

from .conftest import settle

MakeApp = Callable[..., KbdoctorApp]
SIZE = (120, 40)
SKEW = ClockOffset(host="EX01", reference="DC01", offset_s=312.0)
SPNS = SpnListing(account="EX01$", spns=["SMTP/EX01"])
LINK = ReplicationLink(source="DC02", destination="DC01", last_result=1722)


def worked_session() -> Session:
    s = Session()
    s.add([SKEW, SPNS], "incident.yaml", {"organisation": "Contoso"})
    s.add([LINK], "repl.yaml")
    # made earlier by someone else: a reopened case keeps who and when, not the reopener's now
    s.replace(0, edit_fact(SKEW, {"offset_s": "10"}), by="anna",
              at=datetime(2026, 3, 14, 9, 12, tzinfo=UTC))
    s.disable(2)
    s.replace(0, edit_fact(s.entry(0).fact, {"offset_s": "0"}))
    s.revert(2)
    s.disable(1)
    return s


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_case_reopens_with_its_facts_changes_and_notes(fmt: str, tmp_path: Path) -> None:
    s = worked_session()
    notes = {note_key("cause", "time_sync"): CaseNote(about="cause", id="time_sync", text="NTP")}
    case = case_of(s, notes, ["rules/a.yaml"], saved_at=datetime.now(UTC))
    text = dump_case(case, "json" if fmt == "json" else "yaml")
    first = '{\n  "kbdoctor": "case/1"' if fmt == "json" else "kbdoctor: case/1"
    assert text.startswith(first)
    saved = tmp_path / f"case.{fmt}"  # the original files (incident.yaml...) are not there
    saved.write_text(text)
    again, notes_again = session_of(load_case(str(saved)), str(saved))
    assert again.effective_facts() == s.effective_facts()
    assert [e.status for e in again.entries()] == [e.status for e in s.entries()]
    assert [e.origin for e in again.entries()] == ["incident.yaml", "incident.yaml", "repl.yaml"]
    assert again.environment == {"organisation": "Contoso"}
    assert [(c.key, c.by, c.at) for c in again.history()] == [
        (c.key, c.by, c.at) for c in s.history()
    ]
    assert notes_again == notes
    again.undo()  # undo walks back the same history
    s.undo()
    assert again.effective_facts() == s.effective_facts()


def test_a_case_saved_after_a_source_was_taken_out_reopens_with_changes_on_the_same_facts(
    tmp_path: Path,
) -> None:
    s = Session()
    s.add([LINK], "repl.yaml")
    s.add([SKEW, SPNS], "incident.yaml")
    s.disable(0)  # on the source about to be taken out
    s.replace(1, edit_fact(SKEW, {"offset_s": "10"}))
    s.disable(2)
    first = s.sources()[0]
    assert s.remove_source(first.id) is not None
    case = case_of(s, {}, None, saved_at=datetime.now(UTC))
    assert [(c.fact, c.action) for c in case.changes] == [(0, "edit"), (1, "disable")]
    saved = tmp_path / "case.yaml"
    saved.write_text(dump_case(case))
    again, _notes = session_of(load_case(str(saved)), str(saved))
    assert again.effective_facts() == s.effective_facts()
    assert [e.status for e in again.entries()] == ["edited", "disabled"]


def test_a_file_that_is_not_a_case_is_refused_with_the_reason(tmp_path: Path) -> None:
    broken = tmp_path / "case.yaml"
    broken.write_text("kbdoctor: case/1\nsources: [{origin: a.yaml, facts: [{type: nope}]}]\n")
    with pytest.raises(UsageError) as raised:
        load_case(str(broken))
    assert "not a case file (kbdoctor: case/1)" in raised.value.render("en")
    assert "to nie jest plik sprawy" in raised.value.render("pl")
    assert raised.value.render("en").startswith(f"{broken}:2:36: ")  # the fact's mapping
    assert kbdoctor(["tui", str(broken)]) == 2


@pytest.mark.parametrize(
    ("name", "text", "where", "what"),
    [
        ("twice.yaml", "kbdoctor: case/1\nsources:\n  - origin: a\n    origin: b\n", ":4:5: ",
         "the key 'origin' is given twice"),
        ("cut.json", '{"kbdoctor": "case/1",\n "sources": [}\n', ":2:14: ", "Expecting value"),
        ("open.yaml", "kbdoctor: case/1\nsources: [\n", ":3:1: ", "invalid YAML"),
        ("alias.yaml", "kbdoctor: case/1\nfiles: &a [x]\nrule_files: *a\n", ":3:13: ", "alias"),
    ],
)  # fmt: skip
def test_a_broken_case_is_refused_at_its_line_and_column(
    tmp_path: Path, name: str, text: str, where: str, what: str
) -> None:
    broken = tmp_path / name
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        load_case(str(broken))
    said = raised.value.render("en")
    assert said.startswith(f"{broken}{where}"), said
    assert what in said


async def _toggle_first_fact(pilot: Pilot[None]) -> None:
    await pilot.press("2")
    await pilot.pause()
    await pilot.press("d")
    await settle(pilot)


async def _save_case(pilot: Pilot[None], target: Path) -> None:
    app = pilot.app
    await pilot.pause()
    assert isinstance(app.screen, SaveScreen)
    app.screen.query_one("#save-path", Input).value = str(target)
    await pilot.press("enter")
    for _ in range(200):
        await pilot.pause(0.02)
        if target.exists():
            break
    await pilot.pause(0.05)


async def test_a_case_saved_in_the_tui_reopens_to_the_same_diagnosis(
    make_app: MakeApp, tmp_path: Path
) -> None:
    target = tmp_path / "ticket.yaml"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _toggle_first_fact(pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        app.screen.query_one("#note-text", TextArea).text = "customer restarted w32time"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("k")
        await _save_case(pilot, target)
        assert app.report is not None
        before = [(c.cause, c.status, round(c.confidence, 6)) for c in app.report.causes]
        statuses = [e.status for e in app.session.entries()]
        assert any(f"Case written: {target}" in n.message for n in app._notifications)
        assert not app.case_desk.dirty()
    assert load_case(str(target)).notes[0].text == "customer restarted w32time"

    reopened = create_app([str(target)], lang="en", watch_rules=False)
    async with reopened.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert reopened.report is not None
        after = [(c.cause, c.status, round(c.confidence, 6)) for c in reopened.report.causes]
        assert after == before
        assert [e.status for e in reopened.session.entries()] == statuses
        assert not reopened.case_desk.dirty()
        await pilot.press("u")  # the change made before saving is undone as before
        await settle(pilot)
        assert all(e.status == "loaded" for e in reopened.session.entries())


async def test_quitting_with_unsaved_changes_asks_and_cancel_stays(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _toggle_first_fact(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuitCaseScreen)
        assert "what-if changes: 1, notes: 0" in str(app.screen.query_one("#quit-what").render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        assert not isinstance(app.screen, QuitCaseScreen)
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("d")  # discard
        await asyncio.sleep(0.1)
        assert app.return_code == 0  # the application left


async def test_quitting_can_save_the_case_first(make_app: MakeApp, tmp_path: Path) -> None:
    target = tmp_path / "before-quit.json"
    app = make_app(lang="pl")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _toggle_first_fact(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuitCaseScreen)
        await pilot.press("s")
        await _save_case(pilot, target)
    assert load_case(str(target)).changes[0].action == "disable"


async def test_quitting_without_changes_does_not_ask(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, QuitCaseScreen)
        assert app.return_code == 0


async def test_a_large_case_is_offered_as_json_and_written_in_the_background(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past LARGE_CASE_FACTS facts a new case is proposed as kbdoctor-case.json with JSON
    chosen (YAML of a case of 1,000 servers reads ten times slower and writes fifty times
    slower); a smaller one as YAML, as before. Either reopens the same."""
    from kbdoctor.tui import case_desk
    from textual.widgets import RadioSet

    monkeypatch.chdir(tmp_path)
    for limit, suffix in ((10_000, ".yaml"), (2, ".json")):
        monkeypatch.setattr(case_desk, "LARGE_CASE_FACTS", limit)
        app = make_app(str(Path(__file__).parents[1] / "data" / "tui" / "incident.yaml"))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert len(app.session) > 2
            await pilot.press("k")
            await pilot.pause()
            assert isinstance(app.screen, SaveScreen)
            proposed = Path(app.screen.query_one("#save-path", Input).value)
            assert proposed.name == f"kbdoctor-case{suffix}"
            pressed = app.screen.query_one(RadioSet).pressed_button
            assert pressed is not None
            assert f".{pressed.id}" == suffix
            target = tmp_path / proposed.name
            await _save_case(pilot, target)
        text = target.read_text(encoding="utf-8")
        assert text.startswith("{") == (suffix == ".json")
        assert load_case(str(target)).sources
