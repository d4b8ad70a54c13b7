"""The import report, version 1 (``kbdoctor: import-report/1``): what an import did, file by file,
in a form a person can check against the material and a script can read.

For each file: whether it was read, set aside as not command output (and as what), unreadable,
or read by no reader; for each block of a file (one command's output), the lines it spans, the
command typed at its prompt, the reader that claimed it (none when no reader did) and the facts
that reader produced, each with its line; and the warnings of the file with line, catalogue key
and text. A block's facts are what its reader read: the fact file may hold fewer, because the
same fact read twice is kept once and ``w32tm /query /peers`` joins the status it belongs to.
``totals`` counts both.

It is a public contract like facts/1 and report/1: extended, never broken. Texts are in the
report's ``lang``; keys, reader names and fact types are language independent.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from kbdoctor.collectors.file_trail import BlockTrail, FileStatus, FileTrail
from kbdoctor.collectors.importing import ImportResult
from kbdoctor.collectors.material_kind import NotOutput
from kbdoctor.engine.facts import Fact
from kbdoctor.engine.i18n import Lang
from pydantic import BaseModel, ConfigDict, Field

FORMAT: Literal["import-report/1"] = "import-report/1"

# Warnings that the report states in another form: the one summary line of the files set aside
# (each of them is a file of the report, with what it is).
_RESTATED = frozenset({"skipped_not_output"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReadFact(_Model):
    """A fact as its reader produced it: its type, its lines and its data (without provenance,
    which the block and the file already give)."""

    type: str
    line: int | None = None
    line_end: int | None = None
    fields: dict[str, Any]


class BlockReport(_Model):
    """One command's output in a file: lines ``first_line``..``last_line`` (those holding text;
    None for binary material), the command typed at its prompt, the reader that claimed it
    (None: no reader did, so nothing was read from it) and what that reader produced."""

    first_line: int | None
    last_line: int | None
    command: str | None = None
    reader: str | None
    fact_types: dict[str, int]  # type -> how many, in the order the reader produced them
    facts: list[ReadFact]


class WarningReport(_Model):
    """A warning: where (``line`` None for the whole file), its catalogue key (stable) and its
    text in the report's language."""

    line: int | None
    key: str
    text: str


class FileReport(_Model):
    """``status``: ``read`` (a reader claimed at least one block), ``unrecognised`` (readable,
    no reader claimed any of it), ``not_output`` (set aside unread; ``not_output`` says as
    what: ``source``, ``binary``, ``web_page``), ``unreadable``, ``too_large``. ``path`` is
    written as in the fact file: bytes of a name that are not UTF-8 as ``\\xNN``."""

    path: str
    status: FileStatus
    not_output: NotOutput | None = None
    blocks: list[BlockReport] = Field(default_factory=list)
    warnings: list[WarningReport] = Field(default_factory=list)


class PathWarning(_Model):
    """A warning about something that is not one of the files read (a folder that cannot be
    listed)."""

    path: str
    line: int | None
    key: str
    text: str


class Totals(_Model):
    """``facts_read``: facts the readers produced; ``facts``: facts in the fact file (read ones
    once each, plus ``inferred`` ones implied by them)."""

    files: int
    read: int
    unrecognised: int
    not_output: int
    unreadable: int
    blocks: int
    blocks_unclaimed: int
    facts_read: int
    facts: int
    inferred: int
    warnings: int


class ImportReport(_Model):
    kbdoctor: Literal["import-report/1"] = FORMAT
    lang: Lang
    files: list[FileReport]
    warnings: list[PathWarning] = Field(default_factory=list)
    totals: Totals

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"


def build_report(result: ImportResult, lang: Lang | None = None) -> ImportReport:
    """The report of ``result`` with its texts in ``lang`` (the result's language if None)."""
    shown: Lang = lang or result.lang
    warnings = [
        w for w in (*result.warnings, *result.unrecognised) if w.key not in _RESTATED
    ]
    by_file: dict[str, list[WarningReport]] = {t.path: [] for t in result.trail}
    elsewhere: list[PathWarning] = []
    for item in warnings:
        text = item.text(shown)
        if item.file in by_file:
            by_file[item.file].append(WarningReport(line=item.line, key=item.key, text=text))
        else:
            elsewhere.append(PathWarning(path=item.file, line=item.line, key=item.key, text=text))
    files = [_file(trail, by_file[trail.path]) for trail in result.trail]
    blocks = [block for file in files for block in file.blocks]
    statuses = Counter(file.status for file in files)
    totals = Totals(
        files=len(files),
        read=statuses["read"],
        unrecognised=statuses["unrecognised"],
        not_output=statuses["not_output"],
        unreadable=statuses["unreadable"] + statuses["too_large"],
        blocks=len(blocks),
        blocks_unclaimed=sum(1 for block in blocks if block.reader is None),
        facts_read=sum(len(block.facts) for block in blocks),
        facts=len(result.facts),
        inferred=result.inferred,
        warnings=len(warnings),
    )
    return ImportReport(lang=shown, files=files, warnings=elsewhere, totals=totals)


def _file(trail: FileTrail, warnings: list[WarningReport]) -> FileReport:
    return FileReport(
        path=trail.path,
        status=trail.status,
        not_output=trail.not_output,
        blocks=[_block(block) for block in trail.blocks],
        warnings=sorted(warnings, key=lambda w: (w.line or 0)),
    )


def _block(trail: BlockTrail) -> BlockReport:
    return BlockReport(
        first_line=trail.first_line,
        last_line=trail.last_line,
        command=trail.command,
        reader=trail.reader,
        fact_types=dict(Counter(fact.type for fact in trail.facts)),
        facts=[_fact(fact) for fact in trail.facts],
    )


def _fact(fact: Fact) -> ReadFact:
    data = fact.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"provenance"})
    data.pop("type", None)
    where = fact.provenance
    return ReadFact(
        type=fact.type,
        line=where.line if where else None,
        line_end=where.line_end if where else None,
        fields=data,
    )
