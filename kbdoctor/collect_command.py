"""``kbdoctor collect --import PATH... [-o FACTS] [--append] [--host NAME] [--report FILE]``: saved
command output in, a fact file out.

The help lists, for the administrator who collects the material, the exact Windows command of
every format kbdoctor reads (taken from the readers themselves, so that help and readers cannot
disagree), in the language of ``--lang`` or of the environment. ``--help`` is therefore a flag read
with the others rather than argparse's immediate exit: ``collect --help --lang pl`` must know the
language given after it. The fact file is written atomically; ``--append`` extends an existing
one without repeating facts it holds. Exit status: 0 when material was read (or help was
shown), 2 for bad usage or input, 130 when Ctrl-C cut a live collection short (what it had
gathered is written all the same, its environment saying ``kbdoctor.live.incomplete:
interrupted``).

Standard error says, file by file, which reader read which lines (the import report's summary);
``--report FILE`` writes the whole import report (import-report/1) as JSON, atomically, under the
same rules as ``-o``. It is written even when nothing could be read (exit 2), since that is when
the engineer needs it most.

This module is the command line only (parsing, messages, exit statuses), with
``kbdoctor/live_command.py`` for the live options, prompts and progress and
``kbdoctor/script_command.py`` for ``--script``; what they call - the importer, the live
collection, the import report, ``--append``'s merge, the script - lives in
:mod:`kbdoctor.collectors`, which never prints, prompts or reads a terminal.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Literal, TextIO

from kbdoctor.collectors.fact_append import CommentsWouldBeLost, appended, locked
from kbdoctor.collectors.import_report import build_report
from kbdoctor.collectors.import_summary import summary_lines
from kbdoctor.collectors.importers.registry import describe_formats, known_formats
from kbdoctor.collectors.importing import ImportResult, fact_key, import_paths
from kbdoctor.collectors.live.options import interrupted
from kbdoctor.collectors.messages import message
from kbdoctor.collectors.script_texts import script_text
from kbdoctor.engine.atomic import resolve_target, why_unwritable, write_atomic
from kbdoctor.engine.errors import FactFileError, InputRefused, Problem, UsageError
from kbdoctor.engine.factio import (
    display_path,
    dump_fact_file,
    parse_fact_text,
    read_text_limited,
    unreadable_problem,
)
from kbdoctor.engine.facts import Fact, FactFile
from kbdoctor.engine.i18n import LANGS, Lang, language_from_env, language_option
from kbdoctor.engine.limits import ENV_VARS, Limits
from kbdoctor.engine.probe import probe
from kbdoctor.live_command import add_live_arguments, run_live, stray_live_option, wants_live
from kbdoctor.live_command import say as live_text

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # Ctrl-C during a live collection: what was gathered is written
STDOUT = "-"

PROG = "kbdoctor collect"

# kbdoctor's own command lines, each with the key of the comment printed above it (in the
# catalogue, so in every language). The commands that produce the material are not repeated
# here: "Formats read" lists each reader's own (``Reader.command``, their one source).
EXAMPLES: tuple[tuple[str, str], ...] = (
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
        lines += [f"  {message(note, lang)}", f"  {command}"]
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
        "--import",
        dest="imports",
        action="extend",
        nargs="+",
        default=[],
        metavar="PATH",
        help=message("help_import", lang),
    )
    parser.add_argument(
        "-o", "--output", default=STDOUT, metavar="FACTS", help=message("help_output", lang)
    )
    parser.add_argument("--append", action="store_true", help=message("help_append", lang))
    parser.add_argument("--host", default=None, metavar="NAME", help=message("help_host", lang))
    parser.add_argument("--report", default=None, metavar="FILE", help=message("help_report", lang))
    parser.add_argument(
        "--format",
        dest="fact_format",
        choices=("yaml", "json"),
        default=None,
        help=message("help_format", lang),
    )
    parser.add_argument("--lang", choices=LANGS, default=None, help=message("help_lang", lang))
    add_live_arguments(parser, lang)  # --domain, --dc, ... (kbdoctor/live_command.py)
    script = parser.add_argument_group("script")
    script.add_argument("--script", action="store_true", help=script_text("help_script", lang))
    script.add_argument(
        "--known",
        action="append",
        default=[],
        metavar="FACTS",
        help=script_text("help_known", lang),
    )


def run_collect(args: argparse.Namespace, stderr: TextIO | None = None) -> int:
    """Run ``collect`` with parsed arguments; messages go to ``stderr``."""
    err = stderr or sys.stderr
    lang = language_option(getattr(args, "lang", None))
    if getattr(args, "show_help", False):
        sys.stdout.write(help_text(lang))
        return EXIT_OK
    imports: list[str] = list(getattr(args, "imports", None) or [])
    output: str = getattr(args, "output", None) or STDOUT
    if getattr(args, "script", False):  # writes the script a customer runs; collects nothing
        from kbdoctor.script_command import run_script

        return run_script(args, lang, err, output)
    if getattr(args, "known", None):
        print(script_text("script_only", lang, option="--known"), file=err)
        return EXIT_USAGE
    append: bool = bool(getattr(args, "append", False))
    stray = stray_live_option(args)
    if stray is not None:
        print(live_text("needs_domain", lang, option=stray), file=err)
        return EXIT_USAGE
    if not imports and not wants_live(args):
        print(message("no_import", lang), file=err)
        return EXIT_USAGE
    looked = [(path, probe(path)) for path in imports]
    for path, seen in looked:
        if seen.error is not None:
            detail = seen.error.strerror or str(seen.error)
            print(f"{display_path(path)}: {message('cannot_read', lang, detail=detail)}", file=err)
        elif not seen.exists:
            print(f"{display_path(path)}: {message('no_such_path', lang)}", file=err)
    if any(not seen.exists for _, seen in looked):
        return EXIT_USAGE
    if append and output == STDOUT:
        print(message("append_needs_file", lang), file=err)
        return EXIT_USAGE
    try:
        limits = Limits.from_env()
    except UsageError as error:
        print(error.render(lang), file=err)
        return EXIT_USAGE
    report: str | None = getattr(args, "report", None)
    if report is not None and not imports:
        print(message("report_needs_import", lang), file=err)
        return EXIT_USAGE
    if report is not None and output != STDOUT and resolve_target(report) == resolve_target(output):
        print(message("report_is_output", lang, file=report), file=err)
        return EXIT_USAGE
    for target in (output, report):
        if target is None or target == STDOUT:
            continue
        unwritable = why_unwritable(target)
        if unwritable is not None:
            detail = unwritable.strerror or str(unwritable)
            print(message("write_failed", lang, file=target, detail=detail), file=err)
            return EXIT_USAGE
    if append and _read_existing(output, limits, lang, err) is False:
        return EXIT_USAGE  # checked before a long import; read again under the lock

    live: tuple[list[Fact], dict[str, str]] | None = None
    if wants_live(args):
        live = run_live(args, lang, err)
        if live is None:
            return EXIT_USAGE
    result = import_paths(imports, host=getattr(args, "host", None), lang=lang)
    if not _report(result, report, lang, err):
        return EXIT_USAGE
    for warning in (*result.warnings, *result.unrecognised):
        print(warning.render(lang), file=err)
    if imports:
        print(
            message(
                "summary",
                lang,
                facts=len(result.facts),
                files=len(result.files),
                warnings=len(result.warnings),
                unrecognised=len(result.unrecognised),
            ),
            file=err,
        )
    unreadable = {w.file for w in result.warnings if w.key in ("cannot_read", "too_large")}
    if imports and not result.facts and result.files and set(result.files) <= unreadable:
        print(message("nothing_readable", lang), file=err)
        return EXIT_USAGE
    if imports and not result.facts and (result.unrecognised or not result.files):
        print(message("nothing_imported", lang), file=err)
        return EXIT_USAGE
    if live is not None:
        result.facts.extend(live[0])

    fmt = _format(getattr(args, "fact_format", None), output)
    environment = live[1] if live is not None else None
    done = EXIT_INTERRUPTED if interrupted(environment) else EXIT_OK
    # the limit first: writing out a hundred thousand facts takes seconds, for a file refused
    if not append and _over_fact_limit(None, result.facts, output, limits, lang, err):
        return EXIT_USAGE
    if output == STDOUT or not append:
        imported = dump_fact_file(
            FactFile(kbdoctor="facts/1", environment=environment, facts=result.facts), fmt
        )
    if output == STDOUT:
        sys.stdout.write(imported)
        return done
    try:
        if not append:
            write_atomic(output, imported)
            return done
        # Read, merge and replace under an exclusive lock on a file beside the target, so that
        # two runs appending at once both keep their facts (the second waits for the first).
        with locked(output):
            existing = _read_existing(output, limits, lang, err)
            if existing is False:
                return EXIT_USAGE
            if _over_fact_limit(existing, result.facts, output, limits, lang, err):
                return EXIT_USAGE
            write_atomic(output, appended(existing, result.facts, fmt))
    except CommentsWouldBeLost:
        print(message("append_comments", lang, file=output), file=err)
        return EXIT_USAGE
    except OSError as error:
        detail = error.strerror or str(error)
        print(message("write_failed", lang, file=output, detail=detail), file=err)
        return EXIT_USAGE
    return done


def _report(result: ImportResult, path: str | None, lang: Lang, err: TextIO) -> bool:
    """Say on ``err`` what each file gave, and write the import report to ``path`` when given;
    False (after saying why) when it cannot be written."""
    report = build_report(result, lang)
    for line in summary_lines(report, lang):
        print(line, file=err)
    if path is None:
        return True
    try:
        write_atomic(path, report.to_json())
    except OSError as error:
        detail = error.strerror or str(error)
        print(message("write_failed", lang, file=path, detail=detail), file=err)
        return False
    return True


def _over_fact_limit(
    existing: tuple[str, FactFile] | None,
    new: list[Fact],
    output: str,
    limits: Limits,
    lang: Lang,
    err: TextIO,
) -> bool:
    """Whether the fact file about to be written holds more facts than the facts limit, said on
    ``err``: evaluate refuses such a file, so collect refuses to write it (the limit is raised
    the same way for both). With ``--append`` the file's facts count, and the new facts it
    already holds do not, as :func:`appended` merges them."""
    if existing is None:
        count = len(new)
    else:
        seen = {fact_key(fact) for fact in existing[1].facts}
        count = len(existing[1].facts) + sum(1 for fact in new if fact_key(fact) not in seen)
    if count <= limits.facts:
        return False
    name = "<stdout>" if output == STDOUT else display_path(output)
    params = {"limit": limits.facts, "variable": ENV_VARS["facts"]}
    print(Problem(name, None, None, "error.limit_facts", params).render(lang), file=err)
    return True


def _read_existing(
    output: str, limits: Limits, lang: Lang, err: TextIO
) -> tuple[str, FactFile] | Literal[False] | None:
    """The text and facts of the file ``--append`` extends; None when there is none yet; False
    (after printing why) when it cannot be read or is not a valid fact file."""
    seen = probe(output)
    if not seen.exists and seen.error is None:
        return None
    try:
        if seen.error is not None:
            raise seen.error
        text = read_text_limited(output, limits)
        return text, parse_fact_text(text, output, limits)
    except FactFileError as error:
        print(message("append_invalid", lang, file=output), file=err)
        for problem in error.problems:
            print(problem.render(lang), file=err)
    except InputRefused as error:
        print(message("append_invalid", lang, file=output), file=err)
        print(error.problem(output).render(lang), file=err)
    except UnicodeDecodeError as error:  # read, not written: said as what it is
        print(message("append_invalid", lang, file=output), file=err)
        print(unreadable_problem(output, error).render(lang), file=err)
    except OSError as error:
        print(unreadable_problem(output, error).render(lang), file=err)
    return False


def _format(explicit: str | None, output: str) -> Literal["yaml", "json"]:
    if explicit == "json" or (explicit is None and output.lower().endswith(".json")):
        return "json"
    return "yaml"
