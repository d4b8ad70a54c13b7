"""The case's sources, without a screen: each read is a source with what it holds; removing,
reading again and replacing the case never lose a fact, and undo puts every source back."""

from __future__ import annotations

from kbdoctor.engine.facts import ClockOffset, ReplicationLink, SpnListing
from kbdoctor.tui.fact_form import edit_fact
from kbdoctor.tui.session import Session, SourceChange
from kbdoctor.tui.sources import SourceOrigin

SKEW = ClockOffset(host="EX01", reference="DC01", offset_s=312.0)
SPNS = SpnListing(account="EX01$", spns=["SMTP/EX01"])
LINK = ReplicationLink(source="DC02", destination="DC01", last_result=1722)


def case() -> tuple[Session, int, int]:
    s = Session()
    s.add([SKEW, SPNS], "incident.yaml")
    added = s.add_source([LINK], "repl.yaml", SourceOrigin("file", ("repl.yaml",)))
    return s, s.sources()[0].id, added.id


def test_each_read_is_a_source_with_its_fact_counts_and_files() -> None:
    s, first, second = case()
    assert [src.label for src in s.sources()] == ["incident.yaml", "repl.yaml"]
    assert s.source(first).counts == (("clock_offset", 1), ("spn_listing", 1))
    assert s.source(second).facts == 1
    assert s.files == ["incident.yaml", "repl.yaml"]
    assert s.source_of(2).id == second


def test_a_removed_source_leaves_the_diagnosis_and_undo_brings_it_back_with_its_edits() -> None:
    s, first, _ = case()
    s.replace(0, edit_fact(SKEW, {"offset_s": "0"}))
    s.remove_source(first)
    assert s.effective_facts() == [LINK]
    assert len(s) == 1
    assert s.files == ["repl.yaml"]
    assert not s.changed
    assert s.remove_source(first) is None  # already out
    change = s.undo()
    assert isinstance(change, SourceChange)
    assert change.key is None
    assert len(s) == 3
    assert s.effective_facts()[0].offset_s == 0  # type: ignore[union-attr]
    s.redo()
    assert s.effective_facts() == [LINK]


def test_reading_again_replaces_the_old_reading_in_one_undoable_step() -> None:
    s, _, second = case()
    newer = ReplicationLink(source="DC02", destination="DC01", last_result=0)
    origin = s.source(second).origin
    s.add_source([newer], "repl.yaml", origin, replace=(second,))
    assert s.effective_facts()[-1] == newer
    assert [src.label for src in s.sources()] == ["incident.yaml", "repl.yaml"]
    s.undo()
    assert s.effective_facts()[-1] == LINK
    assert len(s) == 3


def test_replacing_the_case_takes_every_source_out_and_undo_restores_the_case() -> None:
    s, first, second = case()
    other = ClockOffset(host="MAIL1", reference="ADC1", offset_s=0.5)
    s.add_source([other], "other.yaml", SourceOrigin("file", ("other.yaml",)),
                 replace=(first, second))  # fmt: skip
    assert s.effective_facts() == [other]
    assert s.files == ["other.yaml"]
    s.undo()
    assert s.effective_facts() == [SKEW, SPNS, LINK]


def test_the_first_material_is_not_undone_and_the_demo_is_not_read_again() -> None:
    s = Session()
    s.add([SKEW], "incident.yaml")
    assert s.undo() is None
    demo = s.add_source([SPNS], "demo", SourceOrigin("demo"), undoable=False)
    assert not demo.reloadable
    assert s.sources()[0].reloadable
