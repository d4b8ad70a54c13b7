"""The threads the probes run on: one per probe at once (each blocks on its own socket with its
own timeout), counted so that a progress display can say how many are done.

Not :class:`concurrent.futures.ThreadPoolExecutor`: its threads are joined when the interpreter
exits, so a collection interrupted with Ctrl-C would sit until every probe blocked on a silent
host reached its timeout. These threads are daemons: an interrupted collection writes what it
has and ends at once, abandoning the probes still waiting (their sockets close with the process).
"""

from __future__ import annotations

import concurrent.futures as futures
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

_T = TypeVar("_T")
Counter = Callable[[int, int], None]  # (probes done, probes started)

_STOP = object()


class ProbePool:
    """Up to ``workers`` daemon threads; ``on_count(done, started)`` after each start and end."""

    def __init__(self, workers: int, on_count: Counter | None = None) -> None:
        self._workers = max(1, workers)
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._started = 0
        self._done = 0
        self._idle = 0
        self._closed = False
        self._on_count = on_count

    def submit(self, fn: Callable[..., _T], /, *args: Any) -> futures.Future[_T]:
        future: futures.Future[_T] = futures.Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the probe pool is shut down")
            self._started += 1
            if self._idle == 0 and len(self._threads) < self._workers:
                thread = threading.Thread(
                    target=self._work, name=f"kbdoctor-live-{len(self._threads)}", daemon=True
                )
                self._threads.append(thread)
                thread.start()
            else:
                self._idle = max(0, self._idle - 1)
        self._queue.put((future, fn, args))
        self._count()
        return future

    def map(self, fn: Callable[[Any], _T], items: list[Any]) -> list[_T]:
        """``fn`` of every item at once, the results in order (an exception is raised)."""
        jobs = [self.submit(fn, item) for item in items]
        return [job.result() for job in jobs]

    def shutdown(self) -> None:
        """Cancel what has not started; running probes are abandoned, not waited for."""
        with self._lock:
            self._closed = True
            threads = len(self._threads)
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not _STOP and item[0].cancel():
                self._finished()
        for _ in range(threads):
            self._queue.put(_STOP)

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            future, fn, args = item
            if future.set_running_or_notify_cancel():
                try:
                    result = fn(*args)
                except BaseException as error:  # handed to whoever waits on the future
                    self._finished()
                    future.set_exception(error)
                else:
                    self._finished()
                    future.set_result(result)
            with self._lock:
                self._idle += 1

    def _finished(self) -> None:
        """Count a probe done before its result is handed over: whoever waits on the last
        result and then ends the display has heard every count (a done-callback of the future
        runs after the waiter is woken, and its count could come after the display closed)."""
        with self._lock:
            self._done += 1
        self._count()

    def _count(self) -> None:
        if self._on_count is not None:
            with self._lock:
                done, started = self._done, self._started
            self._on_count(done, started)
