"""The command line's door to the TUI: the only module the command line imports for it.

Importing this module costs nothing: Textual (and the application) are imported inside the
functions, so that ``kbdoctor evaluate`` and the other headless commands never load Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kbdoctor.engine.evaluate import DEFAULT_BUDGET_S
from kbdoctor.engine.i18n import Lang, language_option

if TYPE_CHECKING:
    from kbdoctor.engine.suppressions import Entry
    from kbdoctor.tui.app import KbdoctorApp


def create_app(
    fact_paths: Sequence[str] = (),
    *,
    lang: str | None = None,
    rules: Sequence[str] | None = None,
    demo: bool = False,
    watch_rules: bool = True,
    budget: float | None = DEFAULT_BUDGET_S,
    suppressions: Sequence[Entry] = (),
) -> KbdoctorApp:
    """The application, not yet running (tests and benchmarks drive it with Textual's Pilot).
    ``lang`` None: the language of the environment (LC_ALL, LC_MESSAGES, LANG).
    ``suppressions``: the site's accepted findings, marked in the cause list.
    A single path that is a case file (``kbdoctor: case/1``) reopens the case: its facts,
    what-if changes and notes, diagnosed with its rule files when they are all still there
    (unless ``rules`` are given). A broken case raises ``UsageError`` (exit status 2)."""
    from kbdoctor.tui.app import KbdoctorApp
    from kbdoctor.tui.case import is_case_file, load_case

    case = None
    if len(fact_paths) == 1 and not demo and is_case_file(fact_paths[0]):
        case_path = fact_paths[0]
        case = load_case(case_path)
        from kbdoctor.engine.probe import probe

        rule_files = case.rule_files
        if rules is None and rule_files and all(probe(f).kind == "file" for f in rule_files):
            rules = case.rule_files
        fact_paths = ()

    chosen: Lang = language_option(lang)
    app = KbdoctorApp(
        fact_paths, lang=chosen, rules=rules, demo=demo, watch_rules=watch_rules, budget=budget
    )
    app.diagnoser.suppressions = suppressions
    if case is not None:
        app.case_desk.open(case, case_path)
    return app


def run_tui(
    fact_paths: list[str],
    *,
    lang: str | None,
    rules: list[str] | None,
    demo: bool,
    budget: float | None = DEFAULT_BUDGET_S,
    suppressions: Sequence[Entry] = (),
) -> int:
    """Run the application on a terminal until the user quits; the exit status for the shell."""
    from kbdoctor.tui.terminal import assume_size_if_unknown

    assumed = assume_size_if_unknown()  # taken back once the application has started
    app = create_app(
        fact_paths, lang=lang, rules=rules, demo=demo, budget=budget, suppressions=suppressions
    )
    app.when_started(assumed.restore)
    try:
        app.run()
    finally:
        assumed.restore()
    return app.return_code or 0
