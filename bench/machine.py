"""How fast this machine is right now, as one figure printed next to the measurements.

The test machine is a virtual machine whose speed changes by half from one minute to the next
(the same pure-Python loop took 0.97 s and 1.8 s within the same hour). A timing means little
without the speed it was taken at, so each benchmark prints this reference before and after its
measurements: figures are comparable when their references are.
"""

from __future__ import annotations

import time

LOOP = 10_000_000


def reference_seconds() -> float:
    """Seconds for a plain Python loop of ten million additions (about 0.5 s on a quick
    desktop with Python 3.11)."""
    start = time.perf_counter()
    total = 0
    for number in range(LOOP):
        total += number
    return time.perf_counter() - start


def say_reference(when: str) -> None:
    print(f"machine reference ({when}): {reference_seconds():.2f} s for {LOOP:,} Python additions")
