"""Reports for the renderers' tests: the shipped pack alone, and with an organisation's pack that
changes a shipped rule's certainty factor (so a cause is only possible, its cf set by the
organisation) and adds a finding of its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.factio import load_fact_files
from kbdoctor.engine.i18n import Lang
from kbdoctor.engine.report import Report
from kbdoctor.engine.rulebase import load_rule_base

ROOT = Path(__file__).resolve().parents[3]
TIME_SYNC = str(ROOT / "examples" / "cause-time-sync.yaml")

CONTOSO = """\
kbdoctor: rules/1
pack: contoso
extends: [kb979174]
overrides:
  time.skew.between-parties: {cf: 0.3}
findings:
  long_skew:
    title: {en: Long skew, pl: Duży rozjazd}
rules:
  - id: contoso.long-skew
    title: {en: Long skew, pl: Duży rozjazd}
    when:
      - bind: off
        fact: clock_offset
        where: {offset_s: {abs_gt: 300}}
    conclude: {finding: long_skew, cf: 0.5, subject: "{off.host}"}
    explain: {en: "{off.host} is far off", pl: "{off.host} jest daleko"}
"""

MakeReport = Callable[..., Report]


@pytest.fixture
def make_report(tmp_path: Path) -> MakeReport:
    """``make_report(packs=True, explain=True)``: the time-sync example's report."""

    def make(*, packs: bool, explain: bool, lang: Lang = "en") -> Report:
        rules = None
        if packs:
            (tmp_path / "contoso.yaml").write_text(CONTOSO, encoding="utf-8")
            rules = [str(tmp_path / "contoso.yaml")]
        facts = load_fact_files([TIME_SYNC]).facts
        evaluator = Evaluator(load_rule_base(rules))
        return evaluator.evaluate(facts, explain=explain, lang=lang)

    return make
