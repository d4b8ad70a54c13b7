"""The TUI's link to the engine: one rule base, one evaluator, and a watch on the rule files.

Compiling rules is the slow part of a diagnosis, so the evaluator is built once per rule base and
reused for every what-if edit. Rule files are watched by modification time and size (polling:
portable, and cheap for a handful of files); a rule file that no longer loads leaves the last good
rule base in place, so that an edit in progress never takes the diagnosis away. No Textual here:
the application calls these methods from its workers.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kbdoctor.engine.errors import KbdoctorError, Problem, UsageError
from kbdoctor.engine.evaluate import DEFAULT_BUDGET_S, Evaluator
from kbdoctor.engine.facts import Fact
from kbdoctor.engine.i18n import Lang
from kbdoctor.engine.packs import default_rule_files
from kbdoctor.engine.report import Report
from kbdoctor.engine.rule_files import bundled_rule_files, expand_rule_paths
from kbdoctor.engine.rulebase import RuleBase, load_rule_base
from kbdoctor.engine.suppressions import Entry

Stamp = tuple[float, int] | None  # (mtime, size); None when the file cannot be read


def _stamp(path: str) -> Stamp:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime, info.st_size)


@dataclass
class Diagnoser:
    """Rule files given on the command line (None: the shipped KB 979174 pack and the packs of
    the user's configuration)."""

    rule_paths: Sequence[str] | None = None
    # seconds an evaluation may run (None: no limit); a slow rule pack must not freeze the
    # application, which shares the interpreter with the evaluation
    budget: float | None = DEFAULT_BUDGET_S
    rule_base: RuleBase | None = None
    problems: list[Problem] = field(default_factory=list)  # of the last load that failed
    # the site's accepted findings (--suppressions), marked in every report
    suppressions: Sequence[Entry] = ()
    _evaluator: Evaluator | None = None
    _stamps: dict[str, Stamp] = field(default_factory=dict)

    def files(self) -> list[str]:
        if self.rule_paths is None:
            try:
                return default_rule_files()
            except UsageError:  # a broken configuration: load() says where
                return bundled_rule_files()
        return expand_rule_paths(self.rule_paths)

    def load(self) -> bool:
        """(Re)load the rule files. On success the new rule base replaces the old one; on failure
        the old one stays and ``problems`` says what is wrong (file, line, column)."""
        self._stamps = {path: _stamp(path) for path in self.files()}
        try:
            base = load_rule_base(self.rule_paths)
        except KbdoctorError as exc:  # a rule file, or the configuration naming the packs
            self.problems = list(exc.problems)
            return False
        self.problems = []
        if base is not self.rule_base or self._evaluator is None:
            if self._evaluator is not None:
                # its kept session ends once its evaluation under way (if any) has: on a thread
                # of its own, so that the interface never waits for it
                threading.Thread(target=self._evaluator.forget, daemon=True).start()
            self.rule_base = base
            self._evaluator = Evaluator(base)
        return True

    def changed(self) -> bool:
        """Whether a rule file changed, appeared or disappeared since the last load."""
        files = self.files()
        if set(files) != set(self._stamps):
            return True
        return any(_stamp(path) != self._stamps[path] for path in files)

    @property
    def ready(self) -> bool:
        return self._evaluator is not None

    def evaluate(
        self,
        facts: list[Fact],
        *,
        lang: Lang,
        files: Sequence[str] = (),
        environment: dict[str, str] | None = None,
        explain: bool = True,
        cancel: threading.Event | None = None,
        keep: bool = False,
        abandon: threading.Event | None = None,
    ) -> Report:
        """The report; setting ``cancel`` (the worker's cancelled event) stops the evaluation
        the way a spent budget does, and the report says so (``budget.reason: cancelled``).
        ``keep``: the diagnosis of the case as edited, whose session the next what-if edit
        follows (``Evaluator.run``); other evaluations (the baseline, a comparison) leave it.
        ``abandon``: see ``Evaluator.evaluate``."""
        if self._evaluator is None:
            raise RuntimeError("no rule base loaded")
        return self._evaluator.evaluate(
            facts,
            lang=lang,
            explain=explain,
            files=list(files),
            environment=environment or {},
            budget=self.budget,
            cancel=cancel,
            suppressions=self.suppressions,
            keep=keep,
            abandon=abandon,
        )


def file_label(path: str) -> str:
    """A rule or fact file as a person recognises it: relative to the working folder when it is
    below it, else its name in its folder."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        p = Path(path)
        return str(Path(p.parent.name, p.name)) if p.parent.name else p.name
