"""The engine's reports do not change by accident: for every shipped example, every end-to-end
folder (as collected) and generated organisations of 10 and 100 servers, the ``report/1`` JSON in
English and Polish, with and without ``--explain``, is byte for byte the one kept in
tests/data/golden (written by ``python -m tests.support.golden`` from the engine before the speed
work of issue 14; see tests/support/golden.py)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.rulebase import load_rule_base

from tests.support.golden import VARIANTS, golden_files, load, reports

FILES = golden_files()


@pytest.fixture(scope="module")
def evaluator() -> Evaluator:
    return Evaluator(load_rule_base(None))


def test_every_kind_of_case_has_golden_reports() -> None:
    names = [path.name for path in FILES]
    for prefix in ("example-", "e2e-", "org-10-", "org-100-"):
        assert any(name.startswith(prefix) for name in names), prefix


@pytest.mark.parametrize("path", FILES, ids=[p.name.removesuffix(".json.gz") for p in FILES])
def test_reports_are_byte_identical_to_the_golden_ones(evaluator: Evaluator, path: Path) -> None:
    case, expected = load(path)
    assert sorted(expected) == sorted(v for v, _, _ in VARIANTS)
    got = reports(evaluator, case)
    for variant in expected:
        if got[variant] != expected[variant]:
            diff = difflib.unified_diff(
                expected[variant].splitlines(),
                got[variant].splitlines(),
                "golden",
                "now",
                lineterm="",
                n=2,
            )
            pytest.fail(f"{case.name} ({variant}) differs:\n" + "\n".join(list(diff)[:60]))
