"""What a check sees (the loaded packs with their positions) and what it is (a name, a severity,
and a function from the packs to located problems)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from kbdoctor.engine.errors import Context, Problem
from kbdoctor.engine.facts import FACT_TYPES
from kbdoctor.engine.limits import Limits
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
class Refused:
    """What the schema refused in files that are judged without it (``lint.salvage``): the ids
    of refused definitions and rules, and what refused rules conclude, as far as the file says.
    A check must not call them undefined, or a cause never concluded, on that account: the
    schema error is the one problem."""

    ids: set[tuple[str, str]] = field(default_factory=set)  # (kind, id); kind "rule" for rules
    concluded: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class LintInput:
    """Everything the checks judge: the merged rule base, each valid pack (or the valid part of
    a pack the schema refused) with its positions, every readable file's data (also of files the
    schema refused), what the schema refused, the ids of the rules that a test beside the
    rules expects to fire (None when tests were not looked for), and the limits of the run (None:
    from the environment)."""

    base: RuleBase
    packs: list[tuple[RulePack, YamlLocator]]
    sources: list[PackSource] = field(default_factory=list)
    tested: frozenset[str] | None = None
    refused: Refused = field(default_factory=Refused)
    limits: Limits | None = None


@dataclass(frozen=True)
class Check:
    """One validator. ``loader``: the rule loader runs it too and refuses a pack it faults."""

    name: str
    severity: Severity
    run: Callable[[LintInput], Iterable[Problem]]
    loader: bool = False


class Reporter:
    """Problems of one pack, located by their path in the file; a problem found twice (the same
    placeholder in the English and the Polish text of one line) is reported once."""

    def __init__(self, pack: RulePack, locator: YamlLocator) -> None:
        self.pack = pack
        self.locator = locator
        self.problems: list[Problem] = []
        self._seen: set[tuple[Any, ...]] = set()

    def add(
        self, path: tuple[Any, ...], key: str, context: str | None = None, **params: Any
    ) -> None:
        line, col = self.locator.position(path)
        problem = Problem(self.pack.file, line, col, key, params, context)
        identity = problem_identity(problem)
        if identity not in self._seen:
            self._seen.add(identity)
            self.problems.append(problem)


def problem_identity(problem: Problem) -> tuple[Any, ...]:
    """What makes two problems the same one (``Problem`` holds a dict, so it is not hashable)."""
    params = tuple(sorted((k, repr(v)) for k, v in problem.params.items()))
    return (problem.file, problem.line, problem.column, problem.key, params, problem.context)


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
    # aliases bound earlier by conditions whose type is unknown (or conclusion undefined): that
    # condition is the one problem, so what uses the alias is not judged
    doubtful: frozenset[str] = frozenset()

    @property
    def context(self) -> str:
        return rule_context(self.rule)


def rule_context(rule: Rule) -> str:
    return Context("lint.context.rule", rule=rule.id)


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
    positive condition on a known type; one on an unknown type makes it doubtful, so that one
    unknown type is one problem, not one more for each use of its alias."""
    for index, rule in enumerate(pack.model.rules):
        bound: dict[str, Pattern] = {}
        doubtful: set[str] = set()
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
            yield Site(
                index,
                rule,
                position,
                path,
                pattern,
                absent,
                known,
                dict(bound),
                frozenset(doubtful),
            )
            if not absent and pattern.bind and pattern.bind not in bound:
                if known:
                    bound[pattern.bind] = pattern
                else:
                    doubtful.add(pattern.bind)


def rule_aliases(base: RuleBase, pack: RulePack) -> dict[int, tuple[dict[str, Pattern], set[str]]]:
    """Per rule (by index): the aliases its conditions bind, and those that are doubtful."""
    out: dict[int, tuple[dict[str, Pattern], set[str]]] = {}
    for site in sites(base, pack):
        bound, doubtful = out.setdefault(site.index, ({}, set()))
        bound.update(site.bound)
        doubtful.update(site.doubtful)
        pattern = site.pattern
        if not site.absent and pattern.bind and pattern.bind not in bound:
            if site.known:
                bound[pattern.bind] = pattern
            else:
                doubtful.add(pattern.bind)
    return out


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
    for key, subs in (("all", where.all or []), ("any", where.any or [])):
        for index, sub in enumerate(subs):
            yield from where_tests(sub, (*path, key, index), True)
    if where.not_ is not None:
        yield from where_tests(where.not_, (*path, "not"), True)
