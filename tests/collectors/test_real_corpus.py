"""Real outputs people pasted in public, read the way ``kbdoctor collect`` reads a file, against
the facts a person reads in them (``tests/data/importers/real/<command>/<name>.expect.yaml``; see
the README there). A fixture the readers get wrong today carries ``known_gap`` with the reason and
is an expected failure (strict: it fails loudly once a reader is fixed, so the mark is removed)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from kbdoctor.collectors.importers.base import HostHint, ReadResult
from kbdoctor.collectors.importers.registry import pick_reader
from kbdoctor.collectors.importing import fact_key
from kbdoctor.collectors.segments import CommandMaterial, split_segments
from kbdoctor.engine.facts import Fact
from ruamel.yaml import YAML

from tests.collectors.importers.fixtures import text_without_header

REAL = Path(__file__).resolve().parents[1] / "data" / "importers" / "real"
_LANGUAGES = {"en", "de", "fr", "es", "pl", "ru", "ja", "zh", "pt", "it", "nl", "cs", "tr", "ko"}


def _fixtures() -> list[Path]:
    return sorted(REAL.glob("*/*.txt"))


def _expectation(path: Path) -> dict[str, Any]:
    expect = path.with_name(path.name.removesuffix(".txt") + ".expect.yaml")
    data = YAML(typ="safe", pure=True).load(expect.read_text(encoding="utf-8"))
    assert isinstance(data, dict), expect
    return data


def import_real(path: Path, host: str | None) -> ReadResult:
    """One file through segmenting and the first reader that recognises each segment, facts
    de-duplicated the way ``collect`` does (host inference is left out: it is not reading)."""
    hint = HostHint(host, "option") if host else None
    total = ReadResult()
    seen: set[str] = set()
    for segment in split_segments(text_without_header(path)):
        material = CommandMaterial(
            str(path), b"", segment.text, segment.first_line, hint, command=segment.command
        )
        reader = pick_reader(material)
        if reader is None:
            continue
        result = reader.read(material)
        for fact in result.facts:
            if fact_key(fact) not in seen:
                seen.add(fact_key(fact))
                total.facts.append(fact)
        total.warnings.extend(result.warnings)
    return total


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _project(fact: Fact, keys: list[str]) -> str:
    data = fact.model_dump(mode="json", exclude={"provenance"})
    return json.dumps({k: data.get(k) for k in keys}, sort_keys=True, ensure_ascii=False)


def compare(facts: list[Fact], expected: list[dict[str, Any]], ignore: set[str]) -> list[str]:
    """What differs, one line each: facts expected and not read, facts read and not expected."""
    keys: dict[str, list[str]] = {}
    for entry in expected:
        for key in entry:
            if key != "type" and key not in keys.setdefault(entry["type"], []):
                keys[entry["type"]].append(key)
    problems: list[str] = []
    types = {f.type for f in facts} | set(keys)
    for kind in sorted(types - ignore):
        fields = keys.get(kind, [])
        read = Counter(_project(f, fields) for f in facts if f.type == kind)
        wanted = Counter(
            json.dumps({k: _plain(e.get(k)) for k in fields}, sort_keys=True, ensure_ascii=False)
            for e in expected
            if e["type"] == kind
        )
        problems += [f"missing {kind} {item}" for item in sorted((wanted - read).elements())]
        problems += [f"unexpected {kind} {item}" for item in sorted((read - wanted).elements())]
    return problems


def _params() -> list[Any]:
    params = []
    for path in _fixtures():
        gap = _expectation(path).get("known_gap")
        marks = [pytest.mark.xfail(strict=True, reason=str(gap))] if gap else []
        params.append(pytest.param(path, id=f"{path.parent.name}/{path.stem}", marks=marks))
    return params


@pytest.mark.parametrize("path", _params())
def test_a_person_reads_these_facts_and_so_do_the_readers(path: Path) -> None:
    expect = _expectation(path)
    result = import_real(path, expect.get("host"))
    problems = compare(result.facts, expect.get("facts") or [], set(expect.get("ignore") or []))
    assert problems == [], "\n".join(problems)


def test_every_fixture_names_its_source_and_language() -> None:
    fixtures = _fixtures()
    assert len(fixtures) >= 40
    for path in fixtures:
        first = path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
        assert first.startswith("# source: "), path
        assert len(first) > 20, path
        assert _expectation(path)["language"] in _LANGUAGES, path
        assert path.with_name(path.name.removesuffix(".txt") + ".expect.yaml").exists(), path


def test_every_expectation_file_has_its_fixture() -> None:
    for expect in REAL.glob("*/*.expect.yaml"):
        assert expect.with_name(expect.name.removesuffix(".expect.yaml") + ".txt").exists()
