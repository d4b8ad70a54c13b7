"""A case: the work of one ticket in one file, saved and reopened exactly.

An engineer works a ticket over days: material arrives, what-if edits test hypotheses, notes
record what the customer said. A case file (``kbdoctor: case/1``, YAML or JSON) holds all of
it: the facts of every source embedded (so the case reopens without the original files, which
are named for reference only), the what-if changes in the order made with who made each and
when (replayed on opening, so undo walks back through them as before), the engineer's notes
about causes and facts, and the rule files the diagnosis used. ``kbdoctor tui CASE`` reopens
it: the same facts, changes and rules give the same diagnosis. Each source keeps what the
Sources screen shows of it (its kind, when it was read, the files it stands for, where to read
it again, an import's report, a live collection's options), so that the reopened case shows
the same sources; what redo would make again is kept too. A password never is: a reopened live
collection that binds as a user asks for it again. Every field added since case/1 was first
written is optional, so older case files open as before. No Textual here.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kbdoctor.engine.errors import InputRefused, Problem, UsageError
from kbdoctor.engine.factio import error_path
from kbdoctor.engine.facts import Fact
from kbdoctor.tui.session import _UNSET, Change, Entry, Session, _Unset, current_user
from kbdoctor.tui.sources import CaseSource, SourceKind, SourceOrigin
from pydantic import BaseModel, ConfigDict, Field, ValidationError

if TYPE_CHECKING:
    from kbdoctor.collectors.import_report import ImportReport
    from kbdoctor.collectors.live.model import LiveOptions

FORMAT = "case/1"


class CaseLive(BaseModel):
    """A live collection's options, enough to collect again, and never its password: there is
    no field for one, so a case file that holds one is refused."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    domain: str
    dcs: list[str] = Field(default_factory=list)
    exchange: list[str] = Field(default_factory=list)
    user: str | None = None
    ca_file: str | None = None
    insecure: bool = False
    timeout: float = 5.0
    dns_server: str | None = None
    local_host: str | None = None
    tickets: bool = False
    kerberos_principal: str | None = None


class CaseSourceRecord(BaseModel):
    """One source of the case with its facts as read (before any what-if change), and what the
    Sources screen shows of it. Every field after ``facts`` is optional (older case files have
    none: their sources read as fact files, read when the case is opened)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    origin: str = Field(description="the file or import the facts came from, as shown")
    environment: dict[str, str] | None = None
    facts: list[Fact]
    kind: SourceKind | None = Field(None, description="file, demo, import or live")
    read_at: datetime | None = Field(None, description="when the source was read")
    files: list[str] | None = Field(None, description="the files it stands for")
    paths: list[str] | None = Field(None, description="what to read again (files, imports)")
    live: CaseLive | None = Field(None, description="a live collection's options, no password")
    report: dict[str, Any] | None = Field(
        None, description="an import's report (import-report/1), as kbdoctor collect --report"
    )


class CaseChange(BaseModel):
    """One what-if change: the fact (its position in the case, sources in order), what was
    done, the fact given instead (``edit``), who and when."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    fact: int = Field(ge=0)
    action: Literal["edit", "disable", "revert"]
    value: Fact | None = None
    by: str | None = None
    at: datetime | None = None


class CaseNote(BaseModel):
    """A note the engineer typed about a cause (its id) or a fact (its position)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    about: Literal["cause", "fact"]
    id: str
    text: str
    by: str | None = None
    at: datetime | None = None


class CaseFile(BaseModel):
    """The whole case (``kbdoctor: case/1``)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

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
    redo: list[CaseChange] | None = Field(
        None, description="the what-if changes redo would make again, the next one first"
    )
    notes: list[CaseNote] = Field(default_factory=list)


Notes = dict[tuple[str, str], CaseNote]  # (about, id) -> note


def note_key(about: Literal["cause", "fact"], ident: str | int) -> tuple[str, str]:
    return (about, str(ident))


def case_of(
    session: Session, notes: Notes, rule_files: list[str] | None, saved_at: datetime
) -> CaseFile:
    """The case of a session as it stands."""
    by_source: dict[int, list[Entry]] = {source.id: [] for source in session.sources()}
    for entry in session.entries():
        by_source[session.source_of(entry.key).id].append(entry)
    # the facts in the order the case holds them: source after source (a live collection's
    # facts can arrive after another source was read, so the session's order may differ)
    entries = [entry for group in by_source.values() for entry in group]
    sources = [
        _source_record(session.source(source_id), group) for source_id, group in by_source.items()
    ]
    position = {entry.key: index for index, entry in enumerate(entries)}
    return CaseFile(
        kbdoctor="case/1",
        saved_at=saved_at,
        saved_by=current_user(),
        collected_at=session.collected_at,
        files=list(session.files),
        rule_files=rule_files,
        sources=sources,
        changes=_changes(session, position),
        redo=_redo(session, position) or None,
        notes=list(notes.values()),
    )


