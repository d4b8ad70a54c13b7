"""The Hypothesis fuzzing of the readers (tests marked ``fuzz``: tests/hostile/fuzz_selection.py)
runs in a child pytest under RLIMIT_AS and RLIMIT_CPU: an input that sent a reader into a loop or
made it swallow memory ends the child and fails this test, where in-process it would hang the run
or swap the machine. The plain run deselects those tests, so each of them runs once.

The child needs about 15 CPU seconds and 130 MiB of address space; the bounds give it four times
as much."""

from __future__ import annotations

import re

from tests.hostile.bounded import ROOT, python
from tests.hostile.fuzz_selection import FUZZ_OPTION

CPU_SECONDS = 60
MEMORY_BYTES = 512 * 1024 * 1024
WALL_SECONDS = 600  # a hang that computes nothing (a lock, a read that never returns)

_MARKED = re.compile(r"^(?:@pytest\.mark\.fuzz|pytestmark = pytest\.mark\.fuzz)\b", re.MULTILINE)


def fuzz_modules() -> list[str]:
    """The test modules that hold a test marked ``fuzz``, relative to the repository root."""
    return sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("test_*.py")
        if _MARKED.search(path.read_text(encoding="utf-8"))
    )


def test_the_fuzz_tests_of_every_reader_are_found() -> None:
    """What the bounded run covers: the importers' never-raise tests, byte decoding, the YAML
    locator and the readers' claims on shuffled real material."""
    assert fuzz_modules() == [
        "tests/collectors/importers/test_eventlog_evtx.py",
        "tests/collectors/importers/test_eventlog_text.py",
        "tests/collectors/importers/test_eventlog_xml.py",
        "tests/collectors/importers/test_never_raise_basic.py",
        "tests/collectors/importers/test_never_raise_portqry_nltest.py",
        "tests/collectors/importers/test_never_raise_repadmin_exchange.py",
        "tests/collectors/test_claims.py",
        "tests/collectors/test_decoding.py",
        "tests/engine/test_event_locator.py",
    ]


def test_the_fuzzing_passes_within_bounds() -> None:
    done = python(
        "-m", "pytest", "-q", "-p", "no:cacheprovider", FUZZ_OPTION, *fuzz_modules(),
        memory=MEMORY_BYTES, cpu=CPU_SECONDS, wall=WALL_SECONDS,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    summary = done.stdout.strip().splitlines()[-1]
    passed = re.search(r"\b(\d+) passed\b", summary)
    assert passed is not None, summary
    assert int(passed.group(1)) > 0, summary
    assert "skipped" not in summary, summary
