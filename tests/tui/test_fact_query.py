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
