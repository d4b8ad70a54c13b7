"""``kbdoctor rules new`` writes a first rule and its tests that pass ``rules lint --strict`` and
their own tests as written, for every fact type and for every finding of the shipped pack; what
it cannot write, it refuses with a reason."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from kbdoctor.engine.errors import UsageError
from kbdoctor.engine.facts import FACT_TYPES, fact_fields
from kbdoctor.engine.lint.run import lint
from kbdoctor.engine.rule_files import bundled_rule_files
from kbdoctor.engine.rule_scaffold import (
    Scaffold,
    parse_cf,
    parse_condition,
    parse_value,
    scaffold_texts,
)
from kbdoctor.engine.rulebase import load_rule_base
from kbdoctor.engine.rules_model import ConclusionDef
from kbdoctor.engine.ruletests.discover import find_test_files
from kbdoctor.engine.ruletests.run import run_tests
from kbdoctor.engine.yamlio import load_yaml_data

SHIPPED = load_rule_base(bundled_rule_files()).findings
NEW = "first_finding"


def _scaffold(
    fact: str, *conditions: str, finding: str = NEW, values: tuple[str, ...] = ()
) -> Scaffold:
    return Scaffold(
        "site.first-rule",
        fact,
        tuple(parse_condition(c) for c in conditions),
        finding,
        "A first rule",
        "Pierwsza reguła",
        "site",
        values=tuple(parse_value(v) for v in values),
    )


def _write(folder: Path, scaffold: Scaffold, shipped: dict[str, ConclusionDef]) -> list[str]:
    rules, tests = scaffold_texts(scaffold, shipped)
    (folder / "tests").mkdir()
    (folder / "site.yaml").write_text(rules, encoding="utf-8")
    (folder / "tests" / "site.yaml").write_text(tests, encoding="utf-8")
    return [str(folder)]


def _assert_lints_clean_and_passes(paths: list[str]) -> None:
    linted = lint(paths)
    assert [p.render("en") for p in linted.problems] == []  # errors and warnings: --strict
    ran = run_tests(find_test_files(paths))
    assert ran.problems == []
    assert [(o.name, o.passed) for o in ran.outcomes] == [
        ("site.first-rule fires", True),
        ("site.first-rule stays silent", True),
    ]


def _a_condition(fact: str) -> str:
    """A field test of the fact type: its first number, else its first required text."""
    model = FACT_TYPES[fact]
    for name in fact_fields(fact):
        if any(t in str(model.model_fields[name].annotation) for t in ("int", "float")):
            return f"{name}=gt:1"
    name = next(n for n in fact_fields(fact) if model.model_fields[n].annotation is str)
    return f"{name}=eq:x"


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
        ("queue", ["last_error=eq:'{x}'"]),  # braces in a value are no placeholder
    ],
)
def test_the_scaffold_lints_clean_and_its_tests_pass(
    tmp_path: Path, fact: str, conditions: list[str]
) -> None:
    _assert_lints_clean_and_passes(_write(tmp_path, _scaffold(fact, *conditions), SHIPPED))


@pytest.mark.parametrize("fact", sorted(FACT_TYPES))
@pytest.mark.parametrize("finding", [*sorted(SHIPPED), NEW])
def test_every_fact_type_and_finding_is_written_working_or_refused_with_a_reason(
    tmp_path: Path, fact: str, finding: str
) -> None:
    scaffold = _scaffold(fact, _a_condition(fact), finding=finding)
    refused: list[str] = []
    try:
        paths = _write(tmp_path, scaffold, SHIPPED)
    except UsageError as exc:
        refused = [p.key for p in exc.problems]
    if refused:
        # only a shipped finding can ask for what the fact cannot give
        assert finding in SHIPPED
        assert refused in (["scaffold.no_value"], ["scaffold.no_subject"])
    else:
        _assert_lints_clean_and_passes(paths)


@pytest.mark.parametrize(
    ("finding", "fact", "values"),
    [
        ("external_time_drift", "clock_offset",
         {"reference": "{f.reference}", "offset": "{f.offset_s}"}),
        ("unreliable_time_source", "time_status", {"source": "{f.time_source}"}),
    ],
)  # fmt: skip
def test_a_shipped_finding_gets_the_values_it_declares_from_the_fields_named_like_them(
    tmp_path: Path, finding: str, fact: str, values: dict[str, str]
) -> None:
    scaffold = _scaffold(fact, _a_condition(fact), finding=finding)
    rules, _ = scaffold_texts(scaffold, SHIPPED)
    assert load_yaml_data(rules)["rules"][0]["conclude"]["values"] == values
    _assert_lints_clean_and_passes(_write(tmp_path, scaffold, SHIPPED))


def test_a_value_no_field_is_named_like_is_refused_or_taken_from_the_field_chosen(
    tmp_path: Path,
) -> None:
    scaffold = _scaffold("event", "event_id=eq:1035", finding="external_time_drift")
    with pytest.raises(UsageError) as refused:
        scaffold_texts(scaffold, SHIPPED)
    problem = refused.value.problems[0]
    assert (problem.key, problem.params["value"]) == ("scaffold.no_value", "reference")
    chosen = _scaffold(
        "event",
        "event_id=eq:1035",
        finding="external_time_drift",
        values=("reference=source", "offset=message"),
    )
    _assert_lints_clean_and_passes(_write(tmp_path, chosen, SHIPPED))
    wrong = _scaffold("event", "event_id=eq:1", finding="external_time_drift",
                      values=("reference=nothing", "offset=message"))  # fmt: skip
    with pytest.raises(UsageError) as refused:
        scaffold_texts(wrong, SHIPPED)
    assert [p.key for p in refused.value.problems] == ["scaffold.bad_value_field"]


def test_a_finding_of_the_shipped_pack_is_used_not_defined_again() -> None:
    scaffold = _scaffold("clock_offset", "offset_s=gt:5", finding="external_time_drift")
    rules, _ = scaffold_texts(scaffold, SHIPPED)
    assert "findings" not in load_yaml_data(rules)


def test_a_new_finding_about_an_account_says_so() -> None:
    rules, _ = scaffold_texts(_scaffold("spn_listing", "account=eq:EX01$"), SHIPPED)
    data = load_yaml_data(rules)
    assert data["findings"][NEW]["subject"] == "account"
    assert data["rules"][0]["conclude"]["subject"] == "{f.account}"


def test_values_met_twice_are_written_out_in_full_for_the_loader_refuses_aliases() -> None:
    _, tests = scaffold_texts(_scaffold("receive_connector", "server=eq:EX01"), SHIPPED)
    assert "&id" not in tests
    assert "*id" not in tests
    facts = [t["facts"][0] for t in load_yaml_data(tests)["tests"]]  # the loader's own reader
    assert facts[0]["auth_mechanisms"] == facts[1]["auth_mechanisms"]


@pytest.mark.parametrize("given", ["1.5", "-2", "nan", "inf", "-inf", "high", ""])
def test_a_certainty_factor_outside_minus_one_to_one_or_not_finite_is_refused(given: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_cf(given)
    assert [p.key for p in refused.value.problems] == ["scaffold.bad_cf"]


def test_a_certainty_factor_from_minus_one_to_one_is_taken() -> None:
    assert [parse_cf(v) for v in ("-1", "0", "0.5", "1")] == [-1.0, 0.0, 0.5, 1.0]
    assert not math.isnan(parse_cf("0.25"))


@pytest.mark.parametrize(
    ("fact", "condition", "key"),
    [
        ("queues", "message_count=gt:5", "scaffold.unknown_fact"),
        ("queue", "messages=gt:5", "scaffold.unknown_field"),
        ("queue", "message_count=gt:many", "scaffold.not_a_number"),
        ("queue", "message_count=gt:.nan", "scaffold.not_a_number"),
        ("queue", "message_count>5", "scaffold.bad_condition"),
    ],
)
def test_what_it_cannot_write_is_refused_with_a_reason(fact: str, condition: str, key: str) -> None:
    with pytest.raises(UsageError) as caught:
        scaffold_texts(_scaffold(fact, condition), {})
    assert [p.key for p in caught.value.problems] == [key]
