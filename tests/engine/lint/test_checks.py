"""Each lint check, as a specification: a small valid pack that no check faults, and for each
check a change to it that the check (and only a problem of that check's kind) reports, at the
line of the change. A new check is one module and one row here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from kbdoctor.engine.lint.checks import CHECKS
from kbdoctor.engine.lint.run import lint

BASE = """\
kbdoctor: rules/1
pack: demo
findings:
  drift:
    title: {en: Drift, pl: Dryf}
causes:
  time_sync:
    title: {en: Clocks apart, pl: Zegary rozjechane}
    description: {en: Kerberos allows 300 s, pl: Kerberos dopuszcza 300 s}
    kb_steps: [1]
    assessed_by: [clock_offset]
    remediation:
      - text: {en: "Resync {host}", pl: "Zsynchronizuj {host}"}
rules:
  - id: time.drift
    title: {en: Drift, pl: Dryf}
    when:
      - bind: off
        fact: clock_offset
        where: {offset_s: {abs_gt: 60}}
    conclude: {finding: drift, cf: 0.5, subject: "{off.host}"}
    explain: {en: "{off.host} drifts", pl: "{off.host} dryfuje"}
  - id: time.skew
    title: {en: Skew, pl: Rozjazd}
    status: stable
    when:
      - bind: d
        finding: drift
      - bind: off
        fact: clock_offset
        where: {offset_s: {abs_gt: 300}, host: {same_as: d.subject}}
      - absent:
          fact: port_state
          where: {state: closed, port: 88}
    conclude: {cause: time_sync, cf: 0.9, subject: "{off.host}", values: {host: "{off.host}"}}
    explain: {en: "{off.host} is {off.offset_s} s off", pl: "{off.host}: {off.offset_s} s"}
"""

TESTS = """\
kbdoctor: rules-test/1
tests:
  - name: skew fires
    facts: [{type: clock_offset, host: EX01, reference: DC01, offset_s: 400}]
    expect: {fires: [time.skew]}
"""


def _lint(tmp_path: Path, pack: str) -> list[tuple[str, str, int | None]]:
    (tmp_path / "pack.yaml").write_text(pack, encoding="utf-8")
    (tmp_path / "tests").mkdir(exist_ok=True)
    (tmp_path / "tests" / "t.yaml").write_text(TESTS, encoding="utf-8")
    result = lint([str(tmp_path / "pack.yaml")])
    assert not result.unreadable
    return [(p.check, p.problem.key, p.problem.line) for p in result.problems]


def _sub(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return change


# check -> (the change that it must report, the message key, the line it is reported at)
CASES: dict[str, tuple[Callable[[str], str], str, int]] = {
    "schema": (_sub("cf: 0.9", "cf: 9"), "pydantic.less_than_equal", 35),
    "duplicate-ids": (_sub("id: time.drift", "id: time.skew"), "error.rules_duplicate_id", 23),
    "override-targets": (
        lambda t: t.replace("findings:", "overrides:\n  time.skwe: {disabled: true}\nfindings:", 1),
        "error.override_unknown",
        4,
    ),
    "override-conflicts": (
        lambda t: t.replace("findings:", "overrides:\n  time.skew: {cf: 0.5}\nfindings:", 1),
        "lint.override_own_rule",
        4,
    ),
    "unknown-fact-type": (
        _sub("fact: port_state", "fact: port_states"),
        "error.rules_unknown_fact_type",
        33,
    ),
    "derive-template": (
        lambda t: t.replace("findings:", "derive:\n  clock_offset: {x: '{nope}'}\nfindings:", 1),
        "error.rules_derive_field",
        4,
    ),
    "undefined-id": (
        _sub("finding: drift\n      - bind: off", "finding: drfit\n      - bind: off"),
        "error.rules_undefined",
        28,
    ),
    "absent-derived": (
        _sub("fact: port_state", "finding: drift"),
        "error.rules_absent_derived",
        32,
    ),
    "unknown-field": (_sub("state: closed", "status: closed"), "error.rules_unknown_field", 34),
    "operator-type": (_sub("{abs_gt: 300}", "{contains: 300}"), "error.rules_op_type", 31),
    "bindings": (_sub("same_as: d.subject", "same_as: e.subject"), "error.rules_unbound", 31),
    "subject": (
        _sub('subject: "{off.host}", values', 'subject: {a: "{off.host}"}, values'),
        "error.rules_subject_not_parts",
        35,
    ),
    "placeholders": (_sub('"{off.host} drifts"', '"{of.host} drifts"'), "error.rules_unbound", 22),
    "remediation-values": (
        _sub('values: {host: "{off.host}"}', "values: {}"),
        "error.rules_missing_values",
        35,
    ),
    "value-type": (_sub("port: 88", "port: '88'"), "lint.value_type", 34),
    "never-fires": (
        _sub(
            "fact: clock_offset\n        where: {offset_s: {abs_gt: 60}}",
            "fact: port_state\n        where: {state: blocked}",
        ),
        "lint.never_fires_value",
        20,
    ),
    "unconcluded-premise": (_sub("cf: 0.5", "cf: -0.5"), "lint.premise_never_concluded", 28),
    "unconcluded-cause": (
        _sub("cause: time_sync, cf: 0.9", "cause: time_sync, cf: -0.9"),
        "lint.cause_never_concluded",
        7,
    ),
    "texts": (_sub("pl: Zegary rozjechane", "pl: ' '"), "lint.text_blank", 8),
    "untested-rule": (
        _sub("id: time.drift\n", "id: time.drift\n    status: stable\n"),
        "lint.rule_untested",
        16,
    ),
}


def test_every_check_has_a_case() -> None:
    assert {c.name for c in CHECKS} | {"schema"} == set(CASES)


def test_the_base_pack_is_clean_under_every_check(tmp_path: Path) -> None:
    assert _lint(tmp_path, BASE) == []


@pytest.mark.parametrize("check", sorted(CASES))
def test_a_check_reports_what_it_is_for_at_its_line(tmp_path: Path, check: str) -> None:
    change, key, line = CASES[check]
    found = _lint(tmp_path, change(BASE))
    assert (check, key, line) in found, found


def test_an_empty_number_range_under_all_never_fires(tmp_path: Path) -> None:
    pack = BASE.replace(
        "where: {offset_s: {abs_gt: 60}}",
        "where: {all: [{offset_s: {gt: 10}}, {offset_s: {lt: 10}}]}",
    )
    assert ("never-fires", "lint.never_fires_range", 20) in _lint(tmp_path, pack)
    same = BASE.replace(
        "where: {offset_s: {abs_gt: 60}}",
        "where: {all: [{offset_s: {ge: 10}}, {offset_s: {le: 10}}]}",
    )
    assert _lint(tmp_path, same) == []


def test_a_text_without_polish_is_named_plainly_once(tmp_path: Path) -> None:
    found = _lint(
        tmp_path, BASE.replace("title: {en: Drift, pl: Dryf}\n  ", "title: {en: Drift}\n  ", 1)
    )
    assert found == [("texts", "lint.text_missing", 16)]


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    pack = BASE.replace("fact: port_state", "fact: port_states").replace("port: 88", "port: '88'")
    pack = pack.replace('"{off.host} drifts"', '"{of.host} drifts"')
    checks = {c for c, _, _ in _lint(tmp_path, pack)}
    assert {"unknown-fact-type", "placeholders"} <= checks
