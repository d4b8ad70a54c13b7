"""How far past its time budget (or its cancel) an evaluation of runaway chaining ends.

Run from the repository root::

    .venv/bin/python bench/bench_runaway.py --budgets 1,2,5,0 --widths 2,3

The packs conclude new findings from their own findings, as the auditor's fan.yaml does (``width``
rules that each add a letter to every finding's subject: the findings grow ``width + 1`` times a
round) and pair.yaml (every pair of findings concludes a new one), seeded by the five clock
offsets of the demo incident. Only the engine's bounds end them: the budget, the cancel, the
conclusion limit and the match bound on a round of conclusions.

Each case runs in a new process (so that memory is its own) and prints: start-up (imports, the
rule pack loaded and compiled, the facts read), the rules (``Evaluator.run``), building the report
from what they concluded, the overshoot (rules and report past the budget, or past the cancel),
why the run ended, the conclusions, and the peak resident memory. ``cancel`` cases evaluate as the
TUI does (``keep=True``) and set the cancel event after the given seconds. The script reports; it
does not fail.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.machine import say_reference  # noqa: E402
from bench.runaway_packs import PAIR, fan_rules  # noqa: E402

DEMO = REPO / "examples" / "demo-incident.yaml"

# What one case does in its own process: argv is pack, budget (0: none), cancel after (0: none).
_CASE = """
import json, resource, sys, threading, time
started = time.perf_counter()
from kbdoctor.engine import evaluate as ev
from kbdoctor.engine.factio import load_fact_files
from kbdoctor.engine.rulebase import load_rule_base
pack, budget, cancel_after = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
facts = load_fact_files([sys.argv[4]]).facts
evaluator = ev.Evaluator(load_rule_base([pack]))
marks = {}
run = evaluator.run
def timed_run(*args, **kwargs):
    result = run(*args, **kwargs)
    marks["run"] = time.perf_counter()
    marks["conclusions"] = len(result.conclusions)
    return result
evaluator.run = timed_run
cancel = threading.Event() if cancel_after else None
startup = time.perf_counter() - started
begin = time.perf_counter()
if cancel is not None:
    threading.Timer(cancel_after, cancel.set).start()
report = evaluator.evaluate(facts, budget=budget or None, cancel=cancel, keep=cancel is not None)
end = time.perf_counter()
print(json.dumps({
    "startup": startup, "run": marks["run"] - begin, "report": end - marks["run"],
    "total": end - begin, "reason": report.budget.reason if report.budget else "finished",
    "conclusions": marks["conclusions"],
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def run_case(pack: Path, budget: float, cancel_after: float) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _CASE, str(pack), str(budget), str(cancel_after), str(DEMO)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=REPO,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def say(name: str, limit: str, limit_s: float, result: dict[str, Any]) -> None:
    if "error" in result:
        print(f"{name:<8} {limit:<12} failed: {result['error']}")
        return
    over = result["total"] - limit_s
    print(
        f"{name:<8} {limit:<12} {result['startup']:>8.2f} {result['run']:>7.2f} "
        f"{result['report']:>7.2f} {over:>10.2f}  {result['reason']:<10} "
        f"{result['conclusions']:>11,} {result['peak_mb']:>8.0f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--budgets", default="1,2,5,0", help="seconds, comma-separated; 0: none")
    parser.add_argument("--widths", default="2,3", help="rules of the fan packs, comma-separated")
    parser.add_argument("--cancels", default="1,3", help="cancel after these seconds (TUI path)")
    args = parser.parse_args(argv)
    budgets = [float(b) for b in args.budgets.split(",") if b.strip()]
    widths = [int(w) for w in args.widths.split(",") if w.strip()]
    cancels = [float(c) for c in args.cancels.split(",") if c.strip()]
    say_reference("before")
    print(
        f"\n{'pack':<8} {'stopped by':<12} {'start-up':>8} {'rules':>7} {'report':>7} "
        f"{'overshoot':>10}  {'why':<10} {'conclusions':>11} {'peak MB':>8}"
    )
    with tempfile.TemporaryDirectory() as folder:
        packs = {f"fan{w}": fan_rules(w) for w in widths} | {"pair": PAIR}
        for name, text in packs.items():
            path = Path(folder) / f"{name}.yaml"
            path.write_text(text, encoding="utf-8")
            for budget in budgets:
                limit = f"budget {budget:g}" if budget else "no budget"
                say(name, limit, budget, run_case(path, budget, 0.0))
            for after in cancels:
                say(name, f"cancel {after:g}", after, run_case(path, 0.0, after))
    print(
        "\novershoot: seconds from the budget's end (or the cancel) to the report, start-up "
        "excluded; with no budget, the whole evaluation"
    )
    say_reference("after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
