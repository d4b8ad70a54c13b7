"""Facts about one entity from several files merge into one entity, so evidence is never counted
twice (issue 10, item 6), from the command line: the demo incident given with a copy of itself
whose host names are in lower case (two collections of one organisation) gives exactly the
demo's confidences. Before, time_sync 0.90 became 0.99 and spn_missing 0.988 became 0.9964.
tests/engine/test_normalize.py holds the engine to it for many more spellings.

Each run needs under a CPU second and about 110 MiB of address space; it gets 20 s and 512 MiB."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from kbdoctor.engine.factio import dump_fact_file, load_fact_files
from kbdoctor.engine.facts import Fact, FactFile, FieldKind, field_kind

from tests.hostile.bounded import ROOT, kbdoctor

DEMO = ROOT / "examples" / "demo-incident.yaml"
CPU_SECONDS = 20
MEMORY_BYTES = 512 * 1024 * 1024


def _lower_cased(fact: Fact) -> Fact:
    """``fact`` with every host name it holds in lower case."""
    update: dict[str, Any] = {}
    for name in type(fact).model_fields:
        if field_kind(fact.type, name) is not FieldKind.HOST:
            continue
        value = getattr(fact, name)
        if isinstance(value, str):
            update[name] = value.lower()
        elif isinstance(value, list):
            update[name] = [v.lower() for v in value]
    return fact.model_copy(update=update)


def _confidences(*files: Path) -> dict[str, tuple[str, float, list[float]]]:
    result = kbdoctor(
        "evaluate", *map(str, files), "--format", "json", memory=MEMORY_BYTES, cpu=CPU_SECONDS
    )
    assert result.returncode == 1, result.stderr[-2000:]
    return {
        cause["cause"]: (
            cause["status"],
            cause["confidence"],
            sorted(subject["confidence"] for subject in cause["subjects"]),
        )
        for cause in json.loads(result.stdout)["causes"]
    }


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    facts = load_fact_files([str(DEMO)]).facts
    lowered = FactFile(kbdoctor="facts/1", facts=[_lower_cased(f) for f in facts])
    path = tmp_path_factory.mktemp("copy") / "demo-lower-case.json"
    path.write_text(dump_fact_file(lowered, "json"), encoding="utf-8")
    return path


def test_the_copy_differs_from_the_demo_in_its_host_names_only(copy: Path) -> None:
    demo = load_fact_files([str(DEMO)]).facts
    lowered = load_fact_files([str(copy)]).facts
    assert [_lower_cased(f) for f in demo] == lowered
    assert sum(a != b for a, b in zip(demo, lowered, strict=True)) > len(demo) // 2


@pytest.fixture(scope="module")
def alone() -> dict[str, tuple[str, float, list[float]]]:
    confidences = _confidences(DEMO)
    assert (confidences["time_sync"][:2], confidences["spn_missing"][:2]) == (
        ("diagnosed", 0.9),
        ("diagnosed", 0.988),
    )
    return confidences


@pytest.mark.parametrize("copy_first", [False, True], ids=["demo-then-copy", "copy-then-demo"])
def test_the_demo_and_its_lower_cased_copy_give_the_demo_s_confidences(
    copy: Path, alone: dict[str, tuple[str, float, list[float]]], copy_first: bool
) -> None:
    both = _confidences(copy, DEMO) if copy_first else _confidences(DEMO, copy)
    assert both == alone
