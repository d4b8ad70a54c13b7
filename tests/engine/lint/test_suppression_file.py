"""The suppressions check of lint: an entry naming nothing, or matching on a field the subjects
of its cause never have, suppresses nothing; an expired one is ignored by every run."""

from __future__ import annotations

import datetime
from pathlib import Path

from kbdoctor.engine.lint.suppression_file import lint_suppressions
from kbdoctor.engine.rulebase import load_rule_base

TODAY = datetime.date(2026, 6, 1)


def _found(tmp_path: Path, entries: str) -> list[tuple[str, str, int | None]]:
    path = tmp_path / "accepted.yaml"
    path.write_text("kbdoctor: suppressions/1\nsuppressions:\n" + entries, encoding="utf-8")
    found = lint_suppressions(str(path), load_rule_base(), TODAY)
    return [(severity, p.key, p.line) for p, severity in found]


def _entry(target: str, match: str = "{}", expires: str = "2026-12-31") -> str:
    return (
        f"  - {target}\n    match: {match}\n    reason: r\n    accepted_by: me\n"
        f"    expires: {expires}\n"
    )


def test_entries_that_can_match_are_clean(tmp_path: Path) -> None:
    entries = (
        _entry("cause: connector_auth", "{host: EX01, connector: Default EX01}")
        + _entry("cause: kerberos_ports_blocked", "{path: {sender: EX01, receiver: EX02}}")
        + _entry("rule: spn.duplicate-smtp", "{host: EX02}")
        + _entry("cause: spn_missing", "{host: EX02}")
    )
    assert _found(tmp_path, entries) == []


def test_an_entry_naming_nothing_is_an_error(tmp_path: Path) -> None:
    found = _found(tmp_path, _entry("cause: time_sinc") + _entry("rule: time.skew"))
    assert found == [
        ("error", "lint.suppression_unknown", 3),
        ("error", "lint.suppression_unknown", 8),
    ]


def test_a_match_on_a_field_the_subjects_never_have_is_a_warning(tmp_path: Path) -> None:
    match = "{connector: Default EX01, account: EX01$}"
    found = _found(tmp_path, _entry("cause: time_sync", match))
    assert found == [
        ("warning", "lint.suppression_match_unused", 3),
        ("warning", "lint.suppression_match_unused", 3),
    ]


def test_an_expired_entry_is_a_warning(tmp_path: Path) -> None:
    found = _found(tmp_path, _entry("cause: time_sync", expires="2026-05-31"))
    assert found == [("warning", "suppress.expired", 3)]


def test_an_account_match_is_clean_where_the_rules_bind_an_account(tmp_path: Path) -> None:
    """No shipped subject has an account part, but the facts of spn_duplicate's and spn_missing's
    rules name accounts, and a suppression matches on those (engine/named_accounts.py); a
    Kerberos error names none."""
    entries = (
        _entry("cause: spn_duplicate", "{account: EXOLD2010}")
        + _entry("cause: spn_missing", "{account: EX02$}")
        + _entry("rule: spn.duplicate-smtp", "{account: EXOLD2010}")
        + _entry("rule: spn.kerberos-principal-unknown", "{account: EX02$}")
    )
    assert _found(tmp_path, entries) == [("warning", "lint.suppression_match_unused", 18)]
