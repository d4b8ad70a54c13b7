"""What the importer did with each file, recorded while it reads: the raw material of the import
report (:mod:`kbdoctor.collectors.import_report`).

A fact file says what was read; it cannot say what was *not* read, nor which reader took which
lines. An engineer who checks an import by reading the material needs both: per file, which
reader claimed which lines and what it made of them, and the blocks and files nothing claimed.
The importer records that here as it goes (it is the one place where readers are called), so
that the report states what happened rather than reconstructing it from facts afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kbdoctor.collectors.importers.base import Material
from kbdoctor.collectors.material_kind import NotOutput
from kbdoctor.engine.facts import Fact

# read: a reader claimed at least one block; unrecognised: readable, but no reader claimed any
# of it; not_output: set aside unread (source code, binary, a web page holding no output);
# unreadable: could not be opened or read; too_large: over the limit on bytes per file
FileStatus = Literal["read", "unrecognised", "not_output", "unreadable", "too_large"]


@dataclass
class BlockTrail:
    """One command's output in a file and what became of it. ``reader`` is None when no reader
    claimed the block; lines are None for binary material (an .evtx log has no lines)."""

    first_line: int | None
    last_line: int | None
    command: str | None
    reader: str | None
    facts: list[Fact] = field(default_factory=list)


@dataclass
class FileTrail:
    """One file of an import, named as the fact file and the warnings name it (a name that is
    not UTF-8 escaped as ``\\xNN``)."""

    path: str
    status: FileStatus = "read"
    not_output: NotOutput | None = None
    blocks: list[BlockTrail] = field(default_factory=list)


def text_span(material: Material) -> tuple[int, int] | None:
    """The file's lines of the first and the last line of ``material`` that hold text: the
    range a person looks at (blank lines around an output are not part of it). None for binary
    material and for material without text."""
    lines = material.lines()
    filled = [index for index, line in enumerate(lines) if line.strip()]
    if not filled:
        return None
    return material.line_no(filled[0]), material.line_no(filled[-1])
