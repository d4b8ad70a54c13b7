"""A diagnosis cut short by the engine's own bounds, not by a time budget (issue 10): chaining that
runs away, with no budget at all (``--budget 0``), is stopped, and the TUI says so in the command
line's words; it formatted the missing budget as seconds and fell over."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from kbdoctor.tui.app import KbdoctorApp

from bench.runaway_packs import GROWING

from .conftest import settle


@pytest.mark.parametrize(
    ("lang", "notice"),
    [
        ("en", "chaining was stopped: rules kept concluding new subjects"),
        ("pl", "łańcuchowanie zatrzymano: reguły wciąż wnioskowały nowe podmioty"),
    ],
)
async def test_chaining_stopped_without_a_budget_is_told_not_a_crash(
    make_app: Callable[..., KbdoctorApp], tmp_path: Path, lang: str, notice: str
) -> None:
    rules = tmp_path / "grow.yaml"
    rules.write_text(GROWING, encoding="utf-8")
    app = make_app(rules=[str(rules)], budget=None, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.report is not None
        assert app.report.budget is not None
        assert (app.report.budget.reason, app.report.budget.seconds) == ("chaining", None)
        messages = " ".join(n.message for n in app._notifications)
        assert notice in messages
        assert "grow" in messages  # the rule that did not finish
