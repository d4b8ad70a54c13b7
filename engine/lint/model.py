"""What a check sees (the loaded packs with their positions) and what it is (a name, a severity,
and a function from the packs to located problems)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from kbdoctor.engine.errors import Problem
from kbdoctor.engine.facts import FACT_TYPES
from kbdoctor.engine.rules_model import Absent, Pattern, Rule, Where
from kbdoctor.engine.yamlio import YamlLocator

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class PackSource:
    """One rule file as read: its name, its plain data (None when it did not parse) and the
    positions of its nodes."""

    file: str
    data: Any
    locator: YamlLocator


@dataclass
class LintInput:
    """Everything the checks judge: the merged rule base, each valid pack with its positions,
    every readable file's data (also of files the schema refused), and the ids of the rules that
    a test beside the rules expects to fire (None when tests were not looked for)."""

    base: RuleBase
    packs: list[tuple[RulePack, YamlLocator]]
    sources: list[PackSource] = field(default_factory=list)
    tested: frozenset[str] | None = None


@dataclass(frozen=True)
class Check:
    """One validator. ``loader``: the rule loader runs it too and refuses a pack it faults."""

    name: str
    severity: Severity
    run: Callable[[LintInput], Iterable[Problem]]
    loader: bool = False


class Reporter:
    """Problems of one pack, located by their path in the file."""

    def __init__(self, pack: RulePack, locator: YamlLocator) -> None:
        self.pack = pack
        self.locator = locator
        self.problems: list[Problem] = []

    def add(
        self, path: tuple[Any, ...], key: str, context: str | None = None, **params: Any
    ) -> None:
        line, col = self.locator.position(path)
        self.problems.append(Problem(self.pack.file, line, col, key, params, context))


def per_pack(
    check: Callable[[RuleBase, RulePack, Reporter], None],
) -> Callable[[LintInput], list[Problem]]:
    """A check written for one pack, run over every pack."""

    def run(given: LintInput) -> list[Problem]:
        out: list[Problem] = []
        for pack, locator in given.packs:
            reporter = Reporter(pack, locator)
            check(given.base, pack, reporter)
            out.extend(reporter.problems)
        return out

    return run


@dataclass(frozen=True)
class Site:
    """One condition of a rule, with the aliases bound before it."""

    index: int
    rule: Rule
    position: int
    path: tuple[Any, ...]  # to the pattern (under ``absent`` for an absence test)
    pattern: Pattern
    absent: bool
    known: bool  # its fact type exists, or the conclusion it names is defined
    bound: dict[str, Pattern]

    @property
    def context(self) -> str:
        return rule_context(self.rule)


def rule_context(rule: Rule) -> str:
    return f"rule {rule.id}"


def defined(base: RuleBase, kind: str, ident: str) -> bool:
    """Whether a symptom, finding, cause or recommendation of that id is defined."""
    tables: dict[str, dict[str, Any]] = {
        "symptom": base.symptoms,
        "finding": base.findings,
        "cause": base.causes,
        "recommendation": base.recommendations,
    }
    return ident in tables[kind]


def sites(base: RuleBase, pack: RulePack) -> Iterator[Site]:
    """Every condition of every rule of a pack, in order. An alias counts as bound after a
    positive condition on a known type, so that one unknown type is one problem, not many."""
    for index, rule in enumerate(pack.model.rules):
        bound: dict[str, Pattern] = {}
        for position, condition in enumerate(rule.when):
            path: tuple[Any, ...] = ("rules", index, "when", position)
            absent = isinstance(condition, Absent)
            pattern = condition.absent if isinstance(condition, Absent) else condition
            if absent:
                path = (*path, "absent")
            known = (
                pattern.target in FACT_TYPES
                if pattern.kind == "fact"
                else defined(base, pattern.kind, pattern.target)
            )
            yield Site(index, rule, position, path, pattern, absent, known, dict(bound))
            if not absent and known and pattern.bind and pattern.bind not in bound:
                bound[pattern.bind] = pattern


def checked_sites(base: RuleBase, pack: RulePack) -> Iterator[Site]:
    """The conditions whose ``where`` is worth judging: a known target, and no absence test of
    a derived conclusion (refused on its own)."""
    for site in sites(base, pack):
        if site.known and not (site.absent and site.pattern.kind != "fact"):
            yield site


def where_tests(
    where: Where, path: tuple[Any, ...], nested: bool = False
) -> Iterator[tuple[tuple[Any, ...], str, Any, bool]]:
    """Every field test of a ``where`` (path, field, test, whether inside all/any/not)."""
    for name, test in where.tests.items():
        yield (*path, name), name, test, nested
    for sub in [*(where.all or []), *(where.any or []), *([where.not_] if where.not_ else [])]:
        yield from where_tests(sub, path, True)
