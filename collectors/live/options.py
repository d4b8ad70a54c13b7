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
from kbdoctor.engine.facts import DomainController, Fact
from kbdoctor.engine.i18n import Lang

DEFAULT_TIMEOUT_S = 5.0

TEXTS: dict[str, dict[Lang, str]] = {
    "domain": {
        "en": "collect live from this AD domain (DNS name): DCs, clocks, SPNs, ports",
        "pl": "zbierz na żywo z tej domeny AD (nazwa DNS): kontrolery, zegary, SPN, porty",
    },
    "dc": {
        "en": "domain controllers to probe (repeatable or comma-separated); default: found "
        "through DNS SRV records",
        "pl": "kontrolery domeny do zbadania (powtarzalne lub po przecinku); domyślnie: "
        "znalezione przez rekordy DNS SRV",
    },
    "exchange": {
        "en": "Exchange servers whose computer accounts and SPNs to read (comma-separated); "
        "default: the msExchExchangeServer objects of the directory",
        "pl": "serwery Exchange, których konta komputerów i SPN odczytać (po przecinku); "
        "domyślnie: obiekty msExchExchangeServer katalogu",
    },
    "user": {
        "en": "user for the LDAP bind (user@domain unless it names its domain); without it "
        "the current Kerberos ticket (GSSAPI), else a prompt on a terminal, else only the "
        "rootDSE is read",
        "pl": "użytkownik do powiązania LDAP (user@domena, o ile nie podaje domeny); bez niego "
        "bieżący bilet Kerberos (GSSAPI), a bez biletu pytanie na terminalu, w przeciwnym "
        "razie czytany jest tylko rootDSE",
    },
    "user_prompt": {
        "en": "no --user and no Kerberos ticket: user for the LDAP bind (empty: anonymous, "
        "the rootDSE only): ",
        "pl": "brak --user i biletu Kerberos: użytkownik do powiązania LDAP (puste: anonimowo, "
        "tylko rootDSE): ",
    },
    "password_env": {
        "en": "name of the environment variable holding the password (without it: a prompt)",
        "pl": "nazwa zmiennej środowiskowej z hasłem (bez niej: pytanie o hasło)",
    },
    "ca_file": {
        "en": "CA certificates (PEM) to check the DCs' LDAP certificates with",
        "pl": "certyfikaty CA (PEM) do sprawdzania certyfikatów LDAP kontrolerów",
    },
    "insecure": {
        "en": "do not check TLS certificates (recorded in the fact file's environment)",
        "pl": "nie sprawdzaj certyfikatów TLS (zapisywane w środowisku pliku faktów)",
    },
    "timeout": {
        "en": "seconds each probe may wait for an answer (default 5)",
        "pl": "ile sekund każda próba może czekać na odpowiedź (domyślnie 5)",
    },
    "dns_server": {
        "en": "DNS server for the SRV and address look-ups (default: the system's)",
        "pl": "serwer DNS do zapytań SRV i o adresy (domyślnie: systemowy)",
    },
    "tickets": {
        "en": "also ask the KDCs for an SMTPSVC/<fqdn> ticket of each Exchange server as --user "
        "(MIT kinit and kvno); the Kerberos error is a fact",
        "pl": "poproś też KDC o bilet SMTPSVC/<fqdn> każdego serwera Exchange jako --user "
        "(MIT kinit i kvno); błąd Kerberosa jest faktem",
    },
    "no_password": {
        "en": "--password-env {var}: the variable is not set",
        "pl": "--password-env {var}: zmienna nie jest ustawiona",
    },
    "no_prompt": {
        "en": "--user needs a password: give --password-env VAR (no terminal to ask on)",
        "pl": "--user wymaga hasła: podaj --password-env ZMIENNA (brak terminala, by zapytać)",
    },
    "needs_domain": {
        "en": "{option} needs --domain",
        "pl": "{option} wymaga --domain",
    },
    "bad_timeout": {
        "en": "--timeout must be a number of seconds above 0",
        "pl": "--timeout musi być liczbą sekund większą od 0",
    },
    "probe_error": {
        "en": "live: {error}",
        "pl": "na żywo: {error}",
    },
    "summary": {
        "en": "live: {facts} fact(s) from {dcs} DC(s) in {seconds:.1f} s; {errors} probe(s) "
        "without an answer",
        "pl": "na żywo: faktów: {facts} z kontrolerów: {dcs} w {seconds:.1f} s; prób bez "
        "odpowiedzi: {errors}",
    },
    "progress": {
        "en": "live: {done}/{total} probes done",
        "pl": "na żywo: ukończone próby: {done}/{total}",
    },
    "interrupted": {
        "en": "kbdoctor: interrupted (Ctrl-C): the facts gathered so far are written, marked "
        "incomplete",
        "pl": "kbdoctor: przerwano (Ctrl-C): zebrane dotąd fakty są zapisywane, oznaczone jako "
        "niepełne",
    },
    "insecure_note": {
        "en": "live: --insecure: TLS certificates are not checked",
        "pl": "na żywo: --insecure: certyfikaty TLS nie są sprawdzane",
    },
}


def say(key: str, lang: Lang, **values: Any) -> str:
    return TEXTS[key][lang].format(**values)


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
