"""Live collection from the TUI (issue 12): the same collection as ``kbdoctor collect
--domain``, run in a worker with its progress on the status bar, its facts a source of the case
that grows as they arrive (:mod:`kbdoctor.tui.live_feed`).

The options come from a form (:mod:`kbdoctor.tui.screens.live`); they are turned into the
runner's :class:`LiveOptions` here, with the same rules as the command line: a password comes
from the environment variable the engineer names, or from a field that is never echoed, and it
lives in memory only (a ``Secret``, which the source keeps for a reload and no file ever holds).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbdoctor.collectors.live.model import LiveOptions, ProbeError, describe
from kbdoctor.collectors.live.options import LiveOptionsRefused
from kbdoctor.collectors.live.options import live_options as options_of
from kbdoctor.engine.facts import Fact
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.messages import LiveCollectionEnded, LiveFactsArrived, WorkProgressed
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from kbdoctor.tui.app import KbdoctorApp


@dataclass(frozen=True)
class LiveForm:
    """What the engineer typed, as typed (names comma-separated)."""

    domain: str
    dcs: str = ""
    exchange: str = ""
    user: str = ""
    password_env: str = ""
    password: str = ""  # typed into a field that is not echoed; never written anywhere
    timeout: str = ""
    insecure: bool = False


# What the form says for each refusal of the collectors' rules (their own texts name the
# command line's options; the form has fields).
_REFUSALS = {
    "bad_timeout": "tui.live.bad_timeout",
    "no_password": "tui.live.no_password_env",
    "no_prompt": "tui.live.no_password",
}


def live_options(form: LiveForm, lang: Lang) -> LiveOptions | str:
    """The runner's options, or why the form cannot be used (in ``lang``): the command line's
    rules (:func:`kbdoctor.collectors.live.options.live_options`), with the password field as
    the prompt, and nobody asked for a user (without one, the engineer's own Kerberos ticket
    binds, or the bind is anonymous)."""
    if not form.domain.strip().rstrip("."):
        return t("tui.live.no_domain", lang)
    typed = form.password

    def prompt_password(_user: str) -> str:
        return typed

    try:
        return options_of(
            domain=form.domain,
            dcs=(form.dcs,),
            exchange=(form.exchange,),
            user=form.user.strip() or None,
            password_env=form.password_env.strip() or None,
            insecure=form.insecure,
            timeout=form.timeout.strip() or None,
            prompt_password=prompt_password if typed else None,
        )
    except LiveOptionsRefused as refused:
        return t(_REFUSALS[refused.key], lang, **refused.values)


def source_label(opts: LiveOptions) -> str:
    return f"live {opts.domain}"


def run_collection(app: KbdoctorApp, run: int, opts: LiveOptions) -> None:
    """Collect (in the calling worker thread): the probe count on the status bar, each batch of
    facts to the UI thread as it becomes final (:mod:`kbdoctor.tui.live_feed` adds it to the
    case), then how the collection ended. Cancelling the worker stops the collection with what
    was delivered; a failure of kbdoctor's own keeps it too, marked incomplete."""
    from kbdoctor.collectors.live.runner import collect, live_environment

    lang = app.lang

    def counted(done: int, started: int) -> None:
        label = t("tui.live.progress", lang, domain=opts.domain, done=done, total=started)
        app.post_message(WorkProgressed(label, done, started))

    def heard(facts: list[Fact]) -> None:
        app.post_message(LiveFactsArrived(run, facts))

    counted(0, 0)
    try:
        outcome = collect(
            opts, on_count=counted, on_facts=heard, cancel=get_current_worker().cancelled_event
        )
    except Exception as error:  # kbdoctor's own fault: what arrived stays, said incomplete
        problem = ProbeError("collect", opts.domain, describe(error))
        environment = live_environment(opts, [problem], "failed")
        app.post_message(LiveCollectionEnded(run, environment, [problem.render()]))
        return
    # each probe without an answer, as the runner rendered it (never holding a password)
    errors = [v for k, v in outcome.environment.items() if k.startswith("kbdoctor.live.error.")]
    app.post_message(LiveCollectionEnded(run, outcome.environment, errors))


def ask_and_collect(app: KbdoctorApp) -> None:
    """The form, then the collection."""
    from kbdoctor.tui.screens.live import LiveScreen

    if app.live.running:
        app.live.say_busy()
        return

    def chosen(opts: LiveOptions | None) -> None:
        if opts is not None:
            app.live.start(opts)

    app.open_dialog(LiveScreen(app.lang), chosen)
