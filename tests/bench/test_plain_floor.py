"""The plain-Python floor of bench/bench_speed.py does the same work as the engine: on every
generated organisation kept in tests/data/golden it names exactly the subjects the engine's
report diagnoses, cause by cause (so it cannot get cheaper by doing less)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.plain_floor import diagnose
from tests.support.golden import golden_files, load

ORGANISATIONS = [p for p in golden_files() if p.name.startswith("org-")]


@pytest.mark.parametrize("path", ORGANISATIONS, ids=[p.name[:-8] for p in ORGANISATIONS])
def test_the_floor_names_the_subjects_the_engine_diagnoses(path: Path) -> None:
    case, reports = load(path)
    report = json.loads(reports["en"])
    engine = {
        d["cause"]: sorted(s["subject"] for s in d["subjects"] if s["confidence"] >= 0.5)
        for d in report["diagnoses"]
    }
    assert len(engine) == 6
    assert diagnose(json.loads(case.facts)) == engine
