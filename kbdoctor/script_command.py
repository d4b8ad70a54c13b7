"""``kbdoctor collect --script``: write the PowerShell collection script with the names this run
knows, instead of collecting anything. The command line's side (the options a script cannot use,
names that are not machine names, the messages and the file); the script's text is
:mod:`kbdoctor.collectors.script`'s."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from kbdoctor.collectors.script import Known, bad_name, known_names, render_script
from kbdoctor.collectors.script_texts import script_text
from kbdoctor.engine.atomic import write_atomic
from kbdoctor.engine.errors import KbdoctorError, Problem
from kbdoctor.engine.i18n import Lang

EXIT_OK = 0
EXIT_USAGE = 2

# options that collect something, which a run that only writes a script does not take
_NOT_WITH = {
    "imports": "--import",
    "append": "--append",
    "report": "--report",
    "host": "--host",
    "user": "--user",
    "password_env": "--password-env",
    "ca_file": "--ca-file",
    "insecure": "--insecure",
    "tickets": "--tickets",
    "timeout": "--timeout",
    "dns_server": "--dns-server",
    "fact_format": "--format",
}


def _names(values: list[str] | None) -> list[str]:
    return [part.strip() for given in values or [] for part in given.split(",") if part.strip()]


def run_script(args: argparse.Namespace, lang: Lang, err: TextIO, output: str) -> int:
    """Write the script to ``output`` (``-``: standard output); exit status 0 or 2."""
    for attribute, option in _NOT_WITH.items():
        if getattr(args, attribute, None):
            print(script_text("script_not_with", lang, option=option), file=err)
            return EXIT_USAGE
    dcs, exchange = _names(getattr(args, "dcs", None)), _names(getattr(args, "exchange", None))
    domain: str | None = getattr(args, "domain", None)
    for option, names in (("--dc", dcs), ("--exchange", exchange), ("--domain", [domain or ""])):
        for name in names:
            if bad_name(name):
                print(script_text("bad_name", lang, option=option, name=name), file=err)
                return EXIT_USAGE
    facts = []
    known_files: list[str] = list(getattr(args, "known", None) or [])
    if known_files:
        from kbdoctor.engine.factio import load_fact_files

        try:
            facts = load_fact_files(known_files).facts
        except KbdoctorError as exc:
            print(exc.render(lang), file=err)
            return EXIT_USAGE
    known = known_names(domain, dcs, exchange, facts)
    names = [*known.dcs, *(s.name for s in known.exchange), *(s.fqdn or "" for s in known.exchange)]
    for name in names:
        if bad_name(name):
            print(script_text("bad_name", lang, option="--known", name=name), file=err)
            return EXIT_USAGE
    return _write(render_script(known, lang), known, output, lang, err)


def _write(text: str, known: Known, output: str, lang: Lang, err: TextIO) -> int:
    if output == "-":
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return EXIT_OK
    try:
        write_atomic(output, text)
    except OSError as exc:
        detail = exc.strerror or str(exc)
        print(
            Problem(output, None, None, "error.cannot_write", {"detail": detail}).render(lang),
            file=err,
        )
        return EXIT_USAGE
    counts = {"dcs": len(known.dcs), "exchange": len(known.exchange)}
    print(script_text("written", lang, file=output, **counts), file=err)
    return EXIT_OK
