"""What every importer (reader of one command family's output) is and returns.

A reader is a small object with a cheap ``sniff`` that recognises its format by content (never by
file name) and a ``read`` that turns the material into facts of format facts/1 plus warnings for
what it could not read. Readers never raise: the registry relies on that, and property-based tests
feed them arbitrary text and bytes.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol, runtime_checkable

from kbdoctor.collectors.messages import message
from kbdoctor.collectors.shapes import is_host
from kbdoctor.engine.facts import Fact, FieldKind, Source, field_kind
from kbdoctor.engine.i18n import Lang


@dataclass(frozen=True)
class HostHint:
    """The machine an output came from when the output itself does not say (w32tm /stripchart,
    Test-NetConnection, klist): given with ``--host`` or taken from the folder's name."""

    name: str
    how: Literal["option", "folder"]


@dataclass(frozen=True)
class Material:
    """One piece of input: a whole file, or one command's output cut out of a file that holds
    several. ``text`` is None for binary material (.evtx), which readers take from ``data``."""

    path: str
    data: bytes
    text: str | None
    first_line: int = 1  # line number in ``path`` of the first line of ``text``
    host_hint: HostHint | None = None
    # the file's line number of every line of ``text``, when they do not follow each other (a
    # paste with a blank line after every line, given back without them)
    line_map: tuple[int, ...] | None = None

    def lines(self) -> list[str]:
        return [] if self.text is None else self.text.split("\n")

    def line_no(self, index: int) -> int:
        """The 1-based line number in the file of ``lines()[index]``."""
        if self.line_map is not None and 0 <= index < len(self.line_map):
            return self.line_map[index]
        return self.first_line + index


@dataclass(frozen=True)
class ImportWarning:
    """Something that was not read, with where it is; never a guess.

    It holds a key of the collectors' catalogue and its parameters rather than a sentence, so
    that the same warning can be shown in the language of whoever reads it (``collect --lang``,
    the TUI's language switch) long after the reader ran. ``str()`` is the English line for logs.
    """

    file: str
    line: int | None
    key: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def at(cls, file: str, line: int | None, key: str, /, **params: object) -> ImportWarning:
        """A warning at line ``line`` (1-based, in the file) of ``file``. Parameter values are
        kept as text so that the warning stays hashable and compares by what it says."""
        return cls(file, line, key, tuple(sorted((k, str(v)) for k, v in params.items())))

    def text(self, lang: Lang = "en") -> str:
        """What is wrong, in ``lang``, without the location."""
        return message(self.key, lang, **dict(self.params))

    @property
    def message(self) -> str:
        return self.text("en")

    def render(self, lang: Lang = "en") -> str:
        """``file:line: text`` in ``lang``."""
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.text(lang)}"

    def __str__(self) -> str:
        return self.render("en")


@dataclass
class ReadResult:
    facts: list[Fact] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    # The material was read and states only what facts/1 does not keep (klist listing tickets it
    # got, a ping-only Test-NetConnection): no "nothing found" warning is due for it.
    nothing_to_keep: bool = False


@runtime_checkable
class Reader(Protocol):
    """One command family's output. ``name`` is stable (it is written into every fact's source);
    ``command`` is the exact Windows command an administrator runs to produce the material, in
    every language (the one place it is written: help, the collection script and each fact's
    source take it from here). The reader's title is a text for people, so it lives in the
    collectors' catalogues as ``collect.reader.<name>.title`` (one per language)."""

    name: str
    command: str

    def sniff(self, material: Material) -> bool: ...

    def read(self, material: Material) -> ReadResult: ...


