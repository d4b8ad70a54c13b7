"""Rule files: shape and cross-checks, every problem located, all reported in one pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbdoctor.engine.compiler import compile_rule_base
from kbdoctor.engine.errors import RuleFileError
from kbdoctor.engine.rulebase import load_rule_base, parse_rule_texts

HEADER = """kbdoctor: rules/1
pack: test
causes:
  c1:
    title: {en: C, pl: C}
    description: {en: C, pl: C}
    kb_steps: [1]
    assessed_by: [clock_offset]
    remediation:
      - text: {en: "fix {host}", pl: "napraw {host}"}
rules:
"""


def _load_and_compile(content: str) -> None:
    compile_rule_base(parse_rule_texts([("t.yaml", content)]))


def _problems(rules: str) -> list[str]:
    with pytest.raises(RuleFileError) as caught:
        _load_and_compile(HEADER + rules)
    return [p.render("en") for p in caught.value.problems]


def test_bundled_rules_load_and_compile() -> None:
    base = load_rule_base()
    compiled = compile_rule_base(base)
    assert {
        "time_sync",
        "ad_replication",
        "spn_missing",
        "spn_duplicate",
        "kerberos_ports_blocked",
        "connector_auth",
    } <= set(base.causes)
    assert "enable_kerberos_logging" in base.recommendations
    assert len(compiled.rules) == len(base.rules)


def test_unknown_field_is_located() -> None:
    problems = _problems("""  - id: r1
    title: {en: R, pl: R}
    when:
      - bind: o
        fact: clock_offset
        where: {offset_seconds: {gt: 1}}
    conclude: {cause: c1, cf: 0.5, subject: "{o.host}", values: {host: "{o.host}"}}
    explain: {en: x, pl: x}
""")
    assert any("t.yaml:17:" in p and "offset_seconds" in p for p in problems)


def test_reference_to_an_unbound_name_and_missing_values_are_both_reported() -> None:
    problems = _problems("""  - id: r1
    title: {en: R, pl: R}
    when:
      - bind: o
        fact: clock_offset
        where: {host: {same_as: srv.name}}
    conclude: {cause: c1, cf: 0.5, subject: "{o.host}"}
    explain: {en: x, pl: x}
""")
    assert any("srv.name" in p for p in problems)
    assert any("host" in p and "values" in p for p in problems)


def test_absence_of_a_derived_conclusion_is_refused() -> None:
    problems = _problems("""  - id: r1
    title: {en: R, pl: R}
    when:
      - bind: o
        fact: clock_offset
      - absent: {cause: c1}
    conclude: {cause: c1, cf: 0.5, subject: "{o.host}", values: {host: "{o.host}"}}
    explain: {en: x, pl: x}
""")
    assert any("absent" in p for p in problems)


def test_a_rule_that_only_negates_its_own_type_is_refused() -> None:
    problems = _problems("""  - id: r1
    title: {en: R, pl: R}
    when:
      - bind: o
        fact: clock_offset
      - absent:
          fact: clock_offset
          where: {host: {same_as: o.reference}}
    conclude: {cause: c1, cf: 0.5, subject: "{o.host}", values: {host: "{o.host}"}}
    explain: {en: x, pl: x}
""")
    assert any("negates every fact type" in p for p in problems)


def test_a_regular_expression_that_does_not_compile_is_located() -> None:
    problems = _problems("""  - id: r1
    title: {en: R, pl: R}
    when:
      - bind: o
        fact: clock_offset
        where: {host: {matches: "ex(01"}}
    conclude: {cause: c1, cf: 0.5, subject: "{o.host}", values: {host: "{o.host}"}}
    explain: {en: x, pl: x}
""")
    assert any("t.yaml:" in p and "regular expression" in p for p in problems)


def test_missing_polish_text_is_an_error() -> None:
    problems = _problems("""  - id: r1
    title: {en: R}
    when:
      - {bind: o, fact: clock_offset}
    conclude: {cause: c1, cf: 0.5, subject: "{o.host}", values: {host: "{o.host}"}}
    explain: {en: x, pl: x}
""")
    assert any("pl" in p for p in problems)


def test_a_folder_of_rule_files_is_loaded_in_name_order(tmp_path: Path) -> None:
    bundled = Path(load_rule_base().packs[0].file)
    (tmp_path / "b.yaml").write_text(bundled.read_text(encoding="utf-8"), encoding="utf-8")
    base = load_rule_base([str(tmp_path)])
    assert [Path(p.file).name for p in base.packs] == ["b.yaml"]


def test_deprecated_rules_are_listed_but_not_evaluated() -> None:
    content = HEADER + """  - id: r1
    title: {en: R, pl: R}
    status: deprecated
    when:
      - {bind: o, fact: clock_offset}
    conclude: {cause: c1, cf: 0.5, subject: "{o.host}", values: {host: "{o.host}"}}
    explain: {en: x, pl: x}
  - id: r2
    title: {en: R, pl: R}
    status: experimental
    when:
      - {bind: o, fact: clock_offset}
    conclude: {cause: c1, cf: 0.5, subject: "{o.host}", values: {host: "{o.host}"}}
    explain: {en: x, pl: x}
"""
    base = parse_rule_texts([("t.yaml", content)])
    assert [r.id for r in base.rules] == ["r1", "r2"]
    assert [c.rule.id for c in compile_rule_base(base).rules] == ["r2"]


def test_conditions_and_conclusions_on_undefined_ids_are_reported() -> None:
    problems = _problems("""  - id: r1
    title: {en: R, pl: R}
    when:
      - {bind: o, fact: clock_offset}
      - {bind: f, finding: no_such_finding}
    conclude: {cause: no_such_cause, cf: 0.5, subject: "{o.host}"}
    explain: {en: x, pl: x}
""")
    assert any("finding 'no_such_finding' is not defined" in p for p in problems)
    assert any("cause 'no_such_cause' is not defined" in p for p in problems)
