"""Reading fixture files through the real decoding and segmenting, as ``collect`` does."""

from __future__ import annotations

from pathlib import Path

from kbdoctor.collectors.decoding import decode_bytes
from kbdoctor.collectors.importers.base import HostHint, Material, Reader, ReadResult
from kbdoctor.collectors.segments import CommandMaterial, split_segments

DATA = Path(__file__).resolve().parents[2] / "data" / "importers"

_HEADER = ("# source:", "# note:")


def text_without_header(path: Path) -> str:
    """A real capture as decoded, its leading ``# source:``/``# note:`` lines (where it was
    published; Windows never prints them) blanked, not removed, so that line numbers stay those
    of the file."""
    text = decode_bytes(path.read_bytes()).text
    assert text is not None, path
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not line.startswith(_HEADER):
            break
        lines[index] = ""
    return "\n".join(lines)


def fixture_path(family: str, name: str) -> Path:
    return DATA / family / name


def materials(family: str, name: str, host: str | None = "EX01") -> list[Material]:
    """The segments of a fixture file as the importer cuts them."""
    path = fixture_path(family, name)
    data = path.read_bytes()
    text = decode_bytes(data).text
    assert text is not None
    hint = HostHint(host, "option") if host else None
    return [
        CommandMaterial(str(path), data, s.text, s.first_line, hint, s.line_map, command=s.command)
        for s in split_segments(text)
    ]


def read_with(reader: Reader, family: str, name: str, host: str | None = "EX01") -> ReadResult:
    """Every segment of the fixture that ``reader`` recognises, read by it."""
    total = ReadResult()
    for material in materials(family, name, host):
        if reader.sniff(material):
            result = reader.read(material)
            total.facts.extend(result.facts)
            total.warnings.extend(result.warnings)
    return total


def text_material(text: str, host: str | None = "EX01", path: str = "pasted.txt") -> Material:
    hint = HostHint(host, "option") if host else None
    return Material(path, text.encode("utf-8"), text, 1, hint)
