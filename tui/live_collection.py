"""Live collection from the TUI (issue 12): the same collection as ``kbdoctor collect
--domain``, run in a worker with its progress on the status bar, its facts a source of the case.

The options come from a form (:mod:`kbdoctor.tui.screens.live`); they are turned into the
runner's :class:`LiveOptions` here, with the same rules as the command line: a password comes
from the environment variable the engineer names, or from a field that is never echoed, and it
lives in memory only (a ``Secret``, which the source keeps for a reload and no file ever holds).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbdoctor.collectors.live import gss
from kbdoctor.collectors.live.model import LiveOptions, Secret
from kbdoctor.collectors.live.options import DEFAULT_TIMEOUT_S
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.messages import MaterialRead, WorkFinished, WorkProgressed
from kbdoctor.tui.sources import SourceOrigin

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


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def live_options(form: LiveForm, lang: Lang) -> LiveOptions | str:
    """The runner's options, or why the form cannot be used (in ``lang``)."""
    domain = form.domain.strip().rstrip(".").lower()
    if not domain:
        return t("tui.live.no_domain", lang)
    timeout = DEFAULT_TIMEOUT_S
    if form.timeout.strip():
        try:
            timeout = float(form.timeout)
        except ValueError:
            timeout = -1.0
        if not 0 < timeout < 3600:
            return t("tui.live.bad_timeout", lang)
    user = form.user.strip() or None
    password: Secret | None = None
    if user:
        variable = form.password_env.strip()
        if variable:
            value = os.environ.get(variable)
            if value is None:
                return t("tui.live.no_password_env", lang, var=variable)
            password = Secret(value)
        elif form.password:
            password = Secret(form.password)
        else:
            return t("tui.live.no_password", lang)
    # without a user, the engineer's own Kerberos ticket binds (GSSAPI), as on the command line
    principal = gss.ticket_principal() if user is None else None
    return LiveOptions(
        domain=domain,
        dcs=_names(form.dcs),
        exchange=_names(form.exchange),
        user=user,
        password=password,
        insecure=form.insecure,
        timeout=timeout,
        kerberos_principal=principal,
    )


def source_label(opts: LiveOptions) -> str:
    return f"live {opts.domain}"


def collect_live(app: KbdoctorApp, opts: LiveOptions) -> MaterialRead:
    """Run the collection (in the calling worker thread), telling the status bar how many
    probes are done; the facts as a live source, the fact file's environment with them."""
    from kbdoctor.collectors.live.runner import collect

    lang = app.lang

    def counted(done: int, started: int) -> None:
        label = t("tui.live.progress", lang, domain=opts.domain, done=done, total=started)
        app.post_message(WorkProgressed(label, done, started))

    outcome = collect(opts, on_count=counted)
    return MaterialRead(
        outcome.facts,
        [source_label(opts)],
        outcome.environment,
        origin=SourceOrigin("live", live=opts),
        undoable=True,
        label=source_label(opts),
    )


def start_collection(app: KbdoctorApp, opts: LiveOptions) -> None:
    """Collect in a worker; the facts join the case as a source and the diagnosis follows."""

    def run() -> None:
        lang = app.lang
        app.post_message(
            WorkProgressed(t("tui.live.progress", lang, domain=opts.domain, done=0, total=0), 0, 0)
        )
        read = collect_live(app, opts)
        app.post_message(read)
        # each probe without an answer, as the runner rendered it (never holding a password)
        errors = [v for k, v in read.environment.items() if k.startswith("kbdoctor.live.error.")]
        summary = t("tui.live.done", lang, facts=len(read.facts), errors=len(errors))
        app.post_message(WorkFinished(summary, errors, "warning" if errors else "information"))

    app.run_worker(run, thread=True, group="load", exit_on_error=False, description="collect")


def ask_and_collect(app: KbdoctorApp) -> None:
    """The form, then the collection."""
    from kbdoctor.tui.screens.live import LiveScreen

    def chosen(opts: LiveOptions | None) -> None:
        if opts is not None:
            start_collection(app, opts)

    app.open_dialog(LiveScreen(app.lang), chosen)
