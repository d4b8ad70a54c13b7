"""The texts and commands a report shows, filled from rule templates and kept within the limit on
characters per text (``Limits.string_chars``, ``KBDOCTOR_MAX_STRING``), so that a report line
cannot grow without bound: a template repeating a placeholder of a 60,000-character event message
would otherwise write hundreds of megabytes per line.

The two kinds are bounded differently, because what is true of them differs:

* a text for people (an explanation, a step's or a recommendation's text) is cut at the limit and
  says, in the reader's language, how many characters were left out;
* a command is never cut (a command cut short is another, wrong command): one longer than the
  limit is left out, and its step's text says so and how long it would have been. It could not be
  pasted anyway: cmd.exe takes lines of 8,191 characters.

Subjects and values of conclusions are not shown from here: they name things, and the engine
refuses to chain one longer than the limit instead of cutting it (``ChainingStopped``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kbdoctor.engine.i18n import Lang, count_text, text
from kbdoctor.engine.limits import ENV_VARS, Limits
from kbdoctor.engine.templates import render_pieces


@dataclass(frozen=True)
class Filled:
    """A filled template within a limit: ``text`` is the whole text, or its first characters up
    to the limit when ``left_out`` characters more did not fit. ``digest`` identifies the whole
    text when it was cut, so that two texts that differ only past the limit stay two."""

    text: str
    left_out: int = 0
    digest: str = ""

    @property
    def whole(self) -> bool:
        return self.left_out == 0

    @property
    def length(self) -> int:
        return len(self.text) + self.left_out


def fill_within(template: str, values: Mapping[str, Any], limit: int) -> Filled:
    """``template`` filled with ``values``, at most ``limit`` characters of it made; past the
    limit each piece is made, counted and dropped, so the memory a text costs stays bounded."""
    return within(lambda: render_pieces(template, values), limit)


def within(pieces: Callable[[], Iterable[str]], limit: int) -> Filled:
    """The text of ``pieces()`` in order, at most ``limit`` characters of it kept. Only a text
    that does not fit asks ``pieces`` again, to count what is left out and for the digest."""
    kept: list[str] = []
    length = 0
    for piece in pieces():
        length += len(piece)
        if length > limit:
            break
        kept.append(piece)
    else:
        return Filled(kept[0] if len(kept) == 1 else "".join(kept))
    kept = []
    length = 0
    digest = hashlib.sha256()
    for piece in pieces():
        digest.update(piece.encode("utf-8", "surrogatepass"))
        if length < limit:
            kept.append(piece[: limit - length])
        length += len(piece)
    return Filled("".join(kept), length - limit, digest.hexdigest())


@dataclass(frozen=True)
class ShownStep:
    """A step as a report shows it: its text (with a note when its command was left out), its
    command when that fits, and ``key``, which is the same for two steps only if their whole
    texts and commands are."""

    text: str
    command: str | None
    key: tuple[str, str, str | None, str]


class ReportTexts:
    """Fills the templates of one report, in one language, within the limit of the run."""

    def __init__(self, lang: Lang, limit: int | None = None) -> None:
        self.lang = lang
        self.limit = Limits.from_env().string_chars if limit is None else limit

    def text(self, template: str, values: Mapping[str, Any]) -> str:
        """A text for people: cut at the limit, with a note of how much was left out."""
        return self._shown(fill_within(template, values, self.limit))

    def step(
        self,
        template: str,
        command: str | None,
        values: Mapping[str, Any],
        machine: Filled | None = None,
    ) -> ShownStep:
        """A step's text and command; a command over the limit is left out, never cut, and the
        text says so. ``machine``: the name of the machine the step runs on, filled within the
        limit; past it the step names no machine, and its command is left out with it."""
        line = fill_within(template, values, self.limit)
        shown = self._shown(line)
        if machine is not None and not machine.whole:
            note = self._left_out("report.machine_left_out", machine)
            return ShownStep(f"{shown} {note}", None, (shown, line.digest, None, machine.digest))
        if command is None:
            return ShownStep(shown, None, (shown, line.digest, None, ""))
        filled = fill_within(command, values, self.limit)
        if filled.whole:
            return ShownStep(shown, filled.text, (shown, line.digest, filled.text, ""))
        note = self._left_out("report.command_left_out", filled)
        return ShownStep(f"{shown} {note}", None, (shown, line.digest, None, filled.digest))

    def joined(self, separator: str, texts: Sequence[str]) -> str:
        """Texts (the explanations behind a recommendation) as one text, cut at the limit."""

        def pieces() -> Iterator[str]:
            for index, piece in enumerate(texts):
                if index:
                    yield separator
                yield piece

        return self._shown(within(pieces, self.limit))

    def _left_out(self, key: str, filled: Filled) -> str:
        return text(
            key,
            self.lang,
            length=filled.length,
            limit=self.limit,
            variable=ENV_VARS["string_chars"],
        )

    def _shown(self, filled: Filled) -> str:
        if filled.whole:
            return filled.text
        return filled.text + count_text("report.text_cut", self.lang, filled.left_out)
