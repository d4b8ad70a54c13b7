"""``kbdoctor collect``: writing, --append without duplicates, atomic output, exit codes."""

from __future__ import annotations

import argparse
import io
import os
import shutil
from pathlib import Path

import pytest
from kbdoctor.collectors.command import add_collect_parser, run_collect
from kbdoctor.engine.factio import parse_fact_text

from tests.collectors.importers.fixtures import fixture_path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kbdoctor")
    add_collect_parser(parser.add_subparsers(dest="command"))
    return parser


def _run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    args = _parser().parse_args(["collect", *argv])
    return run_collect(args, stderr=err), err.getvalue()


@pytest.fixture
def material(tmp_path: Path) -> Path:
    folder = tmp_path / "in" / "EX01"
    folder.mkdir(parents=True)
    shutil.copy(fixture_path("setspn", "setspn_X_duplicate_en.utf16.txt"), folder)
    shutil.copy(fixture_path("w32tm", "w32tm_stripchart_dataonly_en.txt"), folder)
    return tmp_path / "in"


def test_collect_writes_a_valid_fact_file(material: Path, tmp_path: Path) -> None:
    out = tmp_path / "facts.yaml"
    code, err = _run("--import", str(material), "-o", str(out))
    assert code == 0
    facts = parse_fact_text(out.read_text(encoding="utf-8"), str(out)).facts
    assert {f.type for f in facts} >= {"spn_duplicate", "check_run", "clock_offset"}
    assert "EX01" in err
    assert "folder" in err


def test_json_by_extension(material: Path, tmp_path: Path) -> None:
    out = tmp_path / "facts.json"
    assert _run("--import", str(material), "-o", str(out))[0] == 0
    assert out.read_text(encoding="utf-8").startswith("{")


def test_append_adds_new_facts_and_never_repeats_old_ones(material: Path, tmp_path: Path) -> None:
    out = tmp_path / "facts.yaml"
    assert _run("--import", str(material), "-o", str(out))[0] == 0
    first = parse_fact_text(out.read_text(encoding="utf-8"), str(out)).facts
    extra = tmp_path / "more" / "EX02"
    extra.mkdir(parents=True)
    shutil.copy(fixture_path("klist", "klist_get_smtpsvc_failed_en.txt"), extra)
    assert _run("--import", str(material), "--import", str(extra.parent), "-o", str(out),
                "--append")[0] == 0
    second = parse_fact_text(out.read_text(encoding="utf-8"), str(out)).facts
    assert second[: len(first)] == first
    assert [f.type for f in second[len(first):]] == ["kerberos_error"]


def test_append_to_an_invalid_fact_file_changes_nothing(material: Path, tmp_path: Path) -> None:
    out = tmp_path / "facts.yaml"
    out.write_text("kbdoctor: facts/1\nfacts: [{type: nonsense}]\n", encoding="utf-8")
    code, err = _run("--import", str(material), "-o", str(out), "--append")
    assert code == 2
    assert "cannot extend" in err
    assert out.read_text(encoding="utf-8").endswith("nonsense}]\n")


def test_a_failed_write_leaves_neither_a_partial_file_nor_a_temporary_one(
    material: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "facts.yaml"

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    code, err = _run("--import", str(material), "-o", str(out))
    assert code == 2
    assert "No space left" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert _run()[0] == 2
    assert _run("--import", str(tmp_path / "missing"))[0] == 2
    assert _run("--import", str(tmp_path), "--append")[0] == 2


def test_material_nobody_can_read_exits_2_and_lists_formats(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("hello\n")
    code, err = _run("--import", str(tmp_path), "-o", str(tmp_path / "f.yaml"))
    assert code == 2
    assert "setspn -L EX01" in err
    assert not (tmp_path / "f.yaml").exists()


def test_polish_messages_with_lang(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("hello\n")
    _, err = _run("--import", str(tmp_path), "--lang", "pl")
    assert "to nie jest format" in err


def test_reader_warnings_are_printed_in_the_chosen_language(tmp_path: Path) -> None:
    folder = tmp_path / "EX01"
    folder.mkdir()
    shutil.copy(fixture_path("w32tm", "w32tm_stripchart_all_failed_en.txt"), folder)
    name = str(folder / "w32tm_stripchart_all_failed_en.txt")
    _, polish = _run("--import", str(folder), "--lang", "pl")
    _, english = _run("--import", str(folder), "--lang", "en")
    assert f"{name}:2: nie udało się odczytać żadnej próbki dla DC02" in polish
    assert "no sample of" not in polish
    assert f"{name}:2: no sample of DC02 could be read" in english


def test_help_lists_the_windows_commands_to_run() -> None:
    text = _parser().parse_args(["collect", "--import", "x"])  # parser builds
    assert text is not None
    parser = _parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    help_text = sub.choices["collect"].format_help()
    for command in ("setspn -L EX01 > setspn-L-EX01.txt",
                    "Get-ReceiveConnector | Export-Clixml rc.xml",
                    "w32tm /stripchart /computer:DC01 /dataonly /samples:5"):
        assert command in help_text
