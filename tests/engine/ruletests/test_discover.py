"""Finding the tests of a pack: a test folder may keep the fact files its tests read, which are
left out, while a broken test file is kept so that it is reported; a file named on the command
line is read as a test file whatever it is. Only a file's header is read to tell them apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbdoctor.engine.ruletests.discover import find_test_files, header

TEST = "kbdoctor: rules-test/1\ntests: []\n"
FACTS = "kbdoctor: facts/1\nfacts: []\n"
RULES = "kbdoctor: rules/1\npack: p\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("kbdoctor: rules-test/1\ntests: []\n", "rules-test/1"),
        ("# a comment\nrules: [a.yaml]\nkbdoctor: 'rules-test/1'\n", "rules-test/1"),
        ("tests: [{kbdoctor: facts/1}]\nkbdoctor: rules-test/1\n", "rules-test/1"),
        ("tests: {kbdoctor: facts/1}\n", None),
        ("kbdoctor: [rules-test/1]\n", None),
        ("- kbdoctor: rules-test/1\n", None),
        ("just text\n", None),
        ("", None),
    ],
)
def test_the_header_is_the_top_level_kbdoctor_scalar(content: str, expected: str | None) -> None:
    assert header(content) == expected


def test_the_header_is_read_before_a_syntax_error_further_down() -> None:
    assert header("kbdoctor: facts/1\nfacts: [\n  {type: x\n") == "facts/1"


def test_a_fact_file_beside_the_tests_is_not_a_test_but_a_broken_test_is(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(RULES, encoding="utf-8")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "facts.yaml").write_text(FACTS, encoding="utf-8")
    (tests / "rules-copy.yaml").write_text(RULES, encoding="utf-8")
    (tests / "a.yaml").write_text(TEST, encoding="utf-8")
    (tests / "b.yaml").write_text("kbdoctor: rules-test/1\ntests: [\n", encoding="utf-8")
    (tests / "c.yaml").write_text("kbdoctor: rules-tset/1\n", encoding="utf-8")
    (tests / "d.yaml").write_text("tests: []\n", encoding="utf-8")
    expected = [tests / n for n in ("a.yaml", "b.yaml", "c.yaml", "d.yaml")]
    assert find_test_files([str(tmp_path)]) == expected
    assert find_test_files([str(tmp_path / "pack.yaml")]) == expected
    assert find_test_files([str(tests)]) == expected


def test_a_file_named_on_the_command_line_is_read_as_a_test_whatever_it_is(tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(FACTS, encoding="utf-8")
    missing = tmp_path / "missing.yaml"
    assert find_test_files([str(facts), str(missing)]) == [facts, missing]
