"""The READMEs say what the project does: the set-up commands they open with are the ones CI runs,
the sub-commands they name exist, every cause of the knowledge base is documented, and the Polish
README is the English one's twin (same commands, links both ways)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from kbdoctor.engine.yamlio import load_yaml_data

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "README.md"
POLISH = ROOT / "README.pl.md"
_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_SPAN = re.compile(r"`([^`\n]+)`")
_SUBCOMMAND = re.compile(r"(?:^|[\s/])kbdoctor ([a-z][a-z-]*)")


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _code_blocks(path: Path) -> list[str]:
    return _FENCE.findall(_text(path))


def _commands(block: str) -> list[str]:
    return [line.strip() for line in block.splitlines() if line.strip()]


def test_the_first_code_block_is_the_two_set_up_commands_ending_with_scripts_test() -> None:
    first, second = _commands(_code_blocks(ENGLISH)[0])
    assert "pip install" in first
    assert second == "scripts/test"


def test_the_polish_readme_opens_with_the_same_commands() -> None:
    assert _code_blocks(POLISH)[0] == _code_blocks(ENGLISH)[0]


def test_the_polish_readme_keeps_every_code_block_as_it_is() -> None:
    assert _code_blocks(POLISH) == _code_blocks(ENGLISH)


@pytest.mark.parametrize(("path", "other"), [(ENGLISH, "README.pl.md"), (POLISH, "README.md")])
def test_each_readme_opens_with_its_commands_then_links_to_the_other(
    path: Path, other: str
) -> None:
    text = _text(path)
    assert text.splitlines()[0].startswith("# ")
    first_block_end = text.index("```", text.index("```") + 3) + 3
    after = [line for line in text[first_block_end:].splitlines() if line.strip()]
    assert f"]({other})" in after[0]


def test_ci_runs_the_readme_test_command() -> None:
    lines = [line.strip() for line in _text(ROOT / ".ci" / "run").splitlines()]
    runs = [
        line
        for line in lines
        if line and not line.startswith("#") and "scripts/test" in shlex.split(line)
    ]
    assert runs, ".ci/run does not run scripts/test"


def _named_subcommands(path: Path) -> set[str]:
    text = _text(path)
    code = [*_code_blocks(path), *_SPAN.findall(_FENCE.sub("", text))]
    return {match for piece in code for match in _SUBCOMMAND.findall(piece)}


def _help_subcommands() -> set[str]:
    shown = subprocess.run(
        [sys.executable, "-m", "kbdoctor", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"LANG": "C"},
    ).stdout
    listing = shown.split("COMMAND\n", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r"^ {4}([a-z][a-z-]*)\s", listing, re.MULTILINE))


def test_every_subcommand_the_readme_names_is_in_kbdoctor_help() -> None:
    named = _named_subcommands(ENGLISH)
    assert {"evaluate", "collect", "tui"} <= named
    assert named - _help_subcommands() == set()


def _knowledge_base() -> list[dict[str, Any]]:
    return [load_yaml_data(_text(path)) for path in sorted((ROOT / "kb_rules").glob("*.yaml"))]


def _cause_ids() -> set[str]:
    """Causes the rule files define and causes their rules conclude (a typo in either shows)."""
    ids: set[str] = set()
    for data in _knowledge_base():
        ids.update(data.get("causes") or {})
        for rule in data.get("rules") or []:
            cause = (rule.get("conclude") or {}).get("cause")
            if isinstance(cause, str):
                ids.add(cause)
    return ids


@pytest.mark.parametrize("path", [ENGLISH, POLISH], ids=["en", "pl"])
def test_every_cause_of_the_knowledge_base_is_in_the_readme(path: Path) -> None:
    ids = _cause_ids()
    assert {"time_sync", "ad_replication", "connector_auth"} <= ids
    documented = set(_SPAN.findall(_text(path)))
    assert ids - documented == set()


@pytest.mark.parametrize("path", [ENGLISH, POLISH], ids=["en", "pl"])
def test_every_recommendation_of_the_knowledge_base_is_in_the_readme(path: Path) -> None:
    ids = {key for data in _knowledge_base() for key in data.get("recommendations") or {}}
    assert "enable_kerberos_logging" in ids
    assert ids - set(_SPAN.findall(_text(path))) == set()
