"""One rule file's text to a validated pack: its YAML read within the limits, its shape checked
by the pydantic models of :mod:`kbdoctor.engine.rules_model` (every refused field at its line and
column).

Every run reads the rule files themselves; there is no cache of packs already read. A cache
could save only the YAML parse (0.02 s for the shipped pack, 0.2 s for 1,000 rules: validating
the models is paid either way), and no entry can be shown to be the parse of *this* text without
parsing the text again: an entry planted in the cache folder, well formed and named by the right
hash, would silently change a certainty factor. A rule base is worth less than that saves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kbdoctor.engine.errors import Problem
from kbdoctor.engine.factio import validation_problems
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.rules_model import Rule, RulePackModel
from kbdoctor.engine.yamlio import (
    EventLocator,
    YamlLocator,
    load_yaml_data,
    yaml_error_problem,
)
from pydantic import ValidationError


@dataclass(frozen=True)
class RulePack:
    """One rule file's pack: where it was read, the SHA-256 of its text and its model."""

    file: str
    sha256: str
    model: RulePackModel

    @property
    def pack(self) -> str:
        return self.model.pack

    @property
    def rules(self) -> list[Rule]:
        return self.model.rules


def parse_packs(
    texts: Sequence[tuple[str, str]], limits: Limits, problems: list[Problem]
) -> list[tuple[RulePack, YamlLocator]]:
    """Each text's pack with its positions; the problems of the texts that are not packs go to
    ``problems``."""
    located: list[tuple[RulePack, YamlLocator]] = []
    for name, content in texts:
        digest = hashlib.sha256(content.encode()).hexdigest()
        # positions are found only if a problem needs one: a second pass over the text
        locator: YamlLocator = LazyLocator(content, limits)
        _, model, refused = read_pack(name, content, locator, limits)
        if model is None:
            problems.extend(refused)
            continue
        located.append((RulePack(name, digest, model), locator))
    return located


def read_pack(
    name: str, content: str, locator: YamlLocator, limits: Limits
) -> tuple[Any, RulePackModel | None, list[Problem]]:
    """One rule file's plain data and model, or the problems of its YAML and of its shape (the
    schema check): every field pydantic refuses, each at its line and column."""
    try:
        data = load_yaml_data(content, limits)
    except Exception as exc:  # ruamel's errors have no common base beyond Exception
        return None, None, [yaml_error_problem(exc, name)]
    if not isinstance(data, dict):
        return data, None, [Problem(name, 1, 1, "error.rules_not_mapping")]
    try:
        return data, RulePackModel.model_validate(data), []
    except ValidationError as exc:
        return data, None, validation_problems(exc, name, data, locator)


class LazyLocator(YamlLocator):
    """Positions in a rule file, parsed only if a problem needs one."""

    def __init__(self, content: str, limits: Limits) -> None:
        super().__init__(None)
        self._content = content
        self._limits = limits
        self._found: YamlLocator | None = None

    def position(self, path: tuple[Any, ...]) -> tuple[int | None, int | None]:
        if self._found is None:
            try:
                self._found = EventLocator(self._content, self._limits)
            except Exception:  # the file parsed once already; a position is only a courtesy
                self._found = YamlLocator(None)
        return self._found.position(path)
