"""Reading material into the session: fact files, the bundled demo incident, command outputs.

These functions run in the application's worker threads, so they never touch the screen: they
return what they read (or raise the engine's located errors) and report progress through a
callback. The importer never raises for what is in the files: what it cannot read comes back
as located warnings, which the application shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from kbdoctor.engine.factio import FactSet, load_fact_files, parse_fact_text
from kbdoctor.engine.facts import Fact
from kbdoctor.engine.i18n import Lang

if TYPE_CHECKING:
    from kbdoctor.collectors.import_report import ImportReport
    from kbdoctor.collectors.importing import ImportResult

DEMO_RESOURCE = ("kbdoctor.examples", "demo-incident.yaml")
DEMO_NAME = "demo-incident.yaml"

Progress = Callable[[int, int, str], None]  # files done, files in all, the file being read


def load_demo() -> FactSet:
    """The bundled demo incident (the README's first command opens it)."""
    package, name = DEMO_RESOURCE
    content = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    merged = FactSet()
    merged.extend(parse_fact_text(content, DEMO_NAME), DEMO_NAME)
    return merged


def load_facts(paths: Sequence[str]) -> FactSet:
    """Fact files, merged; raises ``FactFileError`` naming every problem of every file."""
    return load_fact_files(list(paths))


@dataclass
class ImportOutcome:
    """What an import of command outputs produced."""

    facts: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # "file:line: message"
    unrecognised: list[str] = field(default_factory=list)  # "file: what was not recognised"
    files: list[str] = field(default_factory=list)  # files read
    # what was read from each file, in the language of the import (import-report/1), and the
    # importer's result it was built from (to show it again in another language)
    report: ImportReport | None = None
    result: ImportResult | None = None


def import_outputs(
    paths: Sequence[str],
    host: str | None = None,
    lang: Lang = "en",
    progress: Progress | None = None,
) -> ImportOutcome:
    """Command outputs read by the collectors' importer, in one call (it merges across files:
    time peers, host names); progress is told before each file is read. The import report is
    built here, in the worker, since for a folder of event logs it holds thousands of facts."""
    from kbdoctor.collectors.import_report import build_report
    from kbdoctor.collectors.importing import import_paths

    def each_file(done: int, total: int, path: Path) -> None:
        if progress is not None:
            progress(done, total, path.name)

    result = import_paths(list(paths), host=host, lang=lang, progress=each_file)
    return ImportOutcome(
        facts=list(result.facts),
        warnings=[w.render(lang) for w in result.warnings],
        unrecognised=[u.render(lang) for u in result.unrecognised],
        files=list(result.files),
        report=build_report(result, lang),
        result=result,
    )
