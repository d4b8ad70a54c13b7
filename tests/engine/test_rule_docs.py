"""The rule catalogue: every cause, finding, recommendation and rule of the loaded packs, what
each rule checks in sentences an Exchange administrator reads (what a field means, with its
unit; a pattern as a pattern; a derived field as the value it is built from; a placeholder as
``<name>``), its certainty (who changed it, and why), and the tests that name it, in English and
Polish."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from kbdoctor.engine.facts import COMPUTED_FIELDS, FACT_TYPES, fact_fields
from kbdoctor.engine.i18n import RULE_LANGS, catalogue
from kbdoctor.engine.rule_docs import (
    Context,
    catalogue_markdown,
    condition_words,
    readable,
    rule_tests,
)
from kbdoctor.engine.rulebase import RuleBase, load_rule_base
from kbdoctor.engine.rules_model import Pattern, Rule

ORG = """\
kbdoctor: rules/1
pack: contoso
extends: [kb979174]
overrides:
  time.skew.between-parties:
    cf: 0.6
    reason: {en: "Our DCs drift at night", pl: "Nasze DC rozjeżdżają się w nocy"}
  spn.duplicate-smtp: {disabled: true}
"""


def _rule(rule_id: str) -> Rule:
    return next(r for r in load_rule_base().rules if r.id == rule_id)


def _conditions(rule_id: str, lang: str) -> list[str]:
    """The numbered lines of a rule's "what it checks", as the catalogue writes them."""
    base = load_rule_base()
    doc = catalogue_markdown(base, {}, lang)  # type: ignore[arg-type]
    section = doc[doc.index(f"#### `{rule_id}`: ") :]
    section = section[: section.index("\n#### ", 1)] if "\n#### " in section[1:] else section
    return re.findall(r"^\d+\. (.*)$", section, re.MULTILINE)


def test_every_cause_and_rule_is_in_the_catalogue_in_both_languages() -> None:
    base = load_rule_base()
    tests = rule_tests([p.file for p in base.packs])
    for lang in RULE_LANGS:
        doc = catalogue_markdown(base, tests, lang)
        assert all(f"### `{cause}`: " in doc for cause in base.causes)
        assert all(f"#### `{rule.id}`: " in doc for rule in base.rules)
    assert "time.yaml: time.skew.between-parties fires" in tests["time.skew.between-parties"]


@pytest.mark.parametrize("fact", sorted(FACT_TYPES))
def test_every_fact_type_and_field_has_words_so_the_catalogue_never_shows_a_bare_name(
    fact: str,
) -> None:
    english = catalogue("en")
    assert f"docs.fact.{fact}" in english
    for name in (*fact_fields(fact), *COMPUTED_FIELDS.get(fact, {})):
        assert f"docs.field.{fact}.{name}" in english, name


def test_a_condition_reads_as_a_sentence_with_the_unit_of_its_field() -> None:
    assert condition_words(_rule("time.skew.between-parties").when[0], "en") == (
        "there is a clock offset measurement (`clock_offset`, called `off`) where the offset "
        "from the reference clock (`offset_s`) is more than 300 s either way and the role of "
        "the measured machine (`host_role`) is one of `exchange`, `dc` and the role of the "
        "reference machine (`reference_role`) is one of `exchange`, `dc`"
    )
    assert condition_words(_rule("time.skew.between-parties").when[0], "pl").startswith(
        "istnieje pomiar przesunięcia zegara (`clock_offset`, alias `off`), gdzie przesunięcie "
        "względem zegara odniesienia (`offset_s`) ma wartość bezwzględną większą niż 300 s"
    )


def test_a_regular_expression_is_called_a_pattern() -> None:
    first = _conditions("symptom.event-1035-exchangeauth", "en")[0]
    assert "the event source (`source`) matches the pattern `(?i)^MSExchangeTransport$`" in first
    assert "the event ID (`event_id`) is 1035" in first
    polish = _conditions("symptom.event-1035-exchangeauth", "pl")[0]
    assert "źródło zdarzenia (`source`) pasuje do wzorca `(?i)^MSExchangeTransport$`" in polish


