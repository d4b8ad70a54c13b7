"""The compiled-rule cache in the user's cache folder is data checked against the rule file's hash,
never code: whatever is planted there is ignored and replaced, never executed."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

import pytest
from kbdoctor.engine import rule_cache
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.rule_files import bundled_rule_files
from kbdoctor.engine.rulebase import parse_rule_texts

from tests.hostile.bounded import kbdoctor


class _Planted:
    """Unpickling this writes a file: the proof that a cache entry was executed."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("KBDOCTOR_NO_CACHE", raising=False)
    return tmp_path / "cache" / "kbdoctor" / "rules"


def _bundled() -> list[tuple[str, str]]:
    return [(name, Path(name).read_text(encoding="utf-8")) for name in bundled_rule_files()]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_cache_holds_json_named_by_the_rule_files_hash(cache_home: Path) -> None:
    texts = _bundled()
    parse_rule_texts(texts, Limits())
    entries = sorted(cache_home.iterdir())
    assert [p.name for p in entries] == sorted(f"{_digest(t)}.json" for _, t in texts)
    entry = json.loads(entries[0].read_text(encoding="utf-8"))
    assert entry["format"] == "kbdoctor-rule-cache/4"
    assert entry["sha256"] == entries[0].stem
    assert entry["pack"]["kbdoctor"] == "rules/1"  # a rule file's data, nothing that builds


def test_a_rule_base_read_back_from_the_cache_is_the_one_parsed(cache_home: Path) -> None:
    texts = _bundled()
    parsed = parse_rule_texts(texts, Limits())
    cached = parse_rule_texts(texts, Limits())
    assert cached.rules == parsed.rules
    assert [r.model_fields_set for r in cached.rules] == [r.model_fields_set for r in parsed.rules]
    for rule in cached.rules:
        for condition in rule.when:
            where = getattr(condition, "where", None) or condition.absent.where  # type: ignore[union-attr]
            for test in where.tests.values():
                assert len(test.model_fields_set) == 1


def test_a_planted_pickle_is_never_executed(cache_home: Path, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    payload = pickle.dumps(_Planted(marker))
    cache_home.mkdir(parents=True)
    texts = _bundled()
    for _, text in texts:
        for version in ("rules/1:2", "rules/1:3"):  # the names the pickle cache used
            name = hashlib.sha256(f"{version}\0{text}".encode()).hexdigest()
            (cache_home / f"{name}.pickle").write_bytes(payload)
        (cache_home / f"{_digest(text)}.json").write_bytes(payload)
    base = parse_rule_texts(texts, Limits())
    assert base.rules
    assert not marker.exists()


@pytest.mark.parametrize(
    "planted",
    [
        "not json at all {",
        '{"format": "kbdoctor-rule-cache/4", "sha256": "0", "pack": %p}',
        '{"format": "pickle", "sha256": "%s", "pack": %p}',
        "[" * 100000,
        '{"format": "kbdoctor-rule-cache/4", "sha256": "%s",'
        ' "pack": {"__model": "system", "command": "touch /tmp/x"}}',
        '{"format": "kbdoctor-rule-cache/4", "sha256": "%s",'
        ' "pack": {"__model": "RulePackModel", "__class__": "x"}}',
        '{"format": "kbdoctor-rule-cache/3", "sha256": "%s", "models": "old", "model": {}}',
    ],
    ids=[
        "damaged",
        "other-hash",
        "other-format",
        "deep",
        "not-a-rule-model",
        "not-a-field",
        "older-format",
    ],
)
def test_a_damaged_or_foreign_cache_entry_is_ignored_and_rebuilt(
    cache_home: Path, planted: str
) -> None:
    texts = _bundled()
    expected = parse_rule_texts(texts, Limits())
    for _, text in texts:
        path = cache_home / f"{_digest(text)}.json"
        pack = json.dumps(rule_cache.source_data(expected.packs[0].model))
        path.write_text(planted.replace("%s", _digest(text)).replace("%p", pack), encoding="utf-8")
    again = parse_rule_texts(texts, Limits())
    assert [r.id for r in again.rules] == [r.id for r in expected.rules]
    for _, text in texts:
        entry = json.loads((cache_home / f"{_digest(text)}.json").read_text(encoding="utf-8"))
        assert entry["sha256"] == _digest(text)


@pytest.mark.parametrize(
    ("where", "planted"),
    [
        (("cf",), 7),  # beyond the certainty factors' range
        (("cf",), True),  # a boolean, not a number
        (("explain", "pl"), ""),  # an empty text
        (("title", "xx"), "a field no rule has"),
    ],
    ids=["cf-out-of-range", "cf-boolean", "empty-text", "unknown-field"],
)
def test_an_entry_for_the_right_text_that_the_models_refuse_is_never_used(
    cache_home: Path, where: tuple[str, ...], planted: object
) -> None:
    """The entry names the right hash and holds the real pack but for one value no rule file
    may hold: it is validated on load like a rule file, refused, and rebuilt from the text."""
    texts = _bundled()
    expected = parse_rule_texts(texts, Limits())
    for pack in expected.packs:
        data = rule_cache.source_data(pack.model)
        node = data["rules"][0]["conclude"] if where == ("cf",) else data["rules"][0]
        for key in where[:-1]:
            node = node[key]
        node[where[-1]] = planted
        entry = {"format": "kbdoctor-rule-cache/4", "sha256": pack.sha256, "pack": data}
        (cache_home / f"{pack.sha256}.json").write_text(json.dumps(entry), encoding="utf-8")
    again = parse_rule_texts(texts, Limits())
    assert again.rules == expected.rules
    for pack in expected.packs:
        entry = json.loads((cache_home / f"{pack.sha256}.json").read_text(encoding="utf-8"))
        assert entry["pack"] == rule_cache.source_data(pack.model)  # replaced by the real one


def test_evaluate_never_runs_a_planted_cache(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    folder = tmp_path / "cache" / "kbdoctor" / "rules"
    folder.mkdir(parents=True)
    payload = pickle.dumps(_Planted(marker))
    for _, text in _bundled():
        for version in ("rules/1:2", "rules/1:3"):
            name = hashlib.sha256(f"{version}\0{text}".encode()).hexdigest()
            (folder / f"{name}.pickle").write_bytes(payload)
        (folder / f"{_digest(text)}.json").write_bytes(payload)
    facts = tmp_path / "f.yaml"
    facts.write_text("kbdoctor: facts/1\nfacts: []\n", encoding="utf-8")
    result = kbdoctor(
        "evaluate",
        str(facts),
        env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "KBDOCTOR_NO_CACHE": ""},
    )
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
