"""The READMEs' authoring section is a worked example that runs: its YAML blocks, written where it
says they live (an organisation's pack and the tests beside it, a configuration file, a
suppressions file), pass ``kbdoctor rules lint --strict`` and ``kbdoctor rules test``, the pack as
given and as the configuration loads it after the shipped pack."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]  # no stubs shipped
import pytest
from kbdoctor.engine import rule_schemas
from kbdoctor.engine.yamlio import load_yaml_data

ROOT = Path(__file__).resolve().parent.parent
HEADINGS = {ROOT / "README.md": "### Writing rules: ", ROOT / "README.pl.md": "### Pisanie reguł: "}
_YAML = re.compile(r"^```yaml\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
# where each kind of file of the example lives, relative to the folder it is written into
PLACES = {
    "rules/1": "contoso/contoso.yaml",
    "rules-test/1": "contoso/tests/contoso.yaml",
    "config/1": "config.yaml",
    "suppressions/1": "accepted.yaml",
}


def section_blocks(readme: Path) -> dict[str, str]:
    """The YAML blocks of the authoring section, by the format their ``kbdoctor`` key names."""
    text = readme.read_text(encoding="utf-8")
    start = text.index(HEADINGS[readme])
    end = text.index("\n## ", start)
    blocks: dict[str, str] = {}
    for block in _YAML.findall(text[start:end]):
        data = load_yaml_data(block)
        assert isinstance(data, dict), block
        blocks[str(data["kbdoctor"])] = block
    return blocks


def kbdoctor(*args: str, config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kbdoctor", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=config.parent,
        env={"LANG": "C", "PATH": "/usr/bin", "KBDOCTOR_CONFIG": str(config)},
    )


@pytest.mark.parametrize("readme", sorted(HEADINGS), ids=["en", "pl"])
def test_the_authoring_section_is_a_pack_that_lints_and_passes_its_tests(
    readme: Path, tmp_path: Path
) -> None:
    blocks = section_blocks(readme)
    assert set(blocks) == set(PLACES)
    for kind, place in PLACES.items():
        target = tmp_path / place
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(blocks[kind], encoding="utf-8")
    config = tmp_path / "config.yaml"
    for args in (
        ("rules", "lint", "--strict", "contoso/"),
        ("rules", "test", "contoso/"),
        ("rules", "lint", "--strict"),  # the shipped pack, the configured one, the suppressions
    ):
        done = kbdoctor(*args, config=config)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    # and the editor's schemas, which the comment lines of the blocks name, accept them
    jsonschema.validate(load_yaml_data(blocks["rules/1"]), rule_schemas.rules_json_schema())
    jsonschema.validate(load_yaml_data(blocks["rules-test/1"]), rule_schemas.tests_json_schema())
    linted = kbdoctor("rules", "lint", "--strict", config=config).stdout
    assert linted.strip().endswith("3 files: 0 errors, 0 warnings")
    tested = kbdoctor("rules", "test", "contoso/", config=config).stdout
    assert tested.strip().endswith("3 passed, 0 failed, 0 known gaps")
