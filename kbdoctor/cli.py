"""The ``kbdoctor`` command line. Imports are lazy: ``evaluate`` must start fast and must never
load the TUI (textual), which only ``kbdoctor tui`` imports."""

from __future__ import annotations

import argparse
import errno
import gc
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

from kbdoctor.engine.i18n import LANGS, Lang, language_from_env, text

EXIT_OK = 0
EXIT_DIAGNOSED = 1
EXIT_INVALID = 2
EXIT_OUT_OF_TIME = 3  # evaluate: the time budget (--budget) ran out; the report is partial
# kbdoctor failed on something it did not foresee (a defect): never 1, which says "diagnosed"
EXIT_INTERNAL = 4
# the message of each reason an evaluation was cut short (report/1 budget.reason)
_CUT_SHORT = {
    "time": "cli.budget_spent",
    "chaining": "cli.chaining_stopped",
    "matches": "cli.matches_refused",
}


def build_parser(command: str | None = None, lang: Lang = "en") -> argparse.ArgumentParser:
    """The parser; the ``collect`` sub-command (which loads every reader) is only built in full
    when it is the command being run, so that ``evaluate`` does not pay for it."""
    parser = argparse.ArgumentParser(
        prog="kbdoctor",
        description=text("cli.description", lang),
        epilog=text("cli.epilog", lang),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    evaluate = sub.add_parser(
        "evaluate",
        help=text("cli.evaluate.help", lang),
        description=text("cli.evaluate.description", lang),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    evaluate.add_argument("facts", nargs="+", metavar="FACTS", help=text("cli.facts.help", lang))
    _rules_option(evaluate, lang)
    evaluate.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help=text("cli.format.help", lang),
    )
    _lang_option(evaluate, lang)
    evaluate.add_argument("--explain", action="store_true", help=text("cli.explain.help", lang))
    evaluate.add_argument("-o", "--output", metavar="FILE", help=text("cli.output.help", lang))
    _budget_option(evaluate, lang)
    _limit_option(evaluate, lang)
    _suppressions_option(evaluate, lang)

    tui = sub.add_parser("tui", help=text("cli.tui.help", lang))
    tui.add_argument("facts", nargs="*", metavar="FACTS")
    tui.add_argument("--demo", action="store_true", help=text("cli.demo.help", lang))
    _rules_option(tui, lang)
    _lang_option(tui, lang)
    _budget_option(tui, lang)
    _limit_option(tui, lang)
    _suppressions_option(tui, lang)

    rules = sub.add_parser(
        "rules",
        help=text("cli.rules.help", lang),
        description=text("cli.rules.description", lang),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rules.add_argument("paths", nargs="*", metavar="PATH", help=text("cli.rules_paths.help", lang))
    _lang_option(rules, lang)
    _limit_option(rules, lang)

    schema = sub.add_parser("schema", help=text("cli.schema.help", lang))
    schema.add_argument("which", choices=("facts", "report", "import-report"))

    if command == "collect":
        from kbdoctor.collect_command import add_collect_parser

        add_collect_parser(sub)
        _limit_option(sub.choices["collect"], lang)
    else:
        sub.add_parser("collect", help=text("cli.collect.help", lang), add_help=False)
    return parser


def _rules_option(parser: argparse.ArgumentParser, lang: Lang) -> None:
    parser.add_argument(
        "--rules", action="append", metavar="PATH", help=text("cli.rules_option.help", lang)
    )


def _budget(given: float | None) -> float | None:
    from kbdoctor.engine.evaluate import DEFAULT_BUDGET_S

    if given is None:
        return DEFAULT_BUDGET_S
    return given or None


def _budget_option(parser: argparse.ArgumentParser, lang: Lang) -> None:
    """``--budget SECONDS``: None when not given (the engine's DEFAULT_BUDGET_S applies); 0 is
    no limit."""

    def seconds(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not 0 <= number < float("inf"):
            raise argparse.ArgumentTypeError(text("cli.budget.invalid", lang, value=value))
        return number

    parser.add_argument(
        "--budget", type=seconds, metavar="SECONDS", help=text("cli.budget.help", lang)
    )


def _limit_option(parser: argparse.ArgumentParser, lang: Lang) -> None:
    """``--limit NAME=VALUE`` (repeatable): an input limit for this run, the same as its
    environment variable (engine/limits.py), which it overrides."""
    parser.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=text("cli.limit.help", lang),
    )


def _suppressions_option(parser: argparse.ArgumentParser, lang: Lang) -> None:
    parser.add_argument("--suppressions", metavar="FILE", help=text("cli.suppressions.help", lang))


def _suppressions(given: str | None, lang: Lang) -> Any:
    """The site's suppression entries (``--suppressions FILE``, else the file the configuration
    names, else none), with a warning on standard error for each expired one, which is ignored.
    Raises KbdoctorError when the file cannot be used: a run must not pretend to honour it."""
    import datetime

    from kbdoctor.engine.config import load_config
    from kbdoctor.engine.errors import KbdoctorError
    from kbdoctor.engine.suppressions import expiry_warnings, load_suppressions

    path = given or load_config().suppressions
    if path is None:
        return ()
    loaded = load_suppressions(path)
    if isinstance(loaded, list):
        raise KbdoctorError(loaded)
    for warning in expiry_warnings(loaded.entries, datetime.date.today()):
        print(f"{text('lint.severity.warning', lang)}: {warning.render(lang)}", file=sys.stderr)
    return loaded.entries


def _lang_option(parser: argparse.ArgumentParser, lang: Lang) -> None:
    parser.add_argument("--lang", choices=LANGS, default=None, help=text("cli.lang.help", lang))


def main(argv: Sequence[str] | None = None) -> int:
    from kbdoctor.standard_output import (
        StandardOutputFailed,
        checked_standard_output,
        discard_standard_output,
    )

    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        with checked_standard_output():
            code = _main(args_list, program=argv is None)
            sys.stdout.flush()  # here, where a failure can be said, not at the interpreter's exit
    except StandardOutputFailed as failed:
        if argv is None:
            discard_standard_output()
        if failed.error.errno == errno.EPIPE:  # a reader that stopped reading: silent, as ever
            return 128 + signal.SIGPIPE
        detail = failed.error.strerror or str(failed.error)
        print(text("cli.stdout_failed", _requested_lang(args_list), detail=detail), file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:  # a defect: said in one line, and never taken for a diagnosis
        if os.environ.get("KBDOCTOR_DEBUG"):
            raise
        error = f"{type(exc).__name__}: {exc}".splitlines()[0][:500]
        print(text("cli.internal_error", _requested_lang(args_list), error=error), file=sys.stderr)
        return EXIT_INTERNAL
    return code


def _main(args_list: list[str], program: bool) -> int:
    """The command of ``args_list``; ``program``: run as the program (not called by a test or
    another program), which may end without the interpreter's teardown."""
    if program and args_list and args_list[0] != "tui":  # before imports
        _end_on_signals(_requested_lang(args_list))
    if args_list[:1] == ["rules"] and len(args_list) > 1:
        from kbdoctor import rules_commands

        if args_list[1] in rules_commands.COMMANDS:
            return rules_commands.main(args_list[1:], _requested_lang(args_list))
    parser = build_parser(args_list[0] if args_list else None, _requested_lang(args_list))
    if not args_list:
        if sys.stdin.isatty() and sys.stdout.isatty():
            return _run_tui([], lang=None, rules=None, demo=False, budget=_budget(None))
        parser.print_help()
        return EXIT_OK
    args = parser.parse_args(args_list)
    from kbdoctor.engine.errors import UsageError
    from kbdoctor.engine.limits import limit_settings

    try:
        settings = limit_settings(getattr(args, "limit", None) or [])
    except UsageError as exc:
        print(exc.render(_requested_lang(args_list)), file=sys.stderr)
        return EXIT_INVALID
    saved = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)  # every reader of input in this run sees the same limits
    try:
        code = _dispatch(parser, args)
    finally:
        for name, value in saved.items():  # for callers of main() in a process of their own
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    if program and args.command == "evaluate":
        _end_without_teardown(code)
    return code


def _end_without_teardown(code: int) -> None:
    """End a program run of ``evaluate`` once its output is flushed, without the interpreter's
    teardown: freeing every fact, rule and report object one by one took a tenth of a
    1,000-server run, for a process that is ending anyway. Nothing is left to do then: the
    report is written (atomically with ``-o``) and every durable-rules session was closed.
    A failed flush of standard output is raised (``main`` says it in one line); when standard
    error cannot be flushed, the ordinary exit is left to deal with it."""
    sys.stdout.flush()
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


def _dispatch(parser: argparse.ArgumentParser, args: Any) -> int:
    if args.command == "evaluate":
        return _evaluate(args)
    if args.command == "tui":
        from kbdoctor.engine.errors import KbdoctorError

        budget = _budget(args.budget)
        try:
            suppressions = _suppressions(args.suppressions, _lang(args))
        except KbdoctorError as exc:
            print(exc.render(_lang(args)), file=sys.stderr)
            return EXIT_INVALID
        return _run_tui(
            args.facts,
            lang=args.lang,
            rules=args.rules,
            demo=args.demo,
            budget=budget,
            suppressions=suppressions,
        )
    if args.command == "rules":
        return _check_rules(args)
    if args.command == "schema":
        return _schema(args.which)
    if args.command == "collect":
        from kbdoctor.collect_command import run_collect

        return int(run_collect(args))
    parser.print_help()
    return EXIT_INVALID


EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_TERMINATED = 128 + signal.SIGTERM


def _end_on_signals(lang: Lang) -> None:
    """Ctrl-C (SIGINT) and SIGTERM end the run at once with one line (one, however many signals
    come) and exit 130 (143), the way shells report a signal: no traceback, and no Python
    clean-up. That is deliberate: unwinding
    through durable-rules while a session still has pending actions crashes the process
    (SIGSEGV), so the process ends without unwinding; the only clean-up is removing the
    temporary file of an atomic write under way. A closed pipe (``evaluate | head``) ends the
    run silently, as it does for other Unix tools."""
    from kbdoctor.engine.atomic import remove_pending

    lines: dict[int, bytes] = {
        signal.SIGINT: f"kbdoctor: {text('cli.interrupted', lang)}\n".encode(),
        signal.SIGTERM: f"kbdoctor: {text('cli.terminated', lang)}\n".encode(),
    }

    ending: list[int] = []  # the signal being handled, once one is

    def end(signum: int, frame: object) -> None:
        # A second signal (two Ctrl-C in a row, Ctrl-C then SIGTERM) must not run this again
        # between the first one's line and its exit: it is blocked at once, and one that got
        # through before the block finds the first one under way and leaves it to finish.
        if ending:
            return
        ending.append(signum)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        remove_pending()
        try:
            os.write(2, lines.get(signum, b"kbdoctor: stopped\n"))
        finally:
            os._exit(128 + signum)

    signal.signal(signal.SIGINT, end)
    signal.signal(signal.SIGTERM, end)
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def _requested_lang(args: list[str]) -> Lang:
    """The language of the help texts: ``--lang`` if it is on the command line, else LANG."""
    for index, arg in enumerate(args):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else None
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        for lang in LANGS:
            if value == lang:
                return lang
    return language_from_env()


def _lang(args: Any) -> Lang:
    return args.lang or language_from_env()


def _evaluate(args: Any) -> int:
    from kbdoctor.engine.errors import KbdoctorError
    from kbdoctor.engine.evaluate import Evaluator
    from kbdoctor.engine.factio import load_fact_files
    from kbdoctor.engine.rulebase import load_rule_base

    lang = _lang(args)
    if args.facts.count("-") > 1:
        print(text("cli.stdin_once", lang), file=sys.stderr)
        return EXIT_INVALID
    output = args.output if args.output and args.output != "-" else None
    problem = _output_problem(output) if output else None
    if problem is not None:  # before the work, not after it
        print(problem.render(lang), file=sys.stderr)
        return EXIT_INVALID
    try:
        facts = load_fact_files(args.facts)
        evaluator = Evaluator(load_rule_base(args.rules))
        suppressions = _suppressions(args.suppressions, lang)
    except KbdoctorError as exc:
        print(exc.render(lang), file=sys.stderr)
        return EXIT_INVALID
    # the facts and rules live until the process ends: out of the collector's sight, so that the
    # collections the evaluation still triggers do not walk them again
    gc.freeze()
    report = evaluator.evaluate(
        facts.facts,
        lang=lang,
        explain=args.explain,
        files=facts.files,
        environment=facts.environment,
        budget=_budget(args.budget),
        suppressions=suppressions,
    )
    rendered = _render(report, args.format, args.explain)
    if output:
        from kbdoctor.engine.atomic import write_atomic

        try:
            write_atomic(output, rendered)
        except OSError as exc:
            print(_write_problem(output, exc).render(lang), file=sys.stderr)
            return EXIT_INVALID
    else:
        sys.stdout.write(rendered)
    if report.budget is not None:
        unfinished = report.budget.unfinished_rules
        before_rules = report.budget.before_rules and report.budget.reason == "time"
        print(
            text(
                "cli.budget_spent_preparing" if before_rules else _CUT_SHORT[report.budget.reason],
                lang,
                seconds=f"{report.budget.seconds or 0:g}",
                facts=report.inputs.facts,
                count=len(unfinished),
                rules=", ".join(unfinished[:20]) + (", ..." if len(unfinished) > 20 else ""),
            ),
            file=sys.stderr,
        )
        return EXIT_OUT_OF_TIME
    # a diagnosis the site accepted (--suppressions) is shown, but does not make the run fail
    return EXIT_DIAGNOSED if report.unsuppressed_diagnoses else EXIT_OK


def _output_problem(path: str) -> Any:
    """Why ``-o PATH`` cannot be written (a folder, a folder that does not exist or cannot be
    written to), as a problem, or None."""
    from kbdoctor.engine.atomic import why_unwritable

    reason = why_unwritable(path)
    return None if reason is None else _write_problem(path, reason)


def _write_problem(path: str, exc: OSError) -> Any:
    from kbdoctor.engine.errors import Problem

    detail = exc.strerror or str(exc)
    return Problem(path, None, None, "error.cannot_write", {"detail": detail})


def _render(report: Any, fmt: str, explain: bool) -> str:
    if fmt == "json":
        return str(report.to_json())
    if fmt == "markdown":
        from kbdoctor.render.markdown import render_markdown

        return render_markdown(report)
    from kbdoctor.render.text import render_text

    return render_text(report, explain=explain)


def _run_tui(
    facts: list[str],
    *,
    lang: str | None,
    rules: list[str] | None,
    demo: bool,
    budget: float | None,
    suppressions: Any = (),
) -> int:
    from kbdoctor.engine.errors import KbdoctorError
    from kbdoctor.tui.launch import run_tui

    chosen = next((known for known in LANGS if known == lang), language_from_env())
    try:
        code = int(
            run_tui(
                facts, lang=lang, rules=rules, demo=demo, budget=budget, suppressions=suppressions
            )
        )
    except KbdoctorError as exc:  # a case file that cannot be reopened
        print(exc.render(chosen), file=sys.stderr)
        return EXIT_INVALID
    # ended by SIGINT or SIGTERM (tui/app.py): said once the terminal is the shell's again
    ended = {EXIT_INTERRUPTED: "cli.interrupted", EXIT_TERMINATED: "cli.terminated"}.get(code)
    if ended is not None:
        print(f"kbdoctor: {text(ended, chosen)}", file=sys.stderr)
    return code


def _check_rules(args: Any) -> int:
    from kbdoctor.engine.compiler import compile_rule_base
    from kbdoctor.engine.errors import KbdoctorError
    from kbdoctor.engine.rulebase import load_rule_base

    lang = _lang(args)
    try:
        base = load_rule_base(args.paths or None)
        compile_rule_base(base)
    except KbdoctorError as exc:
        print(exc.render(lang), file=sys.stderr)
        return EXIT_INVALID
    for pack in base.packs:
        counts: dict[str, int] = {}
        for rule in pack.rules:
            counts[rule.status] = counts.get(rule.status, 0) + 1
        summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        print(
            text(
                "cli.rules_ok",
                lang,
                file=pack.file,
                pack=pack.pack,
                rules=len(pack.rules),
                summary=summary,
            )
        )
    return EXIT_OK


def _schema(which: str) -> int:
    import json

    if which == "facts":
        from kbdoctor.engine.facts import facts_json_schema

        schema = facts_json_schema()
    elif which == "import-report":
        from kbdoctor.collectors.import_report import ImportReport

        schema = ImportReport.model_json_schema()
    else:
        from kbdoctor.engine.report import Report

        schema = Report.model_json_schema()
    sys.stdout.write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK
