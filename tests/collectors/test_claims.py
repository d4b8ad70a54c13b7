"""Positive evidence before any fact (issue 9, item 1), as properties over real material.

Every reader is fed every fixture of every other reader and this repository's own files. Two
things must hold for each piece of material (a file's segment, as ``collect`` cuts it):

* a reader that does not claim it (``sniff`` is false) reads no fact from it, whatever calls it;
* a reader claims material of another command family only when that material really holds its
  format (a pasted session of several commands is the one place families meet).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kbdoctor.collectors.decoding import decode_bytes
from kbdoctor.collectors.importers.base import HostHint, Material, Reader, ReaderBase
from kbdoctor.collectors.importers.registry import all_readers
from kbdoctor.collectors.segments import CommandMaterial, split_segments

from tests.collectors.importers.fixtures import DATA

REPO = Path(__file__).resolve().parents[2]

# The fixture folder of each reader module: material there is that family's own.
FAMILY_OF_MODULE = {
    "setspn": "setspn",
    "w32tm": "w32tm",
    "test_netconnection": "test_netconnection",
    "klist": "klist",
    "repadmin": "repadmin",
    "exchange_queue": "exchange",
    "exchange_receive_connector": "exchange",
    "exchange_server": "exchange",
    "clixml": "exchange",
    "format_list": "exchange",
    "eventlog_evtx": "eventlog",
    "eventlog_records": "eventlog",
    "eventlog_text": "eventlog",
    "eventlog_xml": "eventlog",
    "portqry": "portqry",
    "nltest": "nltest",
}
HINT = HostHint("EX01", "option")


def family(reader: Reader) -> str | None:
    return FAMILY_OF_MODULE.get(type(reader).__module__.rsplit(".", 1)[-1])


def _fixture_files() -> list[Path]:
    return sorted(
        p
        for p in DATA.rglob("*")
        if p.is_file() and p.suffix not in (".md", ".yaml", ".yml") and ".expect" not in p.name
    )


def _family_of_file(path: Path) -> str | None:
    """The command family a fixture belongs to: its folder under the fixtures, or under
    ``real/``; None for folders that mix families."""
    parts = path.relative_to(DATA).parts
    folder = parts[1] if parts[0] == "real" and len(parts) > 2 else parts[0]
    return None if folder == "mixed" else folder


def materials_of(path: Path, text: str | None = None) -> Iterator[Material]:
    data = path.read_bytes()
    if text is None:
        text = decode_bytes(data).text
    if text is None:
        yield Material(str(path), data, None, 1, HINT)
        return
    for segment in split_segments(text):
        yield CommandMaterial(
            str(path), data, segment.text, segment.first_line, HINT, command=segment.command
        )


def _repo_sources() -> list[Path]:
    found: list[Path] = []
    for pattern in ("*.py", "*.md", "*.toml", "*.yaml"):
        for path in REPO.rglob(pattern):
            relative = path.relative_to(REPO).parts
            if any(p.startswith(".") or p in ("data", "__pycache__") for p in relative):
                continue
            found.append(path)
    return sorted(found)


FIXTURES = _fixture_files()
SOURCES = _repo_sources()


@pytest.mark.parametrize("reader", all_readers(), ids=lambda r: r.name)
def test_every_reader_checks_its_claim_before_reading(reader: Reader) -> None:
    """Every reader is built on :class:`ReaderBase`, whose ``read`` checks the claim first and
    which a reader does not override."""
    assert isinstance(reader, ReaderBase), f"{type(reader).__module__}: derive from ReaderBase"
    assert type(reader).read is ReaderBase.read
    assert type(reader).sniff is ReaderBase.sniff


def _facts_without_claim(material: Material) -> list[str]:
    """The readers that read facts from ``material`` without claiming it."""
    wrong = []
    for reader in all_readers():
        if not reader.sniff(material) and reader.read(material).facts:
            wrong.append(reader.name)
    return wrong


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(DATA)))
def test_no_reader_reads_facts_from_fixture_material_it_does_not_claim(path: Path) -> None:
    for material in materials_of(path):
        assert _facts_without_claim(material) == [], f"{path}:{material.first_line}"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(DATA)))
def test_no_reader_claims_the_fixtures_of_another_family(path: Path) -> None:
    own = _family_of_file(path)
    if own is None:
        pytest.skip("a pasted session of several commands")
    for material in materials_of(path):
        claims = [
            r.name
            for r in all_readers()
            if family(r) is not None and family(r) != own and r.sniff(material)
        ]
        assert claims == [], f"{path}:{material.first_line}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_reader_reads_facts_from_source_it_does_not_claim(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    for material in materials_of(path, text):
        assert _facts_without_claim(material) == [], f"{path}:{material.first_line}"


def _lines_of(paths: list[Path]) -> list[str]:
    lines: list[str] = []
    for path in paths:
        text = decode_bytes(path.read_bytes()).text
        if text is not None:
            lines.extend(line for line in text.split("\n")[:200])
    return lines


FIXTURE_LINES = _lines_of(FIXTURES)
SOURCE_LINES = _lines_of([p for p in SOURCES if p.suffix == ".py"][:60])


@pytest.mark.fuzz
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FIXTURE_LINES + SOURCE_LINES), min_size=1, max_size=40),
)
def test_lines_of_real_material_in_any_order_give_no_fact_to_a_reader_that_does_not_claim_them(
    lines: list[str],
) -> None:
    text = "\n".join(lines)
    for segment in split_segments(text):
        material = CommandMaterial(
            "mix.txt", b"", segment.text, segment.first_line, HINT, command=segment.command
        )
        assert _facts_without_claim(material) == []


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "ComputerName     : dc01.corp.example.com\nRemotePort       : 88\n"
            "SourceAddress    : 10.0.0.21\nTcpTestSucceeded : True\n",
            True,
        ),
        (
            "ComputerName     : <dc01>\nRemotePort       : 88\n"
            "SourceAddress    : 10.0.0.21\nTcpTestSucceeded : True\n",
            False,
        ),
    ],
)
def test_a_fact_whose_host_is_not_shaped_like_one_is_a_warning(text: str, kept: bool) -> None:
    from kbdoctor.collectors.importers.test_netconnection import TestNetConnectionReader

    result = TestNetConnectionReader().read(Material("t.txt", b"", text, 1, None))
    assert bool(result.facts) is kept
    if not kept:
        assert [(w.key, w.line) for w in result.warnings] == [("base.not_a_host", 1)]
