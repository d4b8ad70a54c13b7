"""The layering the README promises holds, and breaking it fails the build.

``scripts/layering`` checks the contracts of ``.importlinter`` with import-linter; here it is run
on this repository (every contract kept) and on copies broken one way each (that contract
broken), so the check itself is shown to bite.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "layering"


def check(root: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ROOT=str(root), PYTHON=sys.executable)
    return subprocess.run([str(SCRIPT)], capture_output=True, text=True, env=env, timeout=300,
                          check=False)


def test_this_repository_keeps_every_contract() -> None:
    done = check(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
    for contract in ("The engine imports neither", "Only engine/durable_backend.py"):
        assert verdict(done.stdout, contract) == "KEPT"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("kbdoctor", "engine", "collectors", "tui"):
        shutil.copytree(REPO / folder, tmp_path / folder, ignore=ignore)
    shutil.copy(REPO / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("engine/_probe.py", "import kbdoctor.collectors.importing", "The engine imports neither"),
        ("engine/_probe.py", "import kbdoctor.tui.app", "The engine imports neither"),
        ("collectors/_probe.py", "import kbdoctor.tui.app", "The collectors import neither"),
        (
            "collectors/_probe.py",
            "import kbdoctor.collect_command",
            "The collectors import neither",
        ),
        ("kbdoctor/render/_probe.py", "import textual.app", "never imports textual"),
        ("engine/_probe.py", "import durable.lang", "Only engine/durable_backend.py"),
        ("kbdoctor/_probe.py", "import textual", "The command line imports textual only"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    copy: Path, module: str, line: str, contract: str
) -> None:
    (copy / module).write_text(f'"""A deliberate breach."""\n\n{line}\n', encoding="utf-8")
    if module == "kbdoctor/_probe.py":
        # the command-line contract is about kbdoctor.cli itself
        cli = copy / "kbdoctor" / "cli.py"
        cli.write_text(cli.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    done = check(copy)
    assert done.returncode != 0
    assert verdict(done.stdout, contract) == "BROKEN", done.stdout


def verdict(output: str, contract: str) -> str:
    """KEPT or BROKEN: the first verdict after the contract's name in import-linter's summary
    (which wraps long names over lines)."""
    flat = " ".join(output.split())
    match = re.search(re.escape(contract) + r".*?(KEPT|BROKEN)", flat)
    assert match is not None, output
    return match.group(1)
