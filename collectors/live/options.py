"""The live collection options of ``kbdoctor collect``: ``--domain`` starts a live collection,
the others shape it. ``--import`` combines with them in one run (both sets of facts go into
one fact file).

Authentication: ``--user`` with a password, or else the caller's Kerberos ticket (GSSAPI, see
:mod:`.gss`); with neither, a terminal is asked for a user (empty: anonymous, the rootDSE only)
and a script stays anonymous. The password comes only from the environment variable
``--password-env`` names, or from a prompt on a terminal; it is never an option's value (which
``ps`` shows), and it is kept in a :class:`.model.Secret`, which no message, log line or fact
can print.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any, TextIO

from kbdoctor.collectors.live.gss import ticket_principal
from kbdoctor.collectors.live.model import LiveOptions, Secret
from kbdoctor.collectors.live.progress import ProgressLine
from kbdoctor.collectors.messages import message
from kbdoctor.engine.facts import DomainController, Fact
from kbdoctor.engine.i18n import Lang

DEFAULT_TIMEOUT_S = 5.0

def say(key: str, lang: Lang, **values: Any) -> str:
    """The live collection's text ``key`` in ``lang``: the collectors' catalogues hold it as
    ``collect.live.<key>``."""
    return message(f"live.{key}", lang, **values)


def _names(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def add_live_arguments(parser: argparse.ArgumentParser, lang: Lang) -> None:
    group = parser.add_argument_group("live")
    group.add_argument("--domain", default=None, metavar="DOMAIN", help=say("domain", lang))
    group.add_argument(
        "--dc", dest="dcs", action="append", default=[], metavar="HOST", help=say("dc", lang)
    )
    group.add_argument(
        "--exchange", action="append", default=[], metavar="NAMES", help=say("exchange", lang)
    )
    group.add_argument("--user", default=None, metavar="USER", help=say("user", lang))
    group.add_argument(
        "--password-env", default=None, metavar="VAR", help=say("password_env", lang)
    )
    group.add_argument("--ca-file", default=None, metavar="FILE", help=say("ca_file", lang))
    group.add_argument("--insecure", action="store_true", help=say("insecure", lang))
    group.add_argument("--tickets", action="store_true", help=say("tickets", lang))
    group.add_argument("--timeout", default=None, metavar="SECONDS", help=say("timeout", lang))
    group.add_argument(
        "--dns-server", default=None, metavar="ADDRESS", help=say("dns_server", lang)
    )


def wants_live(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "domain", None))


def live_options(args: argparse.Namespace, lang: Lang, err: TextIO) -> LiveOptions | None:
    """The options of a live collection, or None after printing why they are unusable."""
    domain: str = args.domain.strip().rstrip(".").lower()
    timeout = DEFAULT_TIMEOUT_S
    if args.timeout is not None:
        try:
            timeout = float(args.timeout)
        except ValueError:
            timeout = -1.0
        if not 0 < timeout < 3600:
            print(say("bad_timeout", lang), file=err)
            return None
    password: Secret | None = None
    user: str | None = args.user
    principal: str | None = None
    if not user:
        principal = ticket_principal()
        if principal is None and sys.stdin.isatty():
            # Neither a user nor a ticket: ask, as the password is asked for (empty: anonymous).
            print(say("user_prompt", lang), end="", file=err, flush=True)
            user = sys.stdin.readline().strip() or None
            if user and not args.password_env:
                password = Secret(getpass.getpass(f"{user}: "))
    if user and password is None:
        if args.password_env:
            value = os.environ.get(args.password_env)
            if value is None:
                print(say("no_password", lang, var=args.password_env), file=err)
                return None
            password = Secret(value)
        elif sys.stdin.isatty():
            password = Secret(getpass.getpass(f"{user}: "))
        else:
            print(say("no_prompt", lang), file=err)
            return None
    return LiveOptions(
        domain=domain,
        dcs=tuple(n for given in args.dcs for n in _names(given)),
        exchange=tuple(n for given in args.exchange for n in _names(given)),
        user=user,
        password=password,
        ca_file=args.ca_file,
        insecure=bool(args.insecure),
        timeout=timeout,
        dns_server=args.dns_server,
        local_host=getattr(args, "host", None),
        tickets=bool(getattr(args, "tickets", False)),
        kerberos_principal=principal,
    )


def stray_live_option(args: argparse.Namespace) -> str | None:
    """A live option given without ``--domain`` (its name), or None."""
    if wants_live(args):
        return None
    for name in ("dcs", "exchange", "user", "password_env", "ca_file", "timeout", "dns_server"):
        if getattr(args, name, None):
            return "--" + ("dc" if name == "dcs" else name.replace("_", "-"))
    for flag in ("insecure", "tickets"):
        if getattr(args, flag, False):
            return f"--{flag}"
    return None


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt while the probes run (the command line's own handler
    ends the process at once, which would lose what was gathered); the handler is restored
    afterwards, so a second Ctrl-C while the file is written ends the run at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def interrupted(environment: dict[str, str] | None) -> bool:
    """Whether a live collection's environment says Ctrl-C cut it short."""
    from kbdoctor.collectors.live.runner import INCOMPLETE

    return bool(environment) and (environment or {}).get(INCOMPLETE) == "interrupted"


def run_live(
    args: argparse.Namespace, lang: Lang, err: TextIO
) -> tuple[list[Fact], dict[str, str]] | None:
    """Collect live as ``args`` asks: the facts and the fact file's environment, with each probe
    that got no answer and a summary on ``err``; None (after a message) for unusable options."""
    from kbdoctor.collectors.live.runner import collect

    opts = live_options(args, lang, err)
    if opts is None:
        return None
    if opts.insecure:
        print(say("insecure_note", lang), file=err)
    line = ProgressLine(err, lambda done, total: say("progress", lang, done=done, total=total))
    with _interruptible():
        outcome = collect(opts, on_count=line)
    line.close()
    if outcome.interrupted:
        print(say("interrupted", lang), file=err)
        return outcome.facts, outcome.environment
    for error in outcome.errors:
        print(say("probe_error", lang, error=error.render()), file=err)
    dcs = {f.name for f in outcome.facts if isinstance(f, DomainController)}
    print(
        say(
            "summary",
            lang,
            facts=len(outcome.facts),
            dcs=len(dcs),
            seconds=outcome.seconds,
            errors=len(outcome.errors),
        ),
        file=err,
    )
    return outcome.facts, outcome.environment
