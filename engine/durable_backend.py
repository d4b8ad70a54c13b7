"""The only module that touches durable-rules. It hides the engine's traps
(docs/durable-rules.md), each handled here and each pinned by a test in
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
- an action's closure is caught in a reference cycle, so with the cyclic collector off (as it is
  during an evaluation) every batch of matches it was handed stayed in memory until the run
  ended: the guard empties it when the action is done;
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
  ran; every session therefore starts with a marker fact that a rule of its own fires on;
- fixed tables in the C core (a 64-node matching stack, 16 facts per match, 255 fields per fact,
  and more; see "what one durable-rules ruleset can hold" below): rules are spread over as many
  rulesets as needed, a fact carries only the fields tested, a session the C core gave up on is
  never deleted, and the compiler refuses a rule no ruleset can hold (tests/engine/
  test_engine_scale.py);
- no way to interrupt an assertion: a session's deadline (the time budget) and its cancel event
  (the TUI's "cancel the evaluation") are checked between assertions of at most ``ASSERT_CHUNK``
  facts (fewer where each fact brings many matches: ``assert_batch``'s ``chunk``), never inside
  one (tests/engine/test_budget.py): a thread is never killed, it stops. Inside one, every action
  stops recording once the session must stop, and the facts of that assertion count as missed:
  a round of conclusions that each joined 500 others made 275,000 matches in one call, recorded
  for seconds after the deadline.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from durable import engine as durable_engine
from kbdoctor.engine.errors import Context

Action = Callable[[Any], Any]  # called per match (alias -> fact); returns a record or None

SINK_RULE = "kbd_sink"
OPENED_RULE = "kbd_opened"
_NEVER = "kbd:never"
_OPENED = "kbd:opened"


class DurableError(RuntimeError):
    """durable-rules failed (a ruleset did not compile, or an action raised)."""


class OutOfTime(Exception):
    """The session's deadline passed (or it was cancelled: ``Cancelled``); raised between two
    assertions, never inside one, so the session can still be closed safely.
    ``Session.unfinished_rules`` names what was left."""


class Cancelled(OutOfTime):
    """The session's cancel event was set (someone no longer wants the result); stopped the way
    a spent budget stops it, so what fired so far is kept and the rest is named unfinished."""


class TooManyFirings(OutOfTime):
    """An assertion brought more firings than its caller allowed (``assert_batch``'s ``most``);
    stopped the way a spent budget stops it."""


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


class _Part:
    """One durable-rules ruleset on its own Host: some of a Ruleset's rules."""

    def __init__(
        self, name: str, rules: dict[str, Any], types: set[str] | None, fields: set[str]
    ) -> None:
        self.name = name
        self.types = types  # the fact types its rules test (None: every fact)
        self.fields = fields | _OWN_FIELDS  # the fields its rules test: all a fact needs here
        self.keys = list(rules)
        self.rule_types = {key: _rule_types(rule) for key, rule in rules.items()}
        self.host = _QuietHost()
        try:
            self.host.set_rulesets({name: {**rules, **_fixed_rules()}})
        except Exception as exc:  # the C core reports a bad definition as a bare error code
            raise DurableError(f"durable-rules rejected ruleset {name}: {exc}") from exc


class Ruleset:
    """Compiled rules, spread over as many durable-rules rulesets (parts) as their size needs,
    evaluated one session at a time."""

    _sids = itertools.count(1)

    def __init__(self, name: str, definitions: dict[str, Any]) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._errors: list[BaseException] = []
        self._records: list[Any] = []
        self._stopped: Callable[[], bool] | None = None  # of the session under way
        self._skipped = False  # an action left matches unrecorded because the session must stop
        rules = {key: dict(value) for key, value in definitions.items()}
        for key, rule in rules.items():
            rule["run"] = self._guard(rule["run"], key)
            rule["cap"] = MATCHES_PER_ACTION
        self.parts = [
            _Part(f"{name}_{index}" if index else name, chosen, types, fields)
            for index, (chosen, types, fields) in enumerate(_pack(rules))
        ]

    def _guard(self, action: Action, key: str) -> Action:
        def run(closure: Any) -> None:
            stopped = self._stopped
            try:
                for match in closure.m:
                    if stopped is not None and stopped():
                        # the facts of this assertion count as missed (Session.assert_batch)
                        self._skipped = True
                        return
                    record = action(match)
                    if record is not None:
                        self._records.append(record)
            except BaseException as exc:  # kept and re-raised after the session, never swallowed
                self._errors.append(exc)
            finally:
                # durable-rules' closure of an action is caught in a reference cycle, which the
                # cyclic collector (off during a run) frees later: the matches it holds go now
                # (275,000 matches kept 230 MB until the run ended)
                closure.m = []

        run.__name__ = f"action_{key}"
        return run

    @contextmanager
    def session(
        self, deadline: float | None = None, cancel: threading.Event | None = None
    ) -> Iterator[Session]:
        """A session; with a ``deadline`` (``time.monotonic()`` seconds), ``assert_batch`` raises
        OutOfTime once it has passed, and with a ``cancel`` event, Cancelled once it is set."""
        with self._lock:
            sid = str(next(self._sids))
            session = Session(self, sid, deadline, cancel)
            self._stopped = session.stopped
            try:
                yield session
            finally:
                self._stopped = None
                session.close()

    def kept_session(self) -> Session:
        """A session that outlives one evaluation (what-if edits assert and retract the facts
        that changed): it is used with ``using`` and ended with ``end``. It holds the content of
        its facts (for ``Session.retract``), about what durable-rules itself holds."""
        with self._lock:
            return Session(self, str(next(self._sids)), keep=True)

    @contextmanager
    def using(
        self,
        session: Session,
        deadline: float | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[Session]:
        """A kept session, for one evaluation: the C core has no locks, so one session of a
        ruleset is worked on at a time, kept or not."""
        with self._lock:
            session.deadline, session.cancel = deadline, cancel
            self._stopped = session.stopped
            try:
                yield session
            finally:
                self._stopped = None
                self._records.clear()  # what an interrupted evaluation left undrained

    def end(self, session: Session) -> None:
        """Delete a kept session (never one with pending actions: none is pending between two
        ``using`` blocks, which drain what they fire)."""
        with self._lock:
            session.close()


def _fixed_rules() -> dict[str, Any]:
    """The rules every part has: the marker every session opens with, and the sink."""
    return {
        OPENED_RULE: {
            "all": [{"p_opened": {"kbd_type": _OPENED}}],
            "run": lambda closure: None,
        },
        SINK_RULE: {
            "all": [{"p_sink": {"$ex": {"kbd_type": 1}}}, {"p_never": {"kbd_type": _NEVER}}],
            "run": lambda closure: None,
        },
    }


# How many of the most recent parts a rule may join (first fit among them).
_OPEN_PARTS = 4


def _pack(rules: dict[str, Any]) -> list[tuple[dict[str, Any], set[str] | None, set[str]]]:
    """Rules grouped into parts that durable-rules can each hold, in definition order."""
    parts: list[tuple[_AlphaModel, dict[str, Any]]] = []
    for key, rule in rules.items():
        for model, chosen in parts[-_OPEN_PARTS:]:
            if len(chosen) < RULES_PER_PART and not model.add_rule(rule):
                chosen[key] = rule
                break
        else:
            model = _AlphaModel()
            for fixed in _fixed_rules().values():
                model.add_rule(fixed)
            problems = model.add_rule(rule)
            if problems:
                raise DurableError(f"rule {key} exceeds durable-rules: {'; '.join(problems)}")
            parts.append((model, {key: rule}))
    if not parts:
        return [({}, set(), set())]
    return [
        (chosen, None if model.all_types else model.types - {_OPENED, _NEVER}, model.fields)
        for model, chosen in parts
    ]


class _PartSession:
    __slots__ = ("asserted", "broken", "opened", "part", "stored")

    def __init__(self, part: _Part, keep: bool) -> None:
        self.part = part
        self.opened = False
        self.broken = False
        self.asserted = 0
        # a kept session's facts as this part holds them (our id -> what was asserted): durable
        # retracts a fact by walking its alpha network with the fact's content
        self.stored: dict[str, dict[str, Any]] | None = {} if keep else None


# Facts per call into the C core: the deadline is checked between calls.
ASSERT_CHUNK = 1_000


class Session:
    """Facts asserted in batches into one durable-rules session (one ``sid``) of every part."""

    def __init__(
        self,
        ruleset: Ruleset,
        sid: str,
        deadline: float | None = None,
        cancel: threading.Event | None = None,
        keep: bool = False,
    ) -> None:
        self._ruleset = ruleset
        self.sid = sid
        self.deadline = deadline
        self.cancel = cancel
        self.kept = keep
        self._parts = [_PartSession(part, keep) for part in ruleset.parts]
        self._known: set[str] = set()
        self._missed: dict[int, set[str]] = {}  # part -> fact types it missed for lack of time
        self._most: int | None = None  # records the assertion under way may leave undrained

    def assert_batch(
        self, facts: list[dict[str, Any]], chunk: int | None = None, most: int | None = None
    ) -> None:
        """Assert facts (each with a unique ``id``) and run every action they trigger before
        returning; at most ``chunk`` facts per call into the C core, between which the deadline
        and the cancel event are checked (a caller whose facts each bring many matches asks for
        fewer). ``most``: once that many firings wait to be drained, no more are recorded and
        TooManyFirings is raised, as OutOfTime is when the deadline passes."""
        if not facts:
            return
        self._most = most
        try:
            self._assert_batch(facts, chunk)
        finally:
            self._most = None

    def _assert_batch(self, facts: list[dict[str, Any]], chunk: int | None) -> None:
        chunk = ASSERT_CHUNK if chunk is None else max(1, min(chunk, ASSERT_CHUNK))
        for fact in facts:
            original = str(fact["id"])
            if original in self._known:
                raise DurableError(f"a fact was asserted twice: {original}")
            self._known.add(original)
        out_of_time = False
        for index, state in enumerate(self._parts):
            types = state.part.types
            chosen = facts if types is None else [f for f in facts if f.get("kbd_type") in types]
            for start in range(0, len(chosen), chunk):
                if out_of_time or self.stopped():
                    out_of_time = True
                    missed = self._missed.setdefault(index, set())
                    missed.update(str(f.get("kbd_type")) for f in chosen[start:])
                    break
                self._ruleset._skipped = False
                self._assert_part(state, chosen[start : start + chunk])
                if self._ruleset._skipped:
                    # stopped during the call: its actions stopped recording, so the rules of
                    # this part did not see these facts either
                    self._ruleset._skipped = False
                    out_of_time = True
                    missed = self._missed.setdefault(index, set())
                    missed.update(str(f.get("kbd_type")) for f in chosen[start:])
                    break
        self._raise_action_errors()
        if out_of_time:
            unfinished = f"{len(self._missed)} of {len(self._parts)} rulesets unfinished"
            if self.cancel is not None and self.cancel.is_set():
                raise Cancelled(unfinished)
            if self.deadline is None or time.monotonic() <= self.deadline:
                raise TooManyFirings(unfinished)
            raise OutOfTime(unfinished)

    def stopped(self) -> bool:
        """Whether the deadline has passed, the session was cancelled, or the assertion under
        way brought as many firings as its caller allowed."""
        if self.cancel is not None and self.cancel.is_set():
            return True
        if self._most is not None and len(self._ruleset._records) >= self._most:
            return True
        return self.deadline is not None and time.monotonic() > self.deadline

    def check(self) -> None:
        """Raise Cancelled or OutOfTime when the session must stop (for work between two
        assertions that takes long, such as recording many firings)."""
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled("cancelled")
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise OutOfTime("time")

    def unfinished_rules(self) -> list[str]:
        """The keys of the rules that test a fact type some of whose facts they did not see,
        because time ran out."""
        out: set[str] = set()
        for index, missed in self._missed.items():
            part = self._parts[index].part
            for key, types in part.rule_types.items():
                if types is None or types & missed:
                    out.add(key)
        return sorted(out)

    def _assert_part(self, state: _PartSession, facts: list[dict[str, Any]]) -> None:
        if state.broken:
            raise DurableError("durable-rules failed earlier in this session")
        if not state.opened:
            facts = [{"id": _OPENED, "kbd_type": _OPENED}, *facts]
        ids = safe_ids(state.asserted + len(facts))[state.asserted :]
        state.asserted += len(facts)
        fields = state.part.fields  # a fact carries only what this part tests (at most 255)
        batch = [
            {
                **{k: v for k, v in fact.items() if k in fields},
                "id": durable_id,
                ORIGINAL_ID: str(fact["id"]),
                "sid": self.sid,
            }
            for fact, durable_id in zip(facts, ids, strict=True)
        ]
        state.opened = True
        if state.stored is not None:
            for fact in batch:
                state.stored[fact[ORIGINAL_ID]] = fact
        part = state.part
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # utcfromtimestamp on 3.12
            try:
                part.host.assert_facts(part.name, batch)
            except durable_engine.MessageObservedException as exc:
                raise DurableError("a fact was asserted twice (duplicate id)") from exc
            except Exception as exc:
                # the C core stopped half-way (a fixed table full): matches may be pending, and
                # deleting this session would crash the process; it is left to durable-rules
                state.broken = True
                raise DurableError(f"durable-rules failed: {exc}") from exc

    def retract(self, originals: list[str]) -> None:
        """Withdraw facts (by our ids) from a kept session: matches that used them are dropped,
        and matches they blocked come back; actions they triggered stay fired (durable-rules has
        no truth maintenance: the caller forgets those firings). A fact retracted may be asserted
        again later, as new."""
        if not self.kept:
            raise DurableError("only a kept session can retract facts")
        for state in self._parts:
            stored = state.stored
            assert stored is not None
            chosen = [stored.pop(ident) for ident in originals if ident in stored]
            if not chosen:
                continue
            if state.broken:
                raise DurableError("durable-rules failed earlier in this session")
            part = state.part
            for start in range(0, len(chosen), ASSERT_CHUNK):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    try:
                        part.host.retract_facts(part.name, chosen[start : start + ASSERT_CHUNK])
                    except Exception as exc:
                        state.broken = True
                        raise DurableError(f"durable-rules failed: {exc}") from exc
        self._known.difference_update(originals)
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
        kept = None
        for state in self._parts:
            if not state.opened or state.broken:
                continue
            part = state.part
            session_state = part.host.get_state(part.name, self.sid)
            part.host.delete_state(part.name, self.sid)
            if isinstance(session_state, dict) and session_state.get("exception"):
                kept = session_state["exception"]
        if kept is not None:
            raise DurableError(f"durable-rules kept an exception: {kept}")
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


# --- what one durable-rules ruleset can hold ------------------------------------------------------
#
# Measured on durable-rules 2.0.28 and read in its C source (src/rules/events.c, rete.c, state.h).
# A fact is matched by a depth-first walk of the alpha network (events.c ``handleAlpha``) whose
# stack is a fixed array of MAX_STACK_SIZE = 64 nodes: every child of a node that the fact passes
# is pushed at once, so a fact type tested by more than about 62 distinct alpha nodes (62 simple
# rules on one fact type) overflows it. The walk then stops with error 303 (ERR_MAX_STACK_SIZE)
# after some matches were already queued, and deleting that session (which the caller must do,
# sessions being limited) frees memory that was never allocated: the abort
# (``munmap_chunk(): invalid pointer``, ``double free``) or segmentation fault seen with 65 to 300
# simple rules on one fact type. Other fixed tables fail the same way: a partial match holds at
# most 16 facts (state.h MAX_MESSAGE_FRAMES; the 17th condition of a rule crashes at assertion),
# an alpha node feeds at most 256 beta nodes (BETA_LIST_LENGTH, error 108), has at most 128
# absence or disjunction successors (NEXT_LIST_LENGTH) and 512 other successors
# (NEXT_BUCKET_LENGTH) - each list is read one past its end when full - a condition holds at most
# 31 join/``$and``/``$or`` expressions (MAX_SEQUENCE_EXPRESSIONS, error 113), a ruleset at most
# 4,096 actions (MAX_ACTIONS), and a fact at most 255 fields (MAX_OBJECT_PROPERTIES: 3,000 rules
# with a regular expression each, computed as one field per expression, crashed in do_actions).
#
# The backend therefore never gives durable-rules more than it can hold: ``_AlphaModel`` mirrors
# how rete.c builds the alpha network from the definitions and bounds, for every fact type, how
# many nodes the walk can have pending at once; rules are packed into as many durable rulesets
# (*parts*) as needed, each within every limit with a margin, and every fact is asserted into the
# parts whose rules test its type, carrying only the fields they test. ``rule_limits`` tells the
# compiler which single rule can never fit, so that such a rule is refused when the rule file is
# loaded.

ALPHA_STACK = 64  # events.c MAX_STACK_SIZE (the walk may hold 64 pending nodes)
FRAME_FACTS = 16  # state.h MAX_MESSAGE_FRAMES: facts in one partial match
SEQUENCE_EXPRESSIONS = 31  # rete.h MAX_SEQUENCE_EXPRESSIONS (32) minus the entry that fails
BETA_SUCCESSORS = 240  # rete.c BETA_LIST_LENGTH (256), with a margin
LIST_SUCCESSORS = 120  # rete.c NEXT_LIST_LENGTH (128), with a margin
HASH_SUCCESSORS = 448  # rete.c NEXT_BUCKET_LENGTH (512), with a margin
RULES_PER_PART = 512  # far below rete.c MAX_ACTIONS (4,096); keeps each assertion short
FACT_FIELDS = 240  # state.h MAX_OBJECT_PROPERTIES (255) less our own fields, with a margin

_TYPE_FIELD = "kbd_type"
_COMPARISONS = ("$neq", "$lt", "$lte", "$gt", "$gte", "$mt", "$imt", "$ex", "$nex")


class _Node:
    """One alpha node of the model: successors shared as rete.c's ``findAlpha`` shares them
    (same field, operator and constant), the others listed apart."""

    __slots__ = ("betas", "listed", "others", "shared")

    def __init__(self) -> None:
        self.shared: dict[tuple[str, str, str, str], _Node] = {}
        self.others: list[_Node] = []  # joins, ``$iany``/``$iall``: never shared
        self.listed: list[_Node] = []  # ``$nex`` and disjunction (forward) successors
        self.betas = 0


class _AlphaModel:
    """The alpha network durable-rules would build for a set of rule definitions, with an undo
    log so that a rule can be tried and taken back."""

    def __init__(self) -> None:
        self.root = _Node()
        self._undo: list[Callable[[], object]] = []
        self._heights: dict[int, int] = {}  # id(root successor) -> pending nodes below it
        self._memo: dict[int, int] = {}  # id(node) -> pending nodes below it, kept between rules
        self._visited: list[_Node] = []  # the nodes the rule being added went through
        self.types: set[str] = set()
        self.all_types = False  # a condition that does not name its fact type sees every fact
        self.fields: set[str] = set()  # every field the conditions test or join on

    # building ----------------------------------------------------------------------------------

    def add_rule(self, rule: dict[str, Any], *, keep: bool = True) -> list[str]:
        """Add a rule's conditions; return what exceeds a limit (nothing added then, nor when
        ``keep`` is false)."""
        mark = len(self._undo)
        types_before, all_before = set(self.types), self.all_types
        problems: list[str] = []
        conditions = _conditions(rule)
        fields = self.fields.union(*(_fields(e) for _, e in conditions))
        if len(fields) > FACT_FIELDS:
            problems.append(Context("error.limit_fact_tests", count=len(fields), most=FACT_FIELDS))
        positives = sum(1 for name, _ in conditions if not name.endswith("$not"))
        if positives > FRAME_FACTS:
            problems.append(Context("error.limit_bound_facts", count=positives, most=FRAME_FACTS))
        touched: set[int] = set()
        self._visited.clear()
        for _, expression in conditions:
            counter = [0]
            end = self._insert(self.root, expression, counter, touched)
            if counter[0] > SEQUENCE_EXPRESSIONS:
                problems.append(
                    Context("error.limit_joins", count=counter[0], most=SEQUENCE_EXPRESSIONS)
                )
            self._set(end, "betas", end.betas + 1)
        for node in self._visited:  # their height may change; nothing else's can
            self._memo.pop(id(node), None)
        heights = self._check(touched, problems)
        if problems or not keep:
            for node in self._visited:
                self._memo.pop(id(node), None)
            self._rollback(mark)
            self.types, self.all_types = types_before, all_before
        else:
            self._undo.clear()
            self._heights = heights
            self.fields = fields
        return problems

    def _set(self, node: _Node, attribute: str, value: int) -> None:
        old = getattr(node, attribute)
        setattr(node, attribute, value)
        self._undo.append(lambda: setattr(node, attribute, old))

    def _child(self, parent: _Node, key: tuple[str, str, str, str] | None, listed: bool) -> _Node:
        self._visited.append(parent)
        if key is not None and key in parent.shared:
            self._visited.append(parent.shared[key])
            return parent.shared[key]
        child = _Node()
        self._visited.append(child)
        if key is not None:
            parent.shared[key] = child
            self._undo.append(lambda: parent.shared.pop(key))
        elif listed:
            parent.listed.append(child)
            self._undo.append(parent.listed.pop)
        else:
            parent.others.append(child)
            self._undo.append(parent.others.pop)
        return child

    def _link(self, parent: _Node, child: _Node) -> None:
        self._visited.extend((parent, child))
        parent.listed.append(child)
        self._undo.append(parent.listed.pop)

    def _rollback(self, mark: int) -> None:
        while len(self._undo) > mark:
            self._undo.pop()()

    def _insert(
        self, parent: _Node, expression: Any, counter: list[int], touched: set[int]
    ) -> _Node:
        """As rete.c's ``createAlpha``: ``$and`` is a chain, ``$or`` branches that meet in a new
        forward node; returns the node the condition ends on."""
        if not isinstance(expression, dict) or not expression:
            return self._child(parent, None, False)
        if len(expression) > 1:  # several tests in one mapping: a chain, at worst
            expression = {"$and": [{k: v} for k, v in expression.items()]}
        ((name, value),) = expression.items()
        if parent is self.root:
            if name == _TYPE_FIELD and isinstance(value, str):
                self.types.add(value)
            elif name != "$and" and not (name == "$ex" and value == {_TYPE_FIELD: 1}):
                self.all_types = True
        if name == "$and":
            counter[0] += 2
            node = parent
            for item in value:
                node = self._insert(node, item, counter, touched)
            return node
        if name == "$or":
            counter[0] += 2
            forward = _Node()
            for item in value:
                end = self._insert(parent, item, counter, touched)
                self._link(end, forward)
            if parent is self.root:
                self.all_types = True
            return forward
        node = self._leaf(parent, name, value, counter)
        if parent is self.root:
            touched.add(id(node))
        return node

    def _leaf(self, parent: _Node, name: str, value: Any, counter: list[int]) -> _Node:
        if name in ("$iany", "$iall"):
            return self._child(parent, None, False)
        if name == "$nex":
            return self._child(parent, None, True)
        tested = value
        if name in _COMPARISONS and isinstance(value, dict) and len(value) == 1:
            tested = next(iter(value.values()))
        if isinstance(tested, dict):  # a join: compared with an earlier fact, never shared
            counter[0] += 1
            return self._child(parent, None, False)
        return self._child(parent, _key(name, value), False)

    # checking ----------------------------------------------------------------------------------

    def _check(self, touched: set[int], problems: list[str]) -> dict[int, int]:
        """Heights below every successor of the root (recomputed where the rule went) and the
        problems found."""
        heights: dict[int, int] = {}
        for child in self._root_children():
            known = self._heights.get(id(child))
            if id(child) in touched or known is None:
                known = _height(child, self._memo, problems)
            heights[id(child)] = known
        pushable = _pushable(self.root)
        height = max(pushable, pushable - 1 + max(heights.values(), default=0))
        if height > ALPHA_STACK:
            # told in the author's terms: the fact's type test always holds one of the slots
            pending = Context("error.limit_pending", count=height - 1, most=ALPHA_STACK - 1)
            problems.append(pending)
        return heights

    def _root_children(self) -> list[_Node]:
        return [*self.root.shared.values(), *self.root.others, *self.root.listed]


def _key(name: str, value: Any) -> tuple[str, str, str, str]:
    """Field, operator, constant and the constant's kind (rete.c shares a node on the first
    three)."""
    if name.startswith("$"):
        ((field, constant),) = value.items() if isinstance(value, dict) else (("", value),)
    else:
        field, name, constant = name, "$eq", value
    return (field, name, json.dumps(constant, sort_keys=True), type(constant).__name__)


def _pushable(node: _Node) -> int:
    """How many successors one fact can pass at once: equality tests on one field with
    different constants exclude each other (a string and a number can both equal ``88``)."""
    count = len(node.others) + len(node.listed)
    kinds: set[tuple[str, str]] = set()
    for field, operator, _, kind in node.shared:
        if operator == "$eq":
            kinds.add((field, kind))
        else:
            count += 1
    return count + len(kinds)


def _height(node: _Node, memo: dict[int, int], problems: list[str]) -> int:
    """Most nodes pending in the walk below ``node``, once it was popped."""
    known = memo.get(id(node))
    if known is not None:
        return known
    if node.betas > BETA_SUCCESSORS:
        problems.append(Context("error.limit_same_test", count=node.betas, most=BETA_SUCCESSORS))
    if len(node.listed) > LIST_SUCCESSORS:
        problems.append(Context("error.limit_listed", count=len(node.listed), most=LIST_SUCCESSORS))
    if len(node.shared) + len(node.others) > HASH_SUCCESSORS:
        following = len(node.shared) + len(node.others)
        problems.append(Context("error.limit_alternatives", count=following, most=HASH_SUCCESSORS))
    children = [*node.shared.values(), *node.others, *node.listed]
    memo[id(node)] = 0
    pushable = _pushable(node)
    deepest = max((_height(c, memo, problems) for c in children), default=0)
    memo[id(node)] = max(pushable, pushable - 1 + deepest) if children else 0
    return memo[id(node)]


def _conditions(rule: dict[str, Any]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for gate in ("all", "any"):
        for item in rule.get(gate, []):
            for name, expression in item.items():
                if name.endswith(("$all", "$any")):
                    out.extend(_conditions({"all": expression}))
                else:
                    out.append((name, expression))
    return out


_OWN_FIELDS = frozenset({"id", "sid", ORIGINAL_ID, _TYPE_FIELD})


def _fields(expression: Any) -> set[str]:
    """The fields an expression tests, and those of other facts it joins with."""
    out: set[str] = set()
    if not isinstance(expression, dict):
        return out
    for name, value in expression.items():
        if name in ("$and", "$or"):
            for item in value:
                out |= _fields(item)
        elif name.startswith("$") and isinstance(value, dict):
            for field, operand in value.items():
                out.add(field)
                if name not in ("$iany", "$iall"):
                    out |= _joined(operand)
        elif not name.startswith("$"):
            out.add(name)
            out |= _joined(value)
    return out


def _joined(operand: Any) -> set[str]:
    """``{alias: field}``, a join with another fact: that fact's field."""
    if isinstance(operand, dict) and len(operand) == 1:
        (value,) = operand.values()
        if isinstance(value, str):
            return {value}
    return set()


def _rule_types(rule: dict[str, Any]) -> set[str] | None:
    """The fact types (``kbd_type``) a rule's conditions test; None when one does not say."""
    types: set[str] = set()
    for _, expression in _conditions(rule):
        first = expression
        while isinstance(first, dict) and list(first) == ["$and"] and first["$and"]:
            first = first["$and"][0]
        value = first.get(_TYPE_FIELD) if isinstance(first, dict) and len(first) == 1 else None
        if not isinstance(value, str):
            return None
        types.add(value)
    return types


_EMPTY: list[_AlphaModel] = []  # a model of a part with only the fixed rules, reused
_EMPTY_LOCK = threading.Lock()


def rule_limits(definition: dict[str, Any]) -> list[str]:
    """Why durable-rules cannot hold this rule even in a ruleset of its own (empty: it can)."""
    with _EMPTY_LOCK:
        if not _EMPTY:
            model = _AlphaModel()
            for fixed in _fixed_rules().values():
                model.add_rule(fixed)
            _EMPTY.append(model)
        return _EMPTY[0].add_rule(definition, keep=False)
