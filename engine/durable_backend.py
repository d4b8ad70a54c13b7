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
- ``set_rulesets`` deletes the ``run`` keys of the dict it is given: it gets a copy.
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

Action = Callable[[Any], Any]  # returns a record of the firing (kept by the session) or None

SINK_RULE = "kbd_sink"
_NEVER = "kbd:never"


class DurableError(RuntimeError):
    """durable-rules failed (a ruleset did not compile, or an action raised)."""


class _QuietHost(durable_engine.Host):  # type: ignore[misc]
    """A Host without the background dispatch threads: nothing here uses timers."""

    def _run(self) -> None:
        return None


def bound_ids(closure: Any, aliases: list[str]) -> tuple[str, ...]:
    """The ids of the facts an action was fired with, alias by alias."""
    return tuple(str(getattr(closure, alias)["id"]) for alias in aliases)


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
                record = action(closure)
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

    def assert_batch(self, facts: list[dict[str, Any]]) -> None:
        """Assert facts (each with a unique ``id``) and run every action they trigger before
        returning."""
        if not facts:
            return
        for fact in facts:
            fact["sid"] = self.sid
        self._opened = True
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # utcfromtimestamp on 3.12
            try:
                self._ruleset._host.assert_facts(self._ruleset.name, facts)
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
