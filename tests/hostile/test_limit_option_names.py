"""A bad ``--limit`` is refused naming what the user wrote (``--limit depth=151``), not the
environment variable it stands for, which the user never set; a bad variable is named as the
variable."""

from __future__ import annotations

import pytest
from kbdoctor.engine.errors import UsageError
from kbdoctor.engine.limits import MAX_DEPTH_CEILING, Limits, limit_settings

from tests.hostile.bounded import assert_refused, kbdoctor


def _refusals(options: list[str]) -> list[str]:
    with pytest.raises(UsageError) as raised:
        limit_settings(options)
    return [problem.render("en") for problem in raised.value.problems]


def test_a_bad_value_names_the_option_as_written() -> None:
    assert _refusals([f"depth={MAX_DEPTH_CEILING + 1}"]) == [
        f"--limit depth={MAX_DEPTH_CEILING + 1}: {MAX_DEPTH_CEILING + 1} is deeper than kbdoctor"
        f" can read; the highest nesting depth it accepts is {MAX_DEPTH_CEILING}"
    ]
    assert _refusals(["rules=abc", "facts=0"]) == [
        "--limit facts=0: must be a positive whole number, not '0'",
        "--limit rules=abc: must be a positive whole number, not 'abc'",
    ]


def test_a_bad_variable_is_named_as_the_variable() -> None:
    with pytest.raises(UsageError) as raised:
        Limits.from_env({"KBDOCTOR_MAX_RULES": "abc"})
    assert [p.render("en") for p in raised.value.problems] == [
        "KBDOCTOR_MAX_RULES: must be a positive whole number, not 'abc'"
    ]


def test_the_command_line_names_the_option() -> None:
    result = kbdoctor(
        "evaluate", "-", "--limit", "depth=151", stdin="", env={"LANG": "pl_PL.UTF-8"}
    )
    assert_refused(result, "--limit depth=151: 151 to głębiej, niż kbdoctor potrafi odczytać")
    assert "KBDOCTOR_MAX_DEPTH" not in result.stderr
    result = kbdoctor("rules", "--limit", "rules=abc")
    assert_refused(result, "--limit rules=abc: must be a positive whole number, not 'abc'")
