"""The rule author's commands at scale: ``rules lint``, ``rules test`` and ``rules docs`` on a
generated pack (default 1,000 rules, bench_rule_scale's shapes) with tests beside it, each timed
in its parts: loading (reading and validating the YAML), checking (the lint checks), compiling
(durable-rules), running the tests, writing the catalogue; then each real command as a support
engineer runs it (``python -m kbdoctor rules ...``: start-up and imports included).

Each command's parts are timed in a process of its own, as each command runs: no rule base
loaded or compiled for one command is reused by the next. ``rules test`` times its phases
itself (``TestRun.seconds``), so its test figure is the tests alone, not a second load and
compile.

Run from the repository root::

    .venv/bin/python bench/bench_authoring.py --rules 1000 --tests 100

kbdoctor keeps no cache of rule files (engine/rule_parsing.py says why), so every load is the one
a support engineer meets after editing the pack.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from kbdoctor.engine.errors import Problem  # noqa: E402
from kbdoctor.engine.lint.checks import CHECKS  # noqa: E402
from kbdoctor.engine.lint.model import Check, LintInput  # noqa: E402
from kbdoctor.engine.lint.run import lint  # noqa: E402
from kbdoctor.engine.rule_docs import catalogue_markdown, rule_tests  # noqa: E402
from kbdoctor.engine.rulebase import load_rule_base  # noqa: E402
from kbdoctor.engine.ruletests.discover import find_test_files  # noqa: E402
from kbdoctor.engine.ruletests.run import run_tests  # noqa: E402

from bench.bench_rule_scale import scale_pack  # noqa: E402
from bench.machine import say_reference  # noqa: E402

T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def _timing(check: Check, spent: list[float]) -> Check:
    """The check, adding the seconds it runs to ``spent``."""

    def run(given: LintInput) -> list[Problem]:
        problems, seconds = timed(lambda: list(check.run(given)))
        spent.append(seconds)
        return problems

    return replace(check, run=run)


def scale_tests(tests: int, on_one_type: int) -> str:
    """Tests of the pack's clock_offset rules: each offset just past one rule's threshold."""
    lines = ["kbdoctor: rules-test/1", "tests:"]
    for n in range(tests):
        i = n % on_one_type
        offset = 0.01 + i / 10 + 0.05
        lines += [
            f"  - name: clock-{i} fires at {offset:.2f} s",
            "    facts:",
            f"      - {{type: clock_offset, host: EX{n:04d}, reference: DC01, "
            f"offset_s: {offset:.2f}}}",
            f"    expect: {{fires: [clock-{i}]}}",
        ]
    return "\n".join(lines) + "\n"


def write_pack(folder: Path, rules: int, tests: int, on_one_type: int) -> Path:
    pack = folder / "scale.yaml"
    pack.write_text(scale_pack(rules, on_one_type), encoding="utf-8")
    (folder / "tests").mkdir()
    (folder / "tests" / "scale.yaml").write_text(scale_tests(tests, on_one_type), "utf-8")
    return pack


def lint_parts(paths: list[str]) -> str:
    spent: list[float] = []
    linted, lint_s = timed(lambda: lint(paths, checks=[_timing(c, spent) for c in CHECKS]))
    if linted.unreadable:
        raise RuntimeError("the generated pack did not load")
    check_s = sum(spent)
    return (
        f"rules lint: load {lint_s - check_s:6.2f} s, checks {check_s:6.2f} s "
        f"({len(linted.problems)} problems, {linted.count('error')} errors)"
    )


def test_parts(paths: list[str]) -> str:
    files, find_s = timed(lambda: find_test_files(paths))
    ran = run_tests(files)
    if ran.problems:
        raise RuntimeError("the generated tests did not load")
    passed = sum(1 for o in ran.outcomes if o.passed)
    seconds = ran.seconds
    return (
        f"rules test: load {find_s + seconds['load']:6.2f} s, compile {seconds['compile']:6.2f} s, "
        f"{len(ran.outcomes)} tests {seconds['tests']:6.2f} s ({passed} passed)"
    )


def docs_parts(paths: list[str]) -> str:
    base, base_s = timed(lambda: load_rule_base(paths))
    named, named_s = timed(lambda: rule_tests(paths))
    docs, docs_s = timed(lambda: [catalogue_markdown(base, named, la) for la in ("en", "pl")])
    return (
        f"rules docs: load {base_s:6.2f} s, tests named {named_s:6.2f} s, "
        f"catalogue en+pl {docs_s:6.2f} s ({sum(len(d) for d in docs):,} characters)"
    )


def command_seconds(*args: str) -> float:
    """Wall-clock seconds of ``kbdoctor rules ARGS`` in a new interpreter, as people run it."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kbdoctor", "rules", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env={**os.environ, "LANG": "C"},
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"kbdoctor rules {' '.join(args)}: {done.stderr or done.stdout}")
    return seconds


def measure(rules: int, tests: int, on_one_type: int) -> list[str]:
    """The figures, one line per command: its parts, each command's in a process of its own
    (nothing one loads or compiles is reused by the next), then the whole real command."""
    with tempfile.TemporaryDirectory(prefix="kbdoctor-authoring-") as tmp:
        pack = write_pack(Path(tmp), rules, tests, on_one_type)
        paths = [str(pack)]
        spawn = multiprocessing.get_context("spawn")
        parts: list[str] = []
        for part in (lint_parts, test_parts, docs_parts):
            with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as fresh:
                parts.append(fresh.submit(part, paths).result())
        commands = [
            command_seconds("lint", tmp),
            command_seconds("test", tmp),
            command_seconds("docs", tmp, "-o", str(Path(tmp) / "catalogue")),
        ]
        return [f"{line}; command {s:6.2f} s" for line, s in zip(parts, commands, strict=True)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rules", type=int, default=1000, help="rules in the pack (1,000)")
    parser.add_argument("--tests", type=int, default=100, help="tests beside it (100)")
    parser.add_argument("--on-one-type", type=int, default=100, help="rules on clock_offset")
    args = parser.parse_args(argv)
    say_reference("before")
    print(f"pack: {args.rules} rules ({args.on_one_type} on clock_offset), {args.tests} tests")
    for line in measure(args.rules, args.tests, args.on_one_type):
        print(line, flush=True)
    say_reference("after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
