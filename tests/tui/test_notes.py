"""A note the engineer types is marked where its cause or fact is listed and readable from there:
the tag starts the cause's title in the cause list and the reasoning tree (with the note under
the cause), a noted fact's line in the tree and its summary in the facts table, and the fact's
dialog shows the note; removing the note removes the marks. In English and Polish, with the
German catalogue's tag checked too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from kbdoctor.engine.facts import ClockOffset, SpnListing
from kbdoctor.engine.report import FactRef
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.case import CaseNote, note_key
from kbdoctor.tui.fact_form import edit_fact
from kbdoctor.tui.i18n import t
from kbdoctor.tui.notes import NoteIndex, note_line
from kbdoctor.tui.screens.fact_detail import FactDetailScreen
from kbdoctor.tui.screens.note import NoteScreen
from kbdoctor.tui.session import Session
from kbdoctor.tui.widgets.causes import CauseList
from kbdoctor.tui.widgets.reasoning import ReasoningTree
from textual.pilot import Pilot
from textual.widgets import TextArea

from .conftest import dialog_text, flat, screen_text, settle

MakeApp = Callable[..., KbdoctorApp]
TAGS = {"en": "[note]", "pl": "[notatka]", "de": "[Notiz]"}
SKEW = ClockOffset(host="EX01", reference="DC01", offset_s=312.0)
SPNS = SpnListing(account="EX01$", spns=["SMTP/EX01"])


def note(about: str, ident: str | int, text: str) -> CaseNote:
    return CaseNote(
        about=about,
        id=str(ident),
        text=text,
        by="anna",
        at=datetime(2026, 3, 14, 9, 12, tzinfo=UTC),
    )


def ref_of(fact: ClockOffset) -> FactRef:
    fields = {"type": fact.type, **fact.model_dump(mode="json", exclude_none=True)}
    return FactRef(id="x", type=fact.type, summary="", fields=fields)


@pytest.mark.parametrize("lang", ["en", "pl", "de"])
def test_the_tag_is_plain_text_in_every_language(lang: str) -> None:
    assert t("tui.note.mark", lang) == TAGS[lang]  # type: ignore[arg-type]
    assert TAGS[lang].isascii()  # shown by any terminal, unlike a pictograph


def test_a_fact_the_report_cites_is_matched_to_its_note_as_the_diagnosis_saw_it() -> None:
    session = Session()
    session.add([SKEW, SPNS], "incident.yaml")
    index = NoteIndex({note_key("fact", 0): note("fact", 0, "customer says ntp")}, session)
    assert index.ref(ref_of(SKEW)) is not None
    session.replace(0, edit_fact(SKEW, {"offset_s": "5"}))
    assert index.ref(ref_of(SKEW)) is None  # the diagnosis sees the edited fact now
    assert index.ref(ref_of(session.entry(0).fact)) is not None  # type: ignore[arg-type]
    session.disable(0)
    assert index.ref(ref_of(SKEW)) is None  # a disabled fact is cited by nothing
    assert index.fact(0) is not None
    assert index.fact(1) is None


def test_the_note_line_joins_its_lines_and_says_who_and_when() -> None:
    line = note_line(note("cause", "time_sync", "customer restarted\nw32time"), "en").plain
    assert line == "[note] customer restarted w32time  (anna, 2026-03-14T09:12:00+00:00)"


async def write_note(pilot: Pilot[None], text: str) -> None:
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NoteScreen)
    pilot.app.screen.query_one("#note-text", TextArea).text = text
    await pilot.press("ctrl+s")
    await settle(pilot)


@pytest.mark.parametrize("lang", ["en", "pl"])
async def test_a_noted_cause_is_tagged_in_the_list_and_tree_with_the_note_under_it(
    make_app: MakeApp, lang: str
) -> None:
    tag = TAGS[lang]
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.main.select_cause("spn_duplicate")
        await pilot.pause()
        assert tag not in screen_text(app)
        await write_note(pilot, "customer removed OLDEX01 last week, replication pending")
        causes = app.main.query_one(CauseList)
        prompt = str(causes.get_option("spn_duplicate").prompt)
        assert prompt.splitlines()[1].startswith(tag)
        assert tag not in str(causes.get_option("time_sync").prompt)
        tree = app.main.query_one(ReasoningTree)
        assert str(tree.root.label).startswith(tag)
        assert str(tree.root.children[0].label).startswith(f"{tag} customer removed OLDEX01")
        assert tag in screen_text(app)  # on screen at 80x24, not cut away
        await pilot.press("w", "v")  # the note in full with the reasoning
        await settle(pilot)
        shown = flat(await dialog_text(pilot))
        assert flat("customer removed OLDEX01 last week, replication pending") in shown
        await pilot.press("escape")
        await write_note(pilot, "")  # an empty note removes it, and its marks
        assert tag not in str(causes.get_option("spn_duplicate").prompt)
        assert tag not in str(tree.root.label)


@pytest.mark.parametrize("lang", ["en", "pl"])
async def test_a_noted_fact_is_tagged_in_the_table_and_the_tree_and_shown_in_its_dialog(
    make_app: MakeApp, lang: str
) -> None:
    tag = TAGS[lang]
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "slash", *"type:spn_dup", "enter")
        await settle(pilot)
        await write_note(pilot, "OLDEX01 is the server retired in 2019")
        table_line = next(line for line in screen_text(app).splitlines() if "spn_duplicate" in line)
        assert tag in table_line
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FactDetailScreen)
        assert flat("OLDEX01 is the server retired in 2019") in flat(await dialog_text(pilot))
        await pilot.press("escape", "1")
        app.main.select_cause("spn_duplicate")
        await settle(pilot)
        tree = app.main.query_one(ReasoningTree)
        fact_lines = [str(n.label) for n in tree.root.children[-1].children if n.data is not None]
        assert fact_lines
        assert fact_lines[0].startswith(f"● {tag} spn_duplicate")
