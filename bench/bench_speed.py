"""Issue 14's targets, each as a ratio against a plain-Python floor measured in the same run.

The machine this runs on is shared and its speed changes by half from one minute to the next, so
no figure here is compared with one taken at another time: every measurement is a median of
runs interleaved with its floor's runs (one of each, then again), and the ratio is what counts.

- 1,000 servers end to end (``kbdoctor evaluate FILE --format json``, a new process) against
  ``bench/plain_floor.py`` on the same file (a new process too): target at most 5x; with
  ``--explain`` at most 8x. The floor must name the same diagnosed subjects as the engine.
- 3,000 servers: the exponent of time in size between 1,000 and 3,000 servers (target at most
  1.1) and the peak memory of the evaluating process (target under 300 MiB).
- The small demo incident end to end against ``python -c pass``: target at most 15x.
- With ``--tui``: a what-if edit in the TUI at 1,000 servers, edit to painted diagnosis (target
  50 ms) and to painted explanation (target 300 ms) (bench/tui_bench.py's measurement).

``--tree DIR`` runs kbdoctor from another checkout laid out as the installed package (a folder
holding ``kbdoctor/engine``, ...: how the before figures of issue 14 were taken).

Run: ``python bench/bench_speed.py [--repeat 5] [--tui] [--tree DIR]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.generate import generate_organisation  # noqa: E402
from bench.machine import say_reference  # noqa: E402

TARGET_E2E = 5.0
TARGET_EXPLAIN = 8.0
TARGET_EXPONENT = 1.1
TARGET_PEAK_MIB = 300.0
TARGET_SMALL = 15.0
TARGET_WHAT_IF_MS = 50.0
TARGET_WHAT_IF_EXPLAINED_MS = 300.0


@dataclass
class Timed:
    seconds: float
    stdout: str


def run(command: Sequence[str], env: dict[str, str]) -> Timed:
    """One child process and its wall time (exit 1, "diagnosed", is a success)."""
    start = time.perf_counter()
    done = subprocess.run(list(command), capture_output=True, env=env, cwd=REPO, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr.decode()}")
    return Timed(elapsed, done.stdout.decode("utf-8"))


def peak_of(command: Sequence[str], env: dict[str, str]) -> float:
    """Peak resident memory of one run of ``command`` in MiB (GNU time's %M, else 0)."""
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command],
        capture_output=True,
        env=env,
        cwd=REPO,
        check=False,
    )
    last = done.stderr.decode().strip().splitlines()[-1:] or ["0"]
    return int(last[0]) / 1024 if last[0].isdigit() else 0.0


