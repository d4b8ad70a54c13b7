"""``python bench/generate.py`` writes the organisation it was asked for, and says so."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kbdoctor.engine.factio import parse_fact_text

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "generate.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          timeout=60, check=False)


def test_writes_a_fact_file_that_the_engine_reads(tmp_path: Path) -> None:
    target = tmp_path / "org.json"
    done = run("5", "-o", str(target))
    assert done.returncode == 0, done.stderr
    parsed = parse_fact_text(target.read_text(encoding="utf-8"), str(target))
    servers = {f.name for f in parsed.facts if f.type == "exchange_server"}
    assert len(servers) == 5
    assert done.stderr.strip() == f"wrote {target}: {len(parsed.facts)} facts, 5 servers"


def test_without_output_prints_the_file_on_standard_output() -> None:
    done = run("2", "--seed", "7")
    assert done.returncode == 0
    assert json.loads(done.stdout)["kbdoctor"] == "facts/1"
    assert "2 servers" in done.stderr


def test_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    assert run("0").returncode == 2
    missing = tmp_path / "no" / "org.json"
    done = run("2", "-o", str(missing))
    assert done.returncode == 2
    assert "cannot write" in done.stderr
    assert not missing.exists()
