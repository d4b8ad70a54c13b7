"""The site's accepted findings (``kbdoctor: suppressions/1``): a cause or rule id, what subject it
covers (host, account, connector, failing path), why it was accepted, who accepted it and until
when. A suppressed diagnosis stays in the report, marked as suppressed; it is never dropped, so
that nobody loses sight of it. An expired entry is ignored, with a warning: acceptance is given
for a time, and a forgotten one must not hide a cause for ever.

Example::

    kbdoctor: suppressions/1
    suppressions:
      - cause: spn_duplicate
        match: {host: EX03}
        reason: EX03 is being retired (change 4711)
        accepted_by: j.kowalski
        expires: 2027-03-31
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from kbdoctor.engine.errors import Problem
from kbdoctor.engine.factio import display_path
from kbdoctor.engine.sitefile import read_site_file
from kbdoctor.engine.yamlio import YamlLocator
from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class PathMatch(_Model):
    """A failing path, by its ends: the subject must lie on it."""

    sender: str | None = Field(None, min_length=1)
    receiver: str | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _an_end(self) -> PathMatch:
        if self.sender is None and self.receiver is None:
            raise ValueError("a path names its sender, its receiver or both")
        return self


class Match(_Model):
    """What the subject must be; every field given must hold (none: every subject)."""

    host: str | None = Field(None, min_length=1, description="a machine the subject names")
    account: str | None = Field(None, min_length=1, description="an account the subject names")
    connector: str | None = Field(None, min_length=1, description="a receive connector's name")
    path: PathMatch | None = Field(None, description="a failing path the subject lies on")


class Suppression(_Model):
    cause: str | None = Field(None, min_length=1)
    rule: str | None = Field(None, min_length=1)
    match: Match = Field(default_factory=Match)
    reason: str = Field(min_length=1)
    accepted_by: str = Field(min_length=1)
    expires: datetime.date

    @model_validator(mode="after")
    def _one_target(self) -> Suppression:
        if (self.cause is None) == (self.rule is None):
            raise ValueError("a suppression names exactly one of cause or rule")
        return self

    @property
    def kind(self) -> Literal["cause", "rule"]:
        return "cause" if self.cause is not None else "rule"

    @property
    def target(self) -> str:
        value = self.cause if self.cause is not None else self.rule
        assert value is not None, "validated"
        return value


class SuppressionFile(_Model):
    kbdoctor: Literal["suppressions/1"]
    suppressions: list[Suppression] = Field(default_factory=list)


@dataclass(frozen=True)
class Entry:
    """One suppression with where it is written."""

    file: str
    line: int | None
    column: int | None
    suppression: Suppression

    def expired(self, today: datetime.date) -> bool:
        return self.suppression.expires < today

    def problem(self, key: str, **params: object) -> Problem:
        s = self.suppression
        context = f"{s.kind} {s.target}"
        return Problem(self.file, self.line, self.column, key, dict(params), context)


@dataclass(frozen=True)
class Suppressions:
    entries: tuple[Entry, ...]
    locator: YamlLocator | None = None

    def active(self, today: datetime.date) -> list[Entry]:
        return [e for e in self.entries if not e.expired(today)]

    def expired(self, today: datetime.date) -> list[Entry]:
        return [e for e in self.entries if e.expired(today)]


def load_suppressions(path: str) -> Suppressions | list[Problem]:
    """The entries of a suppressions file, or its problems (each at its line and column)."""
    read = read_site_file(path, SuppressionFile)
    if isinstance(read, list):
        return read
    model, locator = read
    name = display_path(path)
    entries = tuple(
        Entry(name, *locator.position(("suppressions", index)), s)
        for index, s in enumerate(model.suppressions)
    )
    return Suppressions(entries, locator)


def expiry_warnings(entries: Sequence[Entry], today: datetime.date) -> list[Problem]:
    """A warning per expired entry: it is ignored."""
    return [
        e.problem("suppress.expired", expires=e.suppression.expires.isoformat())
        for e in entries
        if e.expired(today)
    ]
