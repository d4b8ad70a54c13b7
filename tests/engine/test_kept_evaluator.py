"""An evaluator kept between evaluations (the TUI keeps one, and a what-if edit evaluates again)
answers exactly as a new one would: what it keeps from one evaluation to the next (fact views,
what each firing is about) never shows through, whichever fact changes, even one that changes
how hosts are named."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import FACT_FILE_ADAPTER, Fact
from kbdoctor.engine.rulebase import load_rule_base

from bench.generate import generate_organisation

Edit = Callable[[list[dict[str, Any]]], None]


def _first(facts: list[dict[str, Any]], fact_type: str) -> dict[str, Any]:
    return next(f for f in facts if f["type"] == fact_type)


def _skew(facts: list[dict[str, Any]]) -> None:
    _first(facts, "clock_offset")["offset_s"] = 900.0


def _rename_server(facts: list[dict[str, Any]]) -> None:
    """A new FQDN for an Exchange server: host keys and roles are worked out anew."""
    server = _first(facts, "exchange_server")
    server["fqdn"] = "renamed." + str(server.get("fqdn") or "corp.example.com").split(".", 1)[-1]


def _drop_dc(facts: list[dict[str, Any]]) -> None:
    facts.remove(_first(facts, "domain_controller"))


def _nothing(facts: list[dict[str, Any]]) -> None:
    pass


def _facts(data: dict[str, Any]) -> list[Fact]:
    return list(FACT_FILE_ADAPTER.validate_python(data).facts)


@pytest.fixture(scope="module")
def organisation() -> dict[str, Any]:
    return generate_organisation(12)


@pytest.mark.parametrize("explain", [False, True])
def test_a_kept_evaluator_answers_every_edit_as_a_new_one(
    organisation: dict[str, Any], explain: bool
) -> None:
    base = load_rule_base(None)
    kept = Evaluator(base)
    edits: list[Edit] = [_nothing, _skew, _rename_server, _nothing, _drop_dc, _skew]
    for step, edit in enumerate(edits):
        data = {**organisation, "facts": [dict(f) for f in organisation["facts"]]}
        edit(data["facts"])
        facts = _facts(data)
        again = kept.evaluate(facts, lang="en", explain=explain).to_json()
        fresh = Evaluator(base).evaluate(facts, lang="en", explain=explain).to_json()
        assert again == fresh, f"step {step}: {edit.__name__}"


def test_the_edits_change_the_diagnosis(organisation: dict[str, Any]) -> None:
    """The sequence above means something: each edit changes the report."""
    evaluator = Evaluator(load_rule_base(None))
    seen = set()
    for edit in (_nothing, _skew, _rename_server, _drop_dc):
        data = {**organisation, "facts": [dict(f) for f in organisation["facts"]]}
        edit(data["facts"])
        seen.add(evaluator.evaluate(_facts(data), lang="en").to_json())
    assert len(seen) == 4
