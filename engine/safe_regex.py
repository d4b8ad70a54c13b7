"""Regular expressions of rule files (``matches``, ``not_matches``), run on RE2.

Python's ``re`` backtracks: ``^(a+)+$`` on 40 characters never ends, and the shipped rule
``(?is)(IllegalMessage|UnexpectedExchangeAuthBlob\\w*).*ExchangeAuth`` took 189 s on one 1 MB event
message. RE2 (the ``google-re2`` package) matches in time linear in the text, whatever the
pattern, and refuses what cannot be matched that way: lookahead, lookbehind and backreferences.
Such a pattern is refused when the rule file is loaded, with a message that says how to write the
test instead.

Patterns keep Python's meaning where it matters for log text: ``\\d``, ``\\w`` and ``\\s`` (and
their negations) match Unicode digits, letters and spaces, as in Python, not only ASCII as in RE2;
``\\Z`` is the end of the text. ``\\b`` follows RE2 (ASCII word characters). A text longer than
``MAX_MATCH_CHARS`` is matched on its first ``MAX_MATCH_CHARS`` characters.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import re2
from kbdoctor.engine.i18n import text

# A text is matched on at most this many characters (RE2 takes about 10 ms per megabyte).
MAX_MATCH_CHARS = 1_048_576

# The most instructions of RE2's programs (a pattern's ``programsize``, as compiled alone) put in
# one set: RE2's default memory budget (8 MiB) held sets of 135,000 measured so, and refused some
# of 165,000 (``\w{40}`` is 55,000: each ``\w`` is a class of every Unicode letter and digit).
SET_SIZE = 100_000

_WORD = r"\p{L}\p{N}_"
_DIGIT = r"\p{Nd}"
_SPACE = r"\t\n\x0b\f\r\x1c-\x1f\x85\p{Z}"
_CLASSES = {"w": _WORD, "d": _DIGIT, "s": _SPACE}


class RegexError(ValueError):
    """A pattern RE2 cannot run; the message says why and what to write instead. It is data (a
    catalogue key and its parameters, as engine/errors.Problem) so that a rule file's loader
    shows it in the reader's language; ``str()`` is the English text."""

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(text(key, "en", **params))


_LOOKAROUND = re.compile(r"\(\?<?[=!]")
_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")


def _translate(pattern: str) -> str:
    """Python's Unicode ``\\d \\w \\s`` (and ``\\D \\W \\S``, ``\\Z``) in RE2's syntax."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            escaped = pattern[index + 1]
            index += 2
            lower = escaped.lower()
            if lower in _CLASSES:
                body = _CLASSES[lower]
                if in_class:
                    # a negated class cannot be spelled inside [...]: keep RE2's ASCII one
                    out.append(body if escaped.islower() else "\\" + escaped)
                else:
                    out.append(f"[{'' if escaped.islower() else '^'}{body}]")
            elif escaped == "Z" and not in_class:
                out.append(r"\z")
            else:
                out.append("\\" + escaped)
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            index += 1
            # a ']' right after '[' or '[^' is a literal
            if pattern.startswith("^", index):
                out.append("^")
                index += 1
            if pattern.startswith("]", index):
                out.append(r"\]")
                index += 1
            continue
        if char == "]" and in_class:
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False  # RE2 would print every refused pattern on standard error
    return options


@cache
def compile_regex(pattern: str) -> Any:
    """The RE2 form of a rule's pattern; raises RegexError for one RE2 cannot run."""
    try:
        return re2.compile(_translate(pattern), _options())
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
    lookaround = _LOOKAROUND.search(pattern)
    if lookaround is not None:
        raise RegexError("error.regex_lookaround", construct=lookaround.group())
    backreference = _BACKREFERENCE.search(pattern)
    if backreference is not None:
        raise RegexError("error.regex_backreference", construct=backreference.group())
    if detail.startswith("pattern too large"):  # RE2's program would exceed its memory budget
        raise RegexError("error.regex_too_large")
    raise RegexError("error.regex_invalid", detail=detail)


