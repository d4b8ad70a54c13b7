"""``kbdoctor collect --append``: new facts added to an existing fact file without repeating
those it holds, keeping the file's comments and layout where that can be done safely.

The command line (:mod:`kbdoctor.collect_command`) reads the file, calls :func:`appended` under
:func:`locked` and writes the result atomically; this module never prints.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
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


def appended(
    existing: tuple[str, FactFile] | None, new: list[Fact], fmt: Literal["yaml", "json"]
) -> str:
    """The fact file with the ``new`` facts it does not hold yet appended. A YAML file keeps its
    comments and layout: when ``facts`` is its last key and a block list (as ``collect`` writes
    it), the new facts are added as text after the last one; otherwise the file goes through
    ruamel's round trip. Either result is read back and checked before it is used; if it does
    not hold exactly the facts it should, the file is written anew (comments lost, facts not)."""
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
    if fmt == "yaml" and not text.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
        for extend in (_append_as_text, _append_round_trip):
            try:
                candidate = extend(text, added)
                if candidate is not None and _holds(candidate, merged):
                    return candidate
            except Exception:  # a layout this cannot extend: the next way, or a new file
                continue
    return dump_fact_file(merged, fmt)


def _holds(text: str, expected: FactFile) -> bool:
    read = parse_fact_text(text, "<appended>", Limits(facts=len(expected.facts) + 1))
    return [fact_key(f) for f in read.facts] == [fact_key(f) for f in expected.facts]


def _append_as_text(text: str, added: list[Fact]) -> str | None:
    """``text`` with the facts written after its last one, at the same indentation, when
    ``facts`` is the last key of the file and a block list; None otherwise."""
    if not added:
        return text
    depth = 0
    want_value = False  # at the top level: the next scalar is a value, not a key
    key: Any = None
    column: int | None = None  # of the facts list's dashes, while it is the last key
    for event in YAML(typ="safe").parse(text):
        kind = type(event)
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            if depth == 1:
                block = kind is SequenceStartEvent and not event.flow_style
                column = event.start_mark.column if key == "facts" and block else None
                want_value = False
            depth += 1
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            depth -= 1
        elif kind is ScalarEvent and depth == 1:
            if want_value:
                want_value = False
            else:
                key, column, want_value = event.value, None, True
        elif kind is AliasEvent:
            return None
    if column is None:
        return None
    items = dump_yaml([fact_data(f) for f in added])
    indent = " " * column
    shifted = "".join(indent + line if line.strip() else line for line in items.splitlines(True))
    return (text if text.endswith("\n") else text + "\n") + shifted


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