def test_a_derived_field_is_shown_as_the_value_it_is_built_from_and_a_join_names_the_binding() -> (
    None
):
    third = _conditions("spn.smtpsvc-fqdn-missing", "en")[2]
    assert third == (
        "there is not an SPN listing of an account (`spn_listing`) where the account "
        "(`account`) is the same as the computer account of `srv` and the SPNs registered on "
        "the account (`spns`) include the value `smtpsvc/<fully qualified domain name>` of `srv`"
    )
    assert "srv.spn_smtpsvc_fqdn" not in "".join(_conditions("spn.smtpsvc-fqdn-missing", "pl"))


def test_an_absence_reads_without_a_stray_article() -> None:
    absent = Rule.model_validate(
        {
            "id": "x",
            "title": {"en": "x", "pl": "x"},
            "when": [{"absent": {"fact": "port_state", "where": {"state": {"exists": True}}}}],
            "conclude": {"finding": "f", "cf": 0.5, "subject": "x"},
            "explain": {"en": "x", "pl": "x"},
        }
    )
    assert condition_words(absent.when[0], "en") == (
        "there is not a port probe (`port_state`) where the state of the port (`state`) is given"
    )
    assert condition_words(absent.when[0], "pl") == (
        "nie istnieje sprawdzenie portu (`port_state`), gdzie podano: stan portu (`state`)"
    )


def test_a_condition_on_a_conclusion_names_it_and_its_values() -> None:
    pattern = Pattern.model_validate(
        {"bind": "f", "finding": "unreliable_time_source", "where": {"source": "x"}}
    )
    assert condition_words(pattern, "en", Context()) == (
        "the finding `unreliable_time_source` is concluded (called `f`) where the value "
        "`source` is `x`"
    )


def test_placeholders_of_a_rule_text_read_as_names_not_syntax() -> None:
    assert readable("{off.host} is {off.offset_s:+.1f} s from {off.reference}") == (
        "<host> is <offset> s from <reference>"
    )
    doc = catalogue_markdown(load_rule_base(), {}, "en")
    says = [line for line in doc.splitlines() if line.startswith("It says: ")]
    assert says
    assert [line for line in says if "{" in line] == []


def test_recommendations_are_in_the_catalogue_with_their_kb_step_and_steps() -> None:
    for lang, heading, when in (
        ("en", "## Recommendations", "- Applies when: a symptom `exchange_auth_454` is concluded"),
        ("pl", "## Zalecenia", "- Obowiązuje, gdy: wywnioskowano objaw `exchange_auth_454`"),
    ):
        doc = catalogue_markdown(load_rule_base(), {}, lang)  # type: ignore[arg-type]
        section = doc[doc.index(heading) :]
        assert section.index("### `enable_kerberos_logging`: ") < section.index("\n## ")
        assert when in section
        assert "`reg add HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\Kerberos" in section


def _org(tmp_path: Path) -> RuleBase:
    (tmp_path / "contoso.yaml").write_text(ORG, encoding="utf-8")
    return load_rule_base([str(tmp_path / "contoso.yaml")])


def test_the_catalogue_says_which_pack_changed_or_disabled_a_rule_and_why(tmp_path: Path) -> None:
    base = _org(tmp_path)
    doc = catalogue_markdown(base, {}, "en")
    assert (
        "- Certainty factor: 0.6 (set by pack contoso; the rule says 0.9) "
        "Reason: Our DCs drift at night"
    ) in doc
    assert "- Certainty factor: disabled by pack contoso: not evaluated\n" in doc
    assert "Powód: Nasze DC rozjeżdżają się w nocy" in catalogue_markdown(base, {}, "pl")
