"""The timeline never passes a machine's own clock off as UTC: a time given with its zone is a
point in time, shown in UTC; a time given without one (what Format-List, repadmin and the header
of an Event Viewer copy print) is shown as given and marked local, in the user's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from kbdoctor.engine.facts import Event, TimeStatus
from kbdoctor.engine.i18n import Lang
from kbdoctor.tui.screens.timeline import timeline_body
from kbdoctor.tui.session import Session
from kbdoctor.tui.timeline import moments
from rich.console import Console

WARSAW_SUMMER = timezone(timedelta(hours=2))


def _shown(session: Session, lang: Lang) -> str:
    console = Console(width=240, record=True, color_system=None)
    console.print(timeline_body(moments(session.entries()), lang))
    return console.export_text()


@pytest.fixture
def session() -> Session:
    s = Session()
    s.add(
        [
            # the XML part of an Event Viewer copy: SystemTime in UTC
            Event(
                host="EX01",
                source="MSExchangeTransport",
                event_id=1035,
                message="454 4.7.0",
                time=datetime(2024, 3, 14, 8, 12, 44, tzinfo=UTC),
            ),
            # a local time with its offset: 09:30 in Warsaw is 07:30 UTC
            TimeStatus(
                host="DC01",
                time_source="time.windows.com",
                last_sync=datetime(2024, 3, 14, 9, 30, tzinfo=WARSAW_SUMMER),
            ),
            # Format-List: the machine's own clock, no zone
            Event(
                host="EX02",
                source="MSExchangeTransport",
                event_id=1035,
                message="454 4.7.0",
                time=datetime(2024, 3, 14, 9, 12, 44),
            ),
        ],
        "case.yaml",
    )
    return s


@pytest.mark.parametrize(("lang", "local"), [("en", "local"), ("pl", "lokalny"), ("de", "lokal")])
def test_zoned_times_are_shown_in_utc_and_zoneless_ones_marked_local(
    session: Session, lang: Lang, local: str
) -> None:
    text = _shown(session, lang)
    assert "2024-03-14 08:12:44 UTC" in text
    assert "2024-03-14 07:30:00 UTC" in text  # converted, not 09:30 shown as UTC
    assert f"2024-03-14 09:12:44 {local}" in text
    assert "2024-03-14 09:30:00" not in text  # (the fact itself keeps its +02:00)


def test_zoneless_times_sort_among_the_others_as_if_utc(session: Session) -> None:
    found = moments(session.entries())
    assert [m.at.hour for m in found] == [9, 8, 7]
    assert [m.zoned for m in found] == [False, True, True]
