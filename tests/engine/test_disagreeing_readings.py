"""Readings of one moment that disagree are a warning of their own: the engine marks them in the
kept fact's history apart from older observations a newer one replaced, and report/1 lists them
(``disagreeing_readings``) with the reading used, the readings set aside, their sources and the
fields in which they differ; a report without such readings is what it was, and the same facts
in any order give the same report."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

import pytest
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import (
    ClockOffset,
    DomainController,
    ExchangeServer,
    Fact,
    Queue,
    Source,
    TimeStatus,
)
from kbdoctor.engine.normalize import fact_id, superseded
from kbdoctor.engine.observations import registry_of
from kbdoctor.engine.report import Report

AT = datetime(2026, 11, 28, 9, 10, tzinfo=UTC)
MACHINES: list[Fact] = [
    ExchangeServer(name="EX01", fqdn="ex01.corp.example.com"),
    ExchangeServer(name="EX02", fqdn="ex02.corp.example.com"),
    DomainController(name="DC01", fqdn="dc01.corp.example.com", pdc=True),
    Queue(
        server="EX01",
        identity="EX01\\12",
        next_hop="ex02.corp.example.com",
        status="Retry",
        message_count=3,
        last_error='451 4.4.0 Primary target IP address responded with: "454 4.7.0 Temporary '
        'authentication failure."',
    ),
]


@pytest.fixture(scope="module")
def evaluator() -> Evaluator:
    return Evaluator()


def _clock(
    offset: float,
    file: str,
    *,
    line: int = 5,
    at: datetime | None = AT,
    host: str = "EX02",
    reference: str = "DC01",
) -> ClockOffset:
    return ClockOffset(
        host=host,
        reference=reference,
        offset_s=offset,
        observed_at=at,
        provenance=Source(file=file, line=line, reader="w32tm_stripchart"),
    )


def _history(facts: list[Fact]) -> tuple[Fact, list[tuple[float, bool]]]:
    """The fact ``superseded`` keeps of these readings of one clock pair, and its history as
    (offset, disagrees)."""
    unique = {fact_id(f): f for f in facts}
    history, _ = superseded(unique, registry_of(unique.values()))
    [(kept, replaced)] = history.items()
    offsets = []
    for entry in replaced:
        assert isinstance(entry.fact, ClockOffset)
        offsets.append((entry.fact.offset_s, entry.disagrees))
    return unique[kept], offsets


def test_a_reading_of_the_same_moment_is_marked_apart_from_an_older_observation() -> None:
    kept, history = _history(
        [
            _clock(12.0, "EX02/a.txt"),
            _clock(400.0, "DC01/b.txt"),
            _clock(3.0, "EX02/a.txt", line=2, at=datetime(2026, 11, 28, 9, tzinfo=UTC)),
        ]
    )
    assert isinstance(kept, ClockOffset)
    assert kept.offset_s == 400.0
    assert history == [(12.0, True), (3.0, False)]


def test_readings_without_a_time_from_two_files_disagree_but_down_one_file_they_follow() -> None:
    """Two files without times cannot say which reading came first: they disagree. Further
    down one file is later: the reading above it is only older."""
    _, across = _history([_clock(12.0, "a.txt", at=None), _clock(400.0, "b.txt", at=None)])
    assert across == [(12.0, True)]
    kept, down = _history(
        [_clock(400.0, "a.txt", line=2, at=None), _clock(12.0, "a.txt", line=9, at=None)]
    )
    assert isinstance(kept, ClockOffset)
    assert kept.offset_s == 12.0
    assert down == [(400.0, False)]


def test_the_report_names_the_reading_used_and_the_one_set_aside(evaluator: Evaluator) -> None:
    report = evaluator.evaluate(
        [
            *MACHINES,
            _clock(12.0, "EX02/a.txt"),
            _clock(-400.0, "DC01/b.txt", host="DC01", reference="ex02"),
        ]
    )
    time_sync = next(c for c in report.causes if c.cause == "time_sync")
    assert (time_sync.status, time_sync.confidence) == ("diagnosed", 0.9)
    [entry] = report.disagreeing_readings
    [used] = time_sync.evidence[0].facts
    assert entry.fact == used.id
    assert (entry.type, entry.differing_fields) == ("clock_offset", ["offset_s"])
    assert entry.summary == "clock of DC01 vs ex02: -400.000 s"
    assert entry.source == {"file": "DC01/b.txt", "line": 5, "reader": "w32tm_stripchart"}
    [other] = entry.others
    assert (other.fields["offset_s"], other.source) == (
        12.0,
        {"file": "EX02/a.txt", "line": 5, "reader": "w32tm_stripchart"},
    )
    assert used.history == [other]  # the same reading, in the kept fact's history too


def _json(report: Report) -> dict[str, object]:
    data = json.loads(report.to_json())
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    "second",
    [
        _clock(400.0, "EX02/later.txt", at=datetime(2026, 11, 28, 9, 20, tzinfo=UTC)),
        _clock(-12.0, "DC01/b.txt", host="dc01.corp.example.com", reference="EX02"),
        _clock(12.0, "EX02/copy.txt"),
    ],
    ids=["a later observation", "the same reading written the other way round", "a copy"],
)
def test_without_readings_that_disagree_the_report_has_no_such_field(
    evaluator: Evaluator, second: Fact
) -> None:
    report = evaluator.evaluate([*MACHINES, _clock(12.0, "EX02/a.txt"), second])
    assert report.disagreeing_readings == []
    assert "disagreeing_readings" not in _json(report)


def test_the_fields_that_differ_are_compared_as_the_engine_compares_them(
    evaluator: Evaluator,
) -> None:
    """A time service read twice at one moment: the peers spelled otherwise are no difference,
    the phase offset (which its summary does not show) is; the larger offset is used."""
    near = TimeStatus(
        host="EX02",
        time_source="DC01",
        peers=["DC01"],
        phase_offset_s=0.01,
        observed_at=AT,
        provenance=Source(file="EX02/w32tm.txt", line=3),
    )
    far = TimeStatus(
        host="ex02.corp.example.com",
        time_source="dc01",
        peers=["dc01.corp.example.com"],
        phase_offset_s=-250.0,
        observed_at=AT,
        provenance=Source(file="ex02.corp.example.com/w32tm.txt", line=3),
    )
    report = evaluator.evaluate([*MACHINES, near, far])
    [entry] = report.disagreeing_readings
    assert entry.differing_fields == ["phase_offset_s"]
    assert entry.fields["phase_offset_s"] == -250.0
    assert [o.fields["phase_offset_s"] for o in entry.others] == [0.01]


def test_the_same_facts_in_any_order_give_the_same_report(evaluator: Evaluator) -> None:
    """Two disagreements (one of three readings), whatever the order of the facts: the entries
    by the id of the fact used, the readings set aside in the engine's order."""
    facts: list[Fact] = [
        *MACHINES,
        _clock(12.0, "EX02/a.txt"),
        _clock(400.0, "DC01/b.txt"),
        _clock(90.0, "EX02/c.txt"),
        _clock(1.0, "EX01/a.txt", host="EX01"),
        _clock(-330.0, "DC01/d.txt", host="DC01", reference="EX01"),
    ]
    first = evaluator.evaluate(facts).to_json()
    data = json.loads(first)
    entries = data["disagreeing_readings"]
    assert [e["fact"] for e in entries] == sorted(e["fact"] for e in entries)
    assert sorted((e["fields"]["offset_s"], len(e["others"])) for e in entries) == [
        (-330.0, 1),
        (400.0, 2),
    ]
    assert evaluator.evaluate(facts[::-1]).to_json() == first
    shuffler = random.Random(979174)
    for _ in range(12):
        order = list(facts)
        shuffler.shuffle(order)
        assert evaluator.evaluate(order).to_json() == first