def search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` occurs in (the first MAX_MATCH_CHARS characters of) ``text``."""
    return compile_regex(pattern).search(text[:MAX_MATCH_CHARS]) is not None


class _Set:
    """An RE2 set of some patterns of a group (``members``: their indices in the group), with an
    empty pattern last that matches every text: a pass that does not report it is a pass that
    failed. RE2's set has no slower engine to fall back on when its DFA runs out of memory, and
    answers "no match" then; the group matches that set's patterns one by one instead."""

    def __init__(self, compiled: Any, members: tuple[int, ...]) -> None:
        self.set = compiled
        self.members = members

    def matches(self, text: str) -> frozenset[int] | None:
        """The members that occur in ``text``; None when RE2 could not tell."""
        found = self.set.Match(text) or ()
        if len(self.members) not in found:
            return None
        return frozenset(self.members[i] for i in found if i < len(self.members))


def _compiled_set(patterns: list[str], members: tuple[int, ...]) -> _Set | None:
    """One RE2 set of ``patterns``, or None when RE2 cannot build it within its memory budget."""
    built = re2.Set.SearchSet(_options())
    try:
        for pattern in patterns:
            built.Add(_translate(pattern))
        built.Add("")  # the pass's own check: it matches every text
        built.Compile()
    except re2.error:
        return None
    return _Set(built, members)


def _chunks(sizes: list[int]) -> list[tuple[int, ...]]:
    """Indices of the patterns (by their program sizes) in consecutive runs of at most
    ``SET_SIZE`` instructions; those larger on their own are in none."""
    chunks: list[tuple[int, ...]] = []
    chunk: list[int] = []
    total = 0
    for index, size in enumerate(sizes):
        if size > SET_SIZE:
            continue
        if chunk and total + size > SET_SIZE:
            chunks.append(tuple(chunk))
            chunk, total = [], 0
        chunk.append(index)
        total += size
    if chunk:
        chunks.append(tuple(chunk))
    return chunks


class _Group:
    """Patterns tested on the same field, matched in one pass (an RE2 set); the last text's
    result is kept, since a fact's field is tested against each pattern of the group in turn.

    An RE2 set has one memory budget for all its patterns, its matching automaton included, so
    patterns that each compile alone may not compile together (``\\w{400}`` beside the shipped
    ``message`` patterns). The group is therefore cut into sets of at most ``SET_SIZE``
    instructions of RE2's programs (a failed attempt costs as much as a successful one, so most
    are avoided by counting first); a set RE2 still refuses is halved until it compiles, and a
    pattern that is too large for any set is matched alone. Either way each pattern gets the
    answer it gets alone; only the number of passes changes."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.patterns = patterns
        self.index = {pattern: i for i, pattern in enumerate(patterns)}
        sizes = [compile_regex(p).programsize for p in patterns]  # RegexError: RE2 cannot run it
        self.sets: list[_Set] = []
        self.alone = [i for i, size in enumerate(sizes) if size > SET_SIZE]  # matched on their own
        pending = _chunks(sizes)
        while pending:
            members = pending.pop()
            built = (
                None
                if len(members) == 1
                else _compiled_set([patterns[i] for i in members], members)
            )
            if built is not None:
                self.sets.append(built)
            elif len(members) == 1:  # a set of one pattern is one pass too: RE2's own
                self.alone.append(members[0])
            else:
                half = len(members) // 2
                pending.extend((members[half:], members[:half]))
        # None until the first match: an empty text is a text like any other (an empty
        # last_error is the commonest field value), so its result is kept too
        self.last: tuple[str, frozenset[int]] | None = None

    def matches(self, pattern: str, text: str) -> bool:
        if self.last is None or self.last[0] != text:
            self.last = (text, self._found(text[:MAX_MATCH_CHARS]))
        return self.index[pattern] in self.last[1]

    def _found(self, text: str) -> frozenset[int]:
        """The indices of the patterns that occur in ``text``."""
        found: set[int] = set()
        for part in self.sets:
            hits = part.matches(text)
            if hits is None:  # RE2 could not tell: each pattern on its own
                hits = frozenset(i for i in part.members if self._alone(i, text))
            found.update(hits)
        found.update(i for i in self.alone if self._alone(i, text))
        return frozenset(found)

    def _alone(self, index: int, text: str) -> bool:
        return compile_regex(self.patterns[index]).search(text) is not None


_GROUPS: dict[int, tuple[tuple[str, ...], _Group]] = {}  # by id of the patterns tuple


def search_in_group(patterns: tuple[str, ...], pattern: str, text: str) -> bool:
    """``search(pattern, text)``, computed for every pattern of ``patterns`` (which holds
    ``pattern``) at once: faster when a field is tested by many rules. Callers pass the same
    tuple object for every pattern of a group."""
    if len(patterns) < 2:
        return search(pattern, text)
    entry = _GROUPS.get(id(patterns))
    if entry is None or entry[0] is not patterns:
        entry = _GROUPS[id(patterns)] = (patterns, _Group(patterns))
    return entry[1].matches(pattern, text)
