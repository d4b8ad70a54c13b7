"""The JSON Schemas shipped in kb_rules/schemas, which the first line of every shipped rule and
test file names for the YAML language server, are exactly what ``kbdoctor rules schema`` prints
today: a change to the models or the facts that is not written out again fails here, with the
command that writes it. And the line of every shipped file names a schema that is there and that
the file satisfies."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs shipped
import pytest
from kbdoctor.engine.yamlio import load_yaml_data

KB = Path(__file__).resolve().parents[2] / "kb_rules"
SCHEMAS = KB / "schemas"
SHIPPED = {"rules": SCHEMAS / "rules.schema.json", "tests": SCHEMAS / "rules-test.schema.json"}
SCHEMA_LINE = re.compile(r"# yaml-language-server: \$schema=(\S+)\n")
FILES = [
    *sorted(KB.glob("*.yaml")),
    *sorted((KB / "tests").glob("*.yaml")),
]


def _printed(which: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "kbdoctor", "rules", "schema", which],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("which", sorted(SHIPPED))
def test_the_shipped_schema_is_what_kbdoctor_rules_schema_prints(which: str) -> None:
    shipped = SHIPPED[which]
    assert shipped.read_text(encoding="utf-8") == _printed(which), (
        f"{shipped.relative_to(KB.parent)} is stale: write it again with "
        f"kbdoctor rules schema {which} > {shipped.relative_to(KB.parent)}"
    )


def _schema_of(path: Path) -> Path:
    """The schema the file's first line names, resolved as the language server resolves it."""
    found = SCHEMA_LINE.match(path.read_text(encoding="utf-8"))
    assert found, f"{path.name}: the first line does not name a schema"
    return (path.parent / found.group(1)).resolve()


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(KB)))
def test_every_shipped_file_names_a_shipped_schema_it_satisfies(path: Path) -> None:
    schema_path = _schema_of(path)
    assert schema_path.is_file(), f"{path.name} names {schema_path}, which does not exist"
    kind = "tests" if path.parent.name == "tests" else "rules"
    assert schema_path == SHIPPED[kind].resolve()
    schema: dict[str, Any] = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.validate(load_yaml_data(path.read_text(encoding="utf-8")), schema)
