"""Settings every test shares."""

from __future__ import annotations

from pathlib import Path

import pytest

# The fuzz marker and --fuzz: fuzzing runs once, bounded (tests/hostile/test_fuzzing.py)
from tests.hostile.fuzz_selection import (  # noqa: F401  (hooks pytest finds in this module)
    pytest_addoption,
    pytest_collection_modifyitems,
    pytest_configure,
)


@pytest.fixture(autouse=True)
def _no_user_configuration(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The configuration file of whoever runs the tests (their organisation's packs and
    suppressions) must not change what the tests see: it points at a file that does not exist.
    Tests of the configuration point it elsewhere."""
    missing = Path(tmp_path_factory.getbasetemp()) / "no-kbdoctor-config.yaml"
    monkeypatch.setenv("KBDOCTOR_CONFIG", str(missing))
