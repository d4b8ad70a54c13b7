"""The probe pool: probes run at once, are counted, and never hold the process up when it ends."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from kbdoctor.collectors.live.pool import ProbePool


def test_probes_run_at_once_and_are_counted() -> None:
    counts: list[tuple[int, int]] = []
    lock = threading.Lock()

    def record(done: int, started: int) -> None:
        with lock:
            counts.append((done, started))

    pool = ProbePool(20, record)
    together = threading.Barrier(20, timeout=30)  # broken unless all 20 wait at once
    jobs = [pool.submit(together.wait) for _ in range(20)]
    assert sorted(job.result(timeout=60) for job in jobs) == list(range(20))
    assert pool.map(lambda n: n * 2, [1, 2, 3]) == [2, 4, 6]
    pool.shutdown()
    assert max(done for done, _ in counts) == 23
    assert all(done <= started for done, started in counts)


def test_an_error_reaches_whoever_waits() -> None:
    pool = ProbePool(2)
    job = pool.submit(int, "not a number")
    with pytest.raises(ValueError, match="not a number"):
        job.result(timeout=5)
    pool.shutdown()


def test_shutdown_cancels_what_has_not_started() -> None:
    pool = ProbePool(1)
    running = threading.Event()

    def first_probe() -> None:
        running.set()
        time.sleep(0.5)

    first = pool.submit(first_probe)
    second = pool.submit(time.sleep, 0.5)
    assert running.wait(5)
    pool.shutdown()
    assert second.cancelled()
    first.result(timeout=5)
    with pytest.raises(RuntimeError, match="shut down"):
        pool.submit(time.sleep, 0)


def test_a_blocked_probe_does_not_keep_the_process_alive() -> None:
    """What an interrupted collection relies on: its process ends at once, however long the
    probes it abandoned would still wait."""
    code = (
        "import time\n"
        "from kbdoctor.collectors.live.pool import ProbePool\n"
        "pool = ProbePool(4)\n"
        "pool.submit(time.sleep, 3600)\n"
        "time.sleep(0.2)\n"
        "pool.shutdown()\n"
    )
    # the probe would sleep an hour: the process ending at all is the proof
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)


def test_a_probe_is_counted_done_before_its_result_is_handed_over() -> None:
    """Whoever waits on the last result and then closes the progress display has heard every
    count: the display of a collection that ended showed 8/8 of 13 probes when the last counts
    came after it closed. A slow listener makes the order visible: the result waits for it."""
    heard: list[tuple[int, int]] = []

    def slow_record(done: int, started: int) -> None:
        if done:
            time.sleep(0.3)  # a listener that takes its time (a terminal, a UI thread)
        heard.append((done, started))

    pool = ProbePool(1, slow_record)
    assert pool.submit(lambda: 42).result(timeout=30) == 42
    assert max(heard) == (1, 1)  # counts come from several threads: the highest is the news
    failing = pool.submit(int, "x")
    with pytest.raises(ValueError, match="invalid literal"):
        failing.result(timeout=30)
    assert max(heard) == (2, 2)
    pool.shutdown()
