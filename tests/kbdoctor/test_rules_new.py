"""``kbdoctor rules new`` as an engineer meets it: the files it writes, the next commands it
names, and that it never writes over a file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLAGS = (
    "rules", "new", "contoso.queue-backlog", "--fact", "queue", "--where", "message_count=gt:500",
    "--finding", "queue_backlog", "--title", "More than 500 messages wait",
    "--title-pl", "Ponad 500 wiadomości czeka", "--pack", "contoso",
)  # fmt: skip


def kbdoctor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kbdoctor", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"LANG": "C", "PATH": "/usr/bin", "KBDOCTOR_CONFIG": "/nonexistent"},
    )


def test_new_writes_a_pack_and_its_tests_that_lint_and_pass(tmp_path: Path) -> None:
    done = kbdoctor(*FLAGS, "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == [
        f"written: {tmp_path / 'contoso.yaml'}",
        f"written: {tmp_path / 'tests' / 'contoso.yaml'}",
    ]
    assert kbdoctor("rules", "lint", "--strict", str(tmp_path)).returncode == 0
    tested = kbdoctor("rules", "test", str(tmp_path))
    assert tested.returncode == 0
    assert tested.stdout.strip() == "2 passed, 0 failed, 0 known gaps"


def test_new_never_writes_over_a_file(tmp_path: Path) -> None:
    (tmp_path / "contoso.yaml").write_text("mine\n", encoding="utf-8")
    done = kbdoctor(*FLAGS, "-o", str(tmp_path))
    assert done.returncode == 2
    assert "never writes over a file" in done.stderr
    assert (tmp_path / "contoso.yaml").read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "tests").exists()


def answering(answers: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``kbdoctor rules new`` with its questions answered from a pipe."""
    return subprocess.run(
        [sys.executable, "-m", "kbdoctor", "rules", "new", *args],
        input=answers,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"LANG": "C", "PATH": "/usr/bin", "KBDOCTOR_CONFIG": "/nonexistent"},
    )


ANSWERS = [
    "contoso.queue-backlog",  # rule id
    "9",  # the fact type by its number in the list: queue
    "message_count=gt:500",
    "",  # no more field tests
    "queue_backlog",
    "More than 500 messages wait",
    "Ponad 500 wiadomości czeka",
    "0.7",
    "contoso",
]


def test_new_asks_for_what_its_flags_leave_out_and_reads_piped_answers(tmp_path: Path) -> None:
    done = answering("\n".join(ANSWERS) + "\n", "-o", str(tmp_path), "--lang", "pl")
    assert done.returncode == 0, done.stderr
    assert "Identyfikator reguły" in done.stderr
    assert "  9. queue: kolejka poczty" in done.stderr
    assert "Tytuł reguły po polsku:" in done.stderr
    rules = (tmp_path / "contoso.yaml").read_text(encoding="utf-8")
    assert "cf: 0.7" in rules
    assert "message_count:" in rules
    assert kbdoctor("rules", "lint", "--strict", str(tmp_path)).returncode == 0
    tested = kbdoctor("rules", "test", str(tmp_path))
    assert tested.stdout.strip() == "2 passed, 0 failed, 0 known gaps"


def test_new_asks_only_what_the_flags_do_not_say(tmp_path: Path) -> None:
    done = answering(
        "message_count=gt:5\n\n", *FLAGS[2:5], *FLAGS[7:], "--cf", "0.5", "-o", str(tmp_path)
    )
    assert done.returncode == 0, done.stderr
    assert "Field test, FIELD=OP:VALUE" in done.stderr
    assert "Title of the rule" not in done.stderr
    assert "Fact type" not in done.stderr


def test_a_piped_answer_that_cannot_be_used_ends_the_command_with_its_line_and_reason(
    tmp_path: Path,
) -> None:
    wrong = [*ANSWERS[:2], "message_count=gt:many", *ANSWERS[3:]]
    done = answering("\n".join(wrong) + "\n", "-o", str(tmp_path))
    assert done.returncode == 2
    assert "<stdin>:3: message_count: gt needs a number" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "contoso.yaml").exists()


def test_input_that_ends_before_every_question_is_answered_ends_the_command(
    tmp_path: Path,
) -> None:
    done = answering("\n".join(ANSWERS[:5]) + "\n", "-o", str(tmp_path), "--lang", "pl")
    assert done.returncode == 2
    assert "standardowe wejście skończyło się przed odpowiedzią na pytanie: Tytuł" in done.stderr


@pytest.mark.parametrize("cf", ["1.5", "-2", "nan", "inf"])
def test_a_certainty_factor_outside_minus_one_to_one_is_refused_in_english_and_polish(
    tmp_path: Path, cf: str
) -> None:
    english = kbdoctor(*FLAGS, "--cf", cf, "-o", str(tmp_path))
    assert english.returncode == 2
    assert f"'{cf}' is not a certainty factor: expected a number from -1 to 1" in english.stderr
    polish = kbdoctor(*FLAGS, "--cf", cf, "-o", str(tmp_path), "--lang", "pl")
    assert polish.returncode == 2
    assert f"'{cf}' to nie współczynnik pewności: oczekiwano liczby od -1 do 1" in polish.stderr
    assert not (tmp_path / "contoso.yaml").exists()


def test_a_shipped_finding_gets_its_values_and_the_rule_lints_strict_and_tests_run(
    tmp_path: Path,
) -> None:
    done = kbdoctor(
        "rules", "new", "site.drift", "--fact", "clock_offset", "--where", "offset_s=abs_gt:300",
        "--finding", "external_time_drift", "--title", "Drift", "--title-pl", "Dryf",
        "--pack", "site", "-o", str(tmp_path),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert kbdoctor("rules", "lint", "--strict", str(tmp_path)).returncode == 0
    tested = kbdoctor("rules", "test", str(tmp_path))
    assert tested.stdout.strip() == "2 passed, 0 failed, 0 known gaps"
