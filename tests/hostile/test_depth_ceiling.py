"""The nesting-depth limit can be raised only as far as every reader is proven to read: a file
nested to the ceiling is read (or refused for its content) through each parser, a setting above
it is refused naming the ceiling, and a stack that overflows anyway refuses the file by name."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbdoctor.engine.errors import FactFileError, RuleFileError, UsageError
from kbdoctor.engine.factio import parse_fact_text
from kbdoctor.engine.limits import ENV_VARS, MAX_DEPTH_CEILING, Limits, limit_settings
from kbdoctor.engine.rulebase import parse_rule_texts

from tests.hostile.bounded import assert_refused, kbdoctor


def _yaml_facts(depth: int) -> str:
    """A fact file nested ``depth`` levels: root mapping, facts list, fact mapping, lists."""
    inner = depth - 3
    return (
        f"kbdoctor: facts/1\nfacts:\n- {{type: event, host: EX01, x: {'[' * inner}{']' * inner}}}\n"
    )


def _json_facts(depth: int) -> str:
    inner = depth - 3
    return (
        '{"kbdoctor": "facts/1", "facts": [{"type": "event", "host": "EX01", "x": '
        + "[" * inner
        + "]" * inner
        + "}]}"
    )


def _yaml_rules(depth: int) -> str:
    inner = depth - 1
    return f"kbdoctor: rules/1\npack: deep\nrules: {'[' * inner}{']' * inner}\n"


def test_a_depth_above_the_ceiling_is_refused_naming_the_ceiling() -> None:
    with pytest.raises(UsageError) as raised:
        Limits.from_env({ENV_VARS["depth"]: str(MAX_DEPTH_CEILING + 1)})
    [problem] = raised.value.problems
    assert problem.key == "error.limit_depth_ceiling"
    assert problem.params == {"value": str(MAX_DEPTH_CEILING + 1), "ceiling": MAX_DEPTH_CEILING}
    with pytest.raises(UsageError):
        limit_settings([f"depth={MAX_DEPTH_CEILING + 1}"])
    assert Limits.from_env({ENV_VARS["depth"]: str(MAX_DEPTH_CEILING)}).depth == MAX_DEPTH_CEILING


@pytest.mark.parametrize(
    ("text", "suffix"),
    [(_yaml_facts(MAX_DEPTH_CEILING), ".yaml"), (_json_facts(MAX_DEPTH_CEILING), ".json")],
)
def test_a_fact_file_as_deep_as_the_ceiling_is_read_by_every_parser(text: str, suffix: str) -> None:
    """The unexpected field sends the YAML file through the second, located (round-trip) parse
    too, the deepest reader of all."""
    limits = Limits(depth=MAX_DEPTH_CEILING)
    with pytest.raises(FactFileError) as raised:
        parse_fact_text(text, "deep" + suffix, limits)
    keys = {problem.key for problem in raised.value.problems}
    assert "error.limit_depth_parser" not in keys
    assert "error.limit_depth" not in keys
    # one level more is the limit's refusal, not the parser's
    with pytest.raises(FactFileError) as deeper:
        parse_fact_text(
            (_yaml_facts if suffix == ".yaml" else _json_facts)(MAX_DEPTH_CEILING + 1),
            "deep" + suffix,
            limits,
        )
    assert [p.key for p in deeper.value.problems] == ["error.limit_depth"]


def test_a_rule_file_as_deep_as_the_ceiling_is_refused_for_its_content_only() -> None:
    with pytest.raises(RuleFileError) as raised:
        parse_rule_texts(
            [("deep.yaml", _yaml_rules(MAX_DEPTH_CEILING))], Limits(depth=MAX_DEPTH_CEILING)
        )
    keys = {problem.key for problem in raised.value.problems}
    assert keys.isdisjoint({"error.limit_depth_parser", "error.limit_depth"})


def test_a_parser_running_out_of_stack_refuses_the_file_by_name() -> None:
    """Limits built in code are not checked against the ceiling: what a stack overflow does."""
    with pytest.raises(FactFileError) as raised:
        parse_fact_text(_json_facts(3000), "d.json", Limits(depth=10_000))
    assert [(p.file, p.key) for p in raised.value.problems] == [
        ("d.json", "error.limit_depth_parser")
    ]


def test_yaml_past_the_ceiling_is_read_without_recursion_and_its_problems_placed() -> None:
    """YAML is read, and its problems placed, from the parser's events (no recursion), so even
    past the ceiling it ends in the file's own problems at their lines, not in a stack overflow."""
    with pytest.raises(FactFileError) as raised:
        parse_fact_text(_yaml_facts(3000), "d.yaml", Limits(depth=10_000))
    problems = raised.value.problems
    assert problems
    assert all(p.file == "d.yaml" and p.line is not None for p in problems)
    assert "error.limit_depth_parser" not in {p.key for p in problems}


@pytest.mark.parametrize(
    ("lang", "needle"),
    [
        ("C.UTF-8", f"the highest nesting depth it accepts is {MAX_DEPTH_CEILING}"),
        ("pl_PL.UTF-8", f"najwyższa przyjmowana głębokość zagnieżdżenia to {MAX_DEPTH_CEILING}"),
    ],
)
def test_raising_the_depth_past_the_ceiling_on_the_command_line_exits_2(
    tmp_path: Path, lang: str, needle: str
) -> None:
    facts = tmp_path / "dd.yaml"
    facts.write_text(_yaml_facts(500), encoding="utf-8")
    assert_refused(
        kbdoctor("evaluate", str(facts), env={"LANG": lang, ENV_VARS["depth"]: "1000"}),
        ENV_VARS["depth"],
        needle,
    )
    assert_refused(
        kbdoctor("evaluate", str(facts), "--limit", "depth=100000", env={"LANG": lang}),
        needle,
    )


@pytest.mark.parametrize("readme", ["README.md", "README.pl.md"])
def test_the_readmes_limits_table_states_the_ceiling(readme: str) -> None:
    text = (Path(__file__).resolve().parents[2] / readme).read_text(encoding="utf-8")
    [row] = [line for line in text.splitlines() if "`KBDOCTOR_MAX_DEPTH` | `depth` |" in line]
    assert f" {MAX_DEPTH_CEILING}:" in row
