"""Loading rule files into one validated rule base, reporting every problem of every file at once.

Validation has two layers, like pySigma's: the pydantic models check each file's shape, then
the checks of :mod:`kbdoctor.engine.lint.checks` marked ``loader`` catch what only the whole rule
base can tell: unknown fact types and fields, references to aliases not yet bound, undefined
causes, remediation placeholders that a concluding rule does not provide, and absence tests over
derived conclusions (which durable-rules cannot negate reliably). ``kbdoctor rules lint`` runs the
same checks, and more, through :mod:`kbdoctor.engine.lint.run`.

This module merges packs into one rule base and runs those checks; finding and reading the
files is :mod:`kbdoctor.engine.rule_files`, one file's text to a pack
:mod:`kbdoctor.engine.rule_parsing`, extending and overriding packs :mod:`kbdoctor.engine.packs`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from kbdoctor.engine.errors import Problem, RuleFileError
from kbdoctor.engine.limits import ENV_VARS, Limits
from kbdoctor.engine.lint.checks import LOADER_CHECKS
from kbdoctor.engine.lint.model import Check, LintInput
from kbdoctor.engine.packs import apply_overrides, default_rule_files, extended_packs
from kbdoctor.engine.rule_files import (
    expand_rule_paths,
    read_rule_files,
    read_shipped_files,
    shipped_packs,
)
from kbdoctor.engine.rule_parsing import RulePack, parse_packs
from kbdoctor.engine.rules_model import (
    CauseDef,
    ConclusionDef,
    RecommendationDef,
    Rule,
)
from kbdoctor.engine.yamlio import YamlLocator

__all__ = [
    "CONCLUSION_KINDS",
    "RuleBase",
    "RulePack",
    "load_rule_base",
    "parse_rule_texts",
    "register",
    "run_checks",
]

CONCLUSION_KINDS = ("symptom", "finding", "cause", "recommendation")


@dataclass
class RuleBase:
    """All loaded packs, merged: definitions by id, rules in file order."""

    packs: list[RulePack] = field(default_factory=list)
    symptoms: dict[str, ConclusionDef] = field(default_factory=dict)
    findings: dict[str, ConclusionDef] = field(default_factory=dict)
    causes: dict[str, CauseDef] = field(default_factory=dict)
    recommendations: dict[str, RecommendationDef] = field(default_factory=dict)
    derive: dict[str, dict[str, str]] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)  # evaluated: without disabled rules
    rule_pack: dict[str, RulePack] = field(default_factory=dict)  # the pack that wrote each rule
    disabled: dict[str, str] = field(default_factory=dict)  # rule id -> the pack disabling it
    # rule id -> the pack that set its cf, and the cf its own pack gave it
    changed: dict[str, tuple[str, float]] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        return hashlib.sha256("".join(p.sha256 for p in self.packs).encode()).hexdigest()

    def conclusion_def(self, kind: str, ident: str) -> ConclusionDef | None:
        table: dict[str, ConclusionDef] = {"symptom": self.symptoms, "finding": self.findings}.get(
            kind, {}
        )
        return table.get(ident)


_CACHE: dict[tuple[str, ...], tuple[tuple[str, ...], RuleBase]] = {}


def load_rule_base(paths: Sequence[str] | None = None, limits: Limits | None = None) -> RuleBase:
    """Load rule files (None: the shipped pack and the packs of the user's configuration).
    Raises RuleFileError listing every problem found in every file. Each file is bounded like a
    fact file (``limits``, default from the environment): bytes, nesting depth, text length;
    YAML aliases are refused."""
    limits = limits or Limits.from_env()
    files = default_rule_files() if paths is None else expand_rule_paths(paths)
    texts, problems = read_rule_files(files, limits)
    if problems:
        raise RuleFileError(problems)
    digests = tuple(hashlib.sha256(t.encode()).hexdigest() for _, t in texts)
    key = tuple(files)
    cached = _CACHE.get(key)
    if cached and cached[0] == digests:
        return cached[1]
    base = parse_rule_texts(texts, limits)
    _CACHE[key] = (digests, base)
    return base


def parse_rule_texts(texts: Sequence[tuple[str, str]], limits: Limits | None = None) -> RuleBase:
    """Rule texts, as (shown name, text), to one rule base: each parsed to its pack, the shipped
    packs they extend put before them, merged, overridden and checked. Raises RuleFileError with
    every problem of every text at once."""
    limits = limits or Limits.from_env()
    base = RuleBase()
    problems: list[Problem] = []
    located = parse_packs(texts, limits, problems)
    extra = extended_packs([(p.pack, p.model.extends) for p, _ in located], shipped_packs())
    if extra:
        located = parse_packs(read_shipped_files(extra, limits), limits, problems) + located
    for pack, _ in located:
        register(base, pack)
    apply_overrides(base)
    problems.extend(run_checks(LOADER_CHECKS, LintInput(base, located)))
    problems.extend(over_rule_limit(located, limits))
    if problems:
        raise RuleFileError(problems)
    return base


def over_rule_limit(located: list[tuple[RulePack, YamlLocator]], limits: Limits) -> list[Problem]:
    """Rules past ``limits.rules`` (all packs together): a problem at the first rule over, since
    the engine is proven only up to that many (and took minutes from about 5,000)."""
    seen = 0
    for pack, locator in located:
        if seen + len(pack.rules) > limits.rules:
            line, column = locator.position(("rules", limits.rules - seen))
            params = {"limit": limits.rules, "variable": ENV_VARS["rules"]}
            return [Problem(pack.file, line, column, "error.limit_rules", params)]
        seen += len(pack.rules)
    return []


def run_checks(checks: Sequence[Check], given: LintInput) -> list[Problem]:
    """The problems the checks find, check by check."""
    return [problem for check in checks for problem in check.run(given)]


def register(base: RuleBase, pack: RulePack) -> None:
    """Merge one pack's definitions and rules into the base (a later id replaces an earlier one;
    the duplicate-ids check reports it)."""
    model = pack.model
    base.packs.append(pack)
    base.symptoms.update(model.symptoms)
    base.findings.update(model.findings)
    base.causes.update(model.causes)
    base.recommendations.update(model.recommendations)
    for fact_type, templates in model.derive.items():
        base.derive.setdefault(fact_type, {}).update(templates)
    for rule in model.rules:
        base.rule_pack[rule.id] = pack
        base.rules.append(rule)
