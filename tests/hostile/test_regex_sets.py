"""A rule's regular expression is matched in one RE2 set with the other patterns on its field,
and RE2 gives a set one memory budget for all of them: a pattern that compiles alone (and so
passes ``kbdoctor rules lint`` and ``kbdoctor rules``) but fits in no set beside the shipped
pack's made ``evaluate`` end in a traceback with exit 1 ("cause diagnosed") and left the TUI
loading for good. Such patterns are matched in smaller sets or alone, with the same answers; a
pattern RE2 cannot compile at all is refused at load, at its line, by lint, rules and evaluate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hostile.bounded import assert_refused, kbdoctor

HEAD = """kbdoctor: rules/1
pack: site
version: "1"
extends: [kb979174]
findings:
  long_word:
    title: {en: "A long word in an event", pl: "Długie słowo w zdarzeniu"}
rules:
"""
RULE = """  - id: site.long-word-NUMBER
    title: {en: "An event holds a long word", pl: "Zdarzenie zawiera długie słowo"}
    when:
      - bind: e
        fact: event
        where: {message: {matches: 'PATTERN'}}
    conclude: {finding: long_word, cf: 0.5, subject: "{e.host}"}
    explain: {en: "on {e.host}", pl: "na {e.host}"}
"""


def _pack(tmp_path: Path, patterns: list[str]) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    rules = "".join(
        RULE.replace("NUMBER", str(n)).replace("PATTERN", p) for n, p in enumerate(patterns)
    )
    (folder / "site.yaml").write_text(HEAD + rules, encoding="utf-8")
    return folder


def _facts(messages: dict[str, str]) -> str:
    facts = [
        {
            "type": "event",
            "host": host,
            "source": "MSExchangeTransport",
            "event_id": 1035,
            "message": message,
        }
        for host, message in messages.items()
    ]
    return json.dumps({"kbdoctor": "facts/1", "facts": facts})


def _long_words(pack: Path, messages: dict[str, str]) -> set[str]:
    """The hosts the site's finding names, from a bounded ``evaluate``."""
    result = kbdoctor(
        "evaluate",
        "-",
        "--rules",
        str(pack),
        "--format",
        "json",
        "--lang",
        "pl",
        stdin=_facts(messages),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    report = json.loads(result.stdout)
    return {f["subject"] for f in report["findings"] if f["id"] == "long_word"}


def test_a_pattern_that_fits_in_no_set_beside_the_shipped_ones_is_evaluated(
    tmp_path: Path,
) -> None:
    pack = _pack(tmp_path, [r"\w{400}"])
    assert kbdoctor("rules", "lint", str(pack)).returncode == 0
    assert kbdoctor("rules", str(pack)).returncode == 0
    messages = {"EX01": "a word of " + "x" * 400, "EX02": "a word of " + "x" * 399}
    assert _long_words(pack, messages) == {"EX01"}


def test_many_patterns_too_large_to_share_a_set_are_matched_within_bounds(
    tmp_path: Path,
) -> None:
    """Forty patterns of 60,000 to 270,000 RE2 instructions each: sets are made by counting,
    not by trying (a refused attempt costs as much as a compiled set)."""
    patterns = [rf"\w{{{45 + 5 * (n % 30)}}}{n % 10}" for n in range(40)]
    pack = _pack(tmp_path, patterns)
    long_text = "y" * 2_000
    messages = {"EX01": long_text + "7", "EX02": long_text, "EX03": "x" * 44 + "7"}
    assert _long_words(pack, messages) == {"EX01"}


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"\w{1000}", "za duże dla RE2"),  # over RE2's program size
        (r"(x{500}){500}", "invalid repetition size"),  # nested repetitions past 1,000
        (r"\w{1000}{1000}", "bad repetition operator"),
    ],
)
def test_a_pattern_RE2_cannot_compile_is_refused_at_load_by_lint_rules_and_evaluate(
    tmp_path: Path, pattern: str, reason: str
) -> None:
    pack = _pack(tmp_path, [pattern])
    where = f"{pack / 'site.yaml'}:14:27: "
    linted = kbdoctor("rules", "lint", str(pack), "--lang", "pl")
    assert linted.returncode == 1, linted.stderr[-2000:]
    assert where in linted.stdout, linted.stdout[-2000:]
    assert reason in linted.stdout, linted.stdout[-2000:]
    assert_refused(kbdoctor("rules", str(pack), "--lang", "pl"), where, reason)
    evaluated = kbdoctor("evaluate", "-", "--rules", str(pack), "--lang", "pl", stdin=_facts({}))
    assert_refused(evaluated, where, reason)
