"""Every limit of issue 10, item 1, from the command line: going over one is exit 2 with the file,
the line and the limit named; each input limit is raised by its environment variable or, for one
run, by ``--limit NAME=VALUE``, which wins over the variable. Limits of the inference engine
itself (bindings per rule, template widths) are refused at load the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbdoctor.engine.limits import ENV_VARS, OPTION_NAMES, Limits

from tests.hostile.bounded import assert_refused, kbdoctor
from tests.hostile.slow_pack import slow_rules

FACTS = (
    "kbdoctor: facts/1\nfacts:\n"
    "  - {type: clock_offset, host: EX01, reference: DC01, offset_s: 1}\n"
)


def _pack(tmp_path: Path, name: str, rules: int) -> Path:
    path = tmp_path / name
    path.write_text(slow_rules(rules), encoding="utf-8")
    return path


def test_the_rule_limit_is_what_the_scale_test_proves() -> None:
    """tests/hostile/test_rule_scale.py evaluates a pack of exactly ``Limits().rules`` rules."""
    scale = Path(__file__).with_name("test_rule_scale.py")
    assert "scale_pack(Limits().rules, 100)" in scale.read_text(encoding="utf-8")
    assert Limits().rules == 1000


def test_more_rules_than_the_limit_point_at_the_first_rule_over(tmp_path: Path) -> None:
    first = _pack(tmp_path, "a.yaml", 3)
    second = _pack(tmp_path, "b.yaml", 3)
    env = {"KBDOCTOR_MAX_RULES": "4"}
    # b.yaml's second rule (index 1) is the fifth of the run: HEADER is 11 lines, a rule 8
    where = f"{second}:20:5: more than 4 rules in this run, all rule files together"
    result = kbdoctor("rules", str(first), str(second), env=env)
    assert_refused(result, where, "(limit KBDOCTOR_MAX_RULES)")
    result = kbdoctor(
        "evaluate", "-", "--rules", str(first), "--rules", str(second), stdin=FACTS, env=env
    )
    assert_refused(result, where)


def test_the_limit_option_wins_over_the_variable(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "a.yaml", 5)
    env = {"KBDOCTOR_MAX_RULES": "4"}
    assert kbdoctor("rules", str(pack), "--limit", "rules=5", env=env).returncode == 0
    assert_refused(kbdoctor("rules", str(pack), "--limit", "rules=4"), "KBDOCTOR_MAX_RULES")
    result = kbdoctor(
        "evaluate", "-", "--rules", str(pack), "--limit", "rules=5", stdin=FACTS, env=env
    )
    assert result.returncode == 1, result.stderr


def test_every_command_that_reads_input_takes_the_limit_option(tmp_path: Path) -> None:
    result = kbdoctor("evaluate", "-", "--limit", "file-bytes=10", stdin=FACTS)
    assert_refused(result, "10 bytes (limit KBDOCTOR_MAX_FILE_BYTES)")
    output = tmp_path / "w32tm.txt"
    output.write_text("w32tm /query /status\nLeap Indicator: 0(no warning)\n", encoding="utf-8")
    result = kbdoctor("collect", "--import", str(output), "--limit", "file-bytes=10")
    assert_refused(
        result, f"{output}: skipped: larger than 10 bytes (limit KBDOCTOR_MAX_FILE_BYTES)"
    )


@pytest.mark.parametrize(
    ("option", "needle"),
    [
        ("size=5", "unknown limit 'size=5': expected NAME=VALUE, NAME one of file-bytes, depth"),
        ("facts", "unknown limit 'facts': expected NAME=VALUE"),
        ("depth=-1", "--limit depth=-1: must be a positive whole number, not '-1'"),
    ],
)
def test_a_bad_limit_option_is_a_usage_error(option: str, needle: str) -> None:
    assert_refused(kbdoctor("evaluate", "-", "--limit", option, stdin=FACTS), needle)


def test_every_limit_has_an_option_name_and_a_variable() -> None:
    assert sorted(OPTION_NAMES.values()) == sorted(ENV_VARS)
    assert len(set(ENV_VARS.values())) == len(ENV_VARS)


def _rule_with(when: str, subject: str = "x") -> str:
    return (
        slow_rules(0)
        + f"  - id: wide\n    title: {{en: W, pl: W}}\n    when:\n{when}\n"
        + f'    conclude: {{cause: slow, cf: 0.5, subject: "{subject}", values: {{host: h}}}}\n'
        + "    explain: {en: x, pl: x}\n"
    )


def test_more_bindings_than_the_engine_holds_are_exit_2_at_the_rule(tmp_path: Path) -> None:
    when = "\n".join(
        f"      - bind: o{c}\n        fact: clock_offset\n        where: {{host: H{c}}}"
        for c in range(17)
    )
    path = tmp_path / "wide.yaml"
    path.write_text(_rule_with(when), encoding="utf-8")
    assert_refused(
        kbdoctor("rules", str(path)),
        f"{path}:14:5: rule wide:",
        "binds 17 facts at once (its fact and finding conditions); at most 16:",
    )


def test_a_template_width_over_the_bound_is_exit_2_at_the_rule(tmp_path: Path) -> None:
    when = "      - bind: o\n        fact: clock_offset"
    path = tmp_path / "wide.yaml"
    path.write_text(_rule_with(when, "{o.offset_s:>999999999}"), encoding="utf-8")
    assert_refused(
        kbdoctor("rules", str(path)), f"{path}:", "pads to 999999999 characters; at most 100"
    )
