"""``kbdoctor collect --import PATH... [-o FACTS] [--append] [--host NAME]``: saved command output
in, a fact file out.

The help lists, for the administrator who collects the material, the exact Windows command of
every format kbdoctor reads (taken from the readers themselves, so that help and readers cannot
disagree), in the language of ``--lang`` or of the environment. ``--help`` is therefore a flag read
with the others rather than argparse's immediate exit: ``collect --help --lang pl`` must know the
language given after it. The fact file is written atomically; ``--append`` extends an existing
one without repeating facts it holds. Exit status: 0 when material was read (or help was
shown), 2 for bad usage or input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Literal, TextIO

from kbdoctor.collectors.importers.registry import describe_formats, known_formats
from kbdoctor.collectors.importing import fact_key, import_paths
from kbdoctor.collectors.messages import message
from kbdoctor.engine.atomic import write_atomic
from kbdoctor.engine.errors import FactFileError
from kbdoctor.engine.factio import dump_fact_file, parse_fact_text
from kbdoctor.engine.facts import Fact, FactFile
from kbdoctor.engine.i18n import Lang, language_from_env

EXIT_OK = 0
EXIT_USAGE = 2
STDOUT = "-"

PROG = "kbdoctor collect"

# Each example is a command line, exactly as it is typed in any language, and optionally the key of
# a comment (in the catalogue, so in both languages) printed above it.
EXAMPLES: tuple[tuple[str, str | None], ...] = (
    ("setspn -L EX01 > setspn-L-EX01.txt", None),
    ("setspn -Q SMTPSVC/ex01.corp.example.com > setspn-Q-smtpsvc-ex01.txt", None),
    ("setspn -X -F > setspn-X-F.txt", None),
    ("w32tm /stripchart /computer:DC01 /dataonly /samples:5 > stripchart-DC01.txt", None),
    ("w32tm /monitor > w32tm-monitor.txt", None),
    ("w32tm /query /status /verbose > w32tm-status.txt", None),
    ("w32tm /query /peers > w32tm-peers.txt", None),
    ("Test-NetConnection -ComputerName DC01 -Port 88 > tnc-DC01-88.txt", None),
    ("klist get SMTPSVC/ex02.corp.example.com > klist-get-ex02.txt", None),
    ("repadmin /showrepl * /csv > showrepl.csv", None),
    ("repadmin /replsummary > replsummary.txt", None),
    ("Get-ExchangeServer | Format-List > exchange-servers.txt", None),
    ("Get-ReceiveConnector | Export-Clixml rc.xml", None),
    ("Get-Queue | Format-List > queues.txt", None),
    ("kbdoctor collect --import EX01/ --import DC01/ -o facts.yaml", "help_example_folders"),
    (
        "kbdoctor collect --import stripchart-DC01.txt --host EX01 -o facts.yaml --append",
        "help_example_append",
    ),
)


def epilog(lang: Lang) -> str:
    lines = [message("help_epilog", lang), "", message("help_formats_heading", lang)]
    lines.append(describe_formats(known_formats(lang=lang)))
    lines += ["", message("help_examples_heading", lang)]
    for command, note in EXAMPLES:
        if note is not None:
            lines.append(f"  {message(note, lang)}")
        lines.append(f"  {command}")
    return "\n".join(lines)


def add_collect_parser(subparsers: Any) -> None:
    """Add ``collect`` to the CLI's sub-commands (``subparsers`` from ``add_subparsers``)."""
    lang = language_from_env()
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "collect",
        help=message("help_description", lang),
        add_help=False,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _configure(parser, lang)
    parser.set_defaults(handler=run_collect)


