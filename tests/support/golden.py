"""Golden reports: what the engine said, byte for byte, before work that must not change it.

Each golden file ``tests/data/golden/<case>.json.gz`` holds one fact file (as text, so that the
case does not depend on the collectors or on bench/generate.py staying as they are) and the
``report/1`` JSON the engine gave for it in English and Polish, with and without ``--explain``.
The cases: every shipped example, the fact file ``kbdoctor collect --import`` makes of every
folder of tests/data/e2e, and organisations of 10 and 100 servers from bench/generate.py with a
few seeds. tests/engine/test_golden_reports.py compares the engine with them.

Regenerate the reports (only when a change of behaviour is intended, and say so in the commit);
the fact files stored in the golden files are kept unless ``--refresh-facts`` makes them again
(that runs the collectors and the generator, which must then work)::

    .venv/bin/python -m tests.support.golden [--refresh-facts]
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kbdoctor.engine.evaluate import Evaluator
    from kbdoctor.engine.i18n import Lang

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden"
E2E = ROOT / "tests" / "data" / "e2e"
GENERATED = ((10, 0), (10, 1), (10, 2), (100, 0), (100, 1))  # servers, seed
VARIANTS: tuple[tuple[str, Lang, bool], ...] = (
    ("en", "en", False),
    ("en-explain", "en", True),
    ("pl", "pl", False),
    ("pl-explain", "pl", True),
)
E2E_HOSTS = {"kerberos_ports_blocked": "EX02"}  # as tests/test_end_to_end.py collects them


@dataclass(frozen=True)
class Case:
    name: str
    facts: str  # the fact file's text
    file_name: str  # the name it is read under (it appears in the report's inputs)


def reports(evaluator: Evaluator, case: Case) -> dict[str, str]:
    """The case's report in every variant, as ``kbdoctor evaluate --format json`` writes it
    (no time budget, so that a slow machine cannot cut a report short)."""
    from kbdoctor.engine.factio import parse_fact_text

    facts = parse_fact_text(case.facts, case.file_name)
    out = {}
    for variant, lang, explain in VARIANTS:
        report = evaluator.evaluate(
            facts.facts,
            lang=lang,
            explain=explain,
            files=[case.file_name],
            environment=facts.environment,
        )
        out[variant] = str(report.to_json())
    return out


def load(path: Path) -> tuple[Case, dict[str, str]]:
    data = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    case = Case(data["name"], data["facts"], data["file_name"])
    return case, data["reports"]


def golden_files() -> list[Path]:
    return sorted(GOLDEN.glob("*.json.gz"))


# --- making them -------------------------------------------------------------------------------


def stored_cases() -> Iterator[Case]:
    for path in golden_files():
        yield load(path)[0]


def fresh_cases() -> Iterator[Case]:
    """The cases, their fact files made now from the examples, e2e folders and generator."""
    for example in sorted(files("kbdoctor.examples").iterdir(), key=lambda p: p.name):
        if example.name.endswith(".yaml"):
            yield Case(f"example-{example.name[:-5]}", example.read_text("utf-8"), example.name)
    for folder in sorted(p for p in E2E.iterdir() if p.is_dir()):
        yield Case(f"e2e-{folder.name}", _collected(folder), f"{folder.name}.yaml")
    sys.path.insert(0, str(ROOT))
    from bench.generate import generate_organisation

    for servers, seed in GENERATED:
        text = json.dumps(generate_organisation(servers, seed), indent=1)
        yield Case(f"org-{servers}-seed{seed}", text, f"org-{servers}-seed{seed}.json")


def _collected(folder: Path) -> str:
    """``kbdoctor collect --import FOLDER`` in a subprocess, as a user runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update(LANG="C.UTF-8", PYTHONIOENCODING="utf-8", KBDOCTOR_CONFIG=os.devnull + ".none")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "facts.yaml"
        args = [sys.executable, "-m", "kbdoctor", "collect", "--import", str(folder)]
        if folder.name in E2E_HOSTS:
            args += ["--host", E2E_HOSTS[folder.name]]
        subprocess.run([*args, "-o", str(out)], env=env, check=True, capture_output=True)
        return out.read_text("utf-8")


def write_all(refresh_facts: bool) -> list[Path]:
    """Every golden file, written only once every case has been evaluated."""
    from kbdoctor.engine.evaluate import Evaluator
    from kbdoctor.engine.rulebase import load_rule_base

    os.environ["KBDOCTOR_CONFIG"] = os.devnull + ".none"  # the shipped rules only
    evaluator = Evaluator(load_rule_base(None))
    cases = list(fresh_cases() if refresh_facts or not golden_files() else stored_cases())
    made = {}
    for case in cases:
        data = {
            "name": case.name,
            "file_name": case.file_name,
            "facts": case.facts,
            "reports": reports(evaluator, case),
        }
        raw = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
        made[GOLDEN / f"{case.name}.json.gz"] = gzip.compress(raw, compresslevel=9, mtime=0)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for old in golden_files():
        if old not in made:
            old.unlink()
    for path, content in made.items():
        path.write_bytes(content)
    return list(made)


if __name__ == "__main__":
    for written in write_all("--refresh-facts" in sys.argv[1:]):
        print(f"{written.relative_to(ROOT)}  {written.stat().st_size:,} bytes")
