"""The scheduling of diagnoses: which evaluation is current, its worker, its cancel, its budget.

A what-if edit, a language switch, a reloaded rule base and new material each ask for a
diagnosis; the user may ask again before the last one finished, or press escape. This module
decides what runs: a newer request cancels the older one (its result would be stale, and the
evaluator runs one evaluation at a time, so the new one would wait for it); each request gets a
ticket, and only the report of the current ticket is shown; the baseline (the facts as loaded)
is evaluated only when what it depends on changed; the WHY-NOT explanation, which costs as much
again, runs after the fast diagnosis was painted. The application shows what arrives (as
``ReportReady`` messages) and keeps the keys, the palette and the language.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Literal

from kbdoctor.engine.facts import Fact
from kbdoctor.tui.i18n import Lang
from kbdoctor.tui.messages import BaselineReady, ReportReady
from textual.worker import WorkerState, get_current_worker

if TYPE_CHECKING:
    from kbdoctor.tui.app import KbdoctorApp

GROUP = "evaluate"  # the worker group of every evaluation and explanation

CancelOutcome = Literal["nothing", "before_start", "cancelled"]


@dataclass
class _Request:
    ticket: int
    facts: list[Fact]
    lang: Lang


class Evaluations:
    """Tickets, workers and baselines of the application's diagnoses."""

    def __init__(self, app: KbdoctorApp) -> None:
        self._app = app
        self.ticket = 0
        self._ticket_key: tuple[object, ...] | None = None  # what the current ticket evaluates
        self._baseline_key: tuple[object, ...] | None = None  # what the baseline was made of
        self._started: set[int] = set()  # tickets whose worker began (see ``cancel``)
        self._explain_request: _Request | None = None
        # set once, when the application quits: no report of a running evaluation is wanted
        self._abandon = threading.Event()

    # -- starting -------------------------------------------------------------------------------

    def start(self) -> None:
        """Diagnose the session's current facts (and, after a what-if change, the facts as
        loaded, unless that baseline is still the one made for the same material)."""
        app = self._app
        app.workers.cancel_group(app, GROUP)
        self.ticket += 1
        session = app.session
        key = (session.generation, app.lang, id(app.diagnoser.rule_base))
        need_baseline = bool(session.changed) and key != self._baseline_key
        self._ticket_key = key
        facts = session.effective_facts()
        self._explain_request = _Request(self.ticket, facts, app.lang)
        loaded = session.loaded_facts() if need_baseline else None
        # A fixed description: Textual's default is the repr of every argument, and the repr
        # of a thousand facts costs more than the evaluation.
        app.run_worker(
            partial(self._evaluate, self.ticket, facts, loaded, key, app.lang),
            thread=True,
            group=GROUP,
            exit_on_error=False,
            description="diagnose",
        )

    def forget_baseline(self) -> None:
        """The baseline must be evaluated again (new rules, another language)."""
        self._baseline_key = None

    def is_current(self, ticket: int) -> bool:
        return ticket == self.ticket

    def accept_as_baseline(self) -> None:
        """The report of the current ticket is of the facts as loaded: the baseline of the next
        what-if edit, which then need not evaluate them again."""
        self._baseline_key = self._ticket_key

    def _evaluate(
        self,
        ticket: int,
        facts: list[Fact],
        loaded: list[Fact] | None,
        key: tuple[object, ...],
        lang: Lang,
    ) -> None:
        # The diagnosis without WHY-NOT is painted first; the explained one is computed after
        # that paint (see ``explain_after_paint``), so that a what-if edit shows its effect at
        # once and the two never compete for the interpreter.
        self._started.add(ticket)  # a worker cancelled before this line never reports
        app = self._app
        start = time.perf_counter()
        cancel = get_current_worker().cancelled_event  # set by escape, a newer edit, or quit
        files, environment = list(app.session.files), dict(app.session.environment)
        # kept: the next what-if edit retracts and asserts only what it changed
        report = app.diagnoser.evaluate(
            facts,
            lang=lang,
            files=files,
            environment=environment,
            explain=False,
            cancel=cancel,
            keep=True,
            abandon=self._abandon,
        )
        elapsed = (time.perf_counter() - start) * 1000.0
        # The baseline (the facts as loaded, for the "(was ...)" marks) costs a whole evaluation
        # again: the diagnosis is posted first, and the marks follow (a reopened case of 1,000
        # servers painted its diagnosis only after both, bench/tui_bench.py).
        pending = loaded is not None and not cancel.is_set()
        app.post_message(ReportReady(report, None, ticket, elapsed, baseline_pending=pending))
        if loaded is not None and pending:
            baseline = app.diagnoser.evaluate(
                loaded,
                lang=lang,
                files=files,
                environment=environment,
                explain=False,
                abandon=self._abandon,
            )
            self._baseline_key = key
            app.post_message(BaselineReady(baseline, ticket))

    # -- explaining -----------------------------------------------------------------------------

    def explain_after_paint(self, ticket: int, elapsed_ms: float) -> None:
        """Compute the WHY-NOT of the diagnosis just painted, unless a newer one is under way
        (its own evaluation will be explained)."""
        request = self._explain_request
        if request is None or request.ticket != ticket or ticket != self.ticket:
            return
        self._explain_request = None
        self._app.run_worker(
            partial(self._explain, request, elapsed_ms),
            thread=True,
            group=GROUP,
            exit_on_error=False,
            description="explain",
        )

    def _explain(self, request: _Request, elapsed_ms: float) -> None:
        if request.ticket != self.ticket:
            return
        app = self._app
        cancel = get_current_worker().cancelled_event
        files, environment = list(app.session.files), dict(app.session.environment)
        explained = app.diagnoser.evaluate(
            request.facts,
            lang=request.lang,
            files=files,
            environment=environment,
            cancel=cancel,
            abandon=self._abandon,
        )
        app.post_message(ReportReady(explained, None, request.ticket, elapsed_ms))

    # -- cancelling -----------------------------------------------------------------------------

    def running(self) -> bool:
        """Whether an evaluation (or its explanation) is under way and not yet cancelled."""
        return any(
            w.group == GROUP and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for w in self._app.workers
        )

    def diagnosing(self) -> bool:
        """Whether a diagnosis (not its explanation) is under way: one whose report is still to
        come, so that new facts arriving now can wait for it to end (see ``tui/live_feed.py``)."""
        return any(
            w.group == GROUP
            and w.description == "diagnose"
            and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for w in self._app.workers
        )

    def abandon(self) -> None:
        """The application is quitting: stop the evaluations under way without building their
        reports (``Evaluator.evaluate``'s ``abandon``), so that the process ends with the screen
        instead of seconds later."""
        self._abandon.set()
        self._app.workers.cancel_group(self._app, GROUP)

    def cancel(self) -> CancelOutcome:
        """Stop the evaluation under way: its worker's cancelled event is the engine's cancel
        token, checked where the time budget is, so the thread ends on its own within one
        assertion and reports what it found, marked cancelled. ``before_start``: the worker was
        cancelled before it ran, so it never reports, and the diagnosis on screen (if any) is of
        the facts before the change it was to evaluate."""
        app = self._app
        if not app.workers.cancel_group(app, GROUP):
            return "nothing"
        return "cancelled" if self.ticket in self._started else "before_start"
