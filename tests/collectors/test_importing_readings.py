"""An import keeps one fact per reading: the same command output saved under two folders that
name one machine differently (``EX02``, ``ex02.corp.example.com``) is one measurement, and two
facts of it would be counted twice by every rule that reads them. Other readings stay."""

from __future__ import annotations

from pathlib import Path

from kbdoctor.collectors.importing import import_paths
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import ClockOffset, Fact
from pydantic import TypeAdapter

STRIPCHART = """w32tm /stripchart /computer:DC01 /samples:3 /dataonly
Tracking DC01 [10.0.0.1:123].
Collecting 3 samples.
The current time is 11/28/2026 {time} AM.
09:10:00, {offset}s
09:10:02, {offset}s
09:10:04, {offset}s
"""

MACHINES: list[Fact] = TypeAdapter(list[Fact]).validate_python(
    [
        {"type": "exchange_server", "name": "EX01", "fqdn": "ex01.corp.example.com"},
        {"type": "exchange_server", "name": "EX02", "fqdn": "ex02.corp.example.com"},
        {"type": "domain_controller", "name": "DC01", "fqdn": "dc01.corp.example.com", "pdc": True},
        {
            "type": "queue",
            "server": "EX01",
            "identity": "EX01\\3",
            "last_error": (
                '451 4.4.0 Primary target IP address responded with: "454 4.7.0 Temporary '
                'authentication failure." {FQDN=ex02.corp.example.com}'
            ),
        },
    ]
)


def _save(root: Path, folder: str, time: str = "9:10:00", offset: str = "+421.5000000") -> None:
    (root / folder).mkdir(parents=True, exist_ok=True)
    text = STRIPCHART.format(time=time, offset=offset)
    (root / folder / "w32tm-stripchart-DC01.txt").write_text(text)


def test_one_output_saved_under_two_spellings_of_its_machine_is_one_fact(tmp_path: Path) -> None:
    _save(tmp_path / "first", "EX02")
    _save(tmp_path / "second", "ex02.corp.example.com")
    result = import_paths([str(tmp_path / "first"), str(tmp_path / "second")])
    [fact] = result.facts
    assert isinstance(fact, ClockOffset)
    assert fact.provenance is not None
    assert fact.provenance.file == str(tmp_path / "first" / "EX02" / "w32tm-stripchart-DC01.txt")
    time_sync = next(
        c for c in Evaluator().evaluate([*MACHINES, *result.facts]).causes if c.cause == "time_sync"
    )
    assert (time_sync.status, time_sync.confidence) == ("diagnosed", 0.9)


def test_the_same_machine_in_upper_and_lower_case_folders_is_one_fact(tmp_path: Path) -> None:
    _save(tmp_path / "a", "EX02")
    _save(tmp_path / "b", "ex02")
    assert len(import_paths([str(tmp_path)]).facts) == 1


def test_readings_at_other_times_or_of_other_values_are_all_kept(tmp_path: Path) -> None:
    """A later stripchart is another observation (the engine keeps the latest), and one of the
    same moment with another value is a disagreement the engine must see to show it."""
    _save(tmp_path / "a", "EX02")
    _save(tmp_path / "b", "ex02.corp.example.com", time="9:20:00")
    _save(tmp_path / "c", "Ex02", offset="+12.0000000")
    facts = import_paths([str(tmp_path)]).facts
    assert sorted((str(f.observed_at), getattr(f, "offset_s", None)) for f in facts) == [
        ("2026-11-28 09:10:00", 12.0),
        ("2026-11-28 09:10:00", 421.5),
        ("2026-11-28 09:20:00", 421.5),
    ]
