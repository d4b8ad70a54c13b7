"""The facts of a live collection as they become final, in batches, for whoever wants to act on
them before the collection ends (the TUI diagnoses what has arrived while slow probes still wait
for their timeouts).

The runner gathers into one :class:`ProbeResult` and calls :meth:`Batches.send` whenever a part
of it is final (a DC's clock, its ports, one directory read). What was sent is remembered by
identity, so each fact is delivered once; a fact still to be completed (an Exchange server whose
site and version come from the configuration read later) is held back until it is. Each probe
error becomes its ``probe_error`` fact once, here, so that the facts delivered and the facts of
the final result are the same objects: the union of the batches *is* the result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from kbdoctor.collectors.live.model import ProbeError, ProbeResult
from kbdoctor.engine.facts import Fact

FactSink = Callable[[list[Fact]], None]  # hears each batch, on the collecting thread


class Batches:
    """What was delivered of one collection; closed when the collection is cancelled, after
    which nothing more is delivered (the abandoned probes may still add to the result)."""

    def __init__(self, sink: FactSink | None, error_fact: Callable[[ProbeError], Fact]) -> None:
        self._sink = sink
        self._error_fact = error_fact
        self._lock = threading.Lock()
        self._sent: dict[int, Fact] = {}  # id of a delivered fact -> the fact, in order
        self._errors: list[ProbeError] = []  # the result's errors delivered, in order
        self._error_facts: list[Fact] = []  # the probe_error fact of each, same order
        self._closed = False

    def send(self, result: ProbeResult, hold: tuple[type[Fact], ...] = ()) -> None:
        """Deliver what ``result`` holds that was not delivered yet: its new facts, except those
        of the types in ``hold`` (still to be completed), and the facts of its new errors."""
        with self._lock:
            if self._closed:
                return
            batch = [f for f in result.facts if id(f) not in self._sent and not isinstance(f, hold)]
            for error in result.errors[len(self._errors) :]:
                fact = self._error_fact(error)
                self._errors.append(error)
                self._error_facts.append(fact)
                batch.append(fact)
            for fact in batch:
                self._sent[id(fact)] = fact
            if batch and self._sink is not None:
                self._sink(batch)  # under the lock: after close() returns, no batch is heard

    def finish(self, result: ProbeResult) -> list[Fact]:
        """Deliver the rest and return the facts of the whole result (its own, then one
        ``probe_error`` per error), each one the object delivered."""
        self.send(result)
        with self._lock:
            if self._closed:
                return list(self._sent.values())
            return [*result.facts, *self._error_facts]

    def close(self) -> tuple[list[Fact], list[ProbeError]]:
        """Stop delivering; the facts and errors delivered so far (what the caller has)."""
        with self._lock:
            self._closed = True
            return list(self._sent.values()), list(self._errors)

    def gate(self, call: Callable[[], None]) -> None:
        """Run ``call`` (a progress callback) unless closed: a cancelled collection says
        nothing more."""
        with self._lock:
            if not self._closed:
                call()
