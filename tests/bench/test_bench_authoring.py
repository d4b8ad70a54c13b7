"""``python bench/bench_authoring.py`` measures lint, test and docs on a generated pack and prints
each command's parts and the whole real command; its generated tests pass and its pack lints
without errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "bench_authoring.py"


def test_prints_load_check_and_test_times_of_a_generated_pack() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--rules", "40", "--tests", "6", "--on-one-type", "10"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "pack: 40 rules (10 on clock_offset), 6 tests" in out
    command = r"; command +[\d.]+ s$"
    linted = r"rules lint: load +[\d.]+ s, checks +[\d.]+ s \(0 problems, 0 errors\)"
    assert re.search(linted + command, out, re.MULTILINE)
    tested = r"rules test: load +[\d.]+ s, compile +[\d.]+ s, 6 tests +[\d.]+ s \(6 passed\)"
    assert re.search(tested + command, out, re.MULTILINE)
    documented = r"rules docs: load +[\d.]+ s, tests named +[\d.]+ s, catalogue en\+pl .*"
    assert re.search(documented + command, out, re.MULTILINE)
