"""A case: the work of one ticket in one file, saved and reopened exactly.

An engineer works a ticket over days: material arrives, what-if edits test hypotheses, notes
record what the customer said. A case file (``kbdoctor: case/1``, YAML or JSON) holds all of
it: the facts of every source embedded (so the case reopens without the original files, which
are named for reference only), the what-if changes in the order made with who made each and
when (replayed on opening, so undo walks back through them as before), the engineer's notes
about causes and facts, and the rule files the diagnosis used. ``kbdoctor tui CASE`` reopens
it: the same facts, changes and rules give the same diagnosis. No Textual here.
"""

from __future__ import annotations

import json
from datetime import datetime
from itertools import groupby
from pathlib import Path
from typing import Any, Literal

from kbdoctor.engine.errors import InputRefused, Problem, UsageError
from kbdoctor.engine.factio import error_path
from kbdoctor.engine.facts import Fact
from kbdoctor.tui.session import Change, Entry, Session, _Unset, current_user
from pydantic import BaseModel, ConfigDict, Field, ValidationError

FORMAT = "case/1"


class CaseSourceRecord(BaseModel):
    """One source of the case with its facts as read (before any what-if change)."""

    model_config = ConfigDict(extra="forbid")

    origin: str = Field(description="the file or import the facts came from, as shown")
    environment: dict[str, str] | None = None
    facts: list[Fact]


class CaseChange(BaseModel):
    """One what-if change: the fact (its position in the case, sources in order), what was
    done, the fact given instead (``edit``), who and when."""

    model_config = ConfigDict(extra="forbid")

    fact: int = Field(ge=0)
    action: Literal["edit", "disable", "revert"]
    value: Fact | None = None
    by: str | None = None
    at: datetime | None = None


class CaseNote(BaseModel):
    """A note the engineer typed about a cause (its id) or a fact (its position)."""

    model_config = ConfigDict(extra="forbid")

    about: Literal["cause", "fact"]
    id: str
    text: str
    by: str | None = None
    at: datetime | None = None


class CaseFile(BaseModel):
    """The whole case (``kbdoctor: case/1``)."""

    model_config = ConfigDict(extra="forbid")

    kbdoctor: Literal["case/1"]
    saved_at: datetime | None = None
    saved_by: str | None = None
    collected_at: datetime | None = None
    files: list[str] = Field(default_factory=list, description="the files the facts came from")
    rule_files: list[str] | None = Field(
        None, description="the rule packs' files the diagnosis used (None: the default packs)"
    )
    sources: list[CaseSourceRecord] = Field(default_factory=list)
    changes: list[CaseChange] = Field(default_factory=list)
    notes: list[CaseNote] = Field(default_factory=list)


Notes = dict[tuple[str, str], CaseNote]  # (about, id) -> note


def note_key(about: Literal["cause", "fact"], ident: str | int) -> tuple[str, str]:
    return (about, str(ident))


def case_of(
    session: Session, notes: Notes, rule_files: list[str] | None, saved_at: datetime
) -> CaseFile:
    """The case of a session as it stands."""
    entries = session.entries()
    sources = [
        CaseSourceRecord(origin=origin, facts=[entry.loaded for entry in group])
        for origin, group in groupby(entries, key=lambda entry: entry.origin)
    ]
    if sources and session.environment:
        sources[0].environment = dict(session.environment)
    return CaseFile(
        kbdoctor="case/1",
        saved_at=saved_at,
        saved_by=current_user(),
        collected_at=session.collected_at,
        files=list(session.files),
        rule_files=rule_files,
        sources=sources,
        changes=_changes(session, entries),
        notes=list(notes.values()),
    )


def _changes(session: Session, entries: list[Entry]) -> list[CaseChange]:
    """The what-if changes as positions among the facts the case saves. A session keys a fact
    by its place among every fact ever read, taken-out sources included; the case holds only
    the facts still in it, so a change is renumbered to its fact's place there, and a change
    to a fact whose source was taken out is left out (it no longer touches the diagnosis)."""
    position = {entry.key: index for index, entry in enumerate(entries)}
    return [
        _change(change, position[change.key])
        for change in session.history()
        if change.key in position
    ]


def _change(change: Change, fact: int) -> CaseChange:
    after = change.after
    if isinstance(after, _Unset):
        return CaseChange(fact=fact, action="revert", by=change.by, at=change.at)
    if after is None:
        return CaseChange(fact=fact, action="disable", by=change.by, at=change.at)
    return CaseChange(fact=fact, action="edit", value=after, by=change.by, at=change.at)


