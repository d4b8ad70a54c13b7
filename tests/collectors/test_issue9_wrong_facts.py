"""The wrong facts issue 9 lists, each read the way ``kbdoctor collect --import FOLDER`` reads."""

from __future__ import annotations

import shutil
from pathlib import Path

from kbdoctor.collectors.importing import import_paths
from kbdoctor.engine.facts import CheckRun, ClockOffset, DomainController, Fact

from tests.collectors.importers.fixtures import DATA

REPO = Path(__file__).resolve().parents[2]


def _import_in_folder(tmp_path: Path, folder: str, *fixtures: str) -> list[Fact]:
    target = tmp_path / folder
    target.mkdir()
    for fixture in fixtures:
        shutil.copy(DATA / fixture, target / Path(fixture).name)
    return import_paths([str(tmp_path)]).facts


def test_german_stripchart_gives_no_host_named_verfolgt(tmp_path: Path) -> None:
    facts = _import_in_folder(tmp_path, "EX01", "w32tm/w32tm_stripchart_de.txt")
    offsets = [(f.host, f.reference) for f in facts if isinstance(f, ClockOffset)]
    assert offsets == [("time.windows.com", "EX01")]


def test_monitor_keeps_the_ipv6_dc_and_gives_no_reference_named_0(tmp_path: Path) -> None:
    facts = _import_in_folder(tmp_path, "DC01", "w32tm/w32tm_monitor_ipv6_note_en.txt")
    assert "DC2.Contoso.com" in [f.name for f in facts if isinstance(f, DomainController)]
    references = {f.reference for f in facts if isinstance(f, ClockOffset)}
    assert references == {"DC1.Contoso.com"}


def test_setspn_listing_without_header_is_no_duplicate_search(tmp_path: Path) -> None:
    facts = _import_in_folder(tmp_path, "EX01", "setspn/setspn_L_without_header_note_en.txt")
    assert [f for f in facts if isinstance(f, CheckRun)] == []


def test_a_folder_of_python_source_gives_nothing_and_no_folder_becomes_a_host(
    tmp_path: Path,
) -> None:
    # the Python package without its text catalogues (JSON data, which is not source code)
    without_catalogues = shutil.ignore_patterns("locales")
    shutil.copytree(REPO / "collectors", tmp_path / "collectors", ignore=without_catalogues)
    result = import_paths([str(tmp_path)])
    assert result.facts == []
    assert [w.key for w in result.unrecognised] == ["skipped_not_output"]
