"""Import saved command output: files and folders in, facts and located warnings out.

This is the one path from a customer's material to facts, used by ``kbdoctor collect`` and by
the TUI. Per file: bytes are decoded (:mod:`kbdoctor.collectors.decoding`), the text is cut into
the outputs of the commands pasted into it (:mod:`kbdoctor.collectors.segments`), and each
output goes to the first reader that recognises it (:mod:`.importers.registry`). What no reader
recognises is reported with the list of known formats, never guessed at (the list is filled in
when the warning is rendered, in the language it is shown in).

Outputs that do not name the machine they ran on get a host hint - ``--host`` or the name of the
folder the file is in - and a warning says which was used, because a wrong folder name would
otherwise silently become a wrong host.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kbdoctor.collectors.decoding import EVTX_MAGIC, Decoded, decode_bytes
from kbdoctor.collectors.file_trail import BlockTrail, FileTrail, text_span
from kbdoctor.collectors.host_folder import explained, folder_not_a_host, is_utf8
from kbdoctor.collectors.importers.base import HostHint, ImportWarning, Material
from kbdoctor.collectors.importers.registry import pick_reader
from kbdoctor.collectors.inference import infer_hosts
from kbdoctor.collectors.material_kind import (
    NotOutput,
    html_text,
    is_html_page,
    kind_by_name_or_bytes,
    kind_by_text,
)
from kbdoctor.collectors.segments import CommandMaterial, split_segments
from kbdoctor.collectors.shapes import is_name_like
from kbdoctor.engine.errors import UsageError
from kbdoctor.engine.factio import display_path
from kbdoctor.engine.facts import Fact, FieldKind, TimeStatus, field_kind
from kbdoctor.engine.i18n import Lang
from kbdoctor.engine.limits import ENV_VARS, Limits
from kbdoctor.engine.names import same_host
from kbdoctor.engine.observations import one_reading_each
from kbdoctor.engine.probe import probe
from pydantic import BaseModel

PEERS_READER = "w32tm-peers"


@dataclass
class ImportResult:
    """Facts in the order of the material, warnings with file and line, and the files (or
    parts) that no reader recognised. Warnings are language-neutral (a key and parameters)."""

    facts: list[Fact] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    unrecognised: list[ImportWarning] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    lang: Lang = "en"  # the language the caller reads in: render warnings with it
    # files set aside unread because they are plainly not command output, with what they are
    skipped: list[tuple[str, NotOutput]] = field(default_factory=list)
    # per file, which reader claimed which lines and what it read (the import report's material)
    trail: list[FileTrail] = field(default_factory=list)
    inferred: int = 0  # facts at the end of ``facts`` inferred from the others, not read


def walk(paths: Sequence[str]) -> tuple[list[Path], list[ImportWarning]]:
    """The files under ``paths`` in a stable order: each path in the order given, a folder's
    files sorted by relative path; hidden files and folders are left out. A path that does not
    exist, a folder that cannot be listed and a file that cannot be looked at (its folder can be
    listed but not searched) are warnings naming them, and the walk goes on; so is a device,
    a named pipe or a socket, said as what it is: it is there, and reading it may never end."""
    files: list[Path] = []
    missing: list[ImportWarning] = []

    def unreadable(error: OSError, where: str) -> None:
        shown = display_path(str(error.filename)) if error.filename else display_path(where)
        detail = error.strerror or str(error)
        missing.append(ImportWarning.at(shown, None, "cannot_read", detail=detail))

    for raw in paths:
        path = Path(raw)
        seen = probe(path)
        if seen.kind == "folder":
            found: list[Path] = []

            def listing_failed(error: OSError, raw: str = raw) -> None:
                unreadable(error, raw)

            for folder, folders, names in os.walk(path, onerror=listing_failed):
                folders[:] = sorted(f for f in folders if not f.startswith("."))
                here = Path(folder)
                for name in names:
                    entry = probe(here / name) if not name.startswith(".") else None
                    if entry is not None and entry.error is not None:
                        unreadable(entry.error, str(here / name))
                    elif entry is not None and entry.kind == "file":
                        found.append(here / name)
                    elif entry is not None and entry.kind == "other":
                        shown = display_path(str(here / name))
                        missing.append(ImportWarning.at(shown, None, _not_regular(here / name)))
            files.extend(sorted(found, key=lambda p: p.relative_to(path).parts))
        elif seen.kind == "file":
            files.append(path)
        elif seen.error is not None:
            unreadable(seen.error, raw)
        elif seen.kind == "other":
            missing.append(ImportWarning.at(display_path(raw), None, _not_regular(path)))
        else:
            missing.append(ImportWarning.at(display_path(raw), None, "no_such_path"))
    return files, missing


def _not_regular(path: Path) -> str:
    """The warning's key for a path that is neither a regular file nor a folder: what it is."""
    try:
        mode = os.stat(path).st_mode
    except OSError:  # gone since it was looked at
        return "not_regular"
    if stat.S_ISCHR(mode):
        return "not_regular_char_device"
    if stat.S_ISBLK(mode):
        return "not_regular_block_device"
    if stat.S_ISFIFO(mode):
        return "not_regular_fifo"
    if stat.S_ISSOCK(mode):
        return "not_regular_socket"
    return "not_regular"


