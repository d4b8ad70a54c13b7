"""How honest the reasoning is on the scenario suite of issue 8 (tests/scenarios/*.yaml).

Run from the repository root::

    python bench/scenarios.py [--verbose]

Every scenario is evaluated with one shared ``Evaluator`` and compared with the verdict written from
field knowledge. Printed: the number of scenarios, how often the top cause is right, the causes
wrongly diagnosed and wrongly ruled out (scenario: cause), the known gaps (scenarios marked
``known_gap``, and whether they still fail), the scenarios that fail without being known gaps,
and the evaluation time of each scenario. The script reports, it does not fail: exit 0 always.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from kbdoctor.engine.evaluate import Evaluator  # noqa: E402

from bench.machine import say_reference  # noqa: E402
from tests.scenarios.suite import Outcome, Scenario, evaluate, judge, load_all  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--verbose", action="store_true", help="print each failing check, not only the counts"
    )
    args = parser.parse_args(argv)

    say_reference("before")
    load_start = time.perf_counter()
    scenarios = load_all()
    load_time = time.perf_counter() - load_start
    evaluator = Evaluator()
    results: list[tuple[Scenario, Outcome, float]] = []
    for scenario in scenarios:
        start = time.perf_counter()
        report = evaluate(scenario, evaluator)
        elapsed = time.perf_counter() - start
        results.append((scenario, judge(scenario, report), elapsed))

    total = len(results)
    top_right = sum(1 for s, o, _ in results if o.top_right(s))
    wrongly_diagnosed = [f"{s.name}: {c}" for s, o, _ in results for c in o.wrongly_diagnosed]
    wrongly_ruled_out = [f"{s.name}: {c}" for s, o, _ in results for c in o.wrongly_ruled_out]
    gaps = [(s, o) for s, o, _ in results if s.known_gap]
    unexpected = [(s, o) for s, o, _ in results if not s.known_gap and not o.passed]

    print()
    print(f"scenarios: {total} (loaded in {load_time:.2f} s)")
    by_category: dict[str, int] = {}
    for scenario, _, _ in results:
        by_category[scenario.category] = by_category.get(scenario.category, 0) + 1
    print("  by category: " + ", ".join(f"{k} {v}" for k, v in sorted(by_category.items())))
    print(f"verdict fully right: {sum(1 for _, o, _ in results if o.passed)}/{total}")
    print(f"top cause right: {top_right}/{total}")
    _listing("causes wrongly diagnosed", wrongly_diagnosed)
    _listing("causes wrongly ruled out", wrongly_ruled_out)
    print(f"known gaps: {len(gaps)} ({sum(1 for _, o in gaps if o.passed)} now pass: remove them)")
    for scenario, outcome in gaps:
        state = "PASSES NOW" if outcome.passed else "still fails"
        print(f"  - {scenario.name} [{state}]: {scenario.known_gap}")
    _listing("failing without a known gap", [s.name for s, _ in unexpected])
    if args.verbose:
        for scenario, outcome in [*unexpected, *gaps]:
            for problem in outcome.problems:
                print(f"    {scenario.name}: {problem}")

    times = [elapsed for _, _, elapsed in results]
    print()
    print("time per scenario (evaluation and report, one shared Evaluator):")
    for scenario, _, elapsed in sorted(results, key=lambda r: -r[2]):
        print(f"  {elapsed * 1000:9.1f} ms  {scenario.name} ({len(scenario.facts)} facts)")
    if times:
        print(
            f"  median {statistics.median(times) * 1000:.1f} ms, "
            f"total {sum(times):.2f} s for {total} scenarios"
        )
    say_reference("after")
    return 0


def _listing(label: str, items: list[str]) -> None:
    print(f"{label}: {len(items)}")
    for item in items:
        print(f"  - {item}")


if __name__ == "__main__":
    raise SystemExit(main())
