"""What ``pip install .`` installs is the whole program: every package folder is listed.

pyproject.toml maps the top-level folders onto the ``kbdoctor`` namespace (engine/ is
``kbdoctor.engine``) and must then name every package explicitly; an editable install (what the
tests use) finds a forgotten one anyway, so without this test a new subpackage works in every test
and is missing from the README's first command (``No module named 'kbdoctor.engine.lint'``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_installed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    mapping: dict[str, str] = setuptools["package-dir"]
    folders = {folder: package for package, folder in mapping.items()}
    found = set()
    for folder, package in folders.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            if "__pycache__" in init.parts:
                continue
            relative = init.parent.relative_to(ROOT / folder).parts
            found.add(".".join((package, *relative)))
    assert sorted(found - set(setuptools["packages"])) == []
    assert sorted(set(setuptools["packages"]) - found) == []
