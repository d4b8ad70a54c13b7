"""The live collection options of ``kbdoctor collect`` and their terminal: ``--domain`` starts a
live collection, the others shape it (``--import`` combines with them in one run: both sets of
facts go into one fact file).

This is the command line's side of a live collection: the options, the prompts for a user and
a password when standard input is a terminal (none in a script, which then stays anonymous or
is refused), the progress line, and the messages and summary on standard error. What the
options mean, and the collection itself, are :mod:`kbdoctor.collectors.live`'s, which never
reads or writes a terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any, TextIO

from kbdoctor.collectors.live.model import LiveOptions
from kbdoctor.collectors.live.options import LiveOptionsRefused, live_options
from kbdoctor.collectors.messages import message
from kbdoctor.engine.facts import DomainController, Fact
from kbdoctor.engine.i18n import Lang
from kbdoctor.progress_line import ProgressLine


def say(key: str, lang: Lang, **values: Any) -> str:
    """The live collection's text ``key`` in ``lang``: the collectors' catalogues hold it as
    ``collect.live.<key>``."""
    return message(f"live.{key}", lang, **values)


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


def options_from_args(
    args: argparse.Namespace, lang: Lang, err: TextIO
) -> LiveOptions | None:
    """The options of a live collection, or None after printing why they are unusable. On a
    terminal, a missing user or password is asked for (the password unseen, by getpass)."""

    def ask_user() -> str:
        print(say("user_prompt", lang), end="", file=err, flush=True)
        return sys.stdin.readline()

    def prompt_password(user: str) -> str:
        return getpass.getpass(f"{user}: ")

    terminal = sys.stdin.isatty()
    try:
        return live_options(
            domain=args.domain,
            dcs=args.dcs,
            exchange=args.exchange,
            user=args.user,
            password_env=args.password_env,
            ca_file=args.ca_file,
            insecure=bool(args.insecure),
            timeout=args.timeout,
            dns_server=args.dns_server,
            local_host=getattr(args, "host", None),
            tickets=bool(getattr(args, "tickets", False)),
            ask_user=ask_user if terminal else None,
            prompt_password=prompt_password if terminal else None,
        )
    except LiveOptionsRefused as refused:
        print(refused.render(lang), file=err)
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


def run_live(
    args: argparse.Namespace, lang: Lang, err: TextIO
) -> tuple[list[Fact], dict[str, str]] | None:
    """Collect live as ``args`` asks: the facts and the fact file's environment, with each probe
    that got no answer and a summary on ``err``; None (after a message) for unusable options."""
    from kbdoctor.collectors.live.runner import collect

    opts = options_from_args(args, lang, err)
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
