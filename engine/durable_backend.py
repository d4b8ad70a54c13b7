"""The only module that touches durable-rules. It hides the engine's traps
(shared/notes/durable-rules.md), each handled here and each pinned by a test in
tests/engine/test_durable_backend.py:

- threads: a default Host starts two timer threads that never stop; ours (``_QuietHost``) starts
  none, and every action runs on the caller's thread;
- compiled rulesets are never freed: one Host per compiled rule base, cached by its digest;
- no locks in the C core: one session at a time per ruleset (``threading.Lock``);
- session limits: every session is deleted when it ends (at most 1,024 may be alive), and only
  after its actions have completed (deleting a session with pending actions crashes the process);
- ``MessageNotHandledException``: a fact that passes no alpha node makes a whole batch fail with
  its actions left pending; a sink rule that every fact enters (and that never fires) prevents it;
- swallowed exceptions: errors raised inside actions are kept by durable in the session state;
  ours are caught, collected and re-raised by ``Session.close``;
- ``set_rulesets`` deletes the ``run`` keys of the dict it is given: it gets a copy;
- fact identity: durable-rules stores a fact under the 32-bit FNV-1a hash of its ``id`` and takes
  two ids with the same hash for the same fact (the second is refused or, on large sessions,
  corrupts memory). Our ids are content hashes, so with tens of thousands of facts a collision is
  a matter of time. Each asserted fact therefore gets a durable id from a list of short ids whose
  hashes are known to be distinct, and keeps our id in ``kbd_id``, which actions read;
- numbers: durable-rules' JSON parser does not read exponents, and Python writes floats below
  1e-4 or from 1e16 on with one (``1e-05``); ``matchable_number`` keeps every number the engine
  asserts or compiles in plain notation (resolution 0.0001, range ±1e16);
- ``delete_state`` crashes the process (segmentation fault) on a session in which no action ever
  ran; every session therefore starts with a marker fact that a rule of its own fires on.
"""

from __future__ import annotations

import itertools
import json
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from durable import engine as durable_engine

Action = Callable[[Any], Any]  # called per match (alias -> fact); returns a record or None

SINK_RULE = "kbd_sink"
OPENED_RULE = "kbd_opened"
_NEVER = "kbd:never"
_OPENED = "kbd:opened"


class DurableError(RuntimeError):
    """durable-rules failed (a ruleset did not compile, or an action raised)."""


class _QuietHost(durable_engine.Host):  # type: ignore[misc]
    """A Host without the background dispatch threads: nothing here uses timers."""

    def _run(self) -> None:
        return None


ORIGINAL_ID = "kbd_id"

_LARGEST = 9_999_999_999_999_998.0


def matchable_number(value: float) -> float:
    """A number durable-rules can read: no exponent in its JSON form (see the module's notes)."""
    number = float(value)
    if number != number:  # NaN never matches anything; keep it out of the C core
        return 0.0
    if abs(number) >= 1e16:
        return _LARGEST if number > 0 else -_LARGEST
    if 0 < abs(number) < 1e-4:
        return 0.0
    return number


def bound_ids(match: Any, aliases: list[str]) -> tuple[str, ...]:
    """The (caller's) ids of the facts one match bound, alias by alias."""
    return tuple(str(match[alias][ORIGINAL_ID]) for alias in aliases)


# durable-rules calls an action once per match, and each call costs a JSON round trip of the
# session state; with ``cap`` it hands an action up to this many matches at once.
MATCHES_PER_ACTION = 10_000


