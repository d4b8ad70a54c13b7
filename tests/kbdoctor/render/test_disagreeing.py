"""The text and Markdown reports warn of readings of one moment that disagree, next to the
diagnosis: the reading used and each one set aside, with the values that differ and where each
was read, and why the one used was chosen; in the reader's language. Without such readings
there is no such section."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import ClockOffset, Fact, Source
from kbdoctor.engine.i18n import Lang
from kbdoctor.engine.report import Report

from kbdoctor.render.markdown import render_markdown
from kbdoctor.render.text import render_text

from ...engine.test_disagreeing_readings import MACHINES

AT = datetime(2026, 11, 28, 9, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def evaluator() -> Evaluator:
    return Evaluator()


def _report(evaluator: Evaluator, lang: Lang, *, disagree: bool = True) -> Report:
    facts: list[Fact] = [
        *MACHINES,
        ClockOffset(
            host="EX02",
            reference="DC01",
            offset_s=12.0,
            observed_at=AT,
            provenance=Source(file="EX02/stripchart.txt", line=5, reader="w32tm_stripchart"),
        ),
        ClockOffset(
            host="DC01",
            reference="ex02",
            offset_s=-400.0 if disagree else -12.0,
            observed_at=AT,
        ),
    ]
    return evaluator.evaluate(facts, lang=lang)


def _section(rendered: str, heading: str) -> list[str]:
    lines = rendered.splitlines()
    start = lines.index(heading) + 1
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start:end]


def test_the_text_report_names_both_readings_and_the_one_used(evaluator: Evaluator) -> None:
    rendered = render_text(_report(evaluator, "en"))
    assert _section(rendered, "Readings that disagree") == [
        "  Readings of one moment say different things. The diagnosis used the one that shows "
        "more of the problem, because a cause wrongly ruled out is the one nobody checks; find "
        "out which reading is right.",
        "  - used: clock of DC01 vs ex02: -400.000 s; offset_s=-400  [no source given]",
        "    set aside: clock of EX02 vs DC01: +12.000 s; offset_s=12  "
        "[EX02/stripchart.txt:5 (w32tm_stripchart)]",
    ]
    lines = rendered.splitlines()  # next to the diagnosis, before the list of every cause
    assert lines.index("Diagnosis") < lines.index("Readings that disagree")
    assert lines.index("Readings that disagree") < lines.index("All causes")


def test_the_text_report_in_polish(evaluator: Evaluator) -> None:
    rendered = render_text(_report(evaluator, "pl"))
    assert _section(rendered, "Odczyty, które sobie przeczą") == [
        "  Odczyty tej samej chwili mówią co innego. Diagnoza użyła tego, który pokazuje więcej "
        "problemu, bo błędnie wykluczona przyczyna to ta, której nikt nie sprawdzi; ustal, który "
        "odczyt jest prawdziwy.",
        "  - użyty: zegar DC01 względem ex02: -400.000 s; offset_s=-400  [bez podanego źródła]",
        "    odłożony: zegar EX02 względem DC01: +12.000 s; offset_s=12  "
        "[EX02/stripchart.txt:5 (w32tm_stripchart)]",
    ]


def test_the_markdown_report_nests_the_reading_set_aside(evaluator: Evaluator) -> None:
    rendered = render_markdown(_report(evaluator, "en"))
    assert _section(rendered, "## Readings that disagree")[1:] == [
        "Readings of one moment say different things. The diagnosis used the one that shows "
        "more of the problem, because a cause wrongly ruled out is the one nobody checks; find "
        "out which reading is right.",
    ]
    lines = rendered.splitlines()
    start = lines.index("## Readings that disagree")
    assert lines[start + 4 : start + 7] == [
        "- used: clock of DC01 vs ex02: -400.000 s; offset_s=-400 — _no source given_",
        "  - set aside: clock of EX02 vs DC01: +12.000 s; offset_s=12 — "
        "`EX02/stripchart.txt:5 (w32tm_stripchart)`",
        "",
    ]


def test_the_markdown_report_in_polish(evaluator: Evaluator) -> None:
    rendered = render_markdown(_report(evaluator, "pl"))
    lines = rendered.splitlines()
    start = lines.index("## Odczyty, które sobie przeczą")
    assert lines[start + 4 : start + 6] == [
        "- użyty: zegar DC01 względem ex02: -400.000 s; offset_s=-400 — _bez podanego źródła_",
        "  - odłożony: zegar EX02 względem DC01: +12.000 s; offset_s=12 — "
        "`EX02/stripchart.txt:5 (w32tm_stripchart)`",
    ]


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_readings_that_agree_give_no_section(evaluator: Evaluator, lang: Lang) -> None:
    report = _report(evaluator, lang, disagree=False)
    for rendered in (render_text(report), render_markdown(report)):
        assert "Readings that disagree" not in rendered
        assert "przeczą" not in rendered
        assert "offset_s=" not in rendered
