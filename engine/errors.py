"""The errors a user can meet, each with a real location (``file:line:column``).

Errors are data (a message key and its parameters) so that the same problem can be shown in
English or Polish; ``render`` looks the text up in the catalogue. A run that finds problems
collects all of them before it stops, so that a whole file (or rule set) is reported in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kbdoctor.engine.i18n import Lang, text


class Context(str):
    """What was being read (``rule time.skew``) in words of the reader's language. The string
    itself is the English text, so that code that shows a context as it is keeps working;
    :meth:`in_lang` gives it in another language."""

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, /, **params: Any) -> Context:
        made = super().__new__(cls, text(key, "en", **params))
        made.key = key
        made.params = params
        return made

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:  # copy and pickle
        return (self.key,), self.params

    def in_lang(self, lang: Lang) -> str:
        return text(self.key, lang, **self.params)


def context_text(context: str, lang: Lang) -> str:
    """A problem's context in ``lang`` (a plain string is shown as it is)."""
    return context.in_lang(lang) if isinstance(context, Context) else context


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file."""

    file: str
    line: int | None
    column: int | None
    key: str  # catalogue key of the message
    params: dict[str, Any] = field(default_factory=dict)
    context: str | None = None  # what was being read: "fact 3 (clock_offset)", "rule time.skew"

    def location(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def render(self, lang: Lang = "en") -> str:
        message = text(self.key, lang, **self.params)
        if self.context:
            return f"{self.location()}: {context_text(self.context, lang)}: {message}"
        return f"{self.location()}: {message}"

    def to_dict(self, lang: Lang = "en") -> dict[str, Any]:
        """For JSON output: ``context`` and ``message`` in ``lang``, ``key`` for programs."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "context": context_text(self.context, lang) if self.context else None,
            "key": self.key,
            "message": text(self.key, lang, **self.params),
        }


class KbdoctorError(Exception):
    """Base of every error the command line turns into exit status 2."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.render("en") for p in problems))

    def render(self, lang: Lang = "en") -> str:
        return "\n".join(p.render(lang) for p in self.problems)


class FactFileError(KbdoctorError):
    """A fact file that cannot be read or does not follow facts/1."""


class RuleFileError(KbdoctorError):
    """A rule file that cannot be read, does not follow rules/1, or contradicts itself."""


class UsageError(KbdoctorError):
    """A setting that cannot be used (an environment variable, an option)."""


class InputRefused(Exception):
    """Input a reader refuses before or while parsing it: a limit exceeded, a YAML alias, a key
    given twice, a number that is not one. Raised where the file name is not known; the caller
    turns it into a located Problem with ``problem(name)``. Line and column are 1-based."""

    def __init__(
        self, message_key: str, line: int | None, column: int | None, /, **params: Any
    ) -> None:
        self.key = message_key
        self.line = line
        self.column = column
        self.params = params
        super().__init__(text(message_key, "en", **params))

    def problem(self, name: str, context: str | None = None) -> Problem:
        return Problem(name, self.line, self.column, self.key, self.params, context)