class ReaderBase(ABC):
    """What every reader is built on, so that a reader is written one way (issue 9, item 7).

    A subclass says how its format is recognised (:meth:`_sniff`) and how it is read
    (:meth:`_read`); the base owns what must hold for every reader whoever wrote it:

    - ``sniff`` and ``read`` never raise: an exception inside them is a bug of the reader, and it
      becomes the warning ``base.read_failed`` with the file, never a crash of an import (the
      registry, the property tests and the TUI rely on it);
    - ``read`` reads nothing from material ``sniff`` does not claim (``base.not_claimed``): the
      importer only gives a reader what it claimed, but tests, tools and other readers call
      ``read`` directly, and positive evidence before any fact must hold for them too;
    - a fact whose host field is not shaped like a host is not kept (:func:`keep_shaped`);
    - claimed material that gave no fact and no warning saying why gets the one warning
      ``base.nothing_found``, the same for every reader, so that a person checking an import
      sees that the reader looked and found nothing rather than silence.

    The sniffing helpers below (a line matching a pattern, the typed command naming the
    program) are what the readers' ``_sniff`` methods kept writing out by hand.

    Every reader class carries a sample of what it reads in an ``Example::`` block of its
    docstring; a test reads each sample and expects facts of the types the block names.
    """

    # set by every subclass (:class:`Reader`); not ClassVar, which the Protocol would not accept
    name: str = ""
    command: str = ""
    # True when ``command`` is not a command line but prose (a menu path): it is then shown from
    # the catalogue, ``collect.reader.<name>.command``, in the user's language
    command_is_prose: bool = False
    # the program a typed command line must name for :meth:`typed_command` (a regex matched at
    # the start of the command, case-insensitively); None when the format has no one program
    program: str | None = None

    def sniff(self, material: Material) -> bool:
        try:
            return bool(self._sniff(material))
        except Exception:  # a bug of the reader: it does not claim what it cannot look at
            return False

    def read(self, material: Material) -> ReadResult:
        if not self.sniff(material):
            return ReadResult(
                warnings=[warning(material, 0, "base.not_claimed", reader=self.name)]
            )
        result = ReadResult()
        try:
            self._read(material, result)
        except Exception as error:  # a bug of the reader: said, never raised
            result.warnings.append(
                warning(material, None, "base.read_failed", reader=self.name,
                        detail=f"{type(error).__name__}: {error}"[:200])
            )
        if not result.facts and not result.warnings and not result.nothing_to_keep:
            result.warnings.append(warning(material, None, "base.nothing_found", reader=self.name))
        return keep_shaped(result, material)

    @abstractmethod
    def _sniff(self, material: Material) -> bool:
        """Whether the lines that make this format distinctive are in ``material``. Cheap: it
        runs for every reader on every block of every file."""

    @abstractmethod
    def _read(self, material: Material, result: ReadResult) -> None:
        """Add to ``result`` the facts ``material`` states and a warning for what it could not
        read. Only called on material :meth:`_sniff` claimed."""

    # Shared sniffing helpers

    def typed_command(self, material: Material) -> str | None:
        """The command typed for ``material`` (its segment's prompt or a command line at its
        top) when it runs this reader's :attr:`program`, else None."""
        from kbdoctor.collectors.segments import command_of  # segments imports this module

        command = command_of(material)
        if not command or self.program is None:
            return None
        return command if re.match(rf"^\s*(?:\S*[\\/])?(?:{self.program})(?:\.exe)?\b", command,
                                   re.IGNORECASE) else None

    @staticmethod
    def has_switch(command: str | None, *switches: str) -> bool:
        """Whether ``command`` carries every one of ``switches`` (``/monitor``, ``-X``)."""
        return bool(command) and all(
            re.search(rf"(?:^|\s)[/-]{re.escape(s)}(?=$|[\s:])", command or "", re.IGNORECASE)
            for s in switches
        )

    @staticmethod
    def first_matching(
        material: Material, pattern: re.Pattern[str], *, head: int | None = None
    ) -> int | None:
        """The index of the first of the material's lines (of its first ``head`` lines) that
        ``pattern`` matches at its start, or None."""
        lines = material.lines()
        for index, line in enumerate(lines if head is None else lines[:head]):
            if pattern.match(line):
                return index
        return None

    @classmethod
    def any_line(
        cls, material: Material, pattern: re.Pattern[str], *, head: int | None = None
    ) -> bool:
        """Whether one of the material's lines (of its first ``head`` lines) starts with
        ``pattern``."""
        return cls.first_matching(material, pattern, head=head) is not None

    @staticmethod
    def count_matching(material: Material, pattern: re.Pattern[str]) -> int:
        """How many of the material's lines ``pattern`` matches at their start."""
        return sum(1 for line in material.lines() if pattern.match(line))


def keep_shaped(result: ReadResult, material: Material) -> ReadResult:
    """``result`` without the facts a host field of which does not hold a host (a DNS or NetBIOS
    name or an IP address, :func:`kbdoctor.collectors.shapes.is_host`): each becomes a warning
    at the fact's line. One check, in one place (:meth:`ReaderBase.read`), for every reader."""
    kept: list[Fact] = []
    for fact in result.facts:
        bad = _unshaped_host(fact)
        if bad is None:
            kept.append(fact)
            continue
        line = fact.provenance.line if fact.provenance else None
        result.warnings.append(
            ImportWarning.at(material.path, line, "base.not_a_host", type=fact.type,
                             field=bad[0], value=bad[1][:80])
        )
    result.facts = kept
    return result