Progress = Callable[[int, int, Path], None]  # files done, files in all, the file being read


def import_paths(
    paths: Sequence[str],
    host: str | None = None,
    lang: Lang = "en",
    progress: Progress | None = None,
) -> ImportResult:
    """Import every file under ``paths``. Never raises for what is in the files; a file that
    cannot be opened becomes a warning.

    Warnings hold catalogue keys, not sentences: the caller shows them in its language with
    ``ImportWarning.render(lang)``. ``lang`` is the language the caller reads in; it is kept on
    the result for callers that render later. ``progress`` is told before each file is read,
    so that a long import (a folder of event logs) can show where it is."""
    result = ImportResult(lang=lang)
    files, missing = walk(paths)
    result.warnings.extend(missing)
    for done, path in enumerate(files):
        if progress is not None:
            progress(done, len(files), path)
        import_file(path, host, result)
    summary = skipped_summary(result.skipped)
    if summary is not None:
        result.unrecognised.append(summary)
    result.facts = _dedupe(_merge_peers(result.facts))
    inferred = _dedupe_against(infer_hosts(result.facts), result.facts)
    result.facts.extend(inferred)
    result.inferred = len(inferred)
    return result


def host_hint(path: Path, host: str | None) -> HostHint | None:
    """``--host``, else the name of the file's folder when it is spelled like a machine's name
    (``EX01``, ``dc-02``, ``ex01.corp.example.com``): a folder called ``eventlog``, ``samples``
    or ``ticket`` names no machine, nor does one whose name is not UTF-8
    (:mod:`.host_folder`), and a wrong host is worse than a warning asking for one."""
    if host and host.strip():
        return HostHint(host.strip(), "option")
    folder = path.resolve().parent.name
    return HostHint(folder, "folder") if is_utf8(folder) and is_name_like(folder) else None


def _limits() -> Limits:
    try:
        return Limits.from_env()
    except UsageError:  # a bad setting is reported by the command line; here the default holds
        return Limits()


def _file_bytes_limit() -> int:
    return _limits().file_bytes


