"""Where the tests of a rule pack are: in a folder ``tests/`` beside the rule files. A path given
on the command line is a test file (its ``kbdoctor`` key says ``rules-test/1``), a folder of
them, a rule file or a folder of rule files (whose ``tests/`` folder is then used)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kbdoctor.engine.yamlio import load_yaml_data

TEST_FORMAT = "rules-test/1"
TESTS_FOLDER = "tests"


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _format(path: Path) -> Any:
    try:
        data = load_yaml_data(path.read_text(encoding="utf-8"))
    except Exception:  # unreadable or not YAML: the caller reports it when it reads the file
        return None
    return data.get("kbdoctor") if isinstance(data, dict) else None


def find_test_files(paths: Sequence[str]) -> list[Path]:
    """The test files for the paths given, each once, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            own = [p for p in _yaml_files(path) if _format(p) == TEST_FORMAT]
            found.extend(own or _yaml_files(path / TESTS_FOLDER))
        elif _format(path) == TEST_FORMAT:
            found.append(path)
        else:
            found.extend(_yaml_files(path.parent / TESTS_FOLDER))
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path, None)
    return list(unique)


def rule_expectations(rule_files: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    """Rule id -> (``file: test name``, ``fires`` or ``silent``) for every test beside these
    rule files that names the rule. Read without validation: ``kbdoctor rules test`` is where a
    broken test file is reported; lint and the rule catalogue only need to know who is tested."""
    found: dict[str, list[tuple[str, str]]] = {}
    for path in find_test_files(sorted({str(Path(f).parent) for f in rule_files})):
        try:
            data = load_yaml_data(path.read_text(encoding="utf-8"))
        except Exception:  # reported by kbdoctor rules test
            continue
        tests = data.get("tests") if isinstance(data, dict) else None
        for test in tests if isinstance(tests, list) else []:
            expect = test.get("expect") if isinstance(test, dict) else None
            if not isinstance(expect, dict):
                continue
            for key in ("fires", "silent"):
                listed = expect.get(key)
                for rule in listed if isinstance(listed, list) else []:
                    name = f"{path.name}: {test.get('name')}"
                    found.setdefault(str(rule), []).append((name, key))
    return found


def rules_with_tests(rule_files: Sequence[str]) -> frozenset[str]:
    """Ids of the rules that some test beside these rule files expects to fire."""
    expectations = rule_expectations(rule_files)
    return frozenset(
        rule for rule, named in expectations.items() if any(kind == "fires" for _, kind in named)
    )
