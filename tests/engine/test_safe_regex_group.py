"""A group of patterns on one field is matched once per distinct text: each rule of the group
asks in turn about the same fact's field, and one RE2 set pass answers them all. An empty text
(an empty last_error, the commonest value) is a text like any other."""

from __future__ import annotations

from typing import Any

import pytest
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
    spy = _SetSpy(group.set)
    group.set = spy
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
