"""Where the tests of a rule pack are: in a folder ``tests/`` beside the rule files. A path given
on the command line is a test file, a folder of them, a rule file or a folder of rule files (whose
``tests/`` folder is then used).

A test folder may also keep what its tests read (a fact file for ``fact_file:``): a file whose
``kbdoctor`` key names another kind of kbdoctor file is left out, while one that cannot be read
or names no kind is kept, so that ``kbdoctor rules test`` reports it instead of skipping a broken
test. A file named on the command line is always read as a test file, whatever it says."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kbdoctor.engine.probe import list_folder, probe
from kbdoctor.engine.yamlio import load_yaml_data
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

TEST_FORMAT = "rules-test/1"
RULES_FORMAT = "rules/1"
TESTS_FOLDER = "tests"
# the other kinds of kbdoctor file, which a test folder may hold beside its tests
OTHER_FORMATS = frozenset(
    {
        RULES_FORMAT,
        "facts/1",
        "case/1",
        "report/1",
        "import-report/1",
        "suppressions/1",
        "config/1",
    }
)


def _yaml_files(folder: Path) -> list[Path]:
    entries = list_folder(folder) if probe(folder).kind == "folder" else []
    if isinstance(entries, OSError):
        return []
    return [p for p in entries if p.suffix in (".yaml", ".yml") and probe(p).kind == "file"]


def header(content: str) -> str | None:
    """The scalar under the top-level ``kbdoctor`` key, read from the parser's first events:
    nothing is built and the rest of the document is not parsed (the whole file took a quarter
    of ``rules docs`` on a pack of 1,000 rules). None when the document is not a mapping or has
    no such scalar."""
    depth = 0
    expect_key = False
    key: str | None = None
    for event in YAML(typ="safe").parse(content):
        kind = type(event)
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            if depth == 0 and kind is SequenceStartEvent:
                return None
            if depth == 1 and (expect_key or key == "kbdoctor"):
                return None  # a collection as a key, or as the value asked for
            depth += 1
            expect_key = depth == 1
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            depth -= 1
            if depth <= 0:
                return None
            expect_key = depth == 1
        elif depth == 1:  # a scalar or an alias of the top-level mapping
            value = event.value if kind is ScalarEvent else None
            if expect_key:
                key = value
            elif key == "kbdoctor":
                return value
            expect_key = not expect_key
        elif depth == 0 and kind is ScalarEvent:
            return None
    return None


def _format(path: Path) -> str | None:
    try:
        return header(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError):  # the caller reports it when it reads
        return None


def _tests_in(folder: Path) -> list[Path]:
    """The files of a test folder, less those that say they are another kind of file."""
    return [p for p in _yaml_files(folder) if _format(p) not in OTHER_FORMATS]


def find_test_files(paths: Sequence[str]) -> list[Path]:
    """The test files for the paths given, each once, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if probe(path).kind == "folder":
            own = path.name == TESTS_FOLDER or any(
                _format(p) == TEST_FORMAT for p in _yaml_files(path)
            )
            found.extend(_tests_in(path if own else path / TESTS_FOLDER))
        elif _format(path) == RULES_FORMAT:
            found.extend(_tests_in(path.parent / TESTS_FOLDER))
        else:  # named: read as a test file, so what is wrong with it is reported
            found.append(path)
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
