"""kbdoctor keeps no cache of rule files: every run reads the rule files themselves. Nothing
planted where a cache would be (an old pickle, a well-formed entry named by the right hash with
another certainty factor) is read, run or trusted, and a run writes nothing there."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

import pytest
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.rule_files import bundled_rule_files
from kbdoctor.engine.rulebase import parse_rule_texts

from tests.hostile.bounded import kbdoctor

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-incident.yaml"


class _Planted:
    """Unpickling this writes a file: the proof that a cache entry was executed."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def _bundled() -> list[tuple[str, str]]:
    return [(name, Path(name).read_text(encoding="utf-8")) for name in bundled_rule_files()]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _plant(folder: Path, marker: Path) -> None:
    """Every entry the caches of earlier versions read, for the shipped rule files: pickles
    (code), and the JSON entry of the last version, well formed, with the right hash, and every
    rule's certainty factor changed."""
    folder.mkdir(parents=True)
    payload = pickle.dumps(_Planted(marker))
    for _, text in _bundled():
        for version in ("rules/1:2", "rules/1:3"):
            name = hashlib.sha256(f"{version}\0{text}".encode()).hexdigest()
            (folder / f"{name}.pickle").write_bytes(payload)
        pack = {
            "kbdoctor": "rules/1",
            "rules": [{"id": "x", "conclude": {"cf": 0.01}}],
        }
        entry = {"format": "kbdoctor-rule-cache/4", "sha256": _digest(text), "pack": pack}
        (folder / f"{_digest(text)}.json").write_text(json.dumps(entry), encoding="utf-8")


def test_reading_rules_writes_nothing_to_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert parse_rule_texts(_bundled(), Limits()).rules
    assert not (tmp_path / "cache").exists()
    assert not (tmp_path / "home").exists()


def test_a_planted_cache_changes_nothing_and_runs_nothing(tmp_path: Path) -> None:
    """The same report, byte for byte, with and without the planted entries; the pickles never
    ran (the last cache ignored them; before it, loading one ran it)."""
    marker = tmp_path / "executed"
    planted = tmp_path / "planted"
    _plant(planted / "kbdoctor" / "rules", marker)
    clean = kbdoctor(
        "evaluate", str(DEMO), "--format", "json", env={"XDG_CACHE_HOME": "/nonexistent"}
    )
    assert clean.returncode == 1, clean.stderr
    with_planted = kbdoctor(
        "evaluate", str(DEMO), "--format", "json", env={"XDG_CACHE_HOME": str(planted)}
    )
    assert with_planted.returncode == 1, with_planted.stderr
    assert with_planted.stdout == clean.stdout
    assert not marker.exists()
    assert json.loads(clean.stdout)["diagnoses"]  # the pack's own certainty factors