def help_text(lang: Lang) -> str:
    """``kbdoctor collect --help`` in ``lang``."""
    parser = argparse.ArgumentParser(
        prog=PROG, add_help=False, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    _configure(parser, lang)
    return parser.format_help()


def _configure(parser: argparse.ArgumentParser, lang: Lang) -> None:
    parser.description = message("help_description", lang)
    parser.epilog = epilog(lang)
    parser.add_argument(
        "-h", "--help", dest="show_help", action="store_true", help=message("help_help", lang)
    )
    parser.add_argument(
        "--import", dest="imports", action="extend", nargs="+", default=[], metavar="PATH",
        help=message("help_import", lang),
    )
    parser.add_argument(
        "-o", "--output", default=STDOUT, metavar="FACTS", help=message("help_output", lang)
    )
    parser.add_argument("--append", action="store_true", help=message("help_append", lang))
    parser.add_argument("--host", default=None, metavar="NAME", help=message("help_host", lang))
    parser.add_argument(
        "--format", dest="fact_format", choices=("yaml", "json"), default=None,
        help=message("help_format", lang),
    )
    parser.add_argument(
        "--lang", choices=("en", "pl"), default=None, help=message("help_lang", lang)
    )


def run_collect(args: argparse.Namespace, stderr: TextIO | None = None) -> int:
    """Run ``collect`` with parsed arguments; messages go to ``stderr``."""
    err = stderr or sys.stderr
    lang: Lang = "pl" if getattr(args, "lang", None) == "pl" else (
        "en" if getattr(args, "lang", None) == "en" else language_from_env()
    )
    if getattr(args, "show_help", False):
        sys.stdout.write(help_text(lang))
        return EXIT_OK
    imports: list[str] = list(getattr(args, "imports", None) or [])
    output: str = getattr(args, "output", None) or STDOUT
    append: bool = bool(getattr(args, "append", False))
    if not imports:
        print(message("no_import", lang), file=err)
        return EXIT_USAGE
    missing = [p for p in imports if not Path(p).exists()]
    if missing:
        for path in missing:
            print(f"{path}: {message('no_such_path', lang)}", file=err)
        return EXIT_USAGE
    if append and output == STDOUT:
        print(message("append_needs_file", lang), file=err)
        return EXIT_USAGE
    existing: FactFile | None = None
    if append and Path(output).exists():
        try:
            existing = parse_fact_text(Path(output).read_text(encoding="utf-8-sig"), output)
        except FactFileError as error:
            print(message("append_invalid", lang, file=output), file=err)
            for problem in error.problems:
                print(problem.render(lang), file=err)
            return EXIT_USAGE
        except (OSError, UnicodeDecodeError) as error:
            print(message("write_failed", lang, file=output, detail=str(error)), file=err)
            return EXIT_USAGE

    result = import_paths(imports, host=getattr(args, "host", None), lang=lang)
    for warning in (*result.warnings, *result.unrecognised):
        print(warning.render(lang), file=err)
    print(
        message("summary", lang, facts=len(result.facts), files=len(result.files),
                warnings=len(result.warnings), unrecognised=len(result.unrecognised)),
        file=err,
    )
    if not result.facts and (result.unrecognised or not result.files):
        print(message("nothing_imported", lang), file=err)
        return EXIT_USAGE

    facts: list[Fact] = list(existing.facts) if existing else []
    seen = {fact_key(f) for f in facts}
    facts.extend(f for f in result.facts if fact_key(f) not in seen)
    fact_file = FactFile(
        kbdoctor="facts/1",
        collected_at=existing.collected_at if existing else None,
        environment=existing.environment if existing else None,
        facts=facts,
    )
    text = dump_fact_file(fact_file, _format(getattr(args, "fact_format", None), output))
    if output == STDOUT:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        write_atomic(output, text)
    except OSError as error:
        print(message("write_failed", lang, file=output, detail=error.strerror or str(error)),
              file=err)
        return EXIT_USAGE
    return EXIT_OK


def _format(explicit: str | None, output: str) -> Literal["yaml", "json"]:
    if explicit == "json" or (explicit is None and output.lower().endswith(".json")):
        return "json"
    return "yaml"
