"""A path that is neither a regular file nor a folder (a device, a named pipe, a socket) is a
warning saying what it is, given alone or met in a folder; ``collect --import /dev/zero`` said
"no such file or folder" of a file that is there."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from kbdoctor.collectors.importing import walk
from kbdoctor.engine.i18n import Lang

from tests.hostile.bounded import kbdoctor


def _texts(paths: list[str], lang: Lang = "en") -> list[str]:
    files, warnings = walk(paths)
    assert files == []
    return [w.render(lang) for w in warnings]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_character_device_is_told_as_one() -> None:
    assert _texts(["/dev/zero"]) == ["/dev/zero: not a regular file or folder: a character device"]
    assert _texts(["/dev/zero"], "pl") == [
        "/dev/zero: to nie zwykły plik ani folder, lecz urządzenie znakowe"
    ]


def test_a_named_pipe_is_told_as_one_alone_or_in_a_folder(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    assert _texts([str(pipe)]) == [f"{pipe}: not a regular file or folder: a named pipe (FIFO)"]
    assert _texts([str(tmp_path)], "pl") == [
        f"{pipe}: to nie zwykły plik ani folder, lecz potok nazwany (FIFO)"
    ]


def test_a_socket_is_told_as_one(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(path))
        assert _texts([str(path)]) == [f"{path}: not a regular file or folder: a socket"]


def test_a_path_that_is_not_there_is_still_no_such_path(tmp_path: Path) -> None:
    assert _texts([str(tmp_path / "gone")]) == [f"{tmp_path / 'gone'}: no such file or folder"]


def test_collect_says_it_of_a_named_pipe(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    result = kbdoctor("collect", "--import", str(pipe))
    assert f"{pipe}: not a regular file or folder: a named pipe (FIFO)" in result.stderr
    assert "no such file" not in result.stderr
