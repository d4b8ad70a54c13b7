"""Looking at a path never raises: what is there, or why it cannot be known (a folder on the way
that cannot be searched), with the path named, where Python 3.11's pathlib raises."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from kbdoctor.engine.probe import list_folder, probe


def test_what_a_path_is(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x", encoding="utf-8")
    (tmp_path / "d").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "f")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    os.mkfifo(tmp_path / "fifo")
    assert probe(tmp_path / "f").kind == "file"
    assert probe(tmp_path / "d").kind == "folder"
    assert probe(tmp_path / "link").kind == "file"
    assert probe(tmp_path / "link", follow=False).kind == "link"
    assert probe(tmp_path / "dangling").kind == "missing"
    assert probe(tmp_path / "fifo").kind == "other"
    assert probe(tmp_path / "f" / "under-a-file").kind == "missing"
    assert probe("a\0b").kind == "missing"
    assert not probe(tmp_path / "nothing").exists


def test_a_path_that_cannot_be_looked_at_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The closed folder itself is tested for real in tests/hostile/test_unreachable_paths.py
    (it needs root's file privileges dropped); here, what stat answers for it."""
    target = tmp_path / "closed" / "x"

    def refuse(path: object, *args: object, **kwargs: object) -> os.stat_result:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "stat", refuse)
    seen = probe(target)
    assert seen.kind == "unknown"
    assert not seen.exists
    assert seen.error is not None
    assert (seen.error.errno, seen.error.filename) == (errno.EACCES, str(target))


def test_a_folder_is_listed_in_name_order_or_says_why(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yaml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert list_folder(tmp_path) == [tmp_path / "a.yaml", tmp_path / "b.yaml"]
    missing = list_folder(tmp_path / "nothing")
    assert isinstance(missing, OSError)
    assert missing.filename == str(tmp_path / "nothing")
