"""Packs loaded together: an organisation's pack extends the shipped one, adds its own rules and
causes, disables a shipped rule or changes its certainty factor without copying the file; the
report names the pack of each rule; overrides that name nothing are refused with their line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kbdoctor.engine.errors import RuleFileError
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.factio import load_fact_files
from kbdoctor.engine.lint.run import lint
from kbdoctor.engine.rulebase import load_rule_base

ROOT = Path(__file__).resolve().parents[2]
TIME_SYNC = str(ROOT / "examples" / "cause-time-sync.yaml")

ORG = """\
kbdoctor: rules/1
pack: contoso
extends: [kb979174]
overrides:
  time.skew.between-parties:
    cf: 0.6
    reason: {en: Our clocks are checked hourly, pl: Nasze zegary są sprawdzane co godzinę}
  spn.duplicate-smtp: {disabled: true}
findings:
  long_skew:
    title: {en: Long skew, pl: Duży rozjazd}
rules:
  - id: contoso.long-skew
    title: {en: Long skew, pl: Duży rozjazd}
    when:
      - bind: off
        fact: clock_offset
        where: {offset_s: {abs_gt: 300}}
    conclude: {finding: long_skew, cf: 0.5, subject: "{off.host}"}
    explain: {en: "{off.host} is far off", pl: "{off.host} jest daleko"}
"""


def _org(tmp_path: Path, text: str = ORG) -> str:
    (tmp_path / "contoso.yaml").write_text(text, encoding="utf-8")
    return str(tmp_path / "contoso.yaml")


def test_an_organisation_pack_extends_the_shipped_pack_without_copying_it(tmp_path: Path) -> None:
    base = load_rule_base([_org(tmp_path)])
    assert [p.pack for p in base.packs] == ["kb979174", "contoso"]
    rules = {r.id: r for r in base.rules}
    assert rules["time.skew.between-parties"].conclude.cf == 0.6
    assert "spn.duplicate-smtp" not in rules
    assert "contoso.long-skew" in rules
    assert base.disabled == {"spn.duplicate-smtp": "contoso"}
    assert base.changed == {"time.skew.between-parties": ("contoso", 0.9)}
    assert base.rule_pack["time.skew.between-parties"].pack == "kb979174"


def test_the_report_names_each_rule_s_pack_and_who_set_its_cf(tmp_path: Path) -> None:
    facts = load_fact_files([TIME_SYNC])
    report = Evaluator(load_rule_base([_org(tmp_path)])).evaluate(facts.facts)
    time_sync = next(c for c in report.causes if c.cause == "time_sync")
    assert time_sync.confidence == pytest.approx(0.6)
    firing = next(f for f in time_sync.evidence if f.rule == "time.skew.between-parties")
    assert (firing.pack, firing.rule_cf, firing.cf_set_by) == ("kb979174", 0.6, "contoso")
    org_firing = next(f for finding in report.findings for f in finding.evidence)
    assert (org_firing.rule, org_firing.pack, org_firing.cf_set_by) == (
        "contoso.long-skew", "contoso", None
    )
    contoso = json.loads(report.to_json())["inputs"]["rule_packs"][1]
    assert contoso["disabled"] == ["spn.duplicate-smtp"]
    assert contoso["changed"] == ["time.skew.between-parties"]


def test_one_pack_gives_the_report_it_always_gave() -> None:
    facts = load_fact_files([TIME_SYNC])
    data = json.loads(Evaluator(load_rule_base()).evaluate(facts.facts).to_json())
    firings = [f for c in data["causes"] for f in c["evidence"]]
    assert firings
    assert not any("pack" in f or "cf_set_by" in f for f in firings)
    assert not any("disabled" in p or "changed" in p for p in data["inputs"]["rule_packs"])


def test_an_override_of_a_rule_no_pack_writes_is_refused_at_its_line(tmp_path: Path) -> None:
    path = _org(tmp_path, ORG.replace("spn.duplicate-smtp:", "spn.duplicate-smpt:"))
    with pytest.raises(RuleFileError) as caught:
        load_rule_base([path])
    [problem] = caught.value.problems
    assert (problem.key, problem.line, problem.params["rule"]) == (
        "error.override_unknown", 8, "spn.duplicate-smpt"
    )


def test_extending_a_pack_that_is_not_there_is_refused(tmp_path: Path) -> None:
    path = _org(tmp_path, ORG.replace("extends: [kb979174]", "extends: [kb979174, fabrikam]"))
    with pytest.raises(RuleFileError) as caught:
        load_rule_base([path])
    assert [(p.key, p.line) for p in caught.value.problems] == [("error.extends_unknown", 3)]


def test_an_override_needs_exactly_one_change(tmp_path: Path) -> None:
    path = _org(tmp_path, ORG.replace("{disabled: true}", "{disabled: true, cf: 0.2}"))
    with pytest.raises(RuleFileError) as caught:
        load_rule_base([path])
    assert [p.line for p in caught.value.problems] == [8]


def test_lint_reports_two_packs_changing_one_rule(tmp_path: Path) -> None:
    org = _org(tmp_path)
    second = tmp_path / "later" / "fabrikam.yaml"
    second.parent.mkdir()
    second.write_text(
        "kbdoctor: rules/1\npack: fabrikam\noverrides:\n"
        "  time.skew.between-parties: {cf: 0.7}\n"
        "  time.kerberos-skew: {cf: 0.8}\n",
        encoding="utf-8",
    )
    result = lint([org, str(second)])
    found = [
        (p.check, p.problem.key, p.problem.file, p.problem.line)
        for p in result.problems
        if p.check.startswith("override")
    ]
    assert found == [
        ("override-conflicts", "lint.override_conflict", str(second), 4),
        ("override-conflicts", "lint.override_same_cf", str(second), 5),
    ]
    assert result.files[0].endswith("kb979174.yaml")  # the extended pack is judged with them


def test_packs_of_the_configuration_load_after_the_shipped_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "packs").mkdir()
    _org(tmp_path / "packs")
    config = tmp_path / "config.yaml"
    config.write_text("kbdoctor: config/1\npacks: [packs/]\n", encoding="utf-8")
    monkeypatch.setenv("KBDOCTOR_CONFIG", str(config))
    assert [p.pack for p in load_rule_base().packs] == ["kb979174", "contoso"]
