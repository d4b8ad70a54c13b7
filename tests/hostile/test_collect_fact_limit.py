"""The facts limit bounds what collect writes as it bounds what evaluate reads: a fact file
collect writes can always be read back, and going over the limit is exit 2 naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.bounded import assert_refused, kbdoctor

DATA = Path(__file__).resolve().parents[1] / "data" / "importers"
SESSION = DATA / "mixed" / "ex01_session_en.txt"  # 4 facts of three programs
LISTING = DATA / "setspn" / "setspn_L_computer_en.txt"  # 1 other fact


def _collect(*args: str) -> tuple[int, str]:
    result = kbdoctor("collect", "--host", "EX01", *args)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stderr


def test_more_facts_than_the_limit_are_not_written(tmp_path: Path) -> None:
    output = tmp_path / "facts.yaml"
    result = kbdoctor(
        "collect",
        "--import",
        str(SESSION),
        "--host",
        "EX01",
        "-o",
        str(output),
        "--limit",
        "facts=3",
    )
    assert_refused(result, "more than 3 facts", "KBDOCTOR_MAX_FACTS", str(output))
    assert not output.exists()
    stdout = kbdoctor(
        "collect", "--import", str(SESSION), "--host", "EX01", env={"KBDOCTOR_MAX_FACTS": "3"}
    )
    assert_refused(stdout, "more than 3 facts")
    assert stdout.stdout == ""


def test_as_many_facts_as_the_limit_are_written(tmp_path: Path) -> None:
    output = tmp_path / "facts.yaml"
    code, _ = _collect("--import", str(SESSION), "-o", str(output), "--limit", "facts=4")
    assert code == 0
    assert output.read_text(encoding="utf-8").count("- type: ") == 4


def test_appending_counts_the_file_and_only_the_facts_it_does_not_hold(tmp_path: Path) -> None:
    output = tmp_path / "facts.yaml"
    assert _collect("--import", str(SESSION), "-o", str(output))[0] == 0
    before = output.read_text(encoding="utf-8")
    again = ("--import", str(SESSION), "-o", str(output), "--append", "--limit", "facts=4")
    assert _collect(*again)[0] == 0  # the same 4 facts again: the file still holds 4
    more = kbdoctor(
        "collect",
        "--import",
        str(LISTING),
        "--host",
        "EX01",
        "-o",
        str(output),
        "--append",
        "--limit",
        "facts=4",
    )
    assert_refused(more, "more than 4 facts", "KBDOCTOR_MAX_FACTS")
    assert output.read_text(encoding="utf-8") == before


def test_a_refused_collection_is_never_written_out_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 66 MB event log within the byte limit gave 174,449 facts, and collect spent minutes
    writing them as YAML before saying that they were over the limit of 100,000."""
    from kbdoctor import collect_command
    from kbdoctor.cli import main

    def never(*_args: object) -> str:
        raise AssertionError("the fact file was written out before the limit was checked")

    monkeypatch.setattr(collect_command, "dump_fact_file", never)
    output = tmp_path / "facts.yaml"
    args = ("collect", "--import", str(SESSION), "--host", "EX01", "--limit", "facts=3")
    assert main([*args, "-o", str(output)]) == 2
    assert main(list(args)) == 2
    assert not output.exists()
