"""The shapes a value must have before a reader may use it (issue 9, item 1)."""

from __future__ import annotations

import doctest
from datetime import datetime

import pytest
from kbdoctor.collectors import shapes
from kbdoctor.collectors.importers.base import parse_datetime
from kbdoctor.collectors.importing import import_paths
from kbdoctor.collectors.shapes import is_host, is_offset, is_result_code, pick_host
from kbdoctor.engine.facts import Event

from tests.collectors.importers.fixtures import DATA


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(shapes).failed == 0


@pytest.mark.parametrize(
    "text",
    [
        "EX01",
        "dc-02",
        "dc01.corp.example.com",
        "dc01.corp.example.com.",
        "10.0.0.1",
        "fe80::1%6",
        "[2001:db8::1]",
        "time.windows.com",
        "PDC",
    ],
)
def test_hosts(text: str) -> None:
    assert is_host(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0",
        "4711",
        "<-",
        "C:\\Users",
        "a b",
        "verylongnetbiosname",
        "-dc01",
        "dc01..com",
        "1.2.3.999",
        "offset:",
        "192.168.xx.xx",
        "...",
        "host/with/slash",
    ],
)
def test_not_hosts(text: str) -> None:
    assert not is_host(text)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["time.windows.com", "wird", "verfolgt"], "time.windows.com"),
        (["Tracking", "dc01"], "dc01"),
        (["Suivi", "de", "server"], None),  # plain words, none in the table: unsure
        (["offset", "from", "PDC.example.com", "<-", "this", "one", "is", "0"], "PDC.example.com"),
    ],
)
def test_pick_host_takes_the_one_host_shaped_word(words: list[str], expected: str | None) -> None:
    assert pick_host(words, {"tracking", "wird", "verfolgt", "offset", "from"}) == expected


def test_offsets_and_result_codes() -> None:
    assert is_offset("+00.0009583s")
    assert is_offset("-0,0123456s")
    assert not is_offset("0.5")
    assert not is_offset("error")
    assert is_result_code("1722")
    assert is_result_code("-2146893022")
    assert is_result_code("0x80090322")
    assert not is_result_code("n/a")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/05/2023 16:02:02", None),  # 12 May or 5 December: the material does not say
        ("12/5/2023 4:02:02 PM", datetime(2023, 12, 5, 16, 2, 2)),  # AM/PM: the US layout
        ("25/05/2023 16:02:02", datetime(2023, 5, 25, 16, 2, 2)),
        ("05/05/2023 16:02:02", datetime(2023, 5, 5, 16, 2, 2)),
        ("2023-05-12 16:02:02", datetime(2023, 5, 12, 16, 2, 2)),
    ],
)
def test_an_ambiguous_day_and_month_give_no_time_rather_than_a_wrong_one(
    text: str, expected: datetime | None
) -> None:
    assert parse_datetime(text) == expected


def test_an_event_whose_date_cannot_be_settled_is_kept_without_a_time_and_said_so() -> None:
    path = DATA / "real" / "eventlog" / "viewer_1035_frontend_xml_tags_stripped_en.txt"
    result = import_paths([str(path)], host="EX01")
    assert [f.time for f in result.facts if isinstance(f, Event)] == [None]
    [unread] = [w for w in result.warnings if w.key == "eventlog.time_unread"]
    assert "12/05/2023" in unread.text("en")
    assert unread.line is not None
