"""What :class:`ReaderBase` guarantees for every reader, whoever wrote it."""

from __future__ import annotations

import re

from kbdoctor.collectors.importers.base import HostHint, Material, ReaderBase, ReadResult
from kbdoctor.collectors.importers.registry import all_readers
from kbdoctor.collectors.segments import CommandMaterial
from kbdoctor.engine.facts import DomainController, Source

from tests.collectors.importers.fixtures import text_material

_LINE = re.compile(r"^DC: (?P<name>.*)$")
_HEADING = re.compile(r"^Domain controllers:$")


class _DcReader(ReaderBase):
    """A reader of ``DC: NAME`` lines, for these tests only."""

    name = "test-dc"
    title = "test"
    command = "dcs"
    program = "dctool"

    def _sniff(self, material: Material) -> bool:
        if (material.text or "").startswith("boom"):
            raise RuntimeError("sniff broke")
        return self.any_line(material, _LINE, head=5) or self.any_line(material, _HEADING)

    def _read(self, material: Material, result: ReadResult) -> None:
        for index, line in enumerate(material.lines()):
            match = _LINE.match(line)
            if match:
                source = Source(collector="import", reader=self.name, command=self.command,
                                file=material.path, line=material.line_no(index))
                result.facts.append(DomainController(name=match.group("name"), provenance=source))
            if line == "crash":
                raise ValueError("read broke")
        if "quiet" in (material.text or ""):
            result.nothing_to_keep = True


READER = _DcReader()


def _names(result: ReadResult) -> list[str]:
    return [f.name for f in result.facts if isinstance(f, DomainController)]


def test_a_claimed_material_is_read_into_facts() -> None:
    result = READER.read(text_material("DC: dc01.corp.example.com\n"))
    assert _names(result) == ["dc01.corp.example.com"]
    assert result.warnings == []


def test_material_not_claimed_is_not_read_and_says_so() -> None:
    result = READER.read(text_material("nothing\n" * 6 + "DC: dc01\n"))
    assert result.facts == []
    assert [(w.key, dict(w.params)) for w in result.warnings] == [
        ("base.not_claimed", {"reader": "test-dc"})
    ]


def test_a_sniff_that_raises_claims_nothing() -> None:
    assert READER.sniff(text_material("boom\nDC: dc01\n")) is False


def test_an_exception_inside_read_is_a_warning_with_the_file_and_the_facts_before_it_kept() -> (
    None
):
    result = READER.read(text_material("DC: dc01\ncrash\nDC: dc02\n"))
    assert _names(result) == ["dc01"]
    assert len(result.facts) == 1
    [item] = result.warnings
    assert (item.key, item.line) == ("base.read_failed", None)
    assert dict(item.params) == {"reader": "test-dc", "detail": "ValueError: read broke"}
    assert item.file == "pasted.txt"


def test_claimed_material_without_fact_or_warning_gets_the_one_nothing_found_warning() -> None:
    result = READER.read(text_material("Domain controllers:\n"))
    assert [w.key for w in result.warnings] == ["base.nothing_found"]
    assert result.warnings[0].text() == (
        "test-dc recognised this material but found nothing in it to read"
    )


def test_a_reader_that_read_what_facts_do_not_keep_is_not_said_to_have_found_nothing() -> None:
    result = READER.read(text_material("Domain controllers:\nquiet\n"))
    assert (result.facts, result.warnings) == ([], [])


def test_a_fact_whose_host_is_not_shaped_like_a_host_is_a_warning_at_its_line() -> None:
    result = READER.read(text_material("\nDC: not a host!\n"))
    assert result.facts == []
    [item] = result.warnings
    assert (item.key, item.line) == ("base.not_a_host", 2)


def test_the_typed_command_counts_only_when_it_runs_the_reader_s_program() -> None:
    ran = CommandMaterial("f.txt", b"", "DC: dc01\n", 2, None, command="C:\\tools\\dctool.exe /all")
    other = CommandMaterial("f.txt", b"", "DC: dc01\n", 2, None, command="dctoolbox /all")
    assert READER.typed_command(ran) == "C:\\tools\\dctool.exe /all"
    assert READER.typed_command(other) is None
    assert READER.has_switch("dctool /query /status", "query", "status")
    assert not READER.has_switch("dctool /computer:dc-monitor", "monitor")


def test_the_line_helpers_look_at_line_starts_within_the_head_given() -> None:
    material = Material("f.txt", b"", "a\nDC: x\nb\nDC: y\n", host_hint=HostHint("h", "option"))
    assert READER.first_matching(material, _LINE) == 1
    assert READER.first_matching(material, _LINE, head=1) is None
    assert READER.count_matching(material, _LINE) == 2


def test_every_registered_reader_is_built_on_the_base() -> None:
    assert all(isinstance(reader, ReaderBase) for reader in all_readers())
