"""Finds every reader in ``kbdoctor.collectors.importers`` and picks the one for a material.

Each module of the package (except this one and ``base``) is a reader module and exposes
``READERS`` (parsing shared by several readers lives in :mod:`kbdoctor.collectors.parsing`);
discovery walks the package with :mod:`pkgutil`, so a new command family is added by adding one
module, and nobody edits a shared list. Readers are tried in a fixed order - their optional
``priority`` (lower first, default 100), then their name - so that the result never depends on
the file system's order.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from kbdoctor.collectors import importers
from kbdoctor.collectors.importers.base import Material, Reader
from kbdoctor.collectors.messages import message, reader_title
from kbdoctor.engine.i18n import Lang

_NOT_READERS = frozenset({"base", "registry"})
DEFAULT_PRIORITY = 100


@dataclass(frozen=True)
class FormatInfo:
    """A known format as shown to the administrator: what it is and how to produce it."""

    name: str
    title: str
    command: str


def priority(reader: Reader) -> int:
    value = getattr(reader, "priority", DEFAULT_PRIORITY)
    return value if isinstance(value, int) else DEFAULT_PRIORITY


@cache
def all_readers() -> tuple[Reader, ...]:
    """Every reader of every module, in trying order. A module whose ``READERS`` is missing or
    holds something that is not a reader is a programming error and raises here, at start-up."""
    found: list[Reader] = []
    for module_info in pkgutil.iter_modules(importers.__path__):
        name = module_info.name
        if name in _NOT_READERS or name.startswith("_"):
            continue
        module = importlib.import_module(f"{importers.__name__}.{name}")
        readers = getattr(module, "READERS", None)
        if not isinstance(readers, tuple):
            raise TypeError(f"{module.__name__} must define READERS as a tuple of readers")
        for reader in readers:
            if not isinstance(reader, Reader):
                raise TypeError(f"{module.__name__}.READERS holds {reader!r}, not a reader")
            found.append(reader)
    names = [reader.name for reader in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"reader names must be unique: {', '.join(duplicates)}")
    return tuple(sorted(found, key=lambda r: (priority(r), r.name)))


def readers_for(material: Material, readers: tuple[Reader, ...] | None = None) -> list[Reader]:
    """The readers that recognise ``material``, in trying order. A sniff that raises (which a
    reader must never do) counts as not recognising, so one broken reader cannot stop an import."""
    chosen: list[Reader] = []
    for reader in readers if readers is not None else all_readers():
        try:
            recognised = reader.sniff(material)
        except Exception:  # defensive: the contract says sniff never raises
            recognised = False
        if recognised:
            chosen.append(reader)
    return chosen


def pick_reader(material: Material, readers: tuple[Reader, ...] | None = None) -> Reader | None:
    """The first reader that recognises ``material``, or None."""
    found = readers_for(material, readers)
    return found[0] if found else None


def known_formats(
    readers: tuple[Reader, ...] | None = None, lang: Lang = "en"
) -> list[FormatInfo]:
    """The formats kbdoctor reads, sorted by name, for messages and for ``collect --help``: each
    reader's title from the catalogue in ``lang``, and its command as the reader writes it (or
    from the catalogue, in ``lang``, when it is prose rather than a command line)."""
    chosen = readers if readers is not None else all_readers()
    return sorted(
        (FormatInfo(r.name, reader_title(r.name, lang), command_shown(r, lang)) for r in chosen),
        key=lambda f: f.name,
    )


def command_shown(reader: Reader, lang: Lang) -> str:
    """What a person is told to run (or do) to produce ``reader``'s material, in ``lang``."""
    if getattr(reader, "command_is_prose", False):
        return message(f"reader.{reader.name}.command", lang)
    return reader.command


def describe_formats(formats: Iterable[FormatInfo]) -> str:
    """Known formats, one a line, for messages and help: ``  name - title: command``."""
    return "\n".join(f"  {f.name} - {f.title}: {f.command}" for f in formats)
