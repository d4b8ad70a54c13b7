"""The kbdoctor application: global keys, the command palette, the language, and the workers.

The application owns the session (facts and what-if changes) and the diagnoser (rules and
evaluator); screens and widgets show what it pushes into them and send requests back as
messages. Every slow step (compiling rules, reading files, importing outputs, evaluating, writing)
runs in a thread worker and reports back with a message, so the screen never freezes; a failure
becomes a located message on the screen and nothing already loaded is lost.
"""

from __future__ import annotations

import asyncio
import gc
import signal
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from kbdoctor.engine.atomic import write_atomic
from kbdoctor.engine.errors import KbdoctorError
from kbdoctor.engine.evaluate import DEFAULT_BUDGET_S
from kbdoctor.engine.factio import dump_fact_file
from kbdoctor.engine.facts import Fact
from kbdoctor.engine.report import FactRef, Report
from kbdoctor.tui import loading, source_desk
from kbdoctor.tui.case_desk import CaseDesk
from kbdoctor.tui.compat import LocalisedCommandPalette
from kbdoctor.tui.diagnosis import Diagnoser, file_label
from kbdoctor.tui.evaluations import Evaluations
from kbdoctor.tui.i18n import Lang, other_language, t
from kbdoctor.tui.keys import binding_rows, localise_bindings
from kbdoctor.tui.live_feed import LiveFeed
from kbdoctor.tui.messages import (
    BaselineReady,
    FactRequested,
    LiveCollectionEnded,
    LiveFactsArrived,
    MaterialRead,
    ReportReady,
    RulesLoaded,
    WorkFinished,
    WorkProgressed,
)
from kbdoctor.tui.palette import binding_commands
from kbdoctor.tui.screens.main import MainScreen
from kbdoctor.tui.session import Session, matches_ref
from kbdoctor.tui.sources import SourceOrigin
from kbdoctor.tui.widgets.diagnosis import DiagnosisPane
from kbdoctor.tui.widgets.reasoning import ReasoningTree
from rich.text import Text
from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from kbdoctor.tui.screens.pick_path import PickMode
    from rich.console import RenderableType

# The dialogs (fact detail and edit, file picker, save, help) are imported by the actions that
# open them, and the facts and rules tabs by the screen when first shown: none is on the first
# screen, and importing them all would delay the first paint.

RULE_POLL_S = 0.5
FIRST_FRAME_WAIT_S = 0.4  # the longest the screen waits for the first diagnosis before painting


