"""``kbdoctor rules test``: run the tests beside the rules and compare each report with what the
test expects. A failure keeps what was expected, what came out and the reasoning behind it: the
HOW of a rule that fired or a cause that was concluded, the WHY NOT of one that was not."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kbdoctor.engine.errors import KbdoctorError, Problem
from kbdoctor.engine.evaluate import Evaluator, Run
from kbdoctor.engine.factio import display_path, load_fact_files, validation_problems
from kbdoctor.engine.facts import Fact
from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.report import CauseReport, Report
from kbdoctor.engine.report_building import build_report
from kbdoctor.engine.rulebase import load_rule_base
from kbdoctor.engine.ruletests.discover import TESTS_FOLDER
from kbdoctor.engine.ruletests.model import RuleTest, RuleTestFile
from kbdoctor.engine.why_not import rule_reasoning
from kbdoctor.engine.yamlio import YamlLocator, load_yaml, yaml_error_problem
from pydantic import ValidationError

# reads a folder (or file) of saved command outputs into facts: the importer, which lives in
# the collectors; the command line passes it in, since the engine does not import collectors
Importer = Callable[[str], list[Fact]]
CONCLUDED = frozenset({"diagnosed", "possible"})


@dataclass(frozen=True)
class Mismatch:
    """One expectation not met: message key and values, and the reasoning lines behind it."""

    key: str
    params: dict[str, Any]
    reasoning: tuple[str, ...] = ()


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


class _Evaluators:
    """One compiled rule base per set of rule paths."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, ...], Evaluator] = {}

    def get(self, paths: tuple[str, ...]) -> Evaluator:
        if paths not in self._known:
            self._known[paths] = Evaluator(load_rule_base(list(paths)))
        return self._known[paths]


def run_tests(
    files: Sequence[Path], lang: Lang = "en", importer: Importer | None = None
) -> TestRun:
    result = TestRun()
    evaluators = _Evaluators()
    for path in files:
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
        for index, test in enumerate(model.tests):
            line, _ = locator.position(("tests", index))
            try:
                facts = _facts(test, path, importer)
            except KbdoctorError as exc:
                result.problems.extend(exc.problems)
                continue
            outcome = Outcome(display_path(str(path)), line, test.name, test.known_gap)
            outcome.mismatches = _check(evaluator, test, facts, lang)
            result.outcomes.append(outcome)
    return result


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


def _facts(test: RuleTest, path: Path, importer: Importer | None) -> list[Fact]:
    facts: list[Fact] = list(test.facts or [])
    if test.fact_file is not None:
        facts.extend(load_fact_files([str(path.parent / test.fact_file)]).facts)
    if test.outputs is not None:
        if importer is None:
            raise KbdoctorError(
                [Problem(display_path(str(path)), None, None, "ruletest.no_importer")]
            )
        facts.extend(importer(str(path.parent / test.outputs)))
    return facts


def _check(evaluator: Evaluator, test: RuleTest, facts: list[Fact], lang: Lang) -> list[Mismatch]:
    run = evaluator.run(facts)
    report = build_report(run, lang=lang, explain=False, files=[], environment={})
    if not _mismatches(run, report, test, lang, explain=False):
        return []
    run = evaluator.run(facts, explain=True)  # again, for the reasons
    report = build_report(run, lang=lang, explain=True, files=[], environment={})
    return _mismatches(run, report, test, lang, explain=True)


def _mismatches(
    run: Run, report: Report, test: RuleTest, lang: Lang, *, explain: bool
) -> list[Mismatch]:
    expect = test.expect
    out: list[Mismatch] = []
    fired = {run.compiled.rules[r.rule_index].rule.id for r in run.firings}

    def rule_why(rule: str) -> tuple[str, ...]:
        if not explain:
            return ()
        firings, miss = rule_reasoning(run, rule, lang)
        lines = [text("ruletest.how", lang, text=f.text, subject=f.subject) for f in firings]
        if miss is not None:
            lines.append(text("ruletest.why_not", lang, text=miss.text))
        return tuple(lines)

    for rule in expect.fires:
        if rule not in fired:
            out.append(Mismatch("ruletest.rule_silent", {"rule": rule}, rule_why(rule)))
    for rule in expect.silent:
        if rule in fired:
            out.append(Mismatch("ruletest.rule_fired", {"rule": rule}, rule_why(rule)))
    causes = {c.cause: c for c in report.causes}
    for ident, wanted in expect.causes.items():
        cause = causes.get(ident)
        if cause is None:
            out.append(Mismatch("ruletest.cause_unknown", {"cause": ident}))
            continue
        wrong = (
            (wanted.statuses and cause.status not in wanted.statuses)
            or (
                wanted.confidence is not None
                and not wanted.confidence.min <= cause.confidence <= wanted.confidence.max
            )
            or (wanted.scope is not None and cause.scope != wanted.scope)
        )
        if wrong:
            expected = ", ".join(
                [
                    *(["/".join(wanted.statuses)] if wanted.statuses else []),
                    *(
                        [f"{wanted.confidence.min:g}..{wanted.confidence.max:g}"]
                        if wanted.confidence
                        else []
                    ),
                    *([wanted.scope] if wanted.scope else []),
                ]
            )
            out.append(
                Mismatch(
                    "ruletest.cause",
                    {"cause": ident, "expected": expected, "actual": _cause_line(cause)},
                    _cause_why(cause, lang) if explain else (),
                )
            )
    for ident in expect.not_concluded:
        cause = causes.get(ident)
        if cause is not None and cause.status in CONCLUDED:
            out.append(
                Mismatch(
                    "ruletest.cause_concluded",
                    {"cause": ident, "actual": _cause_line(cause)},
                    _cause_why(cause, lang) if explain else (),
                )
            )
    if expect.diagnoses is not None:
        actual = [d.cause for d in report.diagnoses]
        if actual != expect.diagnoses:
            out.append(_lists("ruletest.diagnoses", expect.diagnoses, actual))
    findings = sorted({f.id for f in report.findings})
    missing = [f for f in expect.findings if f not in findings]
    extra = [f for f in expect.not_findings if f in findings]
    if missing:
        out.append(_lists("ruletest.findings", expect.findings, findings))
    if extra:
        out.append(_lists("ruletest.findings_unwanted", expect.not_findings, findings))
    if expect.recommendations is not None:
        actual = sorted(r.id for r in report.recommendations)
        if actual != sorted(expect.recommendations):
            out.append(_lists("ruletest.recommendations", expect.recommendations, actual))
    if expect.failing_paths is not None:
        wanted_paths = sorted(f"{p.sender} -> {p.receiver}" for p in expect.failing_paths)
        actual_paths = sorted(f"{p.sender} -> {p.receiver}" for p in report.failing_paths)
        if wanted_paths != actual_paths:
            out.append(_lists("ruletest.failing_paths", wanted_paths, actual_paths))
    return out


def _lists(key: str, expected: Sequence[str], actual: Sequence[str]) -> Mismatch:
    return Mismatch(
        key, {"expected": ", ".join(expected) or "-", "actual": ", ".join(actual) or "-"}
    )


def _cause_line(cause: CauseReport) -> str:
    return f"{cause.status}, {cause.confidence:g}, {cause.scope}"


def _cause_why(cause: CauseReport, lang: Lang) -> tuple[str, ...]:
    lines = [
        text("ruletest.how", lang, text=f"{f.rule}: {f.text}", subject=f.subject)
        for f in cause.evidence
    ]
    lines.extend(text("ruletest.why_not", lang, text=f"{m.rule}: {m.text}") for m in cause.why_not)
    return tuple(lines)
