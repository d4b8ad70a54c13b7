"""A fact a person disabled in a what-if is kept in its file, and never evaluated."""

from __future__ import annotations

from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import ClockOffset, Source, WhatIf, is_disabled
from kbdoctor.engine.rulebase import load_rule_base

SKEW = ClockOffset(host="EX01", reference="DC01", offset_s=600.0)


def test_a_disabled_fact_concludes_nothing() -> None:
    evaluator = Evaluator(load_rule_base(None))
    marked = Source(file="w32tm.txt", line=3, what_if=WhatIf(status="disabled", by="anna"))
    disabled = SKEW.model_copy(update={"provenance": marked})
    assert is_disabled(disabled)
    seen = evaluator.evaluate([SKEW], lang="en")
    hidden = evaluator.evaluate([disabled], lang="en")
    clock = next(c for c in seen.causes if c.cause == "time_sync")
    assert clock.status != "not_assessed"
    assert next(c for c in hidden.causes if c.cause == "time_sync").status == "not_assessed"


def test_an_edited_fact_is_evaluated_with_its_new_value() -> None:
    marked = Source(what_if=WhatIf(status="edited", by="anna"))
    assert not is_disabled(SKEW.model_copy(update={"provenance": marked}))
