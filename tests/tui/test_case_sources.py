"""A case keeps each source as the Sources screen shows it (its kind, when it was read, the files
it stands for, where to read it again, an import's report, a live collection's options but never
its password) and what redo would make again; a case file written before these were kept still
opens; and the before/after view compares the case now with a saved case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from kbdoctor.collectors.live.model import LiveOptions, Secret
from kbdoctor.engine.errors import UsageError
from kbdoctor.engine.facts import ClockOffset, ReplicationLink, SpnListing
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.case import case_of, dump_case, load_case, session_of
from kbdoctor.tui.diagnosis import file_label
from kbdoctor.tui.fact_form import edit_fact
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.launch import create_app
from kbdoctor.tui.screens.compare import compare_file_now
from kbdoctor.tui.screens.import_report import ImportReportScreen
from kbdoctor.tui.screens.save import SaveScreen
from kbdoctor.tui.screens.sources import SourcesScreen
from kbdoctor.tui.session import Change, Session, SourceChange
from kbdoctor.tui.sources import SourceOrigin
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from .conftest import screen_text, settle
from .test_desk_views import body_text

MakeApp = Callable[..., KbdoctorApp]
SIZE = (120, 40)
SKEW = ClockOffset(host="EX01", reference="DC01", offset_s=312.0)
SPNS = SpnListing(account="EX01$", spns=["SMTP/EX01"])
LINK = ReplicationLink(source="DC02", destination="DC01", last_result=1722)
READ = datetime(2026, 3, 14, 9, 12, tzinfo=UTC)
PASSWORD = "Tr0ub4dor&3-never-saved"
LIVE = LiveOptions(
    domain="corp.example.com", dcs=("DC01",), user="CORP\\admin", password=Secret(PASSWORD)
)


def sources_session() -> Session:
    s = Session()
    s.add_source([SKEW, SPNS], "incident.yaml", SourceOrigin("file", ("cases/incident.yaml",)),
                 environment={"organisation": "Contoso"}, undoable=False, read_at=READ)  # fmt: skip
    s.add_source([LINK], "live corp.example.com", SourceOrigin("live", live=LIVE),
                 environment={"kbdoctor.live.status": "complete"}, files=[])  # fmt: skip
    return s


def reopened(s: Session, tmp_path: Path, fmt: str = "yaml") -> tuple[Session, str]:
    case = case_of(s, {}, None, saved_at=datetime.now(UTC))
    text = dump_case(case, "json" if fmt == "json" else "yaml")
    saved = tmp_path / f"case.{fmt}"
    saved.write_text(text, encoding="utf-8")
    return session_of(load_case(str(saved)), str(saved))[0], text


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_each_source_reopens_with_its_kind_time_files_and_environment(
    fmt: str, tmp_path: Path
) -> None:
    s = sources_session()
    again, _text = reopened(s, tmp_path, fmt)
    shown = [(x.label, x.kind, x.read_at, x.files, dict(x.environment), x.counts) for x in
             s.sources()]  # fmt: skip
    assert [
        (x.label, x.kind, x.read_at, x.files, dict(x.environment), x.counts)
        for x in again.sources()
    ] == shown
    assert again.sources()[0].origin == SourceOrigin("file", ("cases/incident.yaml",))
    assert again.environment == s.environment


def test_a_live_source_keeps_its_options_but_never_its_password(tmp_path: Path) -> None:
    s = sources_session()
    assert not s.sources()[1].needs_password  # typed in this run: held in memory
    again, text = reopened(s, tmp_path)
    assert PASSWORD not in text
    assert "password" not in text
    live = again.sources()[1]
    assert live.origin.live is not None
    assert live.origin.live.user == "CORP\\admin"
    assert live.origin.live.dcs == ("DC01",)
    assert live.origin.live.password is None
    assert live.needs_password
    said_in: list[tuple[Lang, str]] = [
        ("en", "password of CORP\\admin"),
        ("pl", "hasło użytkownika CORP\\admin"),
        ("de", "Passwort von CORP\\admin"),
    ]
    for lang, said in said_in:
        assert said in t("tui.sources.needs_password", lang, user="CORP\\admin")


def test_a_case_file_holding_a_password_is_refused(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(
        "kbdoctor: case/1\nsources:\n  - origin: live\n    kind: live\n    facts: []\n"
        "    live: {domain: corp.example.com, user: admin, password: secret}\n",
        encoding="utf-8",
    )
    with pytest.raises(UsageError) as raised:
        load_case(str(case))
    assert "password" in raised.value.render("en")


def test_a_case_written_before_sources_kept_their_metadata_still_opens(tmp_path: Path) -> None:
    old = tmp_path / "old-case.yaml"
    old.write_text(  # a case/1 file as the first version of the TUI wrote it
        "kbdoctor: case/1\n"
        "saved_at: '2026-03-14T09:12:00Z'\n"
        "saved_by: anna\n"
        "files: [incident.yaml, repl.yaml]\n"
        "sources:\n"
        "  - origin: incident.yaml\n"
        "    environment: {organisation: Contoso}\n"
        "    facts:\n"
        "      - {type: clock_offset, host: EX01, reference: DC01, offset_s: 312.0}\n"
        "  - origin: repl.yaml\n"
        "    facts:\n"
        "      - {type: replication_link, source: DC02, destination: DC01, last_result: 1722}\n"
        "changes:\n"
        "  - {fact: 1, action: disable, by: anna, at: '2026-03-14T09:13:00Z'}\n",
        encoding="utf-8",
    )
    session, _notes = session_of(load_case(str(old)), str(old))
    assert [(x.label, x.kind, x.files) for x in session.sources()] == [
        ("incident.yaml", "file", ("incident.yaml",)),
        ("repl.yaml", "file", ("repl.yaml",)),
    ]
    assert session.sources()[0].origin.paths == ("incident.yaml",)  # read again from there
    assert session.effective_facts() == [SKEW]
    assert not session.redo_stack()


def test_redo_reopens_as_it_was_and_stops_at_a_change_of_the_sources(tmp_path: Path) -> None:
    s = Session()
    s.add([SKEW, SPNS, LINK], "incident.yaml")
    s.replace(0, edit_fact(SKEW, {"offset_s": "10"}), by="anna", at=READ)
    s.disable(1)
    s.replace(0, edit_fact(s.entry(0).fact, {"offset_s": "0"}))
    s.undo(), s.undo()
    again, _text = reopened(s, tmp_path)
    assert again.effective_facts() == s.effective_facts()
    assert [(c.key, c.by, c.at) for c in again.redo_stack() if isinstance(c, Change)] == [
        (c.key, c.by, c.at) for c in s.redo_stack() if isinstance(c, Change)
    ]
    while s.can_redo:  # redo walks forward the same way, and undo back again
        s.redo(), again.redo()
        assert again.effective_facts() == s.effective_facts()
    s.undo(), again.undo()
    assert again.effective_facts() == s.effective_facts()

    added = s.add_source([LINK], "repl.yaml", SourceOrigin("file", ("repl.yaml",)))
    s.disable(3)
    s.undo(), s.undo()  # redo: bring repl.yaml back, then disable its fact
    assert isinstance(s.redo_stack()[0], SourceChange)
    assert added.id not in [x.id for x in s.sources()]
    again, _text = reopened(s, tmp_path)
    assert not again.redo_stack()  # repl.yaml is not in the case: nothing after it is kept


async def _save_case(pilot: Pilot[None], target: Path) -> None:
    app = pilot.app
    await pilot.press("k")  # save the case (ctrl+s saves the facts alone)
    await pilot.pause()
    assert isinstance(app.screen, SaveScreen)
    assert app.screen.kind == "case"
    app.screen.query_one("#save-path", Input).value = str(target)
    await pilot.press("enter")
    for _ in range(200):  # a hang guard: the case is written by a worker
        await pilot.pause(0.02)
        if target.exists():
            break
    await pilot.pause(0.05)


async def _sources_shown(app: KbdoctorApp, pilot: Pilot[None]) -> list[tuple[str, str]]:
    """Each row of the Sources screen with the detail shown when it is highlighted."""
    await pilot.press("s")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SourcesScreen)
    table = screen.query_one(DataTable)
    shown = []
    for row in range(table.row_count):
        table.move_cursor(row=row)
        await pilot.pause()
        cells = " | ".join(str(cell) for cell in table.get_row_at(row))
        shown.append((cells, str(screen.query_one("#source-detail", Static).render())))
    return shown


async def test_a_reopened_case_shows_the_same_sources_and_import_report(
    make_app: MakeApp, tmp_path: Path
) -> None:
    folder = tmp_path / "EX01"
    folder.mkdir()
    (folder / "setspn.txt").write_text(
        "PS C:\\> setspn -L EX01\nRegistered ServicePrincipalNames for "
        "CN=EX01,OU=Servers,DC=corp,DC=example,DC=com:\n        SMTPSVC/EX01\n",
        encoding="utf-8",
    )
    target = tmp_path / "ticket.yaml"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        app.screen.query_one("#pick-path", Input).value = str(folder)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("a")  # add to the case
        await app.workers.wait_for_complete()
        await settle(pilot)
        await _save_case(pilot, target)
        before = await _sources_shown(app, pilot)
        report = app.session.sources()[1].report
    assert before[0][0].startswith("fact file | ")
    assert before[1][0].startswith("import | ")
    assert "1 file(s): 1 read" in before[1][1]

    again = create_app([str(target)], lang="en", watch_rules=False)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert await _sources_shown(again, pilot) == before
        await pilot.press("down", "enter")  # the import's report, as it was read
        await pilot.pause()
        assert isinstance(again.screen, ImportReportScreen)
        assert again.screen.report == report
        assert "setspn.txt" in screen_text(again)


async def test_a_reopened_live_source_asks_for_its_password_again(
    make_app: MakeApp, tmp_path: Path
) -> None:
    saved = tmp_path / "live-case.yaml"
    saved.write_text(dump_case(case_of(sources_session(), {}, None, datetime.now(UTC))))
    app = create_app([str(saved)], lang="pl", watch_rules=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", "down")
        await pilot.pause()
        detail = str(app.screen.query_one("#source-detail", Static).render())
        assert "hasło użytkownika CORP\\admin" in detail
        await pilot.press("r")
        await pilot.pause()
        assert not app.live.running  # nothing was collected without the password
        assert any("hasło użytkownika" in n.message for n in app._notifications)


@pytest.mark.parametrize(
    ("lang", "sides", "changed", "moved"),
    [
        ("en", "From the case saved in {path} at ", "Causes that changed: 1",
         "diagnosed 0.90 → not assessed 0.00"),
        ("pl", "Od sprawy zapisanej w {path} o ", "Przyczyny, które się zmieniły: 1",
         "zdiagnozowana 0.90 → nieoceniona 0.00"),
    ],
)  # fmt: skip
async def test_before_after_compares_the_case_now_with_a_saved_case(
    make_app: MakeApp, tmp_path: Path, lang: str, sides: str, changed: str, moved: str
) -> None:
    target = tmp_path / "ticket.yaml"
    app = make_app(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "slash", *"type:spn", "enter", "d")  # saved with this change
        await settle(pilot)
        await _save_case(pilot, target)
        await pilot.press("escape", "slash", "ctrl+u", *"type:clock", "enter", "d")  # then this
        await settle(pilot)
        compare_file_now(app, str(target))
        await settle(pilot)
        text = body_text(app)
    assert sides.format(path=file_label(str(target))) in text
    assert changed in text  # the saved SPN change is on both sides: only the clock differs
    assert moved in text
    assert "- time.skew.between-parties +0.90 DC01 / EX01" in text


def test_a_case_keeps_every_live_option_but_the_password() -> None:
    """A new collection option is saved with the case (or the case forgets it on reopening)."""
    import dataclasses

    from kbdoctor.collectors.live.model import LiveOptions
    from kbdoctor.tui.case import CaseLive

    options = {f.name for f in dataclasses.fields(LiveOptions)}
    assert set(CaseLive.model_fields) == options - {"password"}
