"""Reading material into the session: fact files, the bundled demo incident, command outputs.

These functions run in the application's worker threads, so they never touch the screen: they
return what they read (or raise the engine's located errors) and report progress through a
callback. An import goes file by file so that a large folder shows its progress and one unreadable
file costs only itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kbdoctor.engine.factio import FactSet, load_fact_files, parse_fact_text
from kbdoctor.engine.facts import Fact

DEMO_RESOURCE = ("kbdoctor.examples", "demo-incident.yaml")
DEMO_NAME = "demo-incident.yaml"

Progress = Callable[[int, int, str], None]  # done, total, current file


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
    unrecognised: list[str] = field(default_factory=list)  # files no reader recognised
    files: list[str] = field(default_factory=list)  # files read


def material_files(paths: Sequence[str]) -> list[str]:
    """The files an import reads: files as given, folders walked in name order (hidden files and
    folders skipped: they are editor and version-control debris, not customer material)."""
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if child.is_file() and not any(part.startswith(".") for part in relative):
                    out.append(str(child))
        else:
            out.append(raw)
    return out


def import_outputs(
    paths: Sequence[str], host: str | None = None, progress: Progress | None = None
) -> ImportOutcome:
    """Command outputs read by the collectors' importer, one file at a time."""
    from kbdoctor.collectors.importing import import_paths

    outcome = ImportOutcome()
    files = material_files(paths)
    for done, name in enumerate(files):
        if progress is not None:
            progress(done, len(files), name)
        result = import_paths([name], host=host)
        outcome.facts.extend(result.facts)
        outcome.warnings.extend(str(w) for w in result.warnings)
        outcome.unrecognised.extend(str(u) for u in result.unrecognised)
        outcome.files.append(name)
    if progress is not None:
        progress(len(files), len(files), "")
    return outcome
