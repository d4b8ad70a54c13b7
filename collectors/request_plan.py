"""Which of the collection script's commands gather given fact types: the plan of a
"collection request" (the TUI's list of commands for the causes nothing assessed yet).

There is one list of collection commands, :data:`kbdoctor.collectors.script.STEPS` (each the
command a reader documents, with this organisation's names filled in by
:func:`~kbdoctor.collectors.script.layout`); a request is that list cut down to the steps whose
reader gives a fact type the unassessed causes need. What a reader gives is the ``Facts:`` line
of its docstring, which ``tests/collectors/importers/test_docstring_samples.py`` holds to the
reader's real output, so the cut cannot drift from what the readers read.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from kbdoctor.collectors.importers.registry import all_readers
from kbdoctor.collectors.script import STEPS, Known, Planned, Step, layout

_FACTS = re.compile(r"^Facts: (?P<types>[a-z_, ]+?)(?: \(warns [a-z_.]+\))?$", re.MULTILINE)
MACHINE = "MACHINE"  # the folder of the machine the commands run on, replaced by the caller


@cache
def reader_fact_types(reader: str) -> frozenset[str]:
    """The fact types a reader gives, as its docstring's ``Facts:`` line documents them."""
    for candidate in all_readers():
        if candidate.name == reader:
            found = _FACTS.search(inspect.getdoc(type(candidate)) or "")
            if found is None:
                return frozenset()
            return frozenset(t.strip() for t in found.group("types").split(",")) - {"none"}
    raise KeyError(f"no reader named {reader}")


def steps_for(fact_types: Iterable[str]) -> list[Step]:
    """The script's steps that gather any of ``fact_types``, in the script's order."""
    wanted = set(fact_types)
    return [step for step in STEPS if reader_fact_types(step.reader) & wanted]


@dataclass(frozen=True)
class RequestPlan:
    """The commands to ask for (``file`` relative to the machine's folder), and the fact types
    no command of the script gathers (said as such, never left out silently)."""

    commands: list[tuple[Step, Planned]]
    uncovered: list[str]


def request_plan(known: Known, fact_types: Iterable[str]) -> RequestPlan:
    """The script's commands for ``fact_types`` with the names of ``known`` filled in (portqry
    form for ports: it tells UDP apart too), each with its step (where it runs)."""
    wanted = sorted(set(fact_types))
    steps = steps_for(wanted)
    by_reader = {step.reader: step for step in steps}
    commands = [
        (by_reader[planned.reader], planned)
        for planned in layout(known, MACHINE, portqry=True)
        if planned.reader in by_reader
    ]
    covered = set().union(*(reader_fact_types(s.reader) for s in steps)) if steps else set()
    return RequestPlan(commands, [t for t in wanted if t not in covered])
