"""Suppressions of the site: an accepted finding is shown as suppressed, never dropped; it covers
what its match says (host, account, connector, failing path) and nothing else; an expired one is
ignored and listed; a broken file is refused at its line and column."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.factio import load_fact_files
from kbdoctor.engine.report import CauseReport, Report
from kbdoctor.engine.rulebase import load_rule_base
from kbdoctor.engine.suppressions import Entry, load_suppressions

ROOT = Path(__file__).resolve().parents[2]
TODAY = datetime.date(2026, 6, 1)


def _entries(tmp_path: Path, body: str) -> tuple[Entry, ...]:
    path = tmp_path / "accepted.yaml"
    path.write_text("kbdoctor: suppressions/1\nsuppressions:\n" + body, encoding="utf-8")
    loaded = load_suppressions(str(path))
    assert not isinstance(loaded, list), loaded
    return loaded.entries


def _entry(target: str, match: str = "{}", expires: str = "2026-12-31") -> str:
    return (
        f"  - {target}\n    match: {match}\n    reason: accepted in change 4711\n"
        f"    accepted_by: j.kowalski\n    expires: {expires}\n"
    )


def _report(example: str, entries: tuple[Entry, ...]) -> Report:
    facts = load_fact_files([str(ROOT / "examples" / example)])
    return Evaluator(load_rule_base()).evaluate(facts.facts, suppressions=entries, today=TODAY)


def _cause(report: Report, ident: str) -> CauseReport:
    return next(c for c in report.causes if c.cause == ident)


def test_a_suppressed_diagnosis_stays_a_diagnosis_marked_with_who_and_why(
    tmp_path: Path,
) -> None:
    report = _report("cause-spn-duplicate.yaml", _entries(tmp_path, _entry("cause: spn_duplicate")))
    cause = _cause(report, "spn_duplicate")
    assert (cause.status, cause.confidence) == ("diagnosed", 0.95)
    assert report.diagnoses == [cause]
    assert cause.suppressed is not None
    assert (cause.suppressed.accepted_by, cause.suppressed.expires) == ("j.kowalski", "2026-12-31")
    assert cause.suppressed.line == 3
    assert report.unsuppressed_diagnoses == []
    assert json.loads(report.to_json())["diagnoses"][0]["suppressed"]["reason"] == (
        "accepted in change 4711"
    )


@pytest.mark.parametrize(
    ("example", "target", "match", "covered"),
    [
        ("cause-connector-auth.yaml", "cause: connector_auth", "{host: ex02}", True),
        ("cause-connector-auth.yaml", "cause: connector_auth", "{host: EX01}", False),
        ("cause-connector-auth.yaml", "cause: connector_auth", "{connector: default ex02}", True),
        ("cause-connector-auth.yaml", "cause: connector_auth", "{connector: Default EX01}", False),
        ("cause-spn-duplicate.yaml", "cause: spn_duplicate", "{host: ex02.corp.example.com}", True),
        (
            "cause-kerberos-ports.yaml",
            "cause: kerberos_ports_blocked",
            "{path: {sender: EX01, receiver: EX02}}",
            True,
        ),
        (
            "cause-kerberos-ports.yaml",
            "cause: kerberos_ports_blocked",
            "{path: {sender: EX02, receiver: EX01}}",
            False,
        ),
        ("cause-kerberos-ports.yaml", "rule: ports.kerberos-blocked", "{}", False),
        ("cause-spn-duplicate.yaml", "rule: spn.duplicate-smtp", "{host: EX02}", True),
    ],
)
def test_a_suppression_covers_what_its_match_says(
    tmp_path: Path, example: str, target: str, match: str, covered: bool
) -> None:
    report = _report(example, _entries(tmp_path, _entry(target, match)))
    [diagnosis] = report.diagnoses
    assert (diagnosis.suppressed is not None) is covered


def test_a_cause_with_a_believed_subject_not_covered_is_not_suppressed(tmp_path: Path) -> None:
    report = _report(
        "several-causes.yaml", _entries(tmp_path, _entry("cause: time_sync", "{host: EX02}"))
    )
    cause = _cause(report, "time_sync")
    assert cause.suppressed is None
    marked = {s.subject: s.suppressed for s in cause.subjects if s.confidence > 0}
    assert marked == {"DC01 / EX01": False, "EX01 / EX02": True, "EX01 / EX03": False}


def test_an_expired_suppression_is_ignored_and_listed(tmp_path: Path) -> None:
    entries = _entries(tmp_path, _entry("cause: spn_duplicate", expires="2026-05-31"))
    report = _report("cause-spn-duplicate.yaml", entries)
    assert report.diagnoses[0].suppressed is None
    assert [(n.id, n.expires) for n in report.expired_suppressions] == [
        ("spn_duplicate", "2026-05-31")
    ]


def test_without_suppressions_the_report_is_what_it_was(tmp_path: Path) -> None:
    plain = _report("cause-spn-duplicate.yaml", ())
    data = json.loads(plain.to_json())
    assert "expired_suppressions" not in data
    assert "suppressed" not in data["diagnoses"][0]
    assert not any("suppressed" in s for s in data["diagnoses"][0]["subjects"])


@pytest.mark.parametrize(
    ("entry", "where"),
    [
        ("  - cause: spn_duplicate\n    expires: 31.12.2026\n", (4, 5)),
        (
            "  - cause: spn_duplicate\n    rule: spn.duplicate-smtp\n    expires: 2026-12-31\n",
            (3, 5),
        ),
    ],
)
def test_a_broken_entry_is_refused_at_its_line_and_column(
    tmp_path: Path, entry: str, where: tuple[int, int]
) -> None:
    path = tmp_path / "accepted.yaml"
    path.write_text(
        "kbdoctor: suppressions/1\nsuppressions:\n"
        + entry
        + "    reason: r\n    accepted_by: me\n",
        encoding="utf-8",
    )
    problems = load_suppressions(str(path))
    assert isinstance(problems, list)
    assert [(p.line, p.column) for p in problems] == [where]


@pytest.mark.parametrize(
    ("example", "target", "account", "covered"),
    [
        # the spn_duplicate fact names the two accounts that hold the SPN
        ("cause-spn-duplicate.yaml", "cause: spn_duplicate", "EXOLD2010", True),
        ("cause-spn-duplicate.yaml", "cause: spn_duplicate", "CORP\\exold2010$", True),
        ("cause-spn-duplicate.yaml", "rule: spn.duplicate-smtp", "EXOLD2010", True),
        ("cause-spn-duplicate.yaml", "cause: spn_duplicate", "EX01", False),
        # the SPN listing names EX02's computer account
        ("cause-spn-missing.yaml", "cause: spn_missing", "EX02$", True),
        ("cause-spn-missing.yaml", "cause: spn_missing", "EX01$", False),
        # a connector is no account's
        ("cause-connector-auth.yaml", "cause: connector_auth", "EX02$", False),
    ],
)
def test_an_account_match_covers_a_conclusion_whose_facts_name_the_account(
    tmp_path: Path, example: str, target: str, account: str, covered: bool
) -> None:
    report = _report(example, _entries(tmp_path, _entry(target, f"{{account: '{account}'}}")))
    [diagnosis] = report.diagnoses
    assert (diagnosis.suppressed is not None) is covered


KDC_EVENT_11 = """\
  - type: event
    host: DC01
    source: KDC
    event_id: 11
    message: >-
      The KDC encountered duplicate names while processing a Kerberos authentication request.
      The duplicate name is SMTPSVC/ex02.corp.example.com (of type DS_SERVICE_PRINCIPAL_NAME).
"""


def test_an_account_match_does_not_cover_a_subject_another_firing_supports_without_it(
    tmp_path: Path,
) -> None:
    """The KDC's Event 11 shows the same duplicate without naming its accounts: accepting the
    duplicate on EXOLD2010 does not accept what the event alone may be about."""
    facts = tmp_path / "facts.yaml"
    example = (ROOT / "examples" / "cause-spn-duplicate.yaml").read_text(encoding="utf-8")
    facts.write_text(example.rstrip("\n") + "\n" + KDC_EVENT_11, encoding="utf-8")
    entries = _entries(tmp_path, _entry("cause: spn_duplicate", "{account: EXOLD2010}"))
    loaded = load_fact_files([str(facts)])
    report = Evaluator(load_rule_base()).evaluate(loaded.facts, suppressions=entries, today=TODAY)
    cause = _cause(report, "spn_duplicate")
    assert {f.rule for f in cause.evidence} == {"spn.duplicate-smtp", "spn.kdc-duplicate-name"}
    assert cause.suppressed is None
