"""Every reader's docstring shows what it reads: a sample (``Example::`` or ``Sample input::``
block, or ``Example file:`` for a binary format) and the fact types it gives (``Facts:``). The
sample is read here, so the documentation cannot drift from the code: the reader claims it and
gives at least one fact, of the documented types and no other (or, for a reader that only points
at a better command, the warning it documents)."""

from __future__ import annotations

import inspect
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from kbdoctor.collectors.importers.base import HostHint, Material, Reader
from kbdoctor.collectors.importers.registry import all_readers

REPO = Path(__file__).resolve().parents[3]
_BLOCK_START = re.compile(r"^(?:Example|Sample input)\b.*::$")
_FILE = re.compile(r"^Example file: ``(?P<path>[^`]+)``$", re.MULTILINE)
_FACTS = re.compile(r"^Facts: (?P<types>[a-z_, ]+?)(?: \(warns (?P<warning>[a-z_.]+)\))?$",
                    re.MULTILINE)


@dataclass(frozen=True)
class Documented:
    data: bytes
    text: str | None
    facts: frozenset[str]
    warning: str | None


def documented(reader: Reader) -> Documented:
    """The sample and the promised result of ``reader``'s class docstring."""
    doc = inspect.getdoc(type(reader)) or ""
    promised = _FACTS.search(doc)
    assert promised is not None, f"{reader.name}: no 'Facts:' line in its docstring"
    types = frozenset(t.strip() for t in promised.group("types").split(",")) - {"none"}
    as_file = _FILE.search(doc)
    if as_file is not None:
        data = (REPO / as_file.group("path")).read_bytes()
        return Documented(data, None, types, promised.group("warning"))
    lines = doc.split("\n")
    start = next((i for i, line in enumerate(lines) if _BLOCK_START.match(line.strip())), None)
    assert start is not None, f"{reader.name}: no 'Example::' block in its docstring"
    block: list[str] = []
    for line in lines[start + 1 :]:
        if line.strip() and not line[:1].isspace():
            break
        block.append(line)
    text = textwrap.dedent("\n".join(block)).strip("\n") + "\n"
    return Documented(text.encode("utf-8"), text, types, promised.group("warning"))


@pytest.mark.parametrize("reader", all_readers(), ids=lambda r: r.name)
def test_every_reader_reads_the_sample_of_its_docstring(reader: Reader) -> None:
    doc = documented(reader)
    material = Material(f"{reader.name}.sample", doc.data, doc.text,
                        host_hint=HostHint("EX01", "option"))
    assert reader.sniff(material), f"{reader.name} does not claim its own sample"
    result = reader.read(material)
    if doc.warning is not None:
        assert result.facts == []
        assert [w.key for w in result.warnings] == [doc.warning]
        return
    assert result.facts, [str(w) for w in result.warnings]
    assert {fact.type for fact in result.facts} == doc.facts
    assert all(fact.provenance is not None and fact.provenance.reader == reader.name
               for fact in result.facts)


def test_the_sample_of_a_docstring_is_the_indented_block_after_its_example_line() -> None:
    class Fake:
        """Reads nothing.

        Example (a sample)::

            first
              second

        Facts: event, queue
        """

        name = "fake"

    doc = documented(Fake())  # type: ignore[arg-type]
    assert doc.text == "first\n  second\n"
    assert doc.facts == {"event", "queue"}
