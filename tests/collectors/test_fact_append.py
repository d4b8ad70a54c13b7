"""``collect --append`` keeps every comment of the file it extends, whatever the layout of its
``facts`` list: block or flow items, a flow list, the list before other keys. A layout it could
not extend with its comments kept is refused before anything is written, never rewritten
without them."""

from __future__ import annotations

import re

import pytest
from kbdoctor.collectors import fact_append
from kbdoctor.collectors.fact_append import CommentsWouldBeLost, appended
from kbdoctor.engine.factio import parse_fact_text
from kbdoctor.engine.facts import Fact
from pydantic import TypeAdapter

NEW: list[Fact] = TypeAdapter(list[Fact]).validate_python(
    [
        {"type": "exchange_server", "name": "EX02", "fqdn": "ex02.corp.example.com"},
        {"type": "spn_listing", "account": "EX02$", "spns": ["SMTP/ex02", "HOST/EX02"]},
    ]
)

LAYOUTS = {
    "flow items, facts before other keys": (
        "# A top\nkbdoctor: facts/1\nfacts:\n  # B between\n"
        "  - {type: exchange_server, name: EX09}  # C inline\n"
        "environment: {site: W}  # D env\n# E end\n"
    ),
    "block items": (
        "kbdoctor: facts/1  # F version\nfacts:\n- type: exchange_server\n  name: EX09\n"
        "  # G after the last field\nenvironment:\n  site: W  # H\n"
    ),
    "a flow list": "kbdoctor: facts/1\nfacts: [{type: exchange_server, name: EX09}]  # I\n# J\n",
    "an empty flow list": "kbdoctor: facts/1\nfacts: []  # K none yet\n",
    "a flow list over lines": (
        "kbdoctor: facts/1\nfacts: [\n  {type: exchange_server, name: EX09},  # L trailing\n]\n"
    ),
    "a block text last": (
        "kbdoctor: facts/1\nfacts:\n  - type: exchange_server\n    name: |\n      EX09\n# M tail\n"
    ),
}


def _comments(text: str) -> list[str]:
    return re.findall(r"# [A-M]\b[^\n]*", text)


@pytest.mark.parametrize("text", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_every_comment_is_kept_and_every_fact_added(text: str) -> None:
    existing = parse_fact_text(text, "facts.yaml")
    result = appended((text, existing), NEW, "yaml")
    assert _comments(result) == _comments(text)
    read = parse_fact_text(result, "facts.yaml")
    assert read.facts == [*existing.facts, *NEW]
    assert read.environment == existing.environment


def test_facts_the_file_holds_are_not_added_twice() -> None:
    text = LAYOUTS["flow items, facts before other keys"]
    once = appended((text, parse_fact_text(text, "f")), NEW, "yaml")
    twice = appended((once, parse_fact_text(once, "f")), NEW, "yaml")
    assert twice == once


def _no_way_to_extend(monkeypatch: pytest.MonkeyPatch) -> None:
    """A layout neither way can extend (none is known: every valid fact file has a list)."""
    monkeypatch.setattr(fact_append, "_append_as_text", lambda text, added: None)

    def fail(text: str, added: list[Fact]) -> str:
        raise ValueError("cannot")

    monkeypatch.setattr(fact_append, "_append_round_trip", fail)


def test_a_layout_that_cannot_keep_its_comments_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _no_way_to_extend(monkeypatch)
    text = LAYOUTS["block items"]
    with pytest.raises(CommentsWouldBeLost):
        appended((text, parse_fact_text(text, "f")), NEW, "yaml")


def test_a_file_without_comments_may_be_written_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_way_to_extend(monkeypatch)
    text = "kbdoctor: facts/1\nfacts:\n- {type: exchange_server, name: 'EX09 # not a comment'}\n"
    result = appended((text, parse_fact_text(text, "f")), NEW, "yaml")
    assert len(parse_fact_text(result, "f").facts) == 3