class KbdoctorApp(App[None]):
    CSS_PATH = ["app.tcss"]
    TITLE = "kbdoctor"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "tui.key.help"),
        Binding("o", "open_facts", "tui.key.open"),
        Binding("i", "import_outputs", "tui.key.import"),
        Binding("I", "import_report", "tui.key.import_report", show=False),
        Binding("u", "undo", "tui.key.undo"),
        Binding("U", "redo", "tui.key.redo", show=False),
        Binding("ctrl+s", "save_facts", "tui.key.save_facts", show=False),
        Binding("x", "export", "tui.key.export"),
        Binding("k", "save_case", "tui.key.save_case", show=False),
        Binding("n", "note", "tui.key.note", show=False),
        Binding("s", "sources", "tui.key.sources", show=False),
        Binding("g", "collect_live", "tui.key.collect_live", show=False),
        Binding("a", "collection_request", "tui.key.collection_request", show=False),
        Binding("h", "server", "tui.key.server", show=False),
        Binding("t", "timeline", "tui.key.timeline", show=False),
        Binding("b", "compare", "tui.key.compare", show=False),
        Binding("l", "switch_language", "tui.key.language"),
        Binding("ctrl+r", "reload_rules", "tui.key.reload", show=False),
        Binding("q", "quit", "tui.key.quit"),
        # ctrl+c quits as ctrl+q does, everywhere (Textual's own only says how to quit, in
        # English); a SIGINT or SIGTERM from outside ends the application too (_end_on_signals)
        Binding("ctrl+c", "quit", "tui.key.quit", show=False, priority=True),
        # only while a collection or an evaluation runs (check_action), the collection first:
        # dialogs keep escape for themselves
        Binding("escape", "stop_collection", "tui.key.stop_collection"),
        Binding("escape", "cancel_evaluation", "tui.key.cancel_evaluation"),
        # Textual adds this binding itself unless the application has one; ours has its words in
        # the catalogue (and so survives ``localise_bindings``, which rebuilds from the class).
        Binding(
            "ctrl+p",
            "command_palette",
            "tui.key.palette_short",
            show=False,
            priority=True,
            tooltip="tui.key.palette",
        ),
    ]

    lang: reactive[Lang] = reactive[Lang]("en", init=False)

    def __init__(
        self,
        fact_paths: Sequence[str] = (),
        *,
        lang: Lang = "en",
        rules: Sequence[str] | None = None,
        demo: bool = False,
        watch_rules: bool = True,
        budget: float | None = DEFAULT_BUDGET_S,
    ) -> None:
        super().__init__()
        self.fact_paths = list(fact_paths)
        self.demo = demo
        self.watch_rules = watch_rules
        self.session = Session()
        self.diagnoser = Diagnoser(rules, budget=budget)
        self.report: Report | None = None
        self.last_import: loading.ImportOutcome | None = None  # what the import report shows
        self.baseline: Report | None = None
        self.rules_before: Report | None = None  # the diagnosis before a rule file changed
        self.evaluations = Evaluations(self)
        self.case_desk = CaseDesk(self)  # notes, the case file, asking before leaving
        self.live = LiveFeed(self)  # a live collection whose facts arrive while it runs
        self._shown = False
        self._failure: str | None = None  # what an unforeseen failure of a worker said
        self._first_frame = ExitStack()
        self._holding_first_frame = False
        self.last_evaluation_ms = 0.0
        self._started: list[Callable[[], None]] = []
        self.ended_by: int | None = None  # the signal that ended the application, if one did
        self._signals_handled = False
        self.set_reactive(KbdoctorApp.lang, lang)
        localise_bindings(self, lang)
        self.main = MainScreen(lang)

    # -- start --------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        return self.main

    def on_unmount(self) -> None:
        gc.unfreeze()  # what gc.freeze() set aside (on loading) is the collector's again
        self._stop_ending_on_signals()

    # -- ending on a signal -------------------------------------------------------------------

    def _end_on_signals(self) -> None:
        """SIGINT and SIGTERM from outside (``kill``, a session that closes) end the application
        the way ctrl+q does: Textual puts the terminal back (the shell's screen, no mouse
        reporting) and cancels the evaluation under way, and the exit status says which signal
        it was (130, 143); the command line says it in one line once the screen is restored.
        Python's default would end the process with the terminal left in the application's
        screen (SIGTERM), or quietly with exit status 0 (SIGINT). Not in a headless run: tests
        drive the application in the test runner's own process and event loop."""
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self._ended_by_signal, signum)
        self._signals_handled = True

    def _stop_ending_on_signals(self) -> None:
        if self._signals_handled:
            self._signals_handled = False
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)

    def exit(
        self,
        result: Any = None,
        return_code: int = 0,
        message: RenderableType | None = None,
    ) -> None:
        """Every way out (ctrl+q, ctrl+c, a signal, a dialog) abandons the evaluations under
        way: the interpreter waits for their threads, and a cancelled one would still build a
        report nobody reads, seconds on a large case, after the screen is the shell's again."""
        self.evaluations.abandon()
        super().exit(result, return_code, message)

    def _ended_by_signal(self, signum: int) -> None:
        if self.ended_by is None:  # a second signal while the first ends the application
            self.ended_by = signum
            self.exit(return_code=128 + signum)

    def on_mount(self) -> None:
        # The first frame waits (a little) for the first diagnosis: painting the screen while the
        # rules and facts load, then painting it again with the diagnosis, costs more than the
        # loading itself, and the two compete for the interpreter. A slow start still shows the
        # screen, with a spinner, after FIRST_FRAME_WAIT_S.
        self._end_on_signals()
        self._first_frame.enter_context(self.batch_update())
        self._holding_first_frame = True
        self.set_timer(FIRST_FRAME_WAIT_S, self._paint_first_frame)
        self._start()
        if self.watch_rules:
            self.set_interval(RULE_POLL_S, self._check_rules)

    def _paint_first_frame(self) -> None:
        """End the wait of the first frame (once; later calls do nothing) and paint it whole:
        what was laid out during the wait was never shown."""
        if self._holding_first_frame:
            self._holding_first_frame = False
            self._first_frame.close()
            self.screen.refresh()

    def when_started(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the first screen is mounted and laid out."""
        self._started.append(callback)

    def on_ready(self) -> None:
        """The screen is mounted: show what the workers have brought so far (they start at
        mount, so that reading rules overlaps with building the screen)."""
        for callback in self._started:
            callback()
        self._started.clear()
        self._shown = True
        self.sub_title = t("tui.subtitle", self.lang)
        with self.batch_update():
            self.main.status(t("tui.status.starting", self.lang))
            self._show_rules()
            self.main.show_session(self.session, self.lang)
            if self.report is not None:
                self._show_report()
            elif self.diagnoser.problems:
                self.main.show_no_report(t("tui.rules.none_loaded", self.lang))
                self._paint_first_frame()
            elif self._failure is not None:  # a worker failed before the screen was there
                self.main.show_no_report(self._failure)
                self._paint_first_frame()

    @work(thread=True, group="load", exit_on_error=False, description="rules and facts")
    def _start(self) -> None:
        """Rules and the first facts, in one worker so that the first diagnosis comes as soon as
        both are there."""
        self.diagnoser.load()
        self.post_message(RulesLoaded())
        self._read_facts(self.fact_paths, demo=self.demo)

    def _read_facts(
        self, paths: Sequence[str], *, demo: bool = False, replace: tuple[int, ...] | None = None
    ) -> bool:
        """Read and post the material; False (and the problems said) when a file did not load,
        so that the caller does not then say it was loaded. ``replace``: read at the engineer's
        request (undoable), taking the place of these sources."""
        try:
            if demo:
                demo_set = loading.load_demo()
                self.post_message(
                    MaterialRead(
                        demo_set.facts,
                        demo_set.files,
                        demo_set.environment,
                        origin=SourceOrigin("demo"),
                    )
                )
            if paths:
                fact_set = loading.load_facts(paths)
                self.session.saw_collected_at(fact_set.collected_at)  # saved facts keep it
                self.post_message(
                    MaterialRead(
                        fact_set.facts,
                        fact_set.files,
                        fact_set.environment,
                        origin=SourceOrigin("file", tuple(paths)),
                        replace=replace or (),
                        undoable=replace is not None,
                    )
                )
            if not demo and not paths:
                self.post_message(MaterialRead([], [], {}))
        except KbdoctorError as exc:
            self.post_message(
                WorkFinished(
                    t("tui.load.failed", self.lang),
                    [p.render(self.lang) for p in exc.problems],
                    "error",
                )
            )
            self.post_message(MaterialRead([], [], {}))
            return False
        return True

    # -- evaluation ---------------------------------------------------------------------------

    def evaluate(self) -> None:
        """Diagnose the current facts in a worker (``tui/evaluations.py`` schedules it), or say
        why no diagnosis can come (no rules loaded)."""
        if not self.diagnoser.ready:
            if self.diagnoser.problems and self._shown:
                self.main.show_no_report(t("tui.rules.none_loaded", self.lang))
                self._paint_first_frame()
            return
        self.evaluations.start()

    @on(ReportReady)
    def _report_ready(self, message: ReportReady) -> None:
        if not self.evaluations.is_current(message.ticket) or not self.is_running:
            return  # a newer evaluation is under way, or the application is closing
        self.live.report_shown(message.ticket)
        budget = message.report.budget
        cancelled = budget is not None and budget.reason == "cancelled"
        if cancelled and message.report.explained:
            # the diagnosis shown is whole; only its WHY-NOT was not computed
            self.notify(
                t("tui.evaluation.explain_cancelled", self.lang), severity="warning", timeout=10
            )
            return
        self.report = message.report
        if message.baseline_pending:
            self.baseline = None  # of other material: no marks until ``_baseline_ready``
        elif message.baseline is not None:
            self.baseline = message.baseline
        elif not self.session.changed and not cancelled:
            # The facts as loaded: the baseline of the next what-if edit, which then need not
            # evaluate them again.
            self.baseline = message.report
            self.evaluations.accept_as_baseline()
        self.last_evaluation_ms = message.elapsed_ms
        if self._shown:
            self._show_report()
        if cancelled and budget is not None:
            self.notify(
                t("tui.evaluation.cancelled", self.lang, rules=len(budget.unfinished_rules)),
                severity="warning",
                timeout=10,
            )
            return  # explaining would run the cancelled evaluation again
        if budget is not None and not message.report.explained:
            # the diagnosis is partial: say so, instead of leaving causes silently unassessed
            # chaining stopped, or a rule not run for its matches: no time budget ran out (there
            # may be none, --budget 0), so the command line's words for them
            unfinished = budget.unfinished_rules
            self.notify(
                t(
                    "tui.budget_spent_preparing" if budget.before_rules else "tui.budget_spent",
                    self.lang,
                    seconds=f"{budget.seconds or 0:g}",
                    rules=len(unfinished),
                )
                if budget.reason == "time"
                else t(
                    "cli.matches_refused" if budget.reason == "matches" else "cli.chaining_stopped",
                    self.lang,
                    count=len(unfinished),
                    rules=", ".join(unfinished[:20]) + (", ..." if len(unfinished) > 20 else ""),
                ),
                severity="warning",
                timeout=10,
            )
        if not message.report.explained:
            self.call_after_refresh(
                self.evaluations.explain_after_paint, message.ticket, message.elapsed_ms
            )

    @on(BaselineReady)
    def _baseline_ready(self, message: BaselineReady) -> None:
        """The facts as loaded were diagnosed after the what-if diagnosis was shown: show it
        again with the marks of what the changes moved."""
        if not self.evaluations.is_current(message.ticket) or not self.is_running:
            return
        self.baseline = message.baseline
        if self._shown and self.report is not None:
            self._show_report()

    def _show_report(self) -> None:
        if self.report is None:
            return
        # what-if edits: marked against the facts as loaded; else against the rules before
        # the last rule file change ("(was ...)" on a cause it moved)
        shown_baseline = self.baseline if self.session.changed else self.rules_before
        with self.batch_update():
            self.main.show_report(self.report, shown_baseline, self._fact_mark, self.lang)
            self._say_loaded()
        self._paint_first_frame()

    def _fact_mark(self, ref: FactRef) -> str | None:
        for entry in self.session.changed:
            if entry.status == "edited" and matches_ref(entry.fact, ref):
                return "edited"
        return None

    def _say_loaded(self) -> None:
        session = self.session
        files = ", ".join(file_label(f) for f in session.files) or t(
            "tui.status.no_files", self.lang
        )
        text = Text()
        live = self.live.status_note()  # provisional while a collection's facts arrive
        self.main.show_live_state(live, self.live.diagnosis_state())
        if live is not None:
            text.append(live, style="bold")
            text.append("  ·  ")
        budget = self.report.budget if self.report is not None else None
        if budget is not None and budget.reason == "cancelled":  # first: a long line is cut
            text.append(t("tui.status.cancelled", self.lang), style="bold")
            text.append("  ·  ")
        text.append(t("tui.status.loaded", self.lang, facts=len(session), files=files))
        if self.report is not None:
            diagnosed = len(self.report.diagnoses)
            text.append("  ·  " + t("tui.status.diagnoses", self.lang, count=diagnosed))
        self.main.status(text)

    # -- cancelling ---------------------------------------------------------------------------

    def evaluating(self) -> bool:
        """Whether an evaluation (or its explanation) is under way and not yet cancelled."""
        return self.evaluations.running()

    def action_cancel_evaluation(self) -> None:
        """Stop the evaluation under way (see ``Evaluations.cancel``) and say what happened."""
        outcome = self.evaluations.cancel()
        if outcome == "nothing":
            self.notify(t("tui.evaluation.nothing_to_cancel", self.lang), markup=False)
        elif outcome == "before_start":
            # the diagnosis shown (if any) is of the facts before the change: none to show
            message = t("tui.evaluation.cancelled_before", self.lang)
            self.report = None
            self.main.show_no_report(message)
            self.notify(message, severity="warning", timeout=10)
            self._paint_first_frame()
        self.refresh_bindings()

    def action_stop_collection(self) -> None:
        """Stop the live collection under way: what arrived stays, marked incomplete."""
        self.live.stop()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_evaluation":
            return self.evaluating()
        if action == "stop_collection":
            return self.live.running
        return True

    @on(Worker.StateChanged)
    def _worker_state_changed(self, event: Worker.StateChanged) -> None:
        # the cancel key is shown only while an evaluation runs; a worker that ends while the
        # application closes finds no screen left to refresh, and nothing needs showing then
        if self.is_running and self.screen_stack:
            self.refresh_bindings()
            self.live.worker_changed()  # facts that arrived during a diagnosis: the next one
            if event.state is WorkerState.ERROR:
                self._worker_failed(event.worker)

    def _worker_failed(self, worker: Worker[object]) -> None:
        """A worker that failed on something unforeseen (a defect): said, rather than a screen
        left saying "Loading..." or a diagnosis that never comes."""
        error = worker.error
        detail = f"{type(error).__name__}: {error}".splitlines()[0][:300]
        said = t("tui.internal_error", self.lang, error=detail)
        self.notify(said, severity="error", timeout=30)
        self._failure = said
        if self.report is None and self._shown:
            self.main.show_no_report(said)
            self._paint_first_frame()

    # -- loading ------------------------------------------------------------------------------

    @on(MaterialRead)
    def _material_read(self, message: MaterialRead) -> None:
        if message.files or message.facts:
            source_desk.add_material(self, message)
            # What was just loaded lives as long as the case: out of the cyclic collector's
            # reach, a full pass over it (about 270 ms over the 290,000 objects of 1,000
            # servers) no longer lands on whichever keystroke comes next. Objects are still
            # freed when nothing refers to them; unfrozen when the application ends.
            gc.freeze()
        if self._shown:
            self.main.show_session(self.session, self.lang)
        self.evaluate()

    @on(LiveFactsArrived)
    def _live_facts_arrived(self, message: LiveFactsArrived) -> None:
        self.live.arrived(message)

    @on(LiveCollectionEnded)
    def _live_collection_ended(self, message: LiveCollectionEnded) -> None:
        self.live.ended(message)

    @on(RulesLoaded)
    def _rules_loaded(self) -> None:
        diagnoser = self.diagnoser
        if self._shown:
            self._show_rules()
        if diagnoser.problems:
            self.notify(
                "\n".join(p.render(self.lang) for p in diagnoser.problems[:5]),
                title=t("tui.rules.broken", self.lang),
                severity="error",
                timeout=10,
                markup=False,
            )

    @on(WorkProgressed)
    def _work_progressed(self, message: WorkProgressed) -> None:
        if not self._shown:
            return
        self.main.progress(message.done, message.total)
        self.main.status(Text(message.label))

    @on(WorkFinished)
    def _work_finished(self, message: WorkFinished) -> None:
        shown = message.problems[:8]
        if message.problems[8:]:
            shown.append(f"… +{len(message.problems) - 8}")
        self.notify(
            "\n".join(shown) or message.message,
            title=message.message if shown else "",
            severity=message.severity,
            timeout=10,
            markup=False,
        )
        if self._shown:
            self.main.idle()
            self._say_loaded()
        self._paint_first_frame()  # a file that did not load is said at once

    def action_open_facts(self) -> None:
        self._pick("facts")

    def action_import_outputs(self) -> None:
        self._pick("import")

    def _pick(self, mode: PickMode) -> None:
        from kbdoctor.tui.screens.pick_path import PickPathScreen

        def chosen(path: str | None) -> None:
            if path is None:
                return
            if mode == "facts":
                source_desk.ask_add_or_replace(self, lambda old: self._load_file(path, old))
            else:
                source_desk.ask_add_or_replace(self, lambda old: self.import_material([path], old))

        self.open_dialog(PickPathScreen(mode, self.lang), chosen)

    @work(thread=True, group="load", exit_on_error=False, description="read facts")
    def _load_file(self, path: str, replace: tuple[int, ...] = ()) -> None:
        self.post_message(WorkProgressed(t("tui.load.reading", self.lang, path=path), 0, 0))
        if self._read_facts([path], replace=replace):
            self.post_message(
                WorkFinished(t("tui.load.done", self.lang, path=file_label(path)), [])
            )

    @work(thread=True, group="load", exit_on_error=False, description="import outputs")
    def import_material(self, paths: list[str], replace: tuple[int, ...] = ()) -> None:
        lang = self.lang

        def progress(done: int, total: int, name: str) -> None:
            label = t("tui.import.progress", lang, number=done + 1, total=total, path=name)
            self.post_message(WorkProgressed(label, done, total))

        try:
            outcome = loading.import_outputs(paths, lang=lang, progress=progress)
        except (OSError, KbdoctorError) as exc:
            detail = exc.render(lang) if isinstance(exc, KbdoctorError) else str(exc)
            self.post_message(WorkFinished(t("tui.import.failed", lang), [detail], "error"))
            return
        problems = [*outcome.warnings, *outcome.unrecognised]
        self.call_from_thread(setattr, self, "last_import", outcome)
        self.post_message(
            MaterialRead(
                outcome.facts,
                [file_label(p) for p in paths],
                {},
                origin=SourceOrigin("import", tuple(paths)),
                report=outcome.report,
                result=outcome.result,
                replace=replace,
                undoable=True,
            )
        )
        summary = t("tui.import.done", lang, facts=len(outcome.facts), files=len(outcome.files))
        self.post_message(WorkFinished(summary, problems, "warning" if problems else "information"))

    def action_import_report(self) -> None:
        """What the last import read from each file (readers, lines, facts, warnings)."""
        outcome = self.last_import
        if outcome is None or outcome.report is None:
            self.notify(t("tui.import_report.none", self.lang), markup=False)
            return
        from kbdoctor.tui.screens.import_report import ImportReportScreen

        self.open_dialog(ImportReportScreen(outcome.report, self.lang, outcome.result))

    # -- what-if ------------------------------------------------------------------------------

    @on(ReasoningTree.FactPicked)
    def _fact_picked(self, message: ReasoningTree.FactPicked) -> None:
        """Enter on a fact of the reasoning tree opens it, like Enter in the facts table."""
        key = self.session.find(message.ref)
        if key is not None:
            self.post_message(FactRequested(key, "open"))

    @on(FactRequested)
    def _fact_requested(self, message: FactRequested) -> None:
        key, session = message.key, self.session
        if message.intent == "open":
            from kbdoctor.tui.screens.fact_detail import FactDetailScreen

            self.open_dialog(FactDetailScreen(session.entry(key), self.lang))
        elif message.intent == "edit":
            from kbdoctor.tui.screens.fact_edit import FactEditScreen

            def edited(fact: Fact | None) -> None:
                if fact is not None:
                    session.replace(key, fact)
                    self._changed(key)

            self.open_dialog(FactEditScreen(session.entry(key), self.lang), edited)
        elif message.intent == "toggle":
            session.toggle(key)
            self._changed(key)
        else:
            session.revert(key)
            self._changed(key)

    def _changed(self, key: int | None) -> None:
        self.rules_before = None  # what moved now is the engineer's edit, not the rules
        entry = self.session.entry(key) if key is not None else None
        with self.batch_update():
            if entry is None:  # the sources changed (an undone import, a removal)
                self.main.show_session(self.session, self.lang)
                source_desk.refresh_sources_screen(self)
            self.main.show_change(entry, self.session, self.lang)
        self.evaluate()

    def action_undo(self) -> None:
        change = self.session.undo()
        if change is None:
            self.notify(t("tui.whatif.nothing_to_undo", self.lang), markup=False)
            return
        self._changed(change.key)
        if said := source_desk.undone_text(self, change, undone=True):
            self.notify(said, markup=False)

    def action_redo(self) -> None:
        change = self.session.redo()
        if change is not None:
            self._changed(change.key)
            if said := source_desk.undone_text(self, change, undone=False):
                self.notify(said, markup=False)

    def action_save_facts(self) -> None:
        from kbdoctor.tui.screens.save import SaveScreen

        stem = Path(self.session.files[0]).stem if self.session.files else "facts"
        default = str(Path.cwd() / f"{stem}-whatif.yaml")

        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                note = t("tui.whatif.note", "en", count=len(self.session.changed))
                text = dump_fact_file(
                    self.session.fact_file(note if self.session.changed else None),
                    "json" if choice[1] == "json" else "yaml",
                )
                self._write(choice[0], text)

        self.open_dialog(
            SaveScreen("facts", [("yaml", ".yaml"), ("json", ".json")], default, self.lang), chosen
        )

    def action_save_case(self) -> None:
        self.case_desk.save()

    def action_note(self) -> None:
        self.case_desk.note()

    async def action_quit(self) -> None:
        """Quit, asking first when what-if changes or notes are not saved in a case."""
        self.case_desk.quit()

    def action_export(self) -> None:
        from kbdoctor.tui.screens.save import SaveScreen

        report = self.report
        if report is None:
            self.notify(t("tui.export.no_report", self.lang), severity="warning", markup=False)
            return

        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                from kbdoctor.render.markdown import render_markdown

                text = render_markdown(report) if choice[1] == "markdown" else report.to_json()
                self._write(choice[0], text)

        default = str(Path.cwd() / "kbdoctor-report.md")
        self.open_dialog(
            SaveScreen("report", [("markdown", ".md"), ("json", ".json")], default, self.lang),
            chosen,
        )

    def action_sources(self) -> None:
        source_desk.open_sources(self)

    def action_collect_live(self) -> None:
        from kbdoctor.tui.live_collection import ask_and_collect

        ask_and_collect(self)

    def action_collection_request(self) -> None:
        from kbdoctor.tui.screens.collection_request import open_request

        open_request(self)

    def action_server(self) -> None:
        from kbdoctor.tui.desk_views import server_in_view
        from kbdoctor.tui.screens.server import open_server

        open_server(self, server_in_view(self))

    def action_pick_server(self) -> None:
        from kbdoctor.tui.screens.server import open_server

        open_server(self, None)

    def action_timeline(self) -> None:
        from kbdoctor.tui.screens.timeline import open_timeline

        open_timeline(self)

    def action_compare(self) -> None:
        from kbdoctor.tui.screens.compare import open_comparison

        open_comparison(self)

    def action_compare_file(self) -> None:
        from kbdoctor.tui.screens.compare import compare_with_file

        compare_with_file(self)

    @work(thread=True, group="write", exit_on_error=False, description="write file")
    def _write(self, path: str, text: str) -> None:
        try:
            write_atomic(path, text)
        except OSError as exc:
            self.post_message(
                WorkFinished(
                    t("tui.save.failed", self.lang, path=path), [exc.strerror or str(exc)], "error"
                )
            )
            return
        self.post_message(WorkFinished(t("tui.save.done", self.lang, path=path), []))

    # -- rules --------------------------------------------------------------------------------

    def _check_rules(self) -> None:
        if self.diagnoser.changed():
            self.action_reload_rules()

    @work(thread=True, group="rules", exclusive=True, exit_on_error=False)
    def action_reload_rules(self) -> None:
        ok = self.diagnoser.load()
        self.post_message(RulesLoaded())
        if ok:
            self.call_from_thread(self._rules_reloaded)

    def _rules_reloaded(self) -> None:
        self.rules_before = self.report
        self.evaluations.forget_baseline()
        self.notify(t("tui.rules.reloaded", self.lang), markup=False)
        self.evaluate()

    # -- language, help, palette ----------------------------------------------------------------

    def action_switch_language(self) -> None:
        self.lang = other_language(self.lang)

    def watch_lang(self) -> None:
        with self.batch_update():
            self._relabel()
            self.main.show_session(self.session, self.lang)
            self._show_rules()
        self.evaluations.forget_baseline()
        self.evaluate()

    def _show_rules(self) -> None:
        diagnoser = self.diagnoser
        self.main.show_rules(diagnoser.rule_base, diagnoser.files(), diagnoser.problems, self.lang)

    def _relabel(self) -> None:
        for node in (
            self,
            self.main,
            *self.main.query(DiagnosisPane),
            *self.main.query("#fact-browser"),
        ):
            localise_bindings(node, self.lang)
        self.main.relabel(self.lang)
        self.sub_title = t("tui.subtitle", self.lang)
        self.refresh_bindings()

    def open_dialog(
        self, screen: Screen[Any], callback: Callable[[Any], None] | None = None
    ) -> None:
        """Push a dialog with its keys described in the current language."""
        localise_bindings(screen, self.lang)
        self.push_screen(screen, callback)

    def action_help(self) -> None:
        from kbdoctor.tui.screens.fact_detail import FactDetailScreen
        from kbdoctor.tui.screens.help import HelpScreen
        from kbdoctor.tui.widgets.facts import FactBrowser

        lang = self.lang
        sections = [
            (t("tui.help.global", lang), binding_rows(KbdoctorApp, lang)),
            (t("tui.help.tabs", lang), binding_rows(MainScreen, lang)),
            (t("tui.tab.diagnosis", lang), binding_rows(DiagnosisPane, lang)),
            (t("tui.tab.facts", lang), binding_rows(FactBrowser, lang)),
            (t("tui.help.fact", lang), binding_rows(FactDetailScreen, lang)),
        ]
        self.open_dialog(HelpScreen(sections, lang))

    def action_command_palette(self) -> None:
        """Textual's command palette, with its own words in the language shown."""
        open_already = any(isinstance(s, CommandPalette) for s in self.screen_stack)
        if self.use_command_palette and not open_already:
            self.push_screen(
                LocalisedCommandPalette(
                    id="--command-palette",
                    placeholder=t("tui.palette.placeholder", self.lang),
                    no_matches=t("tui.palette.no_matches", self.lang),
                )
            )

    def search_themes(self) -> None:
        """The theme picker (change theme), with its own words in the language shown."""
        from textual.theme import ThemeProvider

        self.push_screen(
            LocalisedCommandPalette(
                [ThemeProvider],
                placeholder=t("tui.palette.themes", self.lang),
                no_matches=t("tui.palette.no_matches", self.lang),
            )
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The application's commands, then one for every other key of the screen's panes
        (``tui/palette.py``), then the causes of the diagnosis."""
        lang = self.lang
        offered: set[str] = set()
        for action, key in (
            ("help", "help"),
            ("open_facts", "open"),
            ("import_outputs", "import"),
            ("import_report", "import_report"),
            ("undo", "undo"),
            ("redo", "redo"),
            ("save_facts", "save_facts"),
            ("export", "export"),
            ("sources", "sources"),
            ("collect_live", "collect_live"),
            ("collection_request", "collection_request"),
            ("server", "server"),
            ("pick_server", "pick_server"),
            ("timeline", "timeline"),
            ("compare", "compare"),
            ("compare_file", "compare_file"),
            ("switch_language", "language"),
            ("reload_rules", "reload"),
            *([("cancel_evaluation", "cancel_evaluation")] if self.evaluating() else []),
            ("change_theme", "theme"),
            ("quit", "quit"),
        ):
            offered.add(t(f"tui.command.{key}", lang))
            yield SystemCommand(
                t(f"tui.command.{key}", lang),
                t(f"tui.command.{key}.help", lang),
                getattr(self, f"action_{action}"),
            )
        yield from binding_commands(self, screen, lang, offered)
        if self.report is not None:
            for cause in self.report.causes:
                yield SystemCommand(
                    t("tui.command.cause", lang, title=cause.title),
                    t(f"tui.status.{cause.status}", lang) + f" {cause.confidence:.2f}",
                    lambda cause=cause.cause: self.main.select_cause(cause),
                    discover=False,
                )
