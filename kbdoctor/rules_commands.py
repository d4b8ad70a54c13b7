"""``kbdoctor rules lint|test|schema``: the rule author's commands. ``kbdoctor rules PATH...``
(validate and list) stays as it was; a first argument naming one of these commands selects it.
Imports are lazy, as in :mod:`kbdoctor.cli`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kbdoctor.engine.i18n import LANGS, RULE_LANGS, Lang, count_text, language_from_env, text

if TYPE_CHECKING:
    from kbdoctor.engine.lint.run import LintResult

COMMANDS = ("lint", "test", "schema", "docs", "new")
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INVALID = 2


def build_parser(lang: Lang) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kbdoctor rules", description=text("cli.rules.help", lang)
    )
    sub = parser.add_subparsers(dest="rules_command", metavar="COMMAND", required=True)
    lint = sub.add_parser("lint", help=text("cli.rules_lint.help", lang))
    lint.add_argument("paths", nargs="*", metavar="PATH", help=text("cli.rules_paths.help", lang))
    lint.add_argument("--strict", action="store_true", help=text("cli.rules_strict.help", lang))
    lint.add_argument(
        "--suppressions", metavar="FILE", help=text("cli.rules_suppressions.help", lang)
    )
    _format(lint, lang)
    _lang(lint, lang)
    test = sub.add_parser("test", help=text("cli.rules_test.help", lang))
    test.add_argument(
        "paths", nargs="*", metavar="PATH", help=text("cli.rules_test_paths.help", lang)
    )
    _format(test, lang)
    _lang(test, lang)
    docs = sub.add_parser("docs", help=text("cli.rules_docs.help", lang))
    docs.add_argument("paths", nargs="*", metavar="PATH", help=text("cli.rules_paths.help", lang))
    docs.add_argument(
        "-o", "--output", metavar="DIR", help=text("cli.rules_docs_output.help", lang)
    )
    _lang(docs, lang)
    new = sub.add_parser("new", help=text("cli.rules_new.help", lang))
    new.add_argument(
        "rule_id", nargs="?", metavar="RULE_ID", help=text("cli.new_rule_id.help", lang)
    )
    new.add_argument("--fact", metavar="TYPE", help=text("cli.new_fact.help", lang))
    new.add_argument(
        "--where", action="append", metavar="FIELD=OP:VALUE", help=text("cli.new_where.help", lang)
    )
    new.add_argument("--finding", metavar="ID", help=text("cli.new_finding.help", lang))
    new.add_argument(
        "--value", action="append", metavar="NAME=FIELD", help=text("cli.new_value.help", lang)
    )
    new.add_argument("--title", metavar="TEXT", help=text("cli.new_title.help", lang))
    new.add_argument("--title-pl", metavar="TEXT", help=text("cli.new_title_pl.help", lang))
    new.add_argument("--cf", metavar="CF", help=text("cli.new_cf.help", lang))
    new.add_argument("--pack", help=text("cli.new_pack.help", lang))
    new.add_argument(
        "-o", "--output", default=".", metavar="DIR", help=text("cli.new_output.help", lang)
    )
    _lang(new, lang)
    schema = sub.add_parser("schema", help=text("cli.rules_schema.help", lang))
    schema.add_argument(
        "which",
        nargs="?",
        choices=("rules", "tests"),
        default="rules",
        help=text("cli.rules_schema_which.help", lang),
    )
    schema.add_argument(
        "paths", nargs="*", metavar="PATH", help=text("cli.rules_schema_paths.help", lang)
    )
    _lang(schema, lang)
    return parser


def _format(parser: argparse.ArgumentParser, lang: Lang) -> None:
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help=text("cli.rules_format.help", lang),
    )


def _lang(parser: argparse.ArgumentParser, lang: Lang) -> None:
    parser.add_argument("--lang", choices=LANGS, default=None, help=text("cli.lang.help", lang))


def main(argv: Sequence[str], lang: Lang) -> int:
    args = build_parser(lang).parse_args(list(argv))
    chosen: Lang = args.lang or language_from_env()
    if args.rules_command == "schema":
        return _schema(args.which, args.paths, chosen)
    if args.rules_command == "new":
        return _new(args, chosen)
    if args.rules_command == "docs":
        return _docs(args.paths, chosen, args.output)
    if args.rules_command == "lint":
        return _lint(args.paths, chosen, args.format, args.strict, args.suppressions)
    return _test(args.paths, chosen, args.format)


def _lint(paths: list[str], lang: Lang, fmt: str, strict: bool, suppressions: str | None) -> int:
    from kbdoctor.engine.config import load_config
    from kbdoctor.engine.errors import UsageError
    from kbdoctor.engine.lint.run import lint
    from kbdoctor.engine.rule_files import expand_rule_paths

    if paths and not expand_rule_paths(paths):  # folders without a rule file: nothing to judge
        print(text("lint.none_found", lang, paths=" ".join(paths)), file=sys.stderr)
        return EXIT_INVALID
    try:
        if suppressions is None and not paths:  # what evaluate uses by default
            suppressions = load_config().suppressions
        result = lint(paths or None, suppressions=suppressions)
    except UsageError as exc:
        print(exc.render(lang), file=sys.stderr)
        return EXIT_INVALID
    errors, warnings = result.count("error"), result.count("warning")
    if fmt == "json":
        data: dict[str, Any] = {
            "files": result.files,
            "unreadable": [p.to_dict(lang) for p in result.unreadable],
            "errors": errors,
            "warnings": warnings,
            "problems": [p.to_dict(lang) for p in result.problems],
        }
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        for problem in result.unreadable:
            print(problem.render(lang), file=sys.stderr)
        for found in result.problems:
            print(found.render(lang))
        summary = _lint_summary(result, lang)
        if summary is not None:
            print(summary)
    if result.unreadable:
        return EXIT_INVALID
    return EXIT_FINDINGS if errors or (strict and warnings) else EXIT_OK


def _lint_summary(result: LintResult, lang: Lang) -> str | None:
    """The last line of ``rules lint``: files, errors and warnings, and how many files could not
    be read, which were not linted. None when no file could be read: "0 errors" would then claim
    what nobody checked, and the messages above already say what happened to each file."""
    unread = {problem.file for problem in result.unreadable}
    if not [name for name in result.files if name not in unread]:
        return None
    counted = {
        "files": count_text("lint.count.files", lang, len(result.files)),
        "errors": count_text("lint.count.errors", lang, result.count("error")),
        "warnings": count_text("lint.count.warnings", lang, result.count("warning")),
    }
    if not unread:
        return text("lint.summary", lang, **counted)
    return text("lint.summary_unread", lang, unread=len(unread), **counted)


def _import_outputs(path: str) -> list[Any]:
    """Saved command outputs read the way ``kbdoctor collect --import`` reads them."""
    from kbdoctor.collectors.importing import import_paths

    return list(import_paths([path]).facts)


def _test(paths: list[str], lang: Lang, fmt: str) -> int:
    from kbdoctor.engine.errors import UsageError
    from kbdoctor.engine.packs import default_rule_files
    from kbdoctor.engine.ruletests.discover import find_test_files
    from kbdoctor.engine.ruletests.run import run_tests

    try:  # by default the tests of the packs lint and evaluate load: shipped and configured
        files = find_test_files(paths or default_rule_files())
    except UsageError as exc:
        print(exc.render(lang), file=sys.stderr)
        return EXIT_INVALID
    if not files:
        print(
            text("ruletest.none_found", lang, paths=" ".join(paths) or "kb_rules"), file=sys.stderr
        )
        return EXIT_INVALID
    result = run_tests(files, lang, _import_outputs)
    failed = [o for o in result.outcomes if o.fails_run]
    gaps = [o for o in result.outcomes if o.known_gap is not None]
    passed = sum(1 for o in result.outcomes if o.passed and o.known_gap is None)
    if fmt == "json":
        data = {
            "files": [str(f) for f in files],
            "problems": [p.to_dict(lang) for p in result.problems],
            "passed": passed,
            "failed": len(failed),
            "known_gaps": len(gaps),
            "tests": [
                {
                    "file": o.file,
                    "line": o.line,
                    "name": o.name,
                    "passed": o.passed,
                    "known_gap": o.known_gap,
                    "mismatches": [
                        {
                            "key": m.key,
                            "message": text(m.key, lang, **m.params),
                            **m.params,
                            "reasoning": list(m.reasoning),
                        }
                        for m in o.mismatches
                    ],
                }
                for o in result.outcomes
            ],
        }
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        for problem in result.problems:
            print(problem.render(lang), file=sys.stderr)
        for outcome in result.outcomes:
            where = f"{outcome.file}:{outcome.line}" if outcome.line else outcome.file
            if outcome.known_gap is not None:
                state = "ruletest.gap_still" if not outcome.passed else "ruletest.gap_passes"
                print(text(state, lang, where=where, name=outcome.name, why=outcome.known_gap))
            elif not outcome.passed:
                print(text("ruletest.failed", lang, where=where, name=outcome.name))
            for mismatch in outcome.mismatches:
                print("  - " + text(mismatch.key, lang, **mismatch.params))
                for line in mismatch.reasoning:
                    print("      " + line)
        counted = {
            "passed": count_text("ruletest.count.passed", lang, passed),
            "failed": count_text("ruletest.count.failed", lang, len(failed)),
            "gaps": count_text("ruletest.count.gaps", lang, len(gaps)),
        }
        print(text("ruletest.summary", lang, **counted))
    if result.problems:
        return EXIT_INVALID
    return EXIT_FINDINGS if failed else EXIT_OK


def _docs(paths: list[str], lang: Lang, output: str | None) -> int:
    """The catalogue in ``lang`` on standard output, or both languages into ``output``."""
    from pathlib import Path

    from kbdoctor.engine.atomic import make_folder, write_atomic
    from kbdoctor.engine.errors import KbdoctorError, Problem
    from kbdoctor.engine.rule_docs import catalogue_markdown, rule_tests
    from kbdoctor.engine.rulebase import load_rule_base

    try:
        base = load_rule_base(paths or None)
    except KbdoctorError as exc:
        print(exc.render(lang), file=sys.stderr)
        return EXIT_INVALID
    tests = rule_tests([p.file for p in base.packs])
    if output is None:
        sys.stdout.write(catalogue_markdown(base, tests, lang))
        return EXIT_OK
    folder = Path(output)
    try:
        make_folder(folder)
        for each in RULE_LANGS:  # the languages of the rules themselves (rule files carry en, pl)
            target = folder / f"rules.{each}.md"
            write_atomic(target, catalogue_markdown(base, tests, each))
            print(text("cli.rules_docs_written", lang, path=str(target)))
    except OSError as exc:
        detail = exc.strerror or str(exc)
        problem = Problem(output, None, None, "error.cannot_write", {"detail": detail})
        print(problem.render(lang), file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _new(args: Any, lang: Lang) -> int:
    """Write a first rule and its tests; never over an existing file. What the flags leave out
    is asked on standard input (rules_new_questions)."""
    from pathlib import Path

    from kbdoctor.engine.atomic import make_folder, write_atomic
    from kbdoctor.engine.errors import KbdoctorError, Problem
    from kbdoctor.engine.rule_files import bundled_rule_files
    from kbdoctor.engine.rule_scaffold import (
        Scaffold,
        check_id,
        parse_cf,
        parse_condition,
        parse_value,
        scaffold_texts,
    )
    from kbdoctor.engine.rulebase import load_rule_base
    from kbdoctor.rules_new_questions import Answers, Asker, ask_missing

    try:
        shipped = load_rule_base(bundled_rule_files()).findings  # the pack it extends
        answers = Answers(
            rule_id=args.rule_id and check_id("rule", args.rule_id),
            fact=args.fact,
            conditions=[parse_condition(c) for c in args.where or []],
            finding=args.finding and check_id("finding", args.finding),
            values=dict(parse_value(v) for v in args.value or []),
            title=args.title,
            title_pl=args.title_pl,
            cf=None if args.cf is None else parse_cf(args.cf),
            pack=args.pack and check_id("pack", args.pack),
        )
        required = (answers.rule_id, answers.fact, answers.finding, answers.title, answers.title_pl)
        if None in required or not answers.conditions:
            asker = Asker(sys.stdin, sys.stderr, lang, sys.stdin.isatty())
            answers = ask_missing(answers, shipped, asker)
        # every one was given or asked above
        assert answers.rule_id is not None
        assert answers.fact is not None
        assert answers.finding is not None
        assert answers.title is not None
        assert answers.title_pl is not None
        pack = answers.pack or "local"
        scaffold = Scaffold(
            answers.rule_id,
            answers.fact,
            tuple(answers.conditions),
            answers.finding,
            answers.title,
            answers.title_pl,
            pack,
            0.5 if answers.cf is None else answers.cf,
            tuple(answers.values.items()),
        )
        rule_text, test_text = scaffold_texts(scaffold, shipped)
        rules = Path(args.output) / f"{pack}.yaml"
        tests = Path(args.output) / "tests" / f"{pack}.yaml"
        from kbdoctor.engine.probe import probe

        for path in (rules, tests):
            if probe(path).exists:
                raise KbdoctorError([Problem(str(path), None, None, "scaffold.exists")])
        make_folder(tests.parent)
        write_atomic(rules, rule_text)
        write_atomic(tests, test_text)
    except KbdoctorError as exc:
        print(exc.render(lang), file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:
        detail = exc.strerror or str(exc)
        problem = Problem(args.output, None, None, "error.cannot_write", {"detail": detail})
        print(problem.render(lang), file=sys.stderr)
        return EXIT_INVALID
    for path in (rules, tests):
        print(text("cli.rules_docs_written", lang, path=str(path)))
    print(text("scaffold.next", lang, folder=args.output))
    return EXIT_OK


def _schema(which: str, paths: list[str], lang: Lang) -> int:
    """The schema of rule files knows the fields the shipped packs derive, and those of the
    packs given."""
    from kbdoctor.engine.errors import KbdoctorError
    from kbdoctor.engine.rule_schemas import derived_fields, rules_json_schema, tests_json_schema

    try:
        schema = (
            rules_json_schema(derived_fields(paths)) if which == "rules" else tests_json_schema()
        )
    except KbdoctorError as exc:
        print(exc.render(lang), file=sys.stderr)
        return EXIT_INVALID
    sys.stdout.write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK
