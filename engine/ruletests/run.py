"""``kbdoctor rules test``: run the tests beside the rules and compare each report with what the
test expects (:mod:`kbdoctor.engine.ruletests.compare`). A failure keeps what was expected, what
came out and the reasoning behind it: the HOW of a rule that fired or a conclusion that was
reached, the WHY NOT of one that was not.

A test that cannot mean what it says is invalid input, never a pass: an id the rules do not
define, a fact file or a folder of outputs that is not there, outputs that give no facts."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kbdoctor.engine.errors import KbdoctorError, Problem
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.factio import display_path, load_fact_files, validation_problems
from kbdoctor.engine.facts import Fact
from kbdoctor.engine.i18n import Lang
from kbdoctor.engine.probe import probe
from kbdoctor.engine.report_building import build_report
from kbdoctor.engine.rulebase import load_rule_base
from kbdoctor.engine.ruletests.compare import Mismatch, mismatches
from kbdoctor.engine.ruletests.discover import TESTS_FOLDER
from kbdoctor.engine.ruletests.model import RuleTest, RuleTestFile
from kbdoctor.engine.ruletests.reasons import Reasons
from kbdoctor.engine.ruletests.references import undefined_ids
from kbdoctor.engine.yamlio import YamlLocator, load_yaml, yaml_error_problem
from pydantic import ValidationError

# reads a folder (or file) of saved command outputs into facts: the importer, which lives in
# the collectors; the command line passes it in, since the engine does not import collectors
Importer = Callable[[str], list[Fact]]
# where a run's time goes, apart: reading the rule and test files, compiling the rules
# (durable-rules), running the tests; bench/bench_authoring.py reports them
PHASES = ("load", "compile", "tests")


@dataclass
class Outcome:
    file: str
    line: int | None
    name: str
    known_gap: str | None
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.mismatches

    @property
    def fails_run(self) -> bool:
        return not self.passed and self.known_gap is None


@dataclass
class TestRun:
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # unreadable or invalid input
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PHASES, 0.0))

    @contextmanager
    def timing(self, phase: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[phase] += time.perf_counter() - start


class _Evaluators:
    """One compiled rule base per set of rule paths."""

    def __init__(self, result: TestRun) -> None:
        self._known: dict[tuple[str, ...], Evaluator] = {}
        self._result = result

    def get(self, paths: tuple[str, ...]) -> Evaluator:
        if paths not in self._known:
            with self._result.timing("load"):
                base = load_rule_base(list(paths))
            with self._result.timing("compile"):
                self._known[paths] = Evaluator(base)
        return self._known[paths]


def run_tests(
    files: Sequence[Path], lang: Lang = "en", importer: Importer | None = None
) -> TestRun:
    result = TestRun()
    evaluators = _Evaluators(result)
    for path in files:
        with result.timing("load"):
            loaded = _load(path)
        if isinstance(loaded, list):
            result.problems.extend(loaded)
            continue
        model, locator = loaded
        rules = tuple(str(path.parent / r) for r in model.rules) or _default_rules(path)
        try:
            evaluator = evaluators.get(rules)
        except KbdoctorError as exc:
            result.problems.extend(exc.problems)
            continue
        with result.timing("tests"):
            for index, test in enumerate(model.tests):
                _run_one(result, evaluator, _Given(path, locator, index, test), lang, importer)
    return result


@dataclass(frozen=True)
class _Given:
    """One test as written: its file, where it is in the file, and what it says."""

    path: Path
    locator: YamlLocator
    index: int
    test: RuleTest

    @property
    def name(self) -> str:
        return display_path(str(self.path))

    def position(self, *keys: str) -> tuple[int | None, int | None]:
        return self.locator.position(("tests", self.index, *keys))

    def problem(self, key: str, *keys: str, **params: object) -> Problem:
        line, column = self.position(*keys)
        return Problem(self.name, line, column, key, dict(params))


def _run_one(
    result: TestRun, evaluator: Evaluator, given: _Given, lang: Lang, importer: Importer | None
) -> None:
    test = given.test
    undefined = undefined_ids(test.expect, evaluator.base, given.name, given.locator, given.index)
    if undefined:
        result.problems.extend(undefined)
        return
    try:
        facts = _facts(given, importer)
    except KbdoctorError as exc:
        result.problems.extend(exc.problems)
        return
    outcome = Outcome(given.name, given.position()[0], test.name, test.known_gap)
    outcome.mismatches = _check(evaluator, test, facts, lang)
    result.outcomes.append(outcome)


def _default_rules(path: Path) -> tuple[str, ...]:
    folder = path.parent
    return (str(folder.parent if folder.name == TESTS_FOLDER else folder),)


def _load(path: Path) -> tuple[RuleTestFile, YamlLocator] | list[Problem]:
    name = display_path(str(path))
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return [Problem(name, None, None, "error.cannot_read", {"detail": detail})]
    try:
        data, locator = load_yaml(content)
    except Exception as exc:  # ruamel's errors have no common base beyond Exception
        return [yaml_error_problem(exc, name)]
    try:
        return RuleTestFile.model_validate(data), locator
    except ValidationError as exc:
        return validation_problems(exc, name, data, locator)


def _facts(given: _Given, importer: Importer | None) -> list[Fact]:
    """The test's facts; a fact file or outputs that are not there, or outputs in which the
    importer finds no facts, are refused at the test's line (a test of no facts would pass)."""
    test = given.test
    facts: list[Fact] = list(test.facts or [])
    if test.fact_file is not None:
        facts.extend(load_fact_files([str(_existing(given, "fact_file", test.fact_file))]).facts)
    if test.outputs is not None:
        outputs = _existing(given, "outputs", test.outputs)
        if importer is None:
            raise KbdoctorError([given.problem("ruletest.no_importer", "outputs")])
        imported = importer(str(outputs))
        if not imported:
            raise KbdoctorError(
                [given.problem("ruletest.outputs_no_facts", "outputs", path=test.outputs)]
            )
        facts.extend(imported)
    return facts


def _existing(given: _Given, key: str, relative: str) -> Path:
    target = given.path.parent / relative
    seen = probe(target)
    if not seen.exists and seen.error is None:  # one that cannot be looked at: said on reading
        raise KbdoctorError(
            [given.problem("ruletest.no_such_path", key, field=key, path=str(target))]
        )
    return target


def _check(evaluator: Evaluator, test: RuleTest, facts: list[Fact], lang: Lang) -> list[Mismatch]:
    run = evaluator.run(facts)
    report = build_report(run, lang=lang, explain=False, files=[], environment={})
    if not mismatches(run, report, test.expect, Reasons(run, report, lang, explain=False)):
        return []
    run = evaluator.run(facts, explain=True)  # again, for the reasons
    report = build_report(run, lang=lang, explain=True, files=[], environment={})
    return mismatches(run, report, test.expect, Reasons(run, report, lang, explain=True))
