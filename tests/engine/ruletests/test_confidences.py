"""A rule test can pin every certainty factor a rule has: the confidence of a symptom and of a
finding (each that of its most believed subject, as a cause's), and a cause's confidence below
zero (evidence against it: -0.8 and -0.3 are both "ruled out"). Without these, a change of a
symptom rule's factor above 0.5, of a finding's, or of counter-evidence alone passes every test."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.ruletests.run import run_tests

KB = Path(__file__).resolve().parents[3] / "kb_rules"

EVENT_2017 = (
    "{type: event, host: EX01, source: MSExchangeTransport, event_id: 2017, message: 'Outbound "
    "authentication failed with error LogonDenied for Send connector Intra-Org. The authentication "
    "mechanism is ExchangeAuth. The target is SMTPSVC/ex02.'}"
)
DRIFT = "{type: clock_offset, host: DC01, reference: time.windows.com, offset_s: 900}"
DC01 = "{type: domain_controller, name: DC01, fqdn: dc01.corp.example.com}"
NONE_FOUND = "{type: check_run, check: spn_duplicates, found: 0}"


def _run(tmp_path: Path, facts: list[str], expect: str) -> list[tuple[str, dict[str, object]]]:
    path = tmp_path / "t.yaml"
    path.write_text(
        f"kbdoctor: rules-test/1\nrules: [{KB / 'kb979174.yaml'}]\ntests:\n"
        f"  - name: t\n    facts: [{', '.join(facts)}]\n    expect: {expect}\n",
        encoding="utf-8",
    )
    result = run_tests([path])
    assert result.problems == []
    (outcome,) = result.outcomes
    return [(m.key, m.params) for m in outcome.mismatches]


def test_a_symptom_believed_as_expected_passes_and_otherwise_says_what_came_out(
    tmp_path: Path,
) -> None:
    wanted = "{symptoms: {exchange_auth_454: {confidence: {min: 0.6, max: 0.6}}}}"
    assert _run(tmp_path, [EVENT_2017], wanted) == []
    wrong = "{symptoms: {exchange_auth_454: {confidence: {min: 0.9, max: 1}}}}"
    assert _run(tmp_path, [EVENT_2017], wrong) == [
        (
            "ruletest.symptom",
            {"symptom": "exchange_auth_454", "expected": "0.9..1", "actual": "0.6"},
        )
    ]


def test_a_symptom_expected_and_not_believed_at_all_fails(tmp_path: Path) -> None:
    wanted = "{symptoms: {exchange_auth_454: {confidence: {min: 0, max: 1}}}}"
    assert _run(tmp_path, [NONE_FOUND], wanted) == [
        ("ruletest.symptom", {"symptom": "exchange_auth_454", "expected": "0..1", "actual": "-"})
    ]


def test_findings_as_a_mapping_give_each_one_s_confidence(tmp_path: Path) -> None:
    wanted = "{findings: {external_time_drift: {confidence: {min: 0.9, max: 0.9}}}}"
    assert _run(tmp_path, [DC01, DRIFT], wanted) == []
    wrong = "{findings: {external_time_drift: {confidence: {min: 0.5, max: 0.7}}}}"
    assert _run(tmp_path, [DC01, DRIFT], wrong) == [
        (
            "ruletest.finding",
            {"finding": "external_time_drift", "expected": "0.5..0.7", "actual": "0.9"},
        )
    ]
    missing = _run(tmp_path, [DC01], wanted)
    assert [key for key, _ in missing] == ["ruletest.findings"]


def test_a_negative_range_pins_evidence_against_a_cause(tmp_path: Path) -> None:
    wanted = "{causes: {spn_duplicate: {status: ruled_out, confidence: {min: -0.8, max: -0.8}}}}"
    assert _run(tmp_path, [NONE_FOUND], wanted) == []
    weaker = "{causes: {spn_duplicate: {confidence: {min: -0.3, max: -0.3}}}}"
    assert _run(tmp_path, [NONE_FOUND], weaker) == [
        (
            "ruletest.cause",
            {
                "cause": "spn_duplicate",
                "expected": "-0.3..-0.3",
                "actual": "ruled_out, -0.8, unknown",
            },
        )
    ]


def test_a_misspelt_symptom_is_invalid_input_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        f"kbdoctor: rules-test/1\nrules: [{KB / 'kb979174.yaml'}]\ntests:\n  - name: t\n"
        f"    facts: [{EVENT_2017}]\n    expect:\n"
        "      symptoms: {exchange_auth_45: {confidence: {min: 0.6, max: 0.6}}}\n",
        encoding="utf-8",
    )
    result = run_tests([path])
    assert [(p.line, p.key, p.params) for p in result.problems] == [
        (7, "ruletest.symptom_unknown", {"symptom": "exchange_auth_45"})
    ]


@pytest.mark.parametrize("lang", ["en", "pl", "de"])
def test_the_messages_exist_in_every_language(lang: Lang) -> None:
    params = {"expected": "0.6..0.6", "actual": "0.9"}
    assert "0.9" in text("ruletest.symptom", lang, symptom="exchange_auth_454", **params)
    assert "0.9" in text("ruletest.finding", lang, finding="external_time_drift", **params)
    assert "exchange_auth_45" in text("ruletest.symptom_unknown", lang, symptom="exchange_auth_45")
