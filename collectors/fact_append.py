"""``kbdoctor collect --append``: new facts added to an existing fact file without repeating
those it holds, keeping the file's comments and layout where that can be done safely.

The command line (:mod:`kbdoctor.collect_command`) reads the file, calls :func:`appended` under
:func:`locked` and writes the result atomically; this module never prints.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
from collections.abc import Iterator
from typing import Any, Literal

from kbdoctor.collectors.importing import fact_key
from kbdoctor.engine.atomic import resolve_target
from kbdoctor.engine.factio import dump_fact_file, fact_data, parse_fact_text
from kbdoctor.engine.facts import Fact, FactFile
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.yamlio import dump_yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)


@contextlib.contextmanager
def locked(output: str) -> Iterator[None]:
    """An exclusive ``flock`` on ``.NAME.lock`` beside the (symlink-resolved) target. The lock
    file stays: removing it would let a third run lock a new file while the second holds the
    old one."""
    target = resolve_target(output)
    lock = target.with_name(f".{target.name}.lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class CommentsWouldBeLost(Exception):
    """The file's layout cannot be extended with its comments kept; nothing was written."""


def appended(
    existing: tuple[str, FactFile] | None, new: list[Fact], fmt: Literal["yaml", "json"]
) -> str:
    """The fact file with the ``new`` facts it does not hold yet appended. A YAML file keeps its
    comments and layout: the new facts are written as text right after the last fact of the
    ``facts`` list, in the list's own style (block items at its indentation, or flow items
    before a flow list's ``]``), wherever the list stands in the file; failing that, the file
    goes through ruamel's round trip. Either result is read back and checked before it is used.
    A file without comments that neither way can extend is written anew (nothing is lost); one
    with comments raises CommentsWouldBeLost, so that the caller refuses before writing."""
    if existing is None:
        return dump_fact_file(FactFile(kbdoctor="facts/1", facts=new), fmt)
    text, fact_file = existing
    seen = {fact_key(f) for f in fact_file.facts}
    added = [f for f in new if fact_key(f) not in seen]
    merged = FactFile(
        kbdoctor="facts/1",
        collected_at=fact_file.collected_at,
        environment=fact_file.environment,
        facts=[*fact_file.facts, *added],
    )
    if fmt == "yaml":
        for extend in (_append_as_text, _append_round_trip):
            try:
                candidate = extend(text, added)
                if candidate is not None and _holds(candidate, merged):
                    return candidate
            except Exception:  # a layout this cannot extend: the next way, or a new file
                continue
    if _has_comments(text):
        raise CommentsWouldBeLost
    return dump_fact_file(merged, fmt)


def _holds(text: str, expected: FactFile) -> bool:
    read = parse_fact_text(text, "<appended>", Limits(facts=len(expected.facts) + 1))
    return [fact_key(f) for f in read.facts] == [fact_key(f) for f in expected.facts]


def _has_comments(text: str) -> bool:
    """Whether the YAML ``text`` holds a comment (a ``#`` inside a quoted value is none)."""
    try:
        return any(getattr(token, "comment", None) for token in YAML(typ="rt").scan(text))
    except Exception:  # unreadable as YAML here: assume the worst, never lose one silently
        return True


def _facts_list(text: str) -> tuple[Any, Any, list[Any]] | None:
    """The parser events of the top-level ``facts`` list: its start, its end and those within;
    None when ``facts`` is not a list of the top-level mapping."""
    depth = 0
    want_value = False  # at the top level: the next scalar is a value, not a key
    key: Any = None
    start: Any = None
    inside: list[Any] = []
    for event in YAML(typ="safe").parse(text):
        kind = type(event)
        if kind is AliasEvent:
            return None
        if start is not None:
            if depth == 2 and (kind is SequenceEndEvent):
                return start, event, inside
            inside.append(event)
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            if depth == 1:
                if key == "facts" and kind is SequenceStartEvent:
                    start = event
                want_value = False
            depth += 1
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            depth -= 1
        elif kind is ScalarEvent and depth == 1:
            if want_value:
                want_value = False
            else:
                key, want_value = event.value, True
    return None


def _append_as_text(text: str, added: list[Fact]) -> str | None:
    """``text`` with the facts written right after its last one: block items at the list's
    indentation after the line the last fact ends on (its inline comment stays with it), or
    flow items after a flow list's last item; None when there is no ``facts`` list."""
    if not added:
        return text
    found = _facts_list(text)
    if found is None:
        return None
    start, _, inside = found
    if start.flow_style:
        items = ", ".join(json.dumps(fact_data(f), ensure_ascii=False) for f in added)
        if not inside:
            at = start.end_mark.index  # just after "["
            return text[:at] + items + text[at:]
        at = _content_end(inside)
        return text[:at] + ", " + items + text[at:]
    last = _content_end(inside)
    if last > 0 and text[last - 1] == "\n":  # a block scalar ends with its line break
        at = last
    else:
        newline = text.find("\n", last)
        at = len(text) if newline < 0 else newline + 1
    block = dump_yaml([fact_data(f) for f in added])
    indent = " " * start.start_mark.column
    shifted = "".join(indent + line if line.strip() else line for line in block.splitlines(True))
    head = text[:at] if at == 0 or text[at - 1] == "\n" else text[:at] + "\n"
    return head + shifted + text[at:]


def _content_end(events: list[Any]) -> int:
    """Where the last written content of ``events`` ends: the end of a scalar or of a flow
    collection. A block collection's end is not used: its mark lies at the next token, past
    the comments that follow it."""
    flow: list[bool] = []
    end = 0
    for event in events:
        kind = type(event)
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            flow.append(bool(event.flow_style))
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            if flow.pop():
                end = max(end, event.end_mark.index)
        elif kind is ScalarEvent:
            end = max(end, event.end_mark.index)
    return end


def _append_round_trip(text: str, added: list[Fact]) -> str:
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096
    yaml.allow_unicode = True
    document = yaml.load(text)
    facts = document["facts"]
    if not facts and isinstance(facts, CommentedSeq):
        facts.fa.set_block_style()
    facts.extend(fact_data(f) for f in added)
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()
