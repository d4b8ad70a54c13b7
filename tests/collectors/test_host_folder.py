"""A folder whose name is not UTF-8 names no machine: its name is not taken as the host, the
warning says that the folder's name (escaped) is not a host name and why, instead of asking for
a folder named after the machine, and every fact that does not need the machine's name is kept.
Shown with the outputs that do need it: w32tm /stripchart (the measuring machine is the
reference) and Test-NetConnection (the machine it ran on is the source)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from kbdoctor.collectors.host_folder import NO_HOST, NOT_UTF8
from kbdoctor.collectors.importing import ImportResult, import_paths
from kbdoctor.engine.facts import ClockOffset, PortState
from kbdoctor.engine.i18n import COLLECTORS, LANGS, Lang

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="bytes in names: Linux")

STRIPCHART = (
    "w32tm /stripchart /computer:dc01.corp.example.com /samples:3 /dataonly\n"
    "Tracking dc01.corp.example.com [10.0.0.10:123].\n"
    "Collecting 3 samples.\n"
    "The current time is 2/20/2025 4:17:25 AM.\n"
    "04:17:25, +00.0009583s\n"
    "04:17:27, +00.0018698s\n"
    "04:17:29, +00.0002144s\n"
)
# The first block names its source (SourceAddress), the second does not.
TNC = (
    "ComputerName     : 10.0.0.10\n"
    "RemoteAddress    : 10.0.0.10\n"
    "RemotePort       : 389\n"
    "InterfaceAlias   : Ethernet\n"
    "SourceAddress    : 10.0.0.42\n"
    "TcpTestSucceeded : True\n"
    "\n"
    "ComputerName     : 10.0.0.10\n"
    "RemotePort       : 88\n"
    "TcpTestSucceeded : True\n"
)


def _material(root: Path, folder: bytes) -> Path:
    """The stripchart and Test-NetConnection outputs in ``root/folder``."""
    where = os.path.join(os.fsencode(root), folder)
    os.mkdir(where)
    for name, text in ((b"stripchart.txt", STRIPCHART), (b"tnc.txt", TNC)):
        with open(os.path.join(where, name), "w", encoding="utf-8") as handle:
            handle.write(text)
    return Path(os.fsdecode(where))


def _folder_warnings(result: ImportResult) -> list[tuple[str, int | None, dict[str, str]]]:
    return [
        (Path(w.file).name, w.line, dict(w.params)) for w in result.warnings if w.key == NOT_UTF8
    ]


def test_a_folder_name_that_is_not_utf8_is_not_taken_as_the_host(tmp_path: Path) -> None:
    result = import_paths([str(_material(tmp_path, b"EX\xff04"))])
    assert not [f for f in result.facts if isinstance(f, ClockOffset)]
    hosts = {getattr(f, field, None) for f in result.facts for field in ("source", "reference")}
    assert not [h for h in hosts if h is not None and "EX" in h]


def test_the_facts_that_need_no_host_are_kept(tmp_path: Path) -> None:
    result = import_paths([str(_material(tmp_path, b"EX\xff04"))])
    ports = [f for f in result.facts if isinstance(f, PortState)]
    assert [(p.source, p.target, p.port, p.state) for p in ports] == [
        ("10.0.0.42", "10.0.0.10", 389, "open")
    ]


def test_the_warning_names_the_folder_escaped_at_each_output_that_needed_it(
    tmp_path: Path,
) -> None:
    result = import_paths([str(_material(tmp_path, b"EX\xff04"))])
    assert sorted(_folder_warnings(result)) == [
        ("stripchart.txt", 2, {"folder": "EX\\xff04", "reader": "w32tm-stripchart"}),
        ("tnc.txt", 8, {"folder": "EX\\xff04", "reader": "test-netconnection"}),
    ]
    assert not [w for w in result.warnings if w.key.endswith(NO_HOST)]


@pytest.mark.parametrize("lang", LANGS)
def test_the_warning_says_the_name_is_not_a_host_name_not_to_use_such_a_folder(
    tmp_path: Path, lang: Lang
) -> None:
    result = import_paths([str(_material(tmp_path, b"EX\xff04"))])
    [stripchart] = [w for w in result.warnings if w.key == NOT_UTF8 and w.line == 2]
    text = stripchart.render(lang)
    assert "EX\\xff04" in text
    assert "UTF-8" in text
    assert "--host" in text
    advice = {
        "en": "put the file in a folder named after the machine",
        "pl": "umieść plik w folderze nazwanym jak ta maszyna",
        "de": "legen Sie die Datei in einen Ordner mit dem Namen der Maschine",
    }[lang]
    assert advice not in text


def test_the_same_outputs_in_a_folder_named_after_the_machine_take_its_name(
    tmp_path: Path,
) -> None:
    result = import_paths([str(_material(tmp_path, b"EX04"))])
    [offset] = [f for f in result.facts if isinstance(f, ClockOffset)]
    assert offset.reference == "EX04"
    assert sorted(p.port for p in result.facts if isinstance(p, PortState)) == [88, 389]
    assert _folder_warnings(result) == []


def test_host_given_reads_everything_from_such_a_folder(tmp_path: Path) -> None:
    result = import_paths([str(_material(tmp_path, b"EX\xff04"))], host="EX04")
    [offset] = [f for f in result.facts if isinstance(f, ClockOffset)]
    assert offset.reference == "EX04"
    assert sorted(p.port for p in result.facts if isinstance(p, PortState)) == [88, 389]
    assert _folder_warnings(result) == []


def test_a_utf8_folder_that_names_no_machine_keeps_the_readers_advice(tmp_path: Path) -> None:
    result = import_paths([str(_material(tmp_path, b"eventlog"))])
    assert sorted(w.key for w in result.warnings if w.key.endswith(NO_HOST)) == [
        "tnc.no_host",
        "w32tm.no_host",
    ]
    assert _folder_warnings(result) == []


def test_every_readers_no_host_warning_follows_the_key_the_importer_replaces() -> None:
    """The importer recognises a reader's "this output does not name its machine" by its key's
    ending; a new reader's warning worded so but keyed otherwise would keep the wrong advice."""
    says_no_host = re.compile(r"does not name (the machine it ran on|its computer)")
    worded = {
        key
        for key, template in COLLECTORS.catalogue("en").items()
        if says_no_host.search(template) and key != f"collect.{NOT_UTF8}"
    }
    assert worded
    assert {key for key in worded if not key.endswith(NO_HOST)} == {
        "collect.host_from_folder",
        "collect.host_from_option",
    }
