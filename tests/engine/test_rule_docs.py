"""The rule catalogue: every cause, finding and rule of the loaded packs, what each rule checks in
words, its certainty (and who changed it), and the tests that name it, in English and Polish."""

from __future__ import annotations

from pathlib import Path

from kbdoctor.engine.rule_docs import catalogue_markdown, condition_words, rule_tests
from kbdoctor.engine.rulebase import load_rule_base
from kbdoctor.engine.rules_model import Rule

ORG = """\
kbdoctor: rules/1
pack: contoso
extends: [kb979174]
overrides:
  time.skew.between-parties: {cf: 0.6}
  spn.duplicate-smtp: {disabled: true}
"""


def test_every_cause_and_rule_is_in_the_catalogue_in_both_languages() -> None:
    base = load_rule_base()
    tests = rule_tests([p.file for p in base.packs])
    for lang in ("en", "pl"):
        doc = catalogue_markdown(base, tests, lang)
        assert all(f"### `{cause}`: " in doc for cause in base.causes)
        assert all(f"#### `{rule.id}`: " in doc for rule in base.rules)
    assert "time.yaml: time.skew.between-parties fires" in tests["time.skew.between-parties"]


def test_a_condition_reads_as_words() -> None:
    rule = next(r for r in load_rule_base().rules if r.id == "time.skew.between-parties")
    assert condition_words(rule.when[0], "en") == (
        "there is a fact `clock_offset` (called `off`) where |`offset_s`| > `300` and "
        "`host_role` is one of `exchange`, `dc` and `reference_role` is one of `exchange`, `dc`"
    )
    absent = Rule.model_validate(
        {
            "id": "x",
            "title": {"en": "x", "pl": "x"},
            "when": [{"absent": {"fact": "port_state", "where": {"state": {"exists": True}}}}],
            "conclude": {"finding": "f", "cf": 0.5, "subject": "x"},
            "explain": {"en": "x", "pl": "x"},
        }
    )
    assert condition_words(absent.when[0], "pl") == (
        "nie istnieje fakt `port_state` gdzie `state` jest podane"
    )


def test_the_catalogue_says_which_pack_changed_or_disabled_a_rule(tmp_path: Path) -> None:
    (tmp_path / "contoso.yaml").write_text(ORG, encoding="utf-8")
    base = load_rule_base([str(tmp_path / "contoso.yaml")])
    doc = catalogue_markdown(base, {}, "en")
    assert "- Certainty factor: 0.6 (set by pack contoso; the rule says 0.9)" in doc
    assert "- Certainty factor: disabled by pack contoso: not evaluated" in doc