def _unshaped_host(fact: Fact) -> tuple[str, str] | None:
    """The first host field of ``fact`` whose value is not shaped like a host, and the value."""
    for name in type(fact).model_fields:
        if name in ("type", "provenance", "observed_at") or field_kind(fact.type, name) is not (
            FieldKind.HOST
        ):
            continue
        value = getattr(fact, name)
        values = value if isinstance(value, list) else [value]
        for item in values:
            # a peer of w32tm /query /peers keeps its mode flags: "dc01.corp.example.com,0x8"
            if isinstance(item, str) and not is_host(item.split(",0x", 1)[0]):
                return name, item
    return None


def source_for(
    reader: Reader,
    material: Material,
    first: int,
    last: int | None = None,
    *,
    command: str | None = None,
    inferred: str | None = None,
) -> Source:
    """The provenance of a fact read from lines ``first``..``last`` (0-based indices into the
    material's lines)."""
    line = material.line_no(first)
    line_end = material.line_no(last) if last is not None and last > first else None
    return Source(
        collector="import",
        reader=reader.name,
        command=command or reader.command,
        file=material.path,
        line=line,
        line_end=line_end,
        host=material.host_hint.name if material.host_hint else None,
        inferred=inferred,
    )


def warning(material: Material, index: int | None, key: str, /, **params: object) -> ImportWarning:
    """A warning about line ``index`` (0-based, into the material's lines; None for the material
    as a whole) with the text of ``key`` in the collectors' catalogues (``collectors/locales``,
    read through :mod:`kbdoctor.collectors.messages`)."""
    line = material.line_no(index) if index is not None else None
    return ImportWarning.at(material.path, line, key, **params)


_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+|\d+)(?:[.,]\d+)?$")


def parse_number(raw: str) -> float | None:
    """A number as Windows prints it in any locale: ``-0.0063029``, ``+00,0009583``, ``1 234,5``,
    ``1.234,5``, ``1,234.5``. Returns None when the text is not a number."""
    text = raw.strip().rstrip("s").strip()
    if not text or not _NUMBER.match(text):
        return None
    sign = -1.0 if text.startswith("-") else 1.0
    text = text.lstrip("+-").replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    last_dot, last_comma = text.rfind("."), text.rfind(",")
    decimal = "." if last_dot > last_comma else ","
    if last_dot == -1 and last_comma == -1:
        decimal = ""
    # The last separator is the decimal one: w32tm prints offsets with seven decimals, and a
    # lone "1,234" in that material is a decimal comma, not a thousands separator.
    integer, _, fraction = text.rpartition(decimal) if decimal else (text, "", "")
    integer = integer.replace(".", "").replace(",", "")
    try:
        return sign * float(f"{integer}.{fraction}" if fraction else integer)
    except ValueError:
        return None


_DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%Y.%m.%d %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%Y-%m-%d",
)


def parse_datetime(raw: str, *, day_first: bool | None = None) -> datetime | None:
    """A date and time as Windows prints it in common locales (ISO, US with AM/PM, European with
    dots, 24-hour clocks; fractions of seconds dropped). A ``dd/mm`` versus ``mm/dd`` date is read
    month-first when it has AM/PM (the US layout), day-first when ``day_first`` is true or the
    first part is over 12; when nothing settles it, it is not read (None), never guessed.
    Returns None when nothing fits."""
    text = re.sub(r"\s+", " ", raw.strip())
    text = re.sub(r"(\d{2}:\d{2}:\d{2})[.,]\d+", r"\1", text)
    text = re.sub(r"\s*\((?:local|lokalny|lokal|locale)\)\s*$", "", text, flags=re.IGNORECASE)
    text = text.replace("a.m.", "AM").replace("p.m.", "PM")
    text = re.sub(r"Z$|[+-]\d{2}:\d{2}$", "", text).strip()
    if day_first is None and _ambiguous_day_month(text):
        return None
    formats = _DATE_FORMATS
    if day_first:
        formats = tuple(f.replace("%m/%d/", "%d/%m/") for f in _DATE_FORMATS)
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    if day_first is None and "/" in text:
        return parse_datetime(raw, day_first=True)
    return None


_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/\d{4}\b")


def _ambiguous_day_month(text: str) -> bool:
    """``12/05/2023 16:02:02``: 12 May (en-GB) or 5 December (en-US)? Both parts at most 12 and
    different, and no AM/PM, which only the month-first (US) layout prints with slashes: the
    material does not say, so no time is read rather than a wrong one."""
    match = _SLASHED.match(text)
    if match is None:
        return False
    first, second = int(match.group(1)), int(match.group(2))
    if first > 12 or second > 12 or first == second:
        return False
    return re.search(r"\b[AaPp]\.?[Mm]\.?\b|\b[AaPp]M$", text) is None
