"""``kbdoctor rules new`` writes a first rule and its tests that pass lint and their own tests as
written, for the usual shapes of a first rule; what it cannot write, it refuses with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbdoctor.engine.errors import UsageError
from kbdoctor.engine.lint.run import lint
from kbdoctor.engine.rule_scaffold import Scaffold, parse_condition, scaffold_texts
from kbdoctor.engine.rulebase import load_rule_base
from kbdoctor.engine.ruletests.discover import find_test_files
from kbdoctor.engine.ruletests.run import run_tests


def _scaffold(fact: str, *conditions: str, finding: str = "first_finding") -> Scaffold:
    return Scaffold(
        "site.first-rule",
        fact,
        tuple(parse_condition(c) for c in conditions),
        finding,
        "A first rule",
        "Pierwsza reguła",
        "site",
    )


def _write(folder: Path, scaffold: Scaffold) -> list[str]:
    rules, tests = scaffold_texts(scaffold, list(load_rule_base().findings))
    (folder / "tests").mkdir()
    (folder / "site.yaml").write_text(rules, encoding="utf-8")
    (folder / "tests" / "site.yaml").write_text(tests, encoding="utf-8")
    return [str(folder)]


@pytest.mark.parametrize(
    ("fact", "conditions"),
    [
        ("queue", ["message_count=gt:500"]),
        ("clock_offset", ["offset_s=abs_gt:120"]),
        ("clock_offset", ["offset_s=abs_le:2.5"]),
        ("port_state", ["port=eq:88", "state=eq:filtered"]),
        ("event", ["event_id=eq:1035", "source=ne:MSExchangeTransport"]),
        ("replication_link", ["consecutive_failures=ge:3"]),
        ("time_status", ["stratum=lt:3"]),
    ],
)
def test_the_scaffold_lints_clean_and_its_tests_pass(
    tmp_path: Path, fact: str, conditions: list[str]
) -> None:
    paths = _write(tmp_path, _scaffold(fact, *conditions))
    linted = lint(paths)
    assert [p.render("en") for p in linted.problems] == []
    ran = run_tests(find_test_files(paths))
    assert ran.problems == []
    assert [(o.name, o.passed) for o in ran.outcomes] == [
        ("site.first-rule fires", True),
        ("site.first-rule stays silent", True),
    ]


def test_a_finding_of_the_shipped_pack_is_used_not_defined_again(tmp_path: Path) -> None:
    finding = next(iter(load_rule_base().findings))
    rules, _ = scaffold_texts(_scaffold("queue", "message_count=gt:5", finding=finding), [finding])
    assert "findings:" not in rules


@pytest.mark.parametrize(
    ("fact", "condition", "key"),
    [
        ("queues", "message_count=gt:5", "scaffold.unknown_fact"),
        ("queue", "messages=gt:5", "scaffold.unknown_field"),
        ("queue", "message_count=gt:many", "scaffold.not_a_number"),
        ("queue", "message_count>5", "scaffold.bad_condition"),
    ],
)
def test_what_it_cannot_write_is_refused_with_a_reason(fact: str, condition: str, key: str) -> None:
    with pytest.raises(UsageError) as caught:
        scaffold_texts(_scaffold(fact, condition), [])
    assert [p.key for p in caught.value.problems] == [key]
