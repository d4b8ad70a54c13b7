"""The facts filter's language: type, host (machine accounts included), words and state."""

from __future__ import annotations

import pytest
from kbdoctor.engine.facts import SpnListing
from kbdoctor.tui.fact_form import edit_fact
from kbdoctor.tui.fact_query import FactQuery
from kbdoctor.tui.session import Session

from .test_session import SKEW, session


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("", [0, 1, 2]),
        ("type:clock", [0]),
        ("host:dc02", [2]),
        ("host:dc01", [0, 2]),
        ("smtpsvc", [1]),
        ("w32tm.txt", [0]),
        ("type:spn host:dc01", []),
        ("is:changed", [1]),
    ],
)
def test_the_filter_matches_type_host_text_and_state(query: str, keys: list[int]) -> None:
    s = session()
    s.disable(1)
    assert [e.key for e in s.entries() if FactQuery.parse(query).matches(e)] == keys
    columns = s.search_columns()
    assert [columns.keys[i] for i in FactQuery.parse(query).select(columns)] == keys


@pytest.mark.parametrize(
    ("narrower", "wider", "narrows"),
    [
        ("skew", "ske", True),
        ("host:ex01 spn", "host:ex01", True),
        ("host:ex01", "host:ex0", True),
        ("type:clock", "type:cl", True),
        ("type:clock", "", True),
        ("skew is:edited", "skew", True),
        ("host:e", "host:", False),  # the word "host:" became a host term
        ("ske", "skew", False),
        ("", "type:c", False),
        ("type:clock type:spn", "type:clock", False),  # types are alternatives
        ("type:clock", "type:clock type:spn", True),
        ("skew", "is:edited", False),
    ],
)
def test_a_query_narrows_another_when_it_keeps_no_fact_the_other_drops(
    narrower: str, wider: str, narrows: bool
) -> None:
    assert FactQuery.parse(narrower).narrows(FactQuery.parse(wider)) is narrows


@pytest.mark.parametrize("typed", ["host:dc01 w32", "type:spn smtp", "incident is:changed"])
def test_typing_key_by_key_keeps_what_the_whole_query_keeps(typed: str) -> None:
    s = session()
    s.disable(1)
    columns = s.search_columns()
    kept: list[int] | None = None
    before = FactQuery()
    for end in range(1, len(typed) + 1):
        query = FactQuery.parse(typed[:end])
        kept = query.select(columns, kept if query.narrows(before) else None)
        assert kept == query.select(columns), typed[:end]
        before = query
    assert [columns.keys[i] for i in kept or []] == [
        e.key for e in s.entries() if FactQuery.parse(typed).matches(e)
    ]


def test_the_search_columns_follow_every_what_if_change() -> None:
    s = session()
    disabled = FactQuery.parse("is:disabled")
    assert disabled.select(s.search_columns()) == []
    s.disable(1)
    assert disabled.select(s.search_columns()) == [1]
    s.undo()
    assert disabled.select(s.search_columns()) == []
    s.replace(0, edit_fact(SKEW, {"offset_s": "12"}))
    columns = s.search_columns()
    assert FactQuery.parse("offset_s=12").select(columns) == [0]
    assert columns is s.search_columns()  # made once per state of the session


def test_the_filter_remembers_search_texts_but_sees_an_edit_at_once() -> None:
    s = session()
    query = FactQuery.parse("offset_s=312")
    assert [e.key for e in s.entries() if query.matches(e, s.search_text)] == [0]
    s.replace(0, edit_fact(SKEW, {"offset_s": "12"}))
    assert [e.key for e in s.entries() if query.matches(e, s.search_text)] == []
    edited = FactQuery.parse("offset_s=12")
    assert [e.key for e in s.entries() if edited.matches(e, s.search_text)] == [0]
    s.undo()
    assert [e.key for e in s.entries() if query.matches(e, s.search_text)] == [0]


@pytest.mark.parametrize(
    "account",
    [
        "EX-KRK01$",
        "CORP\\EX-KRK01$",
        "EX-KRK01$@CORP.EXAMPLE.COM",
        "CN=EX-KRK01,OU=Servers,DC=corp",
    ],
)
def test_a_host_filter_finds_a_machine_through_its_computer_account(account: str) -> None:
    s = Session()
    s.add([SpnListing(account=account, spns=["SMTPSVC/ex-krk01"])], "spns.yaml")
    assert FactQuery.parse("host:ex-krk01").matches(s.entry(0))
    assert not FactQuery.parse("host:ex-waw01").matches(s.entry(0))


def test_a_user_account_is_no_host() -> None:
    s = Session()
    s.add([SpnListing(account="CORP\\svc-exch", spns=["HTTP/mail"])], "spns.yaml")
    assert not FactQuery.parse("host:svc").matches(s.entry(0))