def import_file(path: Path, host: str | None, result: ImportResult) -> None:
    """Read one file into ``result``. A file that cannot be read, or is larger than the limit
    on bytes per file (KBDOCTOR_MAX_FILE_BYTES), is a warning naming it; a name that is not
    UTF-8 is shown and recorded escaped (``\\xNN``)."""
    name = display_path(str(path))
    result.files.append(name)
    trail = FileTrail(name)
    result.trail.append(trail)
    limit = _file_bytes_limit()
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        detail = error.strerror or str(error)
        result.warnings.append(ImportWarning.at(name, None, "cannot_read", detail=detail))
        trail.status = "unreadable"
        return
    if len(data) > limit:
        result.warnings.append(
            ImportWarning.at(name, None, "too_large", limit=limit, variable=ENV_VARS["file_bytes"])
        )
        trail.status = "too_large"
        return
    hint = host_hint(path, host)
    refused = folder_not_a_host(path, host)
    kind = kind_by_name_or_bytes(name, data)
    if kind is not None:
        _skip(result, trail, kind)
        return
    decoded = decode_bytes(data)
    if decoded.text is not None and kind_by_text(decoded.text) is not None:
        _skip(result, trail, "source")
        return
    if decoded.text is None and not data.startswith(EVTX_MAGIC):
        _skip(result, trail, "binary")
        return
    web_page = decoded.text is not None and is_html_page(decoded.text)
    if decoded.text is not None and web_page:
        decoded = Decoded(html_text(decoded.text), decoded.encoding)
    if decoded.text is None:
        material = Material(name, data, None, 1, hint)
        read = _read(material, hint, result, refused)
        trail.blocks.append(_block(None, None, None, read))
        if read is None:
            trail.status = "unrecognised"
            result.unrecognised.append(
                ImportWarning.at(name, None, "binary_file")
            )
        return
    segments = split_segments(decoded.text)
    unread: list[ImportWarning] = []
    recognised = 0
    for segment in segments:
        material = CommandMaterial(
            name, data, segment.text, segment.first_line, hint, segment.line_map,
            command=segment.command,
        )
        first, last = text_span(material) or (segment.first_line, segment.first_line)
        read = _read(material, hint, result, refused)
        trail.blocks.append(_block(first, last, segment.command, read))
        if read is not None:
            recognised += 1
            continue
        shown = f" ({segment.command})" if segment.command else ""
        key = "unrecognised_segment" if last > first else "unrecognised_line"
        unread.append(ImportWarning.at(name, first, key, first=first, last=last, command=shown))
    if recognised == 0 and web_page:
        _skip(result, trail, "web_page")
    elif recognised == 0:
        trail.status = "unrecognised"
        result.unrecognised.append(
            ImportWarning.at(name, None, "unrecognised_file")
        )
    else:
        result.warnings.extend(unread)


def _block(
    first: int | None, last: int | None, command: str | None, read: tuple[str, list[Fact]] | None
) -> BlockTrail:
    """The trail of one block: the reader that claimed it and its facts, or no reader."""
    if read is None:
        return BlockTrail(first, last, command, None)
    return BlockTrail(first, last, command, read[0], read[1])


def _skip(result: ImportResult, trail: FileTrail, kind: NotOutput) -> None:
    """Set the file of ``trail`` aside as not command output (said in one summary line)."""
    result.skipped.append((trail.path, kind))
    trail.status, trail.not_output = "not_output", kind


SKIPPED_SHOWN = 5  # names listed in the summary line of skipped files; the rest are counted


def skipped_summary(skipped: Sequence[tuple[str, NotOutput]]) -> ImportWarning | None:
    """One line for every file set aside as not command output: how many of each kind, and the
    first names (located at the folder that holds them all)."""
    if not skipped:
        return None
    names = [name for name, _ in skipped]
    counts = {kind: sum(1 for _, k in skipped if k == kind) for _, kind in skipped}
    where = (os.path.commonpath(names) if len(names) > 1 else names[0]) or "."
    shown = ", ".join(os.path.relpath(n, where) if n != where else os.path.basename(n)
                      for n in names[:SKIPPED_SHOWN])
    more = len(names) - SKIPPED_SHOWN
    return ImportWarning.at(
        where, None, "skipped_not_output", count=len(names),
        source=counts.get("source", 0), binary=counts.get("binary", 0),
        web_page=counts.get("web_page", 0),
        names=shown + (f" (+{more})" if more > 0 else ""),
    )