def fnv1a_32(text: str) -> int:
    """The hash durable-rules files facts under (state.c, ``fnv1Hash32``)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value ^= byte
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


# The hexadecimal numbers 0 .. COLLISION_FREE - 1 have pairwise distinct FNV-1a hashes (the first
# collision is 0x25054 with 0x1aa9; tests/engine/test_durable_backend.py checks it), so the ids of
# most sessions need no hashing at all.
COLLISION_FREE = 151_636

_SAFE_IDS: list[str] = []
_SAFE_HASHES: set[int] = set()
_SAFE_NEXT = [0]
_SAFE_LOCK = threading.Lock()


def safe_ids(count: int) -> list[str]:
    """The first ``count`` ids of a list in which no two ids share an FNV-1a hash."""
    with _SAFE_LOCK:
        plain = min(count, COLLISION_FREE)
        if len(_SAFE_IDS) < plain:
            _SAFE_IDS.extend(format(n, "x") for n in range(len(_SAFE_IDS), plain))
        if count > COLLISION_FREE and not _SAFE_HASHES:
            _SAFE_HASHES.update(fnv1a_32(i) for i in _SAFE_IDS)
            _SAFE_NEXT[0] = COLLISION_FREE
        while len(_SAFE_IDS) < count:
            candidate = format(_SAFE_NEXT[0], "x")
            _SAFE_NEXT[0] += 1
            digest = fnv1a_32(candidate)
            if digest not in _SAFE_HASHES:
                _SAFE_HASHES.add(digest)
                _SAFE_IDS.append(candidate)
        return _SAFE_IDS[:count]


class Ruleset:
    """One compiled ruleset on its own Host, evaluated one session at a time."""

    _sids = itertools.count(1)

    def __init__(self, name: str, definitions: dict[str, Any]) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._errors: list[BaseException] = []
        self._records: list[Any] = []
        rules = {key: dict(value) for key, value in definitions.items()}
        for key, rule in rules.items():
            rule["run"] = self._guard(rule["run"], key)
            rule["cap"] = MATCHES_PER_ACTION
        rules[OPENED_RULE] = {
            "all": [{"p_opened": {"kbd_type": _OPENED}}],
            "run": lambda closure: None,
        }
        rules[SINK_RULE] = {
            "all": [{"p_sink": {"$ex": {"kbd_type": 1}}}, {"p_never": {"kbd_type": _NEVER}}],
            "run": lambda closure: None,
        }
        self._host = _QuietHost()
        try:
            self._host.set_rulesets({name: rules})
        except Exception as exc:  # the C core reports a bad definition as a bare error code
            raise DurableError(f"durable-rules rejected ruleset {name}: {exc}") from exc

    def _guard(self, action: Action, key: str) -> Action:
        def run(closure: Any) -> None:
            try:
                for match in closure.m:
                    record = action(match)
                    if record is not None:
                        self._records.append(record)
            except BaseException as exc:  # kept and re-raised after the session, never swallowed
                self._errors.append(exc)

        run.__name__ = f"action_{key}"
        return run

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._lock:
            sid = str(next(self._sids))
            session = Session(self, sid)
            try:
                yield session
            finally:
                session.close()


class Session:
    """Facts asserted in batches into one durable-rules session (one ``sid``)."""

    def __init__(self, ruleset: Ruleset, sid: str) -> None:
        self._ruleset = ruleset
        self.sid = sid
        self._opened = False
        self._asserted = 0
        self._known: set[str] = set()

    def assert_batch(self, facts: list[dict[str, Any]]) -> None:
        """Assert facts (each with a unique ``id``) and run every action they trigger before
        returning."""
        if not facts:
            return
        if not self._opened:
            facts = [{"id": _OPENED, "kbd_type": _OPENED}, *facts]
        ids = safe_ids(self._asserted + len(facts))[self._asserted :]
        self._asserted += len(facts)
        batch = []
        for fact, durable_id in zip(facts, ids, strict=True):
            original = str(fact["id"])
            if original in self._known:
                raise DurableError(f"a fact was asserted twice: {original}")
            self._known.add(original)
            batch.append({**fact, "id": durable_id, ORIGINAL_ID: original, "sid": self.sid})
        self._opened = True
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # utcfromtimestamp on 3.12
            try:
                self._ruleset._host.assert_facts(self._ruleset.name, batch)
            except durable_engine.MessageObservedException as exc:
                raise DurableError("a fact was asserted twice (duplicate id)") from exc
        self._raise_action_errors()

    def drain(self) -> list[Any]:
        """The records of the firings since the last drain, in firing order."""
        records = self._ruleset._records[:]
        self._ruleset._records.clear()
        return records

    def _raise_action_errors(self) -> None:
        errors = self._ruleset._errors
        if errors:
            first = errors[0]
            errors.clear()
            raise DurableError(f"a rule action failed: {first!r}") from first

    def close(self) -> None:
        self._ruleset._records.clear()
        if self._opened:
            state = self._ruleset._host.get_state(self._ruleset.name, self.sid)
            self._ruleset._host.delete_state(self._ruleset.name, self.sid)
            if isinstance(state, dict) and state.get("exception"):
                raise DurableError(f"durable-rules kept an exception: {state['exception']}")
        self._raise_action_errors()


_RULESETS: dict[str, Ruleset] = {}
_CACHE_LOCK = threading.Lock()


def ruleset_for(digest: str, build: Callable[[], dict[str, Any]]) -> Ruleset:
    """One Ruleset per compiled rule base, for the life of the process (durable never frees a
    compiled ruleset, so compiling the same rules twice would only leak)."""
    with _CACHE_LOCK:
        ruleset = _RULESETS.get(digest)
        if ruleset is None:
            ruleset = Ruleset(f"kbd{len(_RULESETS)}_{digest[:12]}", build())
            _RULESETS[digest] = ruleset
        return ruleset


def definition_json(definitions: dict[str, Any]) -> str:
    """The definitions as durable-rules receives them (for tests and debugging)."""
    return json.dumps(
        {k: {kk: vv for kk, vv in v.items() if kk != "run"} for k, v in definitions.items()},
        sort_keys=True,
    )