def _source_record(source: CaseSource, entries: list[Entry]) -> CaseSourceRecord:
    """A source as the case keeps it: its facts as read and what the Sources screen shows."""
    origin = source.origin
    return CaseSourceRecord(
        origin=source.label,
        environment=dict(source.environment) or None,
        facts=[entry.loaded for entry in entries],
        kind=source.kind,
        read_at=source.read_at,
        files=list(source.files),
        paths=list(origin.paths) or None,
        live=_live_record(origin.live) if origin.live is not None else None,
        report=(
            source.report.model_dump(mode="json", exclude_none=True)
            if source.report is not None
            else None
        ),
    )


def _live_record(opts: LiveOptions) -> CaseLive:
    """The options of a live collection without the password (never written anywhere)."""
    return CaseLive.model_validate({name: getattr(opts, name) for name in CaseLive.model_fields})


def _changes(session: Session, position: dict[int, int]) -> list[CaseChange]:
    """The what-if changes as positions among the facts the case saves. A session keys a fact
    by its place among every fact ever read, taken-out sources included; the case holds only
    the facts still in it, so a change is renumbered to its fact's place there, and a change
    to a fact whose source was taken out is left out (it no longer touches the diagnosis)."""
    return [
        _change(change, position[change.key])
        for change in session.history()
        if change.key in position
    ]


def _redo(session: Session, position: dict[int, int]) -> list[CaseChange]:
    """What redo would make again, the next first, as far as a case can hold it: up to the
    first change of the sources (a source taken out is not in the case, so redo could not
    bring it back) or to a fact whose source is not in the case; what follows is left out, as
    redo could only reach it through those."""
    kept: list[CaseChange] = []
    for change in session.redo_stack():
        if not isinstance(change, Change) or change.key not in position:
            break
        kept.append(_change(change, position[change.key]))
    return kept


def _change(change: Change, fact: int) -> CaseChange:
    after = change.after
    if isinstance(after, _Unset):
        return CaseChange(fact=fact, action="revert", by=change.by, at=change.at)
    if after is None:
        return CaseChange(fact=fact, action="disable", by=change.by, at=change.at)
    return CaseChange(fact=fact, action="edit", value=after, by=change.by, at=change.at)


def session_of(case: CaseFile, path: str = "case") -> tuple[Session, Notes]:
    """A session holding the case's sources (with what the Sources screen shows of each) and
    facts, with its changes made again in order (so that undo walks back through them) and
    redo as it was, and its notes."""
    session = Session()
    for index, source in enumerate(case.sources):
        session.add_source(
            source.facts,
            source.origin,
            _origin(source),
            environment=source.environment,
            files=source.files if source.files is not None else [source.origin],
            report=_report(source, index, path),
            undoable=False,
            read_at=source.read_at,
        )
    for name in case.files:
        if name not in session.files:
            session.files.append(name)
    session.saw_collected_at(case.collected_at)
    for change in case.changes:
        _check(change, session, path)
        # replayed with who made each change and when, not as the reopener's, now
        if change.action == "edit" and change.value is not None:
            session.replace(change.fact, change.value, by=change.by, at=change.at)
        elif change.action == "disable":
            session.disable(change.fact, by=change.by, at=change.at)
        else:
            session.revert(change.fact, by=change.by, at=change.at)
    redo = []
    for change in case.redo or []:
        _check(change, session, path)
        after: Fact | _Unset | None = _UNSET
        if change.action == "edit" and change.value is not None:
            after = _UNSET if change.value == session.entry(change.fact).loaded else change.value
        elif change.action == "disable":
            after = None
        redo.append((change.fact, after, change.by, change.at))
    session.restore_redo(redo)
    notes = {note_key(note.about, note.id): note for note in case.notes}
    return session, notes


def _check(change: CaseChange, session: Session, path: str) -> None:
    if change.fact >= len(session):
        raise UsageError(
            [Problem(path, None, None, "error.case_change", {"fact": change.fact,
                                                               "count": len(session)})]
        )  # fmt: skip


def _origin(source: CaseSourceRecord) -> SourceOrigin:
    """Where a saved source can be read again from (an older case names only its origin, a
    fact file). A live collection's password is not in the case: it is asked again."""
    kind = source.kind or "file"
    if kind == "demo":
        return SourceOrigin("demo")
    if kind == "live" and source.live is not None:
        from kbdoctor.collectors.live.model import LiveOptions

        live = source.live
        opts = LiveOptions(
            **{**live.model_dump(), "dcs": tuple(live.dcs), "exchange": tuple(live.exchange)}
        )
        return SourceOrigin("live", live=opts)
    paths = source.paths if source.paths is not None else [source.origin]
    return SourceOrigin(kind, tuple(paths) if kind != "live" else ())  # live: options lost


def _report(source: CaseSourceRecord, index: int, path: str) -> ImportReport | None:
    """An import's report, checked as import-report/1 (read only when a source has one: the
    collectors' models are not loaded for a case without imports)."""
    if source.report is None:
        return None
    from kbdoctor.collectors.import_report import ImportReport

    try:
        return ImportReport.model_validate(source.report)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in ("sources", index, "report", *first["loc"]))
        raise _refused(path, f"{where}: {first['msg']}") from None


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
    "CaseLive",
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
