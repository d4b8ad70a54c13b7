"""The undo session's rules for what-if changes and saving, without a screen."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from kbdoctor.engine.factio import dump_fact_file, parse_fact_text
from kbdoctor.engine.facts import ClockOffset, ReplicationLink, Source, SpnListing, is_disabled
from kbdoctor.engine.report import FactRef
from kbdoctor.tui.fact_form import edit_fact
from kbdoctor.tui.session import Session

SKEW = ClockOffset(
    host="EX01",
    reference="DC01",
    offset_s=312.0,
    provenance=Source(collector="import", reader="w32tm", file="w32tm.txt", line=3),
)
SPNS = SpnListing(account="EX01$", spns=["SMTP/EX01", "SMTPSVC/ex01.contoso.local"])
LINK = ReplicationLink(source="DC02", destination="DC01", last_result=1722)


def session() -> Session:
    s = Session()
    s.add([SKEW, SPNS], "incident.yaml")
    s.add([LINK], "repl.yaml")
    return s


def test_an_edit_replaces_the_fact_the_diagnosis_sees_but_keeps_the_loaded_one() -> None:
    s = session()
    s.replace(0, edit_fact(SKEW, {"offset_s": "0"}))
    assert s.effective_facts()[0].offset_s == 0  # type: ignore[union-attr]
    assert s.loaded_facts()[0] is SKEW
    assert [e.status for e in s.entries()] == ["edited", "loaded", "loaded"]


def test_undo_and_redo_walk_the_changes_in_order() -> None:
    s = session()
    s.replace(0, edit_fact(SKEW, {"offset_s": "10"}))
    s.replace(0, edit_fact(s.entry(0).fact, {"offset_s": "20"}))
    s.disable(2)
    assert len(s.effective_facts()) == 2
    s.undo()
    assert len(s.effective_facts()) == 3
    s.undo()
    assert s.entry(0).fact.offset_s == 10  # type: ignore[union-attr]
    s.undo()
    assert not s.changed
    assert s.undo() is None
    s.redo()
    assert s.entry(0).fact.offset_s == 10  # type: ignore[union-attr]
    s.replace(1, edit_fact(SPNS, {"spns": "SMTP/EX01"}))
    assert not s.can_redo  # a new change forgets what was undone


def test_editing_back_to_the_loaded_value_is_no_change_at_all() -> None:
    s = session()
    s.replace(0, edit_fact(SKEW, {"offset_s": "0"}))
    s.replace(0, edit_fact(s.entry(0).fact, {"offset_s": "312"}))
    assert not s.changed


def test_toggle_disables_then_enables_and_loading_more_keeps_changes() -> None:
    s = session()
    s.toggle(1)
    assert s.entry(1).status == "disabled"
    s.add([LINK], "more.yaml")
    assert s.entry(1).status == "disabled"
    assert len(s) == 4
    s.toggle(1)
    assert s.entry(1).status == "loaded"


def test_the_saved_file_marks_what_a_person_changed_and_drops_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("USER", "anna")
    s = session()
    s.saw_collected_at(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    s.saw_collected_at(datetime(2026, 2, 1, 9, 0, tzinfo=UTC))
    s.disable(2)
    s.replace(0, edit_fact(SKEW, {"offset_s": "0"}))
    text = dump_fact_file(s.fact_file("1 change"), "yaml")
    again = parse_fact_text(text, "whatif.yaml")
    assert again.collected_at == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)  # not the save time
    assert [f.type for f in again.facts] == ["clock_offset", "spn_listing", "replication_link"]
    edited, kept, disabled = again.facts
    assert edited.offset_s == 0  # type: ignore[union-attr]
    assert edited.provenance is not None
    assert (edited.provenance.file, edited.provenance.line) == ("w32tm.txt", 3)  # where it was
    mark = edited.provenance.what_if
    assert mark is not None
    assert mark.status == "edited"
    assert mark.by == "anna"
    assert mark.at is not None
    assert [(c.field, c.old, c.new) for c in mark.changes or []] == [("offset_s", 312.0, 0.0)]
    assert kept == SPNS  # unchanged facts are written as they were read
    assert disabled.provenance is not None
    assert disabled.provenance.what_if is not None
    assert disabled.provenance.what_if.status == "disabled"
    assert disabled.last_result == 1722  # type: ignore[union-attr]  # the fact as collected
    assert is_disabled(disabled)
    assert not is_disabled(edited)
    assert again.environment == {"what_if": "1 change"}


def test_without_a_collection_time_none_is_invented() -> None:
    assert session().fact_file().collected_at is None


def test_a_fact_cited_by_the_report_is_found_in_the_session() -> None:
    s = session()
    ref = FactRef(
        id="x",
        type="replication_link",
        summary="",
        fields={
            "type": "replication_link",
            "source": "DC02",
            "destination": "DC01",
            "last_result": 1722,
        },
    )
    assert s.find(ref) == 2
    other = ref.model_copy(update={"fields": {**ref.fields, "last_result": 0}})
    assert s.find(other) is None
