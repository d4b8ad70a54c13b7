"""Files and folders in, located facts and warnings out: the path ``collect`` and the TUI share."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from kbdoctor.collectors.importing import import_paths
from kbdoctor.engine.facts import ClockOffset, ExchangeServer, PortState, SpnListing, TimeStatus

from tests.collectors.importers.fixtures import fixture_path


def _copy(tmp_path: Path, family: str, name: str, folder: str) -> Path:
    target = tmp_path / folder
    target.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(fixture_path(family, name), target / name))


def test_a_pasted_session_gives_each_command_to_its_reader(tmp_path: Path) -> None:
    path = _copy(tmp_path, "mixed", "ex01_session_en.txt", "EX01")
    result = import_paths([str(path)])
    kinds = [(f.type, f.provenance.reader if f.provenance else None) for f in result.facts]
    assert kinds[:3] == [
        ("spn_listing", "setspn-L"),
        ("clock_offset", "w32tm-stripchart"),
        ("port_state", "test-netconnection"),
    ]
    offset = next(f for f in result.facts if isinstance(f, ClockOffset))
    assert (offset.host, offset.reference) == ("dc01.corp.example.com", "EX01")
    assert offset.provenance is not None
    assert offset.provenance.line == 10
    port = next(f for f in result.facts if isinstance(f, PortState))
    assert port.source == "EX01"
    # ipconfig is not a known format: reported with its lines, the rest is read
    assert any("ipconfig /all" in w.message and w.line == 23 for w in result.warnings)
    assert result.unrecognised == []


def test_host_from_the_folder_is_used_and_said(tmp_path: Path) -> None:
    path = _copy(tmp_path, "w32tm", "w32tm_stripchart_dataonly_en.txt", "EX07")
    result = import_paths([str(tmp_path)])
    [fact] = result.facts
    assert isinstance(fact, ClockOffset)
    assert fact.reference == "EX07"
    notes = [w for w in result.warnings if "EX07" in w.message]
    assert notes
    assert "folder" in notes[0].message
    assert notes[0].file == str(path)


def test_host_option_wins_over_the_folder_and_is_said(tmp_path: Path) -> None:
    _copy(tmp_path, "klist", "klist_get_smtpsvc_failed_en.txt", "somewhere")
    result = import_paths([str(tmp_path)], host="EX03")
    assert [getattr(f, "host", None) for f in result.facts] == ["EX03"]
    assert any("--host" in w.message and "EX03" in w.message for w in result.warnings)


def test_no_hint_warning_for_outputs_that_name_their_machines(tmp_path: Path) -> None:
    _copy(tmp_path, "setspn", "setspn_L_computer_en.txt", "EX01")
    result = import_paths([str(tmp_path)])
    assert result.warnings == []


def test_an_unknown_file_is_reported_with_the_known_formats(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("Dear support, see attached.\n")
    result = import_paths([str(tmp_path)])
    [item] = result.unrecognised
    assert item.file == str(tmp_path / "notes.txt")
    assert "setspn -L EX01" in item.message
    assert "w32tm /monitor" in item.message


def test_warnings_render_in_polish_and_stay_english_for_logs(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nic\n")
    result = import_paths([str(tmp_path)], lang="pl")
    [item] = result.unrecognised
    assert result.lang == "pl"
    assert item.render("pl").startswith(f"{tmp_path / 'notes.txt'}: to nie jest format")
    assert item.text("pl").startswith("to nie jest format")
    assert str(item).startswith(f"{tmp_path / 'notes.txt'}: not a format kbdoctor reads")


def test_the_same_fact_in_two_files_is_kept_once(tmp_path: Path) -> None:
    _copy(tmp_path, "setspn", "setspn_L_computer_en.txt", "a")
    _copy(tmp_path, "setspn", "setspn_L_computer_en.txt", "b")
    result = import_paths([str(tmp_path)])
    assert len([f for f in result.facts if isinstance(f, SpnListing)]) == 1
    assert len(result.files) == 2


def test_folders_are_walked_in_sorted_order_skipping_hidden_files(tmp_path: Path) -> None:
    _copy(tmp_path, "w32tm", "w32tm_monitor_en.txt", "b")
    _copy(tmp_path, "setspn", "setspn_L_computer_en.txt", "a")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    result = import_paths([str(tmp_path)])
    assert [Path(f).parent.name for f in result.files] == ["a", "b"]
    assert result.unrecognised == []


def test_progress_is_told_before_each_file(tmp_path: Path) -> None:
    _copy(tmp_path, "w32tm", "w32tm_monitor_en.txt", "b")
    _copy(tmp_path, "setspn", "setspn_L_computer_en.txt", "a")
    told: list[tuple[int, int, str]] = []
    import_paths([str(tmp_path)], progress=lambda done, total, path: told.append(
        (done, total, path.name)
    ))
    assert told == [(0, 2, "setspn_L_computer_en.txt"), (1, 2, "w32tm_monitor_en.txt")]


def test_a_missing_path_is_a_warning_not_an_exception(tmp_path: Path) -> None:
    result = import_paths([str(tmp_path / "nope")])
    assert result.facts == []
    assert result.warnings[0].file == str(tmp_path / "nope")


def test_exchange_servers_are_inferred_from_spns_with_fqdn(tmp_path: Path) -> None:
    _copy(tmp_path, "setspn", "setspn_L_exchange_pl.cp852.txt", "EX01")
    result = import_paths([str(tmp_path)])
    [server] = [f for f in result.facts if isinstance(f, ExchangeServer)]
    assert (server.name, server.fqdn) == ("EX01", "ex01.firma.pl")
    assert server.provenance is not None
    assert "exchangemdb/" in (server.provenance.inferred or "")


def test_peers_join_the_status_of_the_same_machine(tmp_path: Path) -> None:
    _copy(tmp_path, "w32tm", "w32tm_peers_en.txt", "DC09")
    _copy(tmp_path, "w32tm", "w32tm_query_status_verbose_de.cp850.txt", "DC09")
    statuses = [f for f in import_paths([str(tmp_path)]).facts if isinstance(f, TimeStatus)]
    assert [(s.time_source, s.peers) for s in statuses] == [
        ("de.pool.ntp.org", ["dc01.corp.example.com", "dc02.corp.example.com"])
    ]


@pytest.mark.parametrize(
    ("family", "name"),
    [
        ("setspn", "setspn_X_duplicate_en.utf16.txt"),
        ("w32tm", "w32tm_query_status_verbose_pl.utf16.txt"),
        ("test_netconnection", "tnc_port88_failed_en.utf16.txt"),
        ("klist", "klist_get_skew_pl.cp852.txt"),
    ],
)
def test_every_fact_carries_file_line_and_reader(tmp_path: Path, family: str, name: str) -> None:
    _copy(tmp_path, family, name, "EX01")
    result = import_paths([str(tmp_path)])
    assert result.facts
    for fact in result.facts:
        assert fact.provenance is not None
        assert fact.provenance.file
        assert fact.provenance.line
        assert fact.provenance.reader
