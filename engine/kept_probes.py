"""The WHY-NOT probes of a what-if edit asked of a kept session: only the facts that changed are
retracted and asserted, and only the near misses that bound a retracted fact are forgotten.

A probe session asserts every fact of the run (and the conclusions rules read) into rules made of
the prefixes of each rule that did not fire (``Compiled.probes``); at 1,000 servers that is most of
the cost of an explanation, and after a what-if edit nearly all of it is the same again. Probe
rules test only for presence (an absent pattern is probed turned positive), so unlike the rules
themselves (engine/incremental.py) a retraction withdraws exactly the matches it should, and the
matches of a kept session are those of a new one given the same facts. What a probe session is
kept for: the same probe rules (the same rules left out because they fired) and the same host
context (a fact's id names its content, not the match view that context gives it); otherwise a
new session starts. tests/engine/test_incremental.py compares every explained report with a full
run's.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from kbdoctor.engine.durable_backend import Ruleset, Session

ProbeKey = tuple[int, str]  # rule index, probe name
Match = tuple[str, ...]  # the ids a probe match bound


@dataclass
class KeptProbes:
    """A probe session still open, what it holds and the near misses it gave."""

    ruleset: Ruleset
    session: Session
    context: tuple[int, int] | None
    asserted: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> fact as given
    results: dict[ProbeKey, set[Match]] = field(default_factory=dict)
    users: dict[str, set[tuple[ProbeKey, Match]]] = field(default_factory=dict)  # id -> matches

    def end(self) -> None:
        self.ruleset.end(self.session)

    def update(
        self,
        facts: list[dict[str, Any]],
        deadline: float | None,
        cancel: threading.Event | None,
    ) -> dict[ProbeKey, list[Match]]:
        """Bring the session to these facts and return every near miss, as a new session given
        them would (each list sorted). Raises OutOfTime (the session is then inconsistent and
        must be ended)."""
        current = {str(f["id"]): f for f in facts}
        gone = [i for i, old in self.asserted.items() if not _same(current.get(i), old)]
        new = [f for i, f in current.items() if not _same(self.asserted.get(i), f)]
        with self.ruleset.using(self.session, deadline, cancel) as session:
            if gone:
                session.retract(gone)
                for ident in gone:
                    del self.asserted[ident]
                    for key, match in self.users.pop(ident, ()):
                        self._forget(key, match)
            if new:
                session.assert_batch(new)
                for fact in new:
                    self.asserted[str(fact["id"])] = fact
            for rule_index, probe, match in session.drain():
                key = (rule_index, probe)
                self.results.setdefault(key, set()).add(match)
                for ident in match:
                    self.users.setdefault(ident, set()).add((key, match))
        return {key: sorted(matches) for key, matches in self.results.items() if matches}

    def _forget(self, key: ProbeKey, match: Match) -> None:
        matches = self.results.get(key)
        if matches is None or match not in matches:
            return
        matches.discard(match)
        for ident in match:
            users = self.users.get(ident)
            if users is not None:
                users.discard((key, match))


def _same(old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
    return old is not None and new is not None and (old is new or old == new)


def kept_probes(
    known: KeptProbes | None, ruleset: Ruleset, context: tuple[int, int] | None
) -> KeptProbes:
    """The kept probe session for this probe ruleset and host context: ``known`` when it is
    one, else a new one (``known`` is then ended)."""
    if known is not None and known.ruleset is ruleset and known.context == context:
        return known
    if known is not None:
        known.end()
    return KeptProbes(ruleset, ruleset.kept_session(), context)
