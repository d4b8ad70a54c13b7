"""A report cut short says so in text and Markdown, before anything else: that the diagnosis is
partial, why (time, chaining, matches, cancelled), the time budget, and every rule that did not
finish, however many (standard error abbreviates the list after 20; the report never does)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Literal

import pytest
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.factio import load_fact_files
from kbdoctor.engine.i18n import LANGS, Lang, text
from kbdoctor.engine.report import BudgetReport, Report
from kbdoctor.engine.rulebase import load_rule_base

from kbdoctor.render.markdown import render_markdown
from kbdoctor.render.text import render_text
from tests.hostile.slow_pack import write_slow_pack

ROOT = Path(__file__).resolve().parents[3]
RULES = 30  # more than the 20 that standard error lists


def _slow_pack(folder: Path) -> tuple[str, str]:
    """RULES rules of the slow pack (tests/hostile/slow_pack.py) and 200 facts they all match:
    with a budget spent before the first assertion every rule is unfinished (structurally, not
    by timing)."""
    pack, facts = write_slow_pack(folder, rules=RULES, facts=200)
    return str(pack), str(facts)


@pytest.fixture
def cut_short(tmp_path: Path) -> dict[Lang, Report]:
    pack, facts = _slow_pack(tmp_path)
    evaluator = Evaluator(load_rule_base([pack]))
    loaded = load_fact_files([facts]).facts
    return {lang: evaluator.evaluate(loaded, budget=1e-9, lang=lang) for lang in LANGS}


def _ids() -> list[str]:
    return [f"slow{n:03d}" for n in range(RULES)]


def test_the_text_report_names_the_reason_the_budget_and_every_unfinished_rule(
    cut_short: dict[Lang, Report],
) -> None:
    report = cut_short["en"]
    assert report.budget is not None
    assert sorted(report.budget.unfinished_rules) == _ids()
    lines = render_text(report).splitlines()
    start = lines.index(
        "Partial diagnosis: The time budget ran out before every rule had seen every fact: "
        "what the rules below would conclude is missing from this report."
    )
    assert start < lines.index("Diagnosis")  # read first: everything below is partial
    assert lines[start + 1] == "  Time budget: 1e-09 s"
    assert lines[start + 2] == f"  Rules that did not finish ({RULES}):"
    listed = lines[start + 3 : start + 3 + RULES]
    assert sorted(line.strip() for line in listed) == _ids()


def test_the_markdown_report_lists_them_all_too(cut_short: dict[Lang, Report]) -> None:
    rendered = render_markdown(cut_short["en"])
    assert "## Partial diagnosis" in rendered
    assert "Time budget: 1e-09 s" in rendered
    assert f"Rules that did not finish ({RULES}):" in rendered
    for rule in _ids():
        assert f"- `{rule}`\n" in rendered
    assert rendered.index("## Partial diagnosis") < rendered.index("## Diagnosis")


@pytest.mark.parametrize("lang", LANGS)
def test_in_every_language(cut_short: dict[Lang, Report], lang: Lang) -> None:
    heading = text("report.partial", lang)
    why = text("report.partial.time", lang)
    assert f"{heading}: {why}" in render_text(cut_short[lang])
    assert f"## {heading}" in render_markdown(cut_short[lang])
    assert f"**{why}**" in render_markdown(cut_short[lang])
    assert text("report.partial.rules", lang, count=RULES) in render_text(cut_short[lang])


@pytest.mark.parametrize("reason", ["chaining", "matches", "cancelled"])
def test_each_reason_has_its_own_words(
    cut_short: dict[Lang, Report], reason: Literal["chaining", "matches", "cancelled"]
) -> None:
    budget = BudgetReport(seconds=None, unfinished_rules=["slow007"], reason=reason)
    report = cut_short["pl"].model_copy(update={"budget": budget})
    rendered = render_text(report)
    assert text(f"report.partial.{reason}", "pl") in rendered
    assert text("report.partial.time", "pl") not in rendered
    assert "  Budżet czasu: brak" in rendered.splitlines()
    assert "- `slow007`" in render_markdown(report)


def test_a_complete_report_has_no_such_section(cut_short: dict[Lang, Report]) -> None:
    complete = cut_short["en"].model_copy(update={"budget": None})
    assert "Partial diagnosis" not in render_text(complete)
    assert "Partial diagnosis" not in render_markdown(complete)


def test_the_command_writes_every_rule_into_the_file_and_exits_3(tmp_path: Path) -> None:
    pack, facts = _slow_pack(tmp_path)
    output = tmp_path / "t.md"
    done = subprocess.run(
        [
            *(sys.executable, "-m", "kbdoctor", "evaluate", facts, "--rules", pack),
            *("--budget", "0.000000001", "--format", "markdown", "-o", str(output)),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 3, done.stderr
    assert ", ..." in done.stderr  # standard error abbreviates
    written = output.read_text(encoding="utf-8")
    assert all(f"- `{rule}`" in written for rule in _ids())