def session_of(case: CaseFile, path: str = "case") -> tuple[Session, Notes]:
    """A session holding the case's facts with its changes made again in order (so that undo
    walks back through them), and its notes."""
    session = Session()
    for source in case.sources:
        session.add(source.facts, source.origin, source.environment, [source.origin])
    for name in case.files:
        if name not in session.files:
            session.files.append(name)
    session.saw_collected_at(case.collected_at)
    for change in case.changes:
        if change.fact >= len(session):
            raise UsageError(
                [Problem(path, None, None, "error.case_change", {"fact": change.fact,
                                                                   "count": len(session)})]
            )  # fmt: skip
        # replayed with who made each change and when, not as the reopener's, now
        if change.action == "edit" and change.value is not None:
            session.replace(change.fact, change.value, by=change.by, at=change.at)
        elif change.action == "disable":
            session.disable(change.fact, by=change.by, at=change.at)
        else:
            session.revert(change.fact, by=change.by, at=change.at)
    notes = {note_key(note.about, note.id): note for note in case.notes}
    return session, notes


def dump_case(case: CaseFile, fmt: Literal["yaml", "json"] = "yaml") -> str:
    data = case.model_dump(mode="json", by_alias=True, exclude_none=True)
    data = {"kbdoctor": data.pop("kbdoctor"), **data}
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    from kbdoctor.engine.yamlio import dump_yaml

    return dump_yaml(data)


def is_case_file(path: str) -> bool:
    """Whether ``path`` is a case file (its first lines say ``kbdoctor: case/1``)."""
    try:
        with open(path, encoding="utf-8") as stream:
            head = stream.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    return any(
        marker in head
        for marker in ("kbdoctor: case/1", '"kbdoctor": "case/1"', "kbdoctor: 'case/1'")
    )


def load_case(path: str) -> CaseFile:
    """Read a case file; a file that is not a valid case is refused with the reason, at its line
    and column. Parsed by the bounded readers of fact files (aliases, depth, keys given twice
    refused), which build plain data fast: a case of 1,000 servers is megabytes, and the YAML
    loader that keeps positions took 86 s on one (bench/tui_bench.py); positions are looked up
    only for a case that is refused."""
    from kbdoctor.engine.factio import load_json_data
    from kbdoctor.engine.limits import Limits
    from kbdoctor.engine.yamlio import load_yaml_data, yaml_error_problem

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise _refused(path, detail) from exc
    limits = Limits.from_env()
    try:
        if text.lstrip("\ufeff \t\r\n").startswith("{"):
            data: Any = load_json_data(text.lstrip("\ufeff"), limits)
        else:
            data = load_yaml_data(text, limits)
    except InputRefused as exc:
        raise UsageError([exc.problem(path)]) from None
    except json.JSONDecodeError as exc:
        problem = Problem(path, exc.lineno, exc.colno, "error.case_invalid", {"detail": exc.msg})
        raise UsageError([problem]) from None
    except Exception as exc:  # the YAML reader raises many classes; each carries a mark
        raise UsageError([yaml_error_problem(exc, path)]) from None
    try:
        return CaseFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        line, column = _position(text, error_path(tuple(first["loc"]), data))
        detail = f"{where}: {first['msg']}"
        problem = Problem(path, line, column, "error.case_invalid", {"detail": detail})
        raise UsageError([problem]) from None


def _position(text: str, data_path: tuple[Any, ...]) -> tuple[int | None, int | None]:
    """Where ``data_path`` is in the text (a second, slower parse that keeps positions)."""
    from kbdoctor.engine.limits import Limits
    from kbdoctor.engine.yamlio import load_yaml

    try:
        _data, locator = load_yaml(text, Limits(string_chars=len(text) + 1))
    except Exception:  # the data was read; a position is only a courtesy
        return None, None
    return locator.position(data_path)


def _refused(path: str, detail: str) -> UsageError:
    return UsageError([Problem(path, None, None, "error.case_invalid", {"detail": detail})])


__all__ = [
    "FORMAT",
    "CaseChange",
    "CaseFile",
    "CaseNote",
    "CaseSourceRecord",
    "Notes",
    "case_of",
    "dump_case",
    "is_case_file",
    "load_case",
    "note_key",
    "session_of",
]
