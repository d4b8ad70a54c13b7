"""Where the time of one evaluation goes, phase by phase, in one process (issue 14): the ratios
of bench_speed.py say how far from the targets the whole is; this says which part to work on,
and what the engine's own floor is (durable-rules asserting the facts and running its actions).

Also a what-if edit on the kept session (``keep=True``, engine/incremental.py) against a full
run of the same edit: the engine's part of the TUI's what-if.

Run: ``python bench/breakdown.py [SERVERS]`` (default 1,000).
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

START = time.perf_counter()
from kbdoctor.engine import durable_backend, evaluate, incremental  # noqa: E402
from kbdoctor.engine.factio import load_fact_files  # noqa: E402
from kbdoctor.engine.report_building import build_report  # noqa: E402
from kbdoctor.engine.rulebase import load_rule_base  # noqa: E402

IMPORTED = time.perf_counter() - START

from bench.generate import generate_organisation  # noqa: E402

Spent = dict[str, float]


@contextmanager
def timed(owner: Any, name: str, label: str, spent: Spent) -> Iterator[None]:
    """Add the time spent in ``owner.name`` to ``spent[label]`` while the block runs."""
    original: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - start

    setattr(owner, name, wrapper)
    try:
        yield
    finally:
        setattr(owner, name, original)


def one_run(evaluator: evaluate.Evaluator, facts: list[Any], keep: bool) -> Spent:
    spent: Spent = {}
    session = durable_backend.Session
    with (
        timed(evaluate, "prepare", "prepare the facts", spent),
        timed(session, "_assert_part", "durable-rules: assert and run actions", spent),
        timed(session, "retract", "durable-rules: retract", spent),
        timed(evaluator, "_conclude", "record firings, conclude", spent),
        timed(incremental, "snapshot", "copy the kept run", spent),
    ):
        start = time.perf_counter()
        run = evaluator.run(facts, keep=keep)
        spent["run (all of the above and the rest)"] = time.perf_counter() - start
    start = time.perf_counter()
    report = build_report(run, lang="en", explain=False, files=[], environment={})
    spent["build the report"] = time.perf_counter() - start
    start = time.perf_counter()
    report.to_json()
    spent["report to JSON"] = time.perf_counter() - start
    return spent


def show(title: str, runs: list[Spent]) -> None:
    print(title)
    for label in runs[0]:
        values = [r.get(label, 0.0) for r in runs]
        print(f"  {label:<42} {statistics.median(values) * 1000:8.1f} ms")


def main() -> int:
    servers = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "org.json"
        import json

        path.write_text(json.dumps(generate_organisation(servers)), encoding="utf-8")
        start = time.perf_counter()
        facts = load_fact_files([str(path)]).facts
        loaded = time.perf_counter() - start
    start = time.perf_counter()
    base = load_rule_base(None)
    evaluator = evaluate.Evaluator(base)
    ruled = time.perf_counter() - start
    gc.freeze()
    print(f"{servers} servers, {len(facts)} facts")
    print(f"  {'import the engine':<42} {IMPORTED * 1000:8.1f} ms")
    print(f"  {'read and validate the fact file':<42} {loaded * 1000:8.1f} ms")
    print(f"  {'load and compile the rules':<42} {ruled * 1000:8.1f} ms")
    show("a full run (median of 3, the first one's caches cold):", [
        one_run(evaluate.Evaluator(base), facts, keep=False) for _ in range(3)
    ])  # fmt: skip

    index = next(i for i, f in enumerate(facts) if f.type == "clock_offset")
    before, after = facts[:index], facts[index + 1 :]
    edits = [
        [*before, facts[index].model_copy(update={"offset_s": 900.0 + n}), *after]
        for n in range(5)
    ]
    evaluator.run(facts, keep=True)
    followed = [one_run(evaluator, edit, keep=True) for edit in edits]
    paths = {evaluator.last_path}
    show(f"a what-if edit of one clock offset, followed on the kept session ({paths}):", followed)
    full = [one_run(evaluator, edit, keep=False) for edit in edits]
    show("the same edit, as a full run:", full)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
