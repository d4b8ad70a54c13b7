"""Files and signals the way a good Unix tool handles them: Ctrl-C ends a run with exit 130 and
one line, every file error is a message with exit 2, ``-o`` follows a symbolic link and replaces
its target atomically, ``collect --append`` loses nothing to a concurrent run and keeps the
file's comments, unreadable material is named, names that are not UTF-8 are escaped, not lost."""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from kbdoctor.collectors import importing

from kbdoctor.collect_command import run_collect
from tests.hostile.bounded import ROOT, _limit, assert_refused, kbdoctor

DEMO = ROOT / "examples" / "demo-incident.yaml"
AS_ROOT = os.geteuid() == 0


def setspn(name: str) -> str:
    return (
        f"Registered ServicePrincipalNames for CN={name},OU=Servers,DC=corp,DC=example,DC=com:\n"
        f"\tSMTP/{name.lower()}.corp.example.com\n\tHOST/{name}\n"
    )


def _collect(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    namespace = argparse.Namespace(
        show_help=False,
        imports=[],
        output="-",
        append=False,
        host=None,
        fact_format=None,
        lang="en",
    )
    parser = argparse.ArgumentParser()
    parser.add_argument("--import", dest="imports", nargs="+", default=[])
    parser.add_argument("-o", dest="output", default="-")
    parser.add_argument("--append", action="store_true")
    parsed = parser.parse_args(args)
    namespace.imports, namespace.output, namespace.append = (
        parsed.imports,
        parsed.output,
        parsed.append,
    )
    return run_collect(namespace, stderr=err), err.getvalue()


# --- -o ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["evaluate", "collect"])
@pytest.mark.parametrize("where", ["missing-folder", "a-folder"])
def test_output_that_cannot_be_written_is_a_message(
    tmp_path: Path, command: str, where: str
) -> None:
    target = tmp_path / "nowhere" / "out.txt" if where == "missing-folder" else tmp_path
    material = tmp_path / "EX01"
    material.mkdir()
    (material / "setspn.txt").write_text(setspn("EX01"), encoding="utf-8")
    args = (
        ["evaluate", str(DEMO), "-o", str(target)]
        if command == "evaluate"
        else ["collect", "--import", str(material), "-o", str(target)]
    )
    detail = "No such file or directory" if where == "missing-folder" else "Is a directory"
    assert_refused(kbdoctor(*args), str(target), detail)


def test_output_into_a_folder_that_cannot_be_written_is_a_message(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    result = kbdoctor("evaluate", str(DEMO), "-o", str(folder / "r.txt"), permissions_hold=True)
    assert_refused(result, f"{folder / 'r.txt'}: cannot write the file: Permission denied")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("command", ["evaluate", "collect"])
def test_output_follows_a_symbolic_link(tmp_path: Path, command: str) -> None:
    real = tmp_path / "real" / "report.txt"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "report.txt"
    link.symlink_to(real)
    material = tmp_path / "EX01"
    material.mkdir()
    (material / "setspn.txt").write_text(setspn("EX01"), encoding="utf-8")
    args = (
        ["evaluate", str(DEMO), "-o", str(link)]
        if command == "evaluate"
        else ["collect", "--import", str(material), "-o", str(link)]
    )
    result = kbdoctor(*args)
    assert result.returncode in (0, 1), result.stderr
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") != "old\n"
    assert sorted(p.name for p in real.parent.iterdir()) == ["report.txt"]  # no temporary left


# --- signals -------------------------------------------------------------------------------------


def _interrupt(args: list[str], after: float) -> tuple[int, str, bool]:
    process = subprocess.Popen(
        [sys.executable, "-m", "kbdoctor", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        preexec_fn=lambda: _limit(1536 * 1024 * 1024, 60),
    )
    time.sleep(after)
    running = process.poll() is None
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    if process.returncode == -signal.SIGINT and not err:
        # The signal came while the interpreter was shutting down after the work was done (its
        # finalisation puts the default handlers back): nothing was left to interrupt.
        running = False
    return process.returncode, err.decode("utf-8", "replace"), running


@pytest.fixture(scope="module")
def large_organisation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT))
    from bench.generate import generate_organisation

    path = tmp_path_factory.mktemp("org") / "org.json"
    path.write_text(json.dumps(generate_organisation(600)), encoding="utf-8")
    return path


@pytest.mark.parametrize("after", [1.0, 2.5, 4.0])
def test_ctrl_c_during_evaluate_ends_with_130_and_one_line(
    large_organisation: Path, after: float
) -> None:
    code, err, running = _interrupt(["evaluate", str(large_organisation)], after)
    if not running:
        pytest.skip("the evaluation ended before the signal: nothing to interrupt")
    assert code == 130, err
    assert err == "kbdoctor: interrupted (Ctrl-C)\n"


def test_ctrl_c_during_collect_ends_with_130_and_leaves_no_file(tmp_path: Path) -> None:
    material = tmp_path / "material"
    for index in range(400):
        folder = material / f"EX{index:03d}"
        folder.mkdir(parents=True)
        (folder / "setspn.txt").write_text(setspn(f"EX{index:03d}") * 40, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    code, err, running = _interrupt(
        ["collect", "--import", str(material), "-o", str(out / "facts.yaml")], 1.5
    )
    if not running:
        pytest.skip("the import ended before the signal: nothing to interrupt")
    assert code == 130, err
    assert err == "kbdoctor: interrupted (Ctrl-C)\n"
    assert list(out.iterdir()) == []


# --- collect --append ----------------------------------------------------------------------------


def test_concurrent_appends_lose_nothing(tmp_path: Path) -> None:
    names = [f"EX{i:02d}" for i in range(8)]
    for name in names:
        (tmp_path / name).mkdir()
        (tmp_path / name / "setspn.txt").write_text(setspn(name), encoding="utf-8")
    target = tmp_path / "facts.yaml"
    target.write_text("kbdoctor: facts/1\nfacts: []\n", encoding="utf-8")

    def append(name: str) -> int:
        result = kbdoctor(
            "collect", "--import", str(tmp_path / name), "-o", str(target), "--append"
        )
        return result.returncode

    with ThreadPoolExecutor(len(names)) as pool:
        assert list(pool.map(append, names)) == [0] * len(names)
    text = target.read_text(encoding="utf-8")
    assert all(f"CN={name}," in text for name in names)


def test_append_keeps_the_comments_of_the_file(tmp_path: Path) -> None:
    (tmp_path / "EX02").mkdir()
    (tmp_path / "EX02" / "setspn.txt").write_text(setspn("EX02"), encoding="utf-8")
    target = tmp_path / "facts.yaml"
    target.write_text(
        "# ticket 4711, collected by Anna\nkbdoctor: facts/1\nenvironment: {site: Warszawa}\n"
        "facts:\n  # the first server, typed by hand\n"
        "  - {type: exchange_server, name: EX01}  # the one that fails\n",
        encoding="utf-8",
    )
    code, err = _collect("--import", str(tmp_path / "EX02"), "-o", str(target), "--append")
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    for comment in ("# ticket 4711", "# the first server", "# the one that fails"):
        assert comment in text
    assert "CN=EX02," in text
    assert kbdoctor("evaluate", str(target)).returncode in (0, 1)


# --- unreadable material, names ------------------------------------------------------------------


def test_an_unreadable_file_given_alone_is_exit_2_not_an_empty_fact_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "setspn.txt"
    path.write_text(setspn("EX01"), encoding="utf-8")
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    code, err = _collect("--import", str(path))
    assert code == 2
    assert f"{path}: cannot be read: Permission denied" in err
    assert "nothing could be read" in err


def test_an_unreadable_folder_is_a_warning_naming_it(tmp_path: Path) -> None:
    """A real folder of mode 000 (not a stand-in for the listing): the import says so by name
    and goes on with the others."""
    (tmp_path / "EX01").mkdir()
    (tmp_path / "EX01" / "setspn.txt").write_text(setspn("EX01"), encoding="utf-8")
    locked = tmp_path / "DC01"
    locked.mkdir()
    (locked / "setspn.txt").write_text(setspn("DC01"), encoding="utf-8")
    locked.chmod(0)
    out = tmp_path / "facts.yaml"
    result = kbdoctor("collect", "--import", str(tmp_path), "-o", str(out), permissions_hold=True)
    assert result.returncode == 0, result.stderr
    assert f"{locked}: cannot be read: Permission denied" in result.stderr
    assert "Traceback" not in result.stderr
    text = out.read_text(encoding="utf-8")
    assert "CN=EX01," in text
    assert "CN=DC01," not in text


def test_an_unreadable_file_alone_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "setspn.txt"
    path.write_text(setspn("EX01"), encoding="utf-8")
    path.chmod(0)
    result = kbdoctor("collect", "--import", str(path), permissions_hold=True)
    assert_refused(result, f"{path}: cannot be read: Permission denied")


def test_a_file_over_the_byte_limit_is_named_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "setspn.txt"
    path.write_text(setspn("EX01") * 10, encoding="utf-8")
    result = kbdoctor("collect", "--import", str(path), env={"KBDOCTOR_MAX_FILE_BYTES": "100"})
    assert_refused(result, str(path), "larger than 100 bytes (limit KBDOCTOR_MAX_FILE_BYTES)")
    assert importing.walk([str(path)])[0] == [path]


@pytest.mark.skipif(sys.platform != "linux", reason="bytes in names: Linux file systems")
def test_names_that_are_not_utf8_are_escaped_and_their_facts_kept(tmp_path: Path) -> None:
    folder = os.path.join(os.fsencode(tmp_path), b"EX\xff01")
    os.mkdir(folder)
    with open(os.path.join(folder, b"setspn-\xfe.txt"), "w", encoding="utf-8") as handle:
        handle.write(setspn("EX01"))
    out = tmp_path / "facts.yaml"
    result = kbdoctor("collect", "--import", str(tmp_path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "CN=EX01," in text
    assert "EX\\xff01/setspn-\\xfe.txt" in text
    evaluated = kbdoctor("evaluate", str(out))
    assert evaluated.returncode in (0, 1), evaluated.stderr


@pytest.mark.parametrize("command", ["evaluate", "collect"])
def test_output_to_a_device_or_a_pipe_is_written_in_place(tmp_path: Path, command: str) -> None:
    """Never the real /dev/null: a regression would replace it with a regular file."""
    material = tmp_path / "EX01"
    material.mkdir()
    (material / "setspn.txt").write_text(setspn("EX01"), encoding="utf-8")
    source = (
        ["evaluate", str(DEMO)] if command == "evaluate" else ["collect", "--import", str(material)]
    )
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with ThreadPoolExecutor(1) as pool:
        received = pool.submit(lambda: fifo.read_text(encoding="utf-8"))
        result = kbdoctor(*source, "-o", str(fifo))
        assert result.returncode in (0, 1), result.stderr
        assert received.result(timeout=60).startswith("kbdoctor")
    assert fifo.is_fifo()
    if AS_ROOT:  # a private device node like /dev/null
        null = tmp_path / "null"
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        result = kbdoctor(*source, "-o", str(null))
        assert result.returncode in (0, 1), result.stderr
        assert null.is_char_device()
    piped = kbdoctor(*source, "-o", "/dev/stdout")  # standard output is a pipe here
    assert piped.returncode in (0, 1), piped.stderr
    assert piped.stdout.startswith("kbdoctor")
