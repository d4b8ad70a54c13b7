"""One pasted file, cut into the outputs of the commands it holds.

Administrators copy whole console sessions into one file::

    PS C:\\> setspn -L EX01
    Registered ServicePrincipalNames for CN=EX01,OU=Servers,DC=corp,DC=example,DC=com:
            SMTPSVC/EX01
    C:\\Users\\admin>w32tm /stripchart /computer:DC01 /dataonly /samples:3
    Tracking DC01 [10.0.0.10:123].

A prompt line (``PS C:\\>``, ``[PS] C:\\Windows\\system32>`` of the Exchange Management Shell,
``C:\\Users\\x>`` of cmd) starts a new segment, and so does a bare command line such as
``setspn -Q HTTP/web01`` at the start of a line, which is how people paste commands without a
prompt. The typed command is kept because it names what the output does not (``setspn -L EX01``
names the account, ``/computer:DC01`` the target).

Consoles also break long lines at their width (80 or 120 columns); :func:`unwrap_console` joins
such lines again for readers whose lines must be whole.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from kbdoctor.collectors.importers.base import Material
from kbdoctor.collectors.paste import clean_text, strip_decoration

_PS_PROMPT = re.compile(r"^\s*(?:\[PS\]\s+)?PS\s+[^\s>][^>]{0,250}>\s?(?P<cmd>.*)$")
_EMS_PROMPT = re.compile(r"^\s*\[PS\]\s+[A-Za-z]:\\[^>]{0,250}>\s?(?P<cmd>.*)$")
_CMD_PROMPT = re.compile(r"^\s*[A-Za-z]:\\[^<>|\"?*\n]{0,250}>\s?(?P<cmd>.*)$")
_SHORT_PROMPT = re.compile(r"^(?:PS\s*)?>\s?(?P<cmd>\S.*)$")

_KLIST_VERBS = "get|tickets|tgt|purge|sessions|kcd_cache|query_bind|purge_bind|add_bind|cloud_debug"
_BARE_COMMAND = re.compile(
    r"^(?P<cmd>(?:setspn|w32tm|repadmin|nltest|dcdiag|portqry)(?:\.exe)?(?:\s+[-/].*)?"
    rf"|klist(?:\.exe)?(?:\s+(?:{_KLIST_VERBS}|-li|-lh)\b.*)?"
    r"|(?:Get|Test|Export|Find)-[A-Za-z]+(?:\s.*)?)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Segment:
    """The output of one command: ``text`` starts after the prompt line (when there is one) and
    ``first_line`` is the 1-based line number of its first line in the file; ``line_map`` gives
    the file's line of every line when they do not follow each other (see
    :mod:`kbdoctor.collectors.paste`)."""

    text: str
    first_line: int
    command: str | None
    line_map: tuple[int, ...] | None = None


# "Output from `repadmin /showrepl DC2`:" - a line of prose that names the command whose output
# follows, in backticks, and ends with a colon
_PROSE_COMMAND = re.compile(r"^[^`]{0,80}`(?P<cmd>[^`]+)`[^`]{0,40}:\s*$")


def prompt_command(line: str) -> str | None:
    """The command typed on a prompt line or bare command line, "" for an empty prompt, None when
    ``line`` is output."""
    for pattern in (_EMS_PROMPT, _PS_PROMPT, _CMD_PROMPT):
        match = pattern.match(line)
        if match:
            return match.group("cmd").strip()
    match = _BARE_COMMAND.match(line.strip())
    if match and line[:1].strip():
        return match.group("cmd").strip()
    # "> setspn -q http/web01", "PS > setspn -L web01": a prompt shortened to its ">" in notes
    # and tickets; only a known command after it makes the line a prompt
    short = _SHORT_PROMPT.match(line)
    if short:
        named = _BARE_COMMAND.match(short.group("cmd").strip())
        if named:
            return named.group("cmd").strip()
    prose = _PROSE_COMMAND.match(line.strip())
    if prose:
        named = _BARE_COMMAND.match(prose.group("cmd").strip())
        if named:
            return named.group("cmd").strip()
    return None


def split_segments(text: str) -> list[Segment]:
    """The segments of ``text`` in order. Text before the first prompt is a segment without
    command; a file without prompts is one segment. Empty segments (two prompts in a row) are
    dropped."""
    cleaned, kept = clean_text(text)
    lines = cleaned.split("\n")
    file_lines = [index + 1 for index in kept]
    segments: list[Segment] = []
    start, command = 0, None
    for index, line in enumerate(lines):
        typed = prompt_command(line)
        if typed is None:
            continue
        _append(segments, lines, file_lines, start, index, command)
        start, command = index + 1, typed or None
    _append(segments, lines, file_lines, start, len(lines), command)
    return segments


def _append(
    segments: list[Segment],
    lines: list[str],
    file_lines: list[int],
    start: int,
    end: int,
    command: str | None,
) -> None:
    body = strip_decoration(lines[start:end])
    if any(line.strip() for line in body) or command is not None:
        numbers = tuple(file_lines[start:end])
        first = numbers[0] if numbers else (file_lines[start - 1] + 1 if start else 1)
        contiguous = all(b == a + 1 for a, b in itertools.pairwise(numbers))
        segments.append(
            Segment("\n".join(body), first, command, None if contiguous else numbers)
        )


@dataclass(frozen=True)
class CommandMaterial(Material):
    """A material cut out of a pasted session, with the command that was typed at its prompt
    (the prompt line itself is not part of ``text``)."""

    command: str | None = None


def command_of(material: Material) -> str | None:
    """The command whose output ``material`` is: the one typed at the prompt of its segment, or
    a prompt or bare command line at the top of its text (a reader tested on its own gets the
    whole file)."""
    command = getattr(material, "command", None)
    if isinstance(command, str) and command:
        return command
    for line in material.lines():
        if line.strip():
            return prompt_command(line) or None
    return None


def command_argument(command: str | None, switch: str) -> str | None:
    """The value of ``/switch:VALUE`` or the word after ``-switch`` in a command line, matched
    case-insensitively (``/computer:DC01`` or ``-L EX01``)."""
    if not command:
        return None
    words = command.split()
    for index, word in enumerate(words):
        lowered = word.lower()
        if lowered.startswith(f"/{switch.lower()}:") or lowered.startswith(f"-{switch.lower()}:"):
            return word.split(":", 1)[1].strip("\"'") or None
        if lowered in (f"-{switch.lower()}", f"/{switch.lower()}") and index + 1 < len(words):
            value = words[index + 1]
            return None if value.startswith(("-", "/")) else value.strip("\"'")
    return None


@dataclass(frozen=True)
class LogicalLine:
    """A line as the program printed it, made of material lines ``first``..``last`` (0-based)."""

    first: int
    last: int
    text: str


def detect_wrap_width(lines: Sequence[str]) -> int | None:
    """The console width at which lines were broken: the longest length (at least 60), shared by
    at least two lines that are followed by more text. None when nothing looks wrapped."""
    lengths = [len(line) for line in lines]
    if not lengths:
        return None
    longest = max(lengths)
    if longest < 60:
        return None
    wrapped = sum(
        1
        for i, length in enumerate(lengths[:-1])
        if length == longest and lines[i + 1].strip()
    )
    return longest if wrapped >= 2 else None


def unwrap_console(lines: Sequence[str], width: int | None = None) -> list[LogicalLine]:
    """Join lines that a console broke at ``width`` columns (detected when None): a line exactly
    ``width`` long continues on the next line."""
    size = width if width is not None else detect_wrap_width(lines)
    result: list[LogicalLine] = []
    index = 0
    while index < len(lines):
        first, text = index, lines[index]
        while size and len(lines[index]) == size and index + 1 < len(lines):
            index += 1
            text += lines[index]
        result.append(LogicalLine(first, index, text))
        index += 1
    return result