def medians(
    commands: dict[str, Sequence[str]], repeat: int, env: dict[str, str]
) -> dict[str, tuple[float, str]]:
    """Each command run ``repeat`` times, interleaved; its median time and last output."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    outputs: dict[str, str] = {}
    for _ in range(repeat):
        for name, command in commands.items():
            timed = run(command, env)
            times[name].append(timed.seconds)
            outputs[name] = timed.stdout
    return {name: (statistics.median(t), outputs[name]) for name, t in times.items()}


def verdict(value: float, target: float) -> str:
    return f"(target <= {target:g}: {'ok' if value <= target else 'OVER'})"


def same_subjects(report_json: str, floor_json: str) -> bool:
    report = json.loads(report_json)
    engine = {
        d["cause"]: sorted(s["subject"] for s in d["subjects"] if s["confidence"] >= 0.5)
        for d in report["diagnoses"]
    }
    return bool(engine == json.loads(floor_json))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--tui", action="store_true", help="also the TUI what-if at 1,000")
    parser.add_argument("--tree", help="run kbdoctor from this package tree (PYTHONPATH)")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update(LANG="C.UTF-8", KBDOCTOR_CONFIG=os.devnull + ".none")
    if args.tree:
        env["PYTHONPATH"] = os.path.abspath(args.tree)
    python = sys.executable
    kbdoctor = [python, "-m", "kbdoctor", "evaluate", "--format", "json", "--budget", "0"]
    print(
        f"python {sys.version.split()[0]}, medians of {repeat} interleaved runs"
        + (f", kbdoctor from {args.tree}" if args.tree else "")
    )
    say_reference("before")
    ok = True
    with tempfile.TemporaryDirectory(prefix="kbdoctor-speed-") as tmp:
        paths = {}
        for servers in (1000, 3000):
            paths[servers] = Path(tmp) / f"org-{servers}.json"
            organisation = generate_organisation(servers)
            paths[servers].write_text(json.dumps(organisation, indent=1), encoding="utf-8")
        big = str(paths[1000])
        result = medians(
            {
                "pass": [python, "-c", "pass"],
                "json": [python, "-c", f"import json; json.load(open({big!r}))"],
                "floor": [python, str(REPO / "bench" / "plain_floor.py"), big],
                "evaluate": [*kbdoctor, big],
                "explain": [*kbdoctor, "--explain", big],
            },
            repeat,
            env,
        )
        floor = result["floor"][0]
        print(f"\n1,000 servers ({big}):")
        for name in ("pass", "json", "floor"):
            print(f"  {name:<9} {result[name][0]:7.3f} s")
        for name, target in (("evaluate", TARGET_E2E), ("explain", TARGET_EXPLAIN)):
            ratio = result[name][0] / floor
            ok &= ratio <= target
            print(
                f"  {name:<9} {result[name][0]:7.3f} s  {ratio:5.1f}x the floor "
                f"{verdict(ratio, target)}"
            )
        same = same_subjects(result["evaluate"][1], result["floor"][1])
        ok &= same
        print(f"  the floor names the engine's diagnosed subjects: {'yes' if same else 'NO'}")

        big3 = str(paths[3000])
        third = medians(
            {
                "floor": [python, str(REPO / "bench" / "plain_floor.py"), big3],
                "evaluate": [*kbdoctor, big3],
            },
            max(1, repeat // 2 + 1),
            env,
        )
        exponent = math.log(third["evaluate"][0] / result["evaluate"][0]) / math.log(3)
        peak = peak_of([*kbdoctor, big3], env)
        ok &= exponent <= TARGET_EXPONENT and 0 < peak < TARGET_PEAK_MIB
        print(
            f"\n3,000 servers: evaluate {third['evaluate'][0]:.3f} s "
            f"({third['evaluate'][0] / third['floor'][0]:.1f}x the floor), exponent "
            f"{exponent:.2f} {verdict(exponent, TARGET_EXPONENT)}, peak {peak:.0f} MiB "
            f"{verdict(peak, TARGET_PEAK_MIB)}"
        )

    with as_file(files("kbdoctor.examples").joinpath("demo-incident.yaml")) as demo:
        small = medians(
            {"pass": [python, "-c", "pass"], "evaluate": [*kbdoctor, str(demo)]}, repeat, env
        )
    ratio = small["evaluate"][0] / small["pass"][0]
    ok &= ratio <= TARGET_SMALL
    print(
        f"\nsmall incident end to end: {small['evaluate'][0]:.3f} s, python -c pass "
        f"{small['pass'][0]:.3f} s: {ratio:.1f}x {verdict(ratio, TARGET_SMALL)}"
    )

    if args.tui:
        from bench.tui_bench import what_if

        screen, explained, engine, facts = asyncio.run(what_if(1000, rounds=max(3, repeat)))
        paint = statistics.median(screen)
        why = statistics.median(explained)
        ok &= paint <= TARGET_WHAT_IF_MS and why <= TARGET_WHAT_IF_EXPLAINED_MS
        print(
            f"\nTUI what-if, 1,000 servers ({facts} facts): painted diagnosis {paint:.0f} ms "
            f"{verdict(paint, TARGET_WHAT_IF_MS)}, explanation {why:.0f} ms "
            f"{verdict(why, TARGET_WHAT_IF_EXPLAINED_MS)}; evaluation alone "
            f"{statistics.median(engine):.0f} ms"
        )
    say_reference("after")
    print("\nevery target met" if ok else "\nsome targets are not met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
