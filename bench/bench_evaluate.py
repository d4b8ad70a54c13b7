"""How long ``kbdoctor evaluate`` takes on organisations of 10, 100 and 1000 Exchange servers.

Run from the repository root::

    /work/venv/bin/python bench/bench_evaluate.py --sizes 10,100,1000 --repeat 5

For each size it writes a synthetic organisation (bench/generate.py) as a JSON fact file and
prints the median of

- end to end: ``python -m kbdoctor evaluate FILE --format json`` in a new process, start-up,
  imports, loading, evaluation and rendering included (what a user waits for);
- evaluation: ``Evaluator.evaluate`` in this process after a warm-up (rules compiled, durable
  ruleset built), report included;
- oracle: the plain-Python evaluator of tests/support/oracle.py on the same facts, and the ratio
  of the two. The oracle is nested loops, quadratic in the number of servers, so it runs only up
  to ``--oracle-max-servers`` and repeats only while one run is short.

Then the end-to-end time of the small demo incident, and whether ``evaluate`` imports textual
(it must not: only ``kbdoctor tui`` may load it). Budgets are printed next to the figures; the
script reports, it does not fail.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from kbdoctor.engine.evaluate import Evaluator  # noqa: E402
from kbdoctor.engine.factio import parse_fact_text  # noqa: E402

from bench.generate import generate_organisation  # noqa: E402
from bench.machine import say_reference  # noqa: E402

BUDGET_LARGE_E2E_S = 2.0  # 1000 servers, end to end
BUDGET_LARGE_SERVERS = 1000
BUDGET_SMALL_E2E_S = 0.6  # the demo incident, end to end
ORACLE_SLOW_RUN_S = 5.0  # after one run this long, the oracle is not repeated


@dataclass
class SizeResult:
    servers: int
    facts: int
    end_to_end: float
    evaluation: float
    oracle: float | None
    oracle_note: str = ""


def median_time(action: Callable[[], object], repeat: int, *, slow: float | None = None) -> float:
    """Median wall time of ``repeat`` runs; stops after the first when it took longer than
    ``slow`` seconds."""
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
        if slow is not None and times[-1] > slow:
            break
    return statistics.median(times)


def evaluate_command(path: Path) -> list[str]:
    return [sys.executable, "-m", "kbdoctor", "evaluate", str(path), "--format", "json",
            "--lang", "en"]


def run_command(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed with exit {done.returncode}:\n{done.stderr}")
    return done


def load_oracle() -> tuple[Any, str]:
    """The oracle class, or None and why it is not there."""
    try:
        from tests.support.oracle import Oracle
    except ImportError as exc:
        return None, f"tests/support/oracle.py cannot be imported ({exc})"
    return Oracle, ""


def bench_size(
    servers: int, repeat: int, folder: Path, evaluator: Evaluator, oracle_class: Any,
    oracle_note: str, oracle_max: int, seed: int,
) -> SizeResult:
    path = folder / f"org-{servers}.json"
    path.write_text(json.dumps(generate_organisation(servers, seed)), encoding="utf-8")
    command = evaluate_command(path)
    end_to_end = median_time(lambda: run_command(command), repeat)

    facts = parse_fact_text(path.read_text(encoding="utf-8"), str(path)).facts
    evaluator.evaluate(facts)  # warm-up
    evaluation = median_time(lambda: evaluator.evaluate(facts), repeat)

    oracle_time: float | None = None
    note = oracle_note
    if oracle_class is not None and servers > oracle_max:
        note = f"skipped above {oracle_max} servers (--oracle-max-servers)"
    elif oracle_class is not None:
        oracle = oracle_class(evaluator.base)
        oracle_time = median_time(lambda: oracle.run(facts), repeat, slow=ORACLE_SLOW_RUN_S)
    return SizeResult(servers, len(facts), end_to_end, evaluation, oracle_time, note)


def imports_textual(path: Path) -> bool:
    done = run_command([sys.executable, "-X", "importtime", *evaluate_command(path)[1:]])
    for line in done.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        module = line.rsplit("|", 1)[-1].strip()
        if module == "textual" or module.startswith("textual."):
            return True
    return False


def verdict(value: float, budget: float) -> str:
    return f"< {budget:.1f} s budget: {'ok' if value < budget else 'OVER'}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10,100,1000",
                        help="numbers of Exchange servers, comma-separated (default 10,100,1000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generator (default 0)")
    parser.add_argument("--oracle-max-servers", type=int, default=100,
                        help="run the oracle only up to this size; it is quadratic "
                             "(default 100; 1000 takes minutes)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    repeat = max(1, args.repeat)

    oracle_class, oracle_note = load_oracle()
    if oracle_class is None:
        print(f"oracle column skipped: {oracle_note}")
    evaluator = Evaluator()
    print(f"python {sys.version.split()[0]}, median of {repeat} runs")
    say_reference("before")
    print()
    header = (f"{'servers':>8} {'facts':>7} {'end to end':>11} {'evaluation':>11} "
              f"{'oracle':>10} {'eval/oracle':>12}")
    print(header)
    print("-" * len(header))
    results = []
    with tempfile.TemporaryDirectory(prefix="kbdoctor-bench-") as tmp:
        for servers in sizes:
            result = bench_size(servers, repeat, Path(tmp), evaluator, oracle_class, oracle_note,
                                args.oracle_max_servers, args.seed)
            results.append(result)
            oracle = "-" if result.oracle is None else f"{result.oracle:9.3f}s"
            ratio = "-" if result.oracle is None else f"{result.evaluation / result.oracle:11.2f}x"
            print(f"{result.servers:>8} {result.facts:>7} {result.end_to_end:>10.3f}s "
                  f"{result.evaluation:>10.3f}s {oracle:>10} {ratio:>12}"
                  + (f"   oracle: {result.oracle_note}" if result.oracle_note else ""),
                  flush=True)

    print()
    for result in results:
        if result.servers == BUDGET_LARGE_SERVERS:
            print(f"{BUDGET_LARGE_SERVERS} servers end to end: {result.end_to_end:.3f} s  "
                  f"{verdict(result.end_to_end, BUDGET_LARGE_E2E_S)}")
    with as_file(files("kbdoctor.examples").joinpath("demo-incident.yaml")) as demo:
        demo_path = Path(demo)
        small = median_time(lambda: run_command(evaluate_command(demo_path)), repeat)
        print(f"small incident (examples/demo-incident.yaml) end to end: {small:.3f} s  "
              f"{verdict(small, BUDGET_SMALL_E2E_S)}")
        textual = imports_textual(demo_path)
    print(f"evaluate imports textual: {'yes (it must not)' if textual else 'no'}")
    say_reference("after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
