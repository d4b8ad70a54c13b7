"""``-o`` (and every other file kbdoctor writes) into symbolic links that run in a loop: exit 2
with the path and "too many levels of symbolic links" in the user's language, the links left as
they were and nothing written. Following such a link used to give up silently and replace the
link with a regular file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from kbdoctor.engine.atomic import make_folder, resolve_target, why_unwritable, write_atomic

from tests.hostile.bounded import ROOT, assert_refused, kbdoctor

DEMO = ROOT / "examples" / "demo-incident.yaml"
LOOP = {
    "en": "Too many levels of symbolic links",
    "pl": "zbyt wiele poziomów dowiązań symbolicznych",
}


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    """``loop1 -> loop2 -> loop1`` in a folder of their own."""
    folder = tmp_path / "links"
    folder.mkdir()
    (folder / "loop2").symlink_to("loop1")
    (folder / "loop1").symlink_to("loop2")
    return folder / "loop1"


@pytest.fixture
def material(tmp_path: Path) -> Path:
    folder = tmp_path / "EX01"
    folder.mkdir()
    (folder / "setspn.txt").write_text(
        "Registered ServicePrincipalNames for CN=EX01,OU=Servers,DC=corp,DC=example,DC=com:\n"
        "\tSMTP/ex01.corp.example.com\n",
        encoding="utf-8",
    )
    return folder


def _untouched(loop: Path) -> None:
    folder = loop.parent
    assert sorted(p.name for p in folder.iterdir()) == ["loop1", "loop2"]  # no temporary left
    assert [os.readlink(folder / name) for name in ("loop1", "loop2")] == ["loop2", "loop1"]


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_evaluate_output_into_a_loop_is_refused(loop: Path, lang: str) -> None:
    result = kbdoctor("evaluate", str(DEMO), "-o", str(loop), "--lang", lang)
    assert_refused(result, str(loop), LOOP[lang])
    _untouched(loop)


@pytest.mark.parametrize(
    "option", [["-o"], ["-o", "--append"], ["--report"]], ids=["o", "append", "report"]
)
@pytest.mark.parametrize("lang", ["en", "pl"])
def test_collect_output_into_a_loop_is_refused(
    loop: Path, material: Path, option: list[str], lang: str
) -> None:
    args = ["collect", "--import", str(material), "--lang", lang, *option[:1], str(loop)]
    result = kbdoctor(*args, *option[1:])
    assert_refused(result, str(loop), LOOP[lang])
    _untouched(loop)


def test_the_collection_script_into_a_loop_is_refused(loop: Path) -> None:
    result = kbdoctor("collect", "--script", "-o", str(loop), "--lang", "pl")
    assert_refused(result, f"{loop}: nie można zapisać pliku: {LOOP['pl']}")
    _untouched(loop)


@pytest.mark.parametrize(
    "command",
    [
        ["rules", "docs"],
        [
            "rules",
            "new",
            "tiny.drift",
            "--fact",
            "clock_offset",
            "--where",
            "offset_s=gt:300",
            "--finding",
            "drift",
            "--title",
            "Drift",
            "--title-pl",
            "Dryf",
        ],
    ],
    ids=["docs", "new"],
)
def test_a_folder_to_write_into_that_is_a_loop_is_refused(loop: Path, command: list[str]) -> None:
    """Not "File exists", which is what creating the folder says of the links."""
    result = kbdoctor(*command, "-o", str(loop))
    assert_refused(result, f"{loop}: cannot write the file: {LOOP['en']}")
    _untouched(loop)


def test_a_loop_on_the_way_to_the_file_is_refused(loop: Path) -> None:
    target = loop / "report.txt"
    result = kbdoctor("evaluate", str(DEMO), "-o", str(target))
    assert_refused(result, f"{target}: cannot write the file: {LOOP['en']}")
    _untouched(loop)


def test_every_writer_refuses_a_loop_before_writing(loop: Path) -> None:
    """What the TUI's saves call: the error is ELOOP naming the path as given, and the path is
    never resolved to somewhere else."""
    with pytest.raises(OSError, match="symbolic links") as raised:
        write_atomic(loop, "text\n")
    assert (raised.value.errno, raised.value.filename) == (errno.ELOOP, str(loop))
    unwritable = why_unwritable(loop)
    assert unwritable is not None
    assert unwritable.errno == errno.ELOOP
    assert resolve_target(loop) == loop
    with pytest.raises(OSError, match="symbolic links"):
        make_folder(loop / "tests")
    _untouched(loop)


def test_a_link_to_a_link_that_ends_in_a_file_is_still_followed(tmp_path: Path) -> None:
    real = tmp_path / "report.txt"
    real.write_text("old\n", encoding="utf-8")
    (tmp_path / "middle").symlink_to(real)
    (tmp_path / "first").symlink_to(tmp_path / "middle")
    assert why_unwritable(tmp_path / "first") is None
    write_atomic(tmp_path / "first", "new\n")
    assert real.read_text(encoding="utf-8") == "new\n"
    assert (tmp_path / "first").is_symlink()
    assert (tmp_path / "middle").is_symlink()
