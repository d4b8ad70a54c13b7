"""``kbdoctor rules lint``: read rule files, run every check, and give every problem at once with
its file, line, column, severity and check. Nothing stops at the first problem: a file the schema
refuses is still judged by the checks that read the file as written (texts) and, for the rules
and definitions the schema accepts, by every check (``salvage``); the files are judged together
(duplicate ids across packs)."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kbdoctor.engine.errors import Problem, context_text
from kbdoctor.engine.factio import display_path
from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.lint.checks import CHECKS
from kbdoctor.engine.lint.model import Check, LintInput, PackSource, Severity, problem_identity
from kbdoctor.engine.lint.salvage import salvage
from kbdoctor.engine.lint.suppression_file import CHECK as SUPPRESSIONS
from kbdoctor.engine.lint.suppression_file import lint_suppressions
from kbdoctor.engine.packs import apply_overrides, default_rule_files, extended_packs
from kbdoctor.engine.rule_files import (
    expand_rule_paths,
    read_rule_files,
    read_shipped_files,
    shipped_packs,
)
from kbdoctor.engine.rule_parsing import LazyLocator, RulePack, read_pack
from kbdoctor.engine.rulebase import RuleBase, register
from kbdoctor.engine.ruletests.discover import rules_with_tests
from kbdoctor.engine.yamlio import YamlLocator

SCHEMA = "schema"
# what the texts check says in plain words; pydantic's own message for it is left out
_TEXT_KEYS = frozenset({"pydantic.missing", "pydantic.string_too_short"})


@dataclass(frozen=True)
class LintProblem:
    problem: Problem
    severity: Severity
    check: str

    def render(self, lang: Lang) -> str:
        p = self.problem
        message = text(p.key, lang, **p.params)
        context = f"{context_text(p.context, lang)}: " if p.context else ""
        severity = text(f"lint.severity.{self.severity}", lang)
        return f"{p.location()}: {severity}: {context}{message} [{self.check}]"

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        p = self.problem
        return {
            "file": p.file,
            "line": p.line,
            "column": p.column,
            "severity": self.severity,
            "check": self.check,
            "context": context_text(p.context, lang) if p.context else None,
            "key": p.key,
            "message": text(p.key, lang, **p.params),
        }


@dataclass
class LintResult:
    files: list[str] = field(default_factory=list)
    problems: list[LintProblem] = field(default_factory=list)
    unreadable: list[Problem] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for p in self.problems if p.severity == severity)


def lint(
    paths: Sequence[str] | None,
    limits: Limits | None = None,
    checks: Sequence[Check] = CHECKS,
    suppressions: str | None = None,
    today: datetime.date | None = None,
) -> LintResult:
    """Lint rule files (None: those evaluated by default, the shipped pack and the packs of the
    user's configuration), and a suppressions file against them when one is given."""
    limits = limits or Limits.from_env()
    files = default_rule_files() if not paths else expand_rule_paths(paths)
    result = LintResult(files=[display_path(f) for f in files])
    texts, unreadable = read_rule_files(files, limits)
    result.unreadable.extend(unreadable)
    base = RuleBase()
    given = LintInput(base, [], tested=rules_with_tests(files), limits=limits)
    _read(texts, limits, given, result)
    extended = extended_packs([(p.pack, p.model.extends) for p, _ in given.packs], shipped_packs())
    if extended:  # the shipped packs the given ones build on are judged with them, first
        before = LintInput(base, [])
        shipped = read_shipped_files(extended, limits)
        _read(shipped, limits, before, result)
        given.packs[:0] = before.packs
        given.sources[:0] = before.sources
        result.files[:0] = [display_path(f) for f in extended]
        given.tested = rules_with_tests([*extended, *files])
    for pack, _ in given.packs:
        register(base, pack)
    apply_overrides(base)
    seen: set[tuple[Any, ...]] = set()
    for check in checks:
        for problem in check.run(given):
            identity = (check.name, *problem_identity(problem))
            if identity not in seen:  # the same problem found twice is one problem
                seen.add(identity)
                result.problems.append(LintProblem(problem, check.severity, check.name))
    if suppressions is not None:
        result.files.append(display_path(suppressions))
        found = lint_suppressions(suppressions, base, today or datetime.date.today())
        for problem, severity in found:
            if problem.key == "error.cannot_read":
                result.unreadable.append(problem)
            else:
                result.problems.append(LintProblem(problem, severity, SUPPRESSIONS))
    return result


def _read(
    texts: Sequence[tuple[str, str]], limits: Limits, given: LintInput, result: LintResult
) -> None:
    """Each text's data and, when its shape is right, its pack; schema problems to ``result``."""
    for name, content in texts:
        # positions only when a problem needs one: the loader that keeps them takes seconds on a
        # pack of 1,000 rules (bench/bench_authoring.py), and a clean pack needs none
        locator = LazyLocator(content, limits)
        data, model, problems = read_pack(name, content, locator, limits)
        if data is None:  # not YAML, or refused by a limit: unreadable, as `kbdoctor rules` says
            result.unreadable.extend(problems)
            continue
        result.problems.extend(
            LintProblem(p, "error", SCHEMA)
            for p in problems
            if not (p.key in _TEXT_KEYS and str(p.params.get("field", "")).endswith((".en", ".pl")))
        )
        if data is not None:
            given.sources.append(PackSource(name, data, locator))
        located: YamlLocator = locator
        if model is None and isinstance(data, dict):
            # the rest of a refused file is judged too: one schema error hides nothing else
            salvaged = salvage(data, locator, given.refused)
            if salvaged is not None:
                model, located = salvaged
        if model is not None:
            pack = RulePack(name, hashlib.sha256(content.encode()).hexdigest(), model)
            given.packs.append((pack, located))