def _read(
    material: Material, hint: HostHint | None, result: ImportResult, refused: str | None = None
) -> tuple[str, list[Fact]] | None:
    """Give ``material`` to its reader: the reader's name and the facts it read, or None when no
    reader recognises the material. ``refused``: the folder whose name could not be the host
    (:func:`.host_folder.folder_not_a_host`), said instead of the reader's "no host"."""
    reader = pick_reader(material)
    if reader is None:
        return None
    try:
        read = reader.read(material)
    except Exception as error:  # defensive: the contract says readers never raise
        result.warnings.append(
            ImportWarning.at(material.path, material.first_line, "reader_failed",
                             reader=reader.name, detail=repr(error))
        )
        return reader.name, []
    facts = _within_text_limit(read.facts, material, result)
    result.facts.extend(facts)
    result.warnings.extend(explained(read.warnings, refused, reader.name))
    named_in_material = hint is not None and hint.name.lower() in (material.text or "").lower()
    if (
        hint is not None
        and not named_in_material
        and any(_uses_host(fact, hint.name) for fact in read.facts)
    ):
        key = "host_from_option" if hint.how == "option" else "host_from_folder"
        result.warnings.append(
            ImportWarning.at(material.path, material.first_line, key, host=hint.name)
        )
    return reader.name, facts


def _within_text_limit(
    facts: Sequence[Fact], material: Material, result: ImportResult
) -> list[Fact]:
    """The facts whose texts all fit the limit on characters per text (KBDOCTOR_MAX_STRING):
    a fact with a longer one (a DN wrapped over thousands of lines, a megabyte event message)
    would make a fact file that ``evaluate`` refuses, so it is left out with a warning at its
    line instead of being cut, which would change what it says."""
    limit = _limits().string_chars
    kept: list[Fact] = []
    for fact in facts:
        name = _text_over(fact, limit)
        if name is None:
            kept.append(fact)
            continue
        line = fact.provenance.line if fact.provenance is not None else None
        result.warnings.append(
            ImportWarning.at(
                material.path, line or material.first_line, "text_too_long",
                type=fact.type, field=name, limit=limit, variable=ENV_VARS["string_chars"],
            )
        )
    return kept


def _text_over(fact: Fact, limit: int) -> str | None:
    """The first field of ``fact`` (its provenance's included) with a text longer than
    ``limit`` characters, or None."""
    for name, value in fact:
        if isinstance(value, BaseModel):
            inner = next((n for n, v in value if isinstance(v, str) and len(v) > limit), None)
            if inner is not None:
                return f"{name}.{inner}"
            continue
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, str) and len(item) > limit for item in items):
            return name
    return None


def _uses_host(fact: Fact, hint: str) -> bool:
    """Whether a host field of ``fact`` holds the hint, spelled exactly as given: then the hint
    stood in for a name the material does not give."""
    for name in type(fact).model_fields:
        if name in ("type", "provenance", "observed_at"):
            continue
        if field_kind(fact.type, name) is FieldKind.HOST and getattr(fact, name) == hint:
            return True
    return False


def fact_key(fact: Fact) -> str:
    """What makes two facts the same fact: everything but where they were read."""
    data = fact.model_dump(mode="json", exclude={"provenance"}, exclude_none=True)
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per reading: the same output saved under ``EX02`` and under
    ``ex02.corp.example.com`` is one measurement, and two facts of it would count twice."""
    return one_reading_each(facts)


def _dedupe_against(new: list[Fact], existing: list[Fact]) -> list[Fact]:
    return one_reading_each(new, existing)


def _merge_peers(facts: list[Fact]) -> list[Fact]:
    """``w32tm /query /peers`` read next to ``/query /status`` of the same machine: the peers
    join the status fact instead of standing as a second one."""
    statuses = [
        i
        for i, f in enumerate(facts)
        if isinstance(f, TimeStatus) and f.peers is None and _reader(f) != PEERS_READER
    ]
    merged: list[Fact] = list(facts)
    dropped: set[int] = set()
    for index, fact in enumerate(facts):
        if not isinstance(fact, TimeStatus) or _reader(fact) != PEERS_READER:
            continue
        target = next(
            (i for i in statuses if same_host(getattr(merged[i], "host", ""), fact.host)), None
        )
        if target is None:
            continue
        status = merged[target]
        if isinstance(status, TimeStatus):
            merged[target] = status.model_copy(update={"peers": fact.peers})
            dropped.add(index)
    return [f for i, f in enumerate(merged) if i not in dropped]


def _reader(fact: Fact) -> str | None:
    return fact.provenance.reader if fact.provenance else None
