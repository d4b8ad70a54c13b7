"""The patterns a field is tested with are matched at once, in RE2 sets, and an RE2 set has one
memory budget for all its patterns: a site's pattern that compiles alone but in no set beside
the shipped pack's (``\\w{400}``) must neither stop the evaluation nor change any answer. Each
rule fires exactly when its pattern, matched alone, occurs in the fact."""

from __future__ import annotations

import pytest
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import Event
from kbdoctor.engine.rulebase import parse_rule_texts
from kbdoctor.engine.safe_regex import search

LONG_WORD = r"\w{400}"
SITE = """kbdoctor: rules/1
pack: site
version: "1"
extends: [kb979174]
findings:
  long_word:
    title: {en: "A long word in an event", pl: "Długie słowo w zdarzeniu"}
rules:
  - id: site.long-word
    title: {en: "An event holds a very long word", pl: "Zdarzenie zawiera bardzo długie słowo"}
    when:
      - bind: e
        fact: event
        where: {message: {matches: 'LONG_WORD'}}
    conclude: {finding: long_word, cf: 0.5, subject: "{e.host}"}
    explain: {en: "on {e.host}", pl: "na {e.host}"}
""".replace("LONG_WORD", LONG_WORD)
SHIPPED = "symptom.event-1035-exchangeauth"  # tests the same field with its own pattern


@pytest.fixture(scope="module")
def evaluator() -> Evaluator:
    return Evaluator(parse_rule_texts([("site.yaml", SITE)]))


@pytest.mark.parametrize(
    ("message", "long_word", "shipped"),
    [
        ("IllegalMessage from ExchangeAuth: " + "ł" * 400, True, True),
        ("IllegalMessage from ExchangeAuth: " + "ł" * 399, False, True),
        ("a word of " + "x" * 500 + " letters", True, False),
        ("454 4.7.0 Temporary authentication failure", False, False),
    ],
    ids=["both", "only-the-shipped", "only-the-long-word", "neither"],
)
def test_a_pattern_too_large_for_a_set_with_the_shipped_ones_fires_as_it_matches_alone(
    evaluator: Evaluator, message: str, long_word: bool, shipped: bool
) -> None:
    assert search(LONG_WORD, message) is long_word
    fact = Event(host="EX01", source="MSExchangeTransport", event_id=1035, message=message)
    run = evaluator.run([fact])
    fired = {run.compiled.rules[r.rule_index].rule.id for r in run.firings}
    assert ("site.long-word" in fired) is long_word
    assert (SHIPPED in fired) is shipped
