"""A group of patterns on one field is matched once per distinct text: each rule of the group
asks in turn about the same fact's field, and one RE2 set pass answers them all. An empty text
(an empty last_error, the commonest value) is a text like any other. Patterns that RE2 cannot
put in one set (its memory budget is the set's, not each pattern's) are matched in several sets
or alone, and every pattern gets the answer it gets alone."""

from __future__ import annotations

from typing import Any

import pytest
from kbdoctor.engine import safe_regex
from kbdoctor.engine.safe_regex import _Group, search


class _SetSpy:
    """An RE2 set that counts its passes over a text."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.passes: list[str] = []

    def Match(self, text: str) -> Any:
        self.passes.append(text)
        return self.inner.Match(text)


PATTERNS = ("^$", "4\\.7\\.0", "(?i)illegalmessage")


def _spied_group() -> tuple[_Group, _SetSpy]:
    group = _Group(PATTERNS)
    assert len(group.sets) == 1
    assert not group.alone
    spy = _SetSpy(group.sets[0].set)
    group.sets[0].set = spy
    return group, spy


@pytest.mark.parametrize("text", ["", "454 4.7.0 Temporary authentication failure"])
def test_every_pattern_asked_about_the_same_text_costs_one_pass(text: str) -> None:
    group, spy = _spied_group()
    for _ in range(3):
        for pattern in PATTERNS:
            assert group.matches(pattern, text) == search(pattern, text)
    assert spy.passes == [text]


def test_a_new_text_is_matched_anew_and_an_earlier_result_is_not_reused_for_it() -> None:
    group, spy = _spied_group()
    texts = ["", "IllegalMessage", "", "IllegalMessage", "IllegalMessage"]
    for text in texts:
        assert [group.matches(p, text) for p in PATTERNS] == [search(p, text) for p in PATTERNS]
    assert spy.passes == ["", "IllegalMessage", "", "IllegalMessage"]


# what the shipped pack tests an event's message with, and patterns of a site's pack beside them
MESSAGES = (
    "(?i)IllegalMessage",
    "(?is)(IllegalMessage|UnexpectedExchangeAuthBlob\\w*).*ExchangeAuth",
    "4\\.7\\.0",
)
LONG_WORD = "\\w{400}"  # compiles alone, but in no RE2 set beside anything
TEXTS = {
    "empty": "",
    "454": "454 4.7.0 Temporary authentication failure",
    "both": "IllegalMessage in ExchangeAuth " + "ł" * 400,
    "short-words": "a" * 399 + " " + "b" * 399,
    "blob": "UnexpectedExchangeAuthBlobX then ExchangeAuth",
}


def _answers(group: _Group, patterns: tuple[str, ...], text: str) -> list[bool]:
    return [group.matches(p, text) for p in patterns]


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_a_pattern_too_large_for_a_set_with_the_others_gets_the_answer_it_gets_alone(
    text: str,
) -> None:
    patterns = (*MESSAGES, LONG_WORD)
    group = _Group(patterns)
    assert _answers(group, patterns, text) == [search(p, text) for p in patterns]
    assert search(LONG_WORD, TEXTS["both"])
    assert not search(LONG_WORD, TEXTS["short-words"])


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_a_set_that_RE2_refuses_is_halved_until_each_part_compiles(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting instructions keeps most sets within RE2's budget; one that is not (here: no
    counting at all) is split, never given up on."""
    monkeypatch.setattr(safe_regex, "SET_SIZE", 10**9)
    patterns = (*MESSAGES, "\\w{40}", "\\w{41}x", "\\w{42}y", "\\w{120}")
    group = _Group(patterns)
    assert len(group.sets) + len(group.alone) > 1
    assert _answers(group, patterns, text) == [search(p, text) for p in patterns]


class _FailingSet:
    """An RE2 set whose automaton ran out of memory: RE2 answers "no match" (an empty list)."""

    def Match(self, text: str) -> Any:
        return None


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_a_set_pass_that_fails_is_told_from_no_match_and_each_pattern_is_matched_alone(
    text: str,
) -> None:
    group = _Group(MESSAGES)
    group.sets[0].set = _FailingSet()
    assert _answers(group, MESSAGES, text) == [search(p, text) for p in MESSAGES]
