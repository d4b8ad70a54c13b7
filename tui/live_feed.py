"""A live collection as it arrives (issue 12): its facts join the case batch by batch and the
diagnosis follows them while the slow probes still wait, provisional until the collection ends.

The runner hands over each batch as soon as it is final (a DC's clock, its ports, a directory
read); :mod:`kbdoctor.tui.live_collection` posts it here, to the UI thread. The first batch makes
the collection a source of the case (one undoable step, replacing the source it reads again);
later batches grow that source. Batches come in bursts (every port of a DC answers at once), and
an evaluation costs far more than adding facts, so they are coalesced twice: the facts of the
batches already queued are added before the screen is refreshed once, and an evaluation is
started only when none is under way; one that is under way is followed by exactly one more, of
everything that arrived meanwhile. Until it ends, the source's environment says
``kbdoctor.live.incomplete: collecting`` (a case saved meanwhile is honest about it). A
collection stopped (escape) or failed keeps what arrived, marked incomplete as ``kbdoctor
collect`` marks an interrupted one, and its diagnosis is then final for what arrived.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Literal

from kbdoctor.engine.facts import Fact
from kbdoctor.tui.i18n import t
from kbdoctor.tui.messages import LiveCollectionEnded, LiveFactsArrived, WorkFinished
from kbdoctor.tui.sources import SourceOrigin
from textual.notifications import SeverityLevel
from textual.worker import Worker

if TYPE_CHECKING:
    from kbdoctor.collectors.live.model import LiveOptions
    from kbdoctor.tui.app import KbdoctorApp

GROUP = "live"  # the worker group of a collection


@dataclass
class _Run:
    number: int
    opts: LiveOptions
    label: str
    replace: tuple[int, ...]  # the sources it takes the place of (read again)
    worker: Worker[None] | None = None
    source_id: int | None = None
    facts: int = 0


@dataclass(frozen=True)
class _Ended:
    domain: str
    facts: int
    incomplete: str | None  # why the collection was cut short (``cancelled``, ``failed``)
    generation: int  # the session's material when it ended: the note holds until that changes


class LiveFeed:
    """The collection under way (at most one), its source, and its evaluations."""

    def __init__(self, app: KbdoctorApp) -> None:
        self._app = app
        self._runs = 0
        self._run: _Run | None = None
        self._refresh_pending = False
        self._dirty = False  # facts arrived after the evaluation under way started
        self._awaiting: int | None = None  # the ticket of the diagnosis of the whole collection
        self._ended: _Ended | None = None

    @property
    def running(self) -> bool:
        return self._run is not None

    # -- starting and stopping ------------------------------------------------------------------

    def start(
        self, opts: LiveOptions, *, replace: tuple[int, ...] = (), label: str | None = None
    ) -> bool:
        """Collect in a worker (False, and said, while another collection runs: its batches
        would interleave with these)."""
        from kbdoctor.tui.live_collection import run_collection, source_label

        app = self._app
        if self._run is not None:
            self.say_busy()
            return False
        self._runs += 1
        run = _Run(self._runs, opts, label or source_label(opts), replace)
        self._run, self._dirty, self._awaiting, self._ended = run, False, None, None
        run.worker = app.run_worker(
            partial(run_collection, app, run.number, opts),
            thread=True,
            group=GROUP,
            exit_on_error=False,
            description="collect",
        )
        app.refresh_bindings()  # the stop key
        return True

    def say_busy(self) -> None:
        """Say that a collection runs (and how to stop it)."""
        if self._run is not None:
            domain = self._run.opts.domain
            self._app.notify(t("tui.live.busy", self._app.lang, domain=domain), markup=False)

    def stop(self) -> bool:
        """Stop the collection under way: the runner returns what was delivered, marked
        cancelled, and says nothing more (see ``collect``'s ``cancel``)."""
        run = self._run
        if run is None or run.worker is None:
            return False
        run.worker.cancel()  # its cancelled event is the runner's cancel
        return True

    # -- arriving -------------------------------------------------------------------------------

    def arrived(self, message: LiveFactsArrived) -> None:
        """Add a batch to the collection's source (making it at the first batch); the screen
        and the diagnosis follow once the batches already queued are in."""
        run = self._run
        if run is None or message.run != run.number or not message.facts:
            return
        from kbdoctor.collectors.live.runner import INCOMPLETE  # loaded by the collection

        # until it ends, the source (and a case or fact file saved meanwhile) says it is partial
        under_way = {"kbdoctor.live.domain": run.opts.domain, INCOMPLETE: "collecting"}
        self._add(run, message.facts, under_way if run.source_id is None else None)
        if not self._refresh_pending:
            self._refresh_pending = True
            self._app.call_later(self._refresh)

    def _add(self, run: _Run, facts: list[Fact], environment: dict[str, str] | None = None) -> None:
        session = self._app.session
        if run.source_id is None:
            source = session.add_source(
                facts,
                run.label,
                SourceOrigin("live", live=run.opts),
                environment=environment or {},
                files=[run.label],
                replace=run.replace,
                undoable=True,
            )
            run.source_id = source.id
        else:
            session.extend_source(run.source_id, facts, environment=environment)
        run.facts += len(facts)

    def _refresh(self) -> None:
        self._refresh_pending = False
        if self._run is None:
            return  # the end showed everything already
        from kbdoctor.tui import source_desk

        app = self._app
        app.main.show_session(app.session, app.lang)
        source_desk.refresh_sources_screen(app)
        self._diagnose()

    def _diagnose(self) -> None:
        """Evaluate now, or after the diagnosis under way (at most one waits)."""
        if self._app.evaluations.diagnosing():
            self._dirty = True
            return
        self._dirty = False
        self._app.evaluate()

    def worker_changed(self) -> None:
        """A worker changed state: when the diagnosis under way has ended and facts arrived
        during it, diagnose again."""
        if self._dirty and self._run is not None and not self._app.evaluations.diagnosing():
            self._dirty = False
            self._app.evaluate()

    # -- ending ---------------------------------------------------------------------------------

    def ended(self, message: LiveCollectionEnded) -> None:
        """The collection ended: its environment joins the source (made now if no fact came),
        the whole of it is diagnosed, and how it ended is said."""
        run = self._run
        if run is None or message.run != run.number:
            return
        from kbdoctor.collectors.live.runner import INCOMPLETE  # loaded by the collection
        from kbdoctor.tui import source_desk

        app = self._app
        self._add(run, [], message.environment)
        self._run, self._dirty = None, False
        source_desk.case_changed(app)  # the facts, the Sources screen, the final diagnosis
        self._awaiting = app.evaluations.ticket if app.evaluations.diagnosing() else None
        incomplete = message.environment.get(INCOMPLETE)
        self._ended = _Ended(run.opts.domain, run.facts, incomplete, app.session.generation)
        lang, domain = app.lang, run.opts.domain
        severity: SeverityLevel
        if incomplete is None:
            summary = t("tui.live.done", lang, facts=run.facts, errors=len(message.problems))
            severity = "warning" if message.problems else "information"
        else:
            key = "tui.live.stopped" if incomplete == "cancelled" else "tui.live.failed"
            summary = t(key, lang, domain=domain, facts=run.facts)
            severity = "warning" if incomplete == "cancelled" else "error"
        app.post_message(WorkFinished(summary, message.problems, severity))
        app.refresh_bindings()

    def report_shown(self, ticket: int) -> None:
        """A diagnosis was shown: once it is the one of the whole collection, it is final."""
        if self._awaiting is not None and ticket >= self._awaiting:
            self._awaiting = None

    def diagnosis_state(self) -> Literal["provisional", "incomplete", "final"] | None:
        """What the diagnosis shown is, as far as a collection decides it: provisional while
        facts are still coming or being diagnosed, incomplete once a collection that was cut
        short is diagnosed, final once a whole one is; None when no collection concerns it."""
        if self._run is not None:
            return "provisional"
        ended = self._ended
        if ended is None or ended.generation != self._app.session.generation:
            return None
        if self._awaiting is not None:
            return "provisional"
        return "final" if ended.incomplete is None else "incomplete"

    def status_note(self) -> str | None:
        """What the status line says of the diagnosis shown: provisional while facts are still
        coming (or the whole collection is being diagnosed), final once it is diagnosed, until
        other material changes the case."""
        app, lang = self._app, self._app.lang
        run = self._run
        if run is not None:
            return t("tui.live.provisional", lang, domain=run.opts.domain, facts=run.facts)
        ended = self._ended
        if ended is None or ended.generation != app.session.generation:
            return None
        if self._awaiting is not None:
            return t("tui.live.finishing", lang, domain=ended.domain, facts=ended.facts)
        if ended.incomplete is None:
            return t("tui.live.final", lang, domain=ended.domain, facts=ended.facts)
        if ended.incomplete == "cancelled":
            return t("tui.live.final_cancelled", lang, domain=ended.domain, facts=ended.facts)
        return t("tui.live.final_failed", lang, domain=ended.domain, facts=ended.facts)
