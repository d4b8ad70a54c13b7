"""The ``name : value`` records that PowerShell's ``Format-List`` prints, shared by every reader of
Exchange cmdlet output (``Get-Queue | Format-List``, ``Get-ReceiveConnector | fl``, ...).

Sample (``Get-Queue -Identity EX01\\3 | Format-List`` redirected to a file)::

    Identity         : EX01\\3
    Status           : Retry
    LastError        : [{LRT=11/9/2023 10:32:13 AM};{LED=451 4.4.0 Primary target IP address
                       responded with: "454 4.7.0 Temporary authentication failure."};{FQDN=ex02}]
    MessageCount     : 5

Records are separated by blank lines. Property names start in column 0 and are padded to a
common colon; a value too long for the console continues on lines indented to the value column.
Windows PowerShell either wraps at word boundaries, dropping the space it broke at (continuations
are then joined with one space), or, in most non-Western-European languages, cuts every line at the
console width wherever it falls (continuations are then joined exactly, a space at the cut kept).

API: :func:`parse_records` returns :class:`Record` objects whose :class:`ListField` entries keep
their 0-based line span in the material (for provenance and warnings). Property names are looked
up case-insensitively because ``Select-Object`` keeps whatever case the user typed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from kbdoctor.collectors.importers.base import Material

# A property name: no leading space, no colon; Select-Object may give names with spaces.
_FIELD = re.compile(r"^(?P<name>[^\s:][^:]*?)\s*:(?: (?P<value>.*)|\s*)$")
_MIN_WRAP_WIDTH = 60  # narrower "widths" are short files, not console wrapping
_USUAL_WIDTHS = frozenset({79, 80, 119, 120})  # conhost windows of 80/120, and ">" one less


@dataclass(frozen=True)
class ListField:
    """One property; ``first``..``last`` are 0-based indices into ``Material.lines()``."""

    name: str
    value: str
    first: int
    last: int


@dataclass(frozen=True)
class Record:
    """One object of the listing, its fields in printed order."""

    fields: tuple[ListField, ...]

    @property
    def first(self) -> int:
        return self.fields[0].first

    @property
    def last(self) -> int:
        return self.fields[-1].last

    def get(self, name: str) -> ListField | None:
        wanted = name.casefold()
        for item in self.fields:
            if item.name.casefold() == wanted:
                return item
        return None

    def value(self, name: str) -> str | None:
        """The value with surrounding whitespace removed; None if absent or empty."""
        item = self.get(name)
        if item is None:
            return None
        text = item.value.strip()
        return text or None


def parse_records(material: Material) -> list[Record]:
    """Every record of the material. Lines that fit neither a property nor a continuation
    (a prompt, an error message) end the current record and are skipped."""
    lines = [line.rstrip("\r") for line in material.lines()]
    widths = _console_width(lines)
    records: list[Record] = []
    current: list[_Open] = []

    def close() -> None:
        if current:
            records.append(Record(tuple(item.freeze() for item in current)))
            current.clear()

    for index, line in enumerate(lines):
        if not line.strip():
            close()
            continue
        if line[0] in " \t":
            if current and _continues(current[-1], line):
                current[-1].extend(line, index, widths)
            else:
                close()
            continue
        match = _FIELD.match(line)
        if match is None:
            close()
            continue
        if current and current[-1].colon != _colon_column(line):
            close()
        current.append(_Open(match["name"].strip(), match["value"] or "", index, line))
    close()
    return records


def looks_like_listing(material: Material, names: tuple[str, ...], *, needed: int) -> bool:
    """True when at least ``needed`` of ``names`` appear as Format-List properties: a cheap sniff
    that does not depend on the order PowerShell printed them in."""
    wanted = {name.casefold() for name in names}
    found: set[str] = set()
    for line in material.lines()[:4000]:
        match = _FIELD.match(line.rstrip("\r"))
        if match is not None and match["name"].strip().casefold() in wanted:
            found.add(match["name"].strip().casefold())
            if len(found) >= needed:
                return True
    return False


def split_list_value(value: str) -> list[str]:
    """The items of a collection value as Format-List prints it: ``{0.0.0.0:25, [::]:25}``, or a
    comma-separated enum ``Tls, Integrated``. Empty braces give an empty list."""
    text = value.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    text = text.rstrip(".").strip() if text.endswith("...") else text
    return [part.strip() for part in text.split(",") if part.strip()]


def _colon_column(line: str) -> int:
    return line.find(":")


@dataclass(frozen=True)
class _Widths:
    hard: int  # every continued line was cut here, wherever it fell (0: the file wraps words)
    soft: int  # the width of a word-wrapping console, where an over-long word is cut (0: unknown)


def _console_width(lines: list[str]) -> _Widths:
    """How the console wrapped. Windows PowerShell wraps at words in English, French, German,
    Italian, Portuguese and Spanish, and cuts lines hard in other languages (Polish among them);
    ``>`` writes one column less than the window. In a hard-cut file every line that continues
    is exactly as long as the others that continue; in a word-wrapped one they vary, and only a
    word longer than the line is cut, at the width."""
    continued = [
        len(line)
        for line, following in itertools.pairwise(lines)
        if line.strip() and following[:1] in (" ", "\t") and following.strip()
    ]
    if not continued or max(continued) < _MIN_WRAP_WIDTH:
        return _Widths(0, 0)
    longest = max(continued)
    if len(set(continued)) == 1 and (len(continued) >= 2 or longest in _USUAL_WIDTHS):
        return _Widths(longest, 0)
    at_longest = continued.count(longest)
    if at_longest >= 2 and at_longest * 3 >= len(continued) * 2:
        # cut hard, then trailing spaces trimmed (a web form, a chat): the lines cut right after
        # a space lost it and are shorter, the others still share the width; a word-wrapping
        # console rarely ends two thirds of its lines in the very same column
        return _Widths(longest, 0)
    shared = continued.count(longest) >= 2
    return _Widths(0, longest if longest in _USUAL_WIDTHS or shared else 0)


def _continues(field: _Open, line: str) -> bool:
    indent = len(line) - len(line.lstrip(" \t"))
    return indent >= field.value_column > 0 or (field.value_column == 0 and indent > 0)


class _Open:
    """A field still collecting continuation lines."""

    def __init__(self, name: str, value: str, index: int, line: str) -> None:
        self.name = name
        self.parts = [value]
        self.first = index
        self.last = index
        self.colon = _colon_column(line)
        self.value_column = self.colon + 2 if value else 0
        self.previous_length = len(line)
        self.previous_piece = value.strip()

    def extend(self, line: str, index: int, widths: _Widths) -> None:
        if self.value_column == 0:
            self.value_column = len(line) - len(line.lstrip(" \t"))
        indented = line[: self.value_column].strip() == ""
        if widths.hard and self.previous_length >= widths.hard:
            # the text goes on exactly where it was cut, a space at the cut included
            piece = line[self.value_column :].rstrip() if indented else line.strip()
        else:
            piece = line.strip()
            # a word-wrapping console cuts only a word too long for a whole line
            cut_word = (
                widths.soft > 0
                and self.previous_length >= widths.soft
                and " " not in self.previous_piece
            )
            if self.parts[-1] and not cut_word:
                self.parts.append(" ")
        self.parts.append(piece)
        self.previous_piece = piece.strip()
        self.last = index
        self.previous_length = len(line)

    def freeze(self) -> ListField:
        return ListField(self.name, "".join(self.parts).strip(), self.first, self.last)


def find_table_header(material: Material, columns: tuple[str, ...]) -> int | None:
    """The 0-based index of a ``Format-Table`` header whose first columns are ``columns``
    (followed by the ``----`` rule line), or None. Readers use it to say that a table was
    given where only ``Format-List`` shows whole values."""
    pattern = re.compile(r"^\s*" + r"\s+".join(re.escape(c) for c in columns) + r"(?:\s|$)", re.I)
    lines = material.lines()
    for index, line in enumerate(lines[:4000]):
        if pattern.match(line) and index + 1 < len(lines) and lines[index + 1].strip()[:3] == "---":
            return index
    return None
