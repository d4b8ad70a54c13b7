"""What a fact observes, so that one observation counts once however often it was fed in.

Certainty factors combine MYCIN-style: two firings on two facts give more certainty than one.
That is right for two observations and wrong for one observation read twice - the same
stripchart saved under ``EX02`` and under ``ex02.corp.example.com``, the same clock pair written
the other way round (DC01 -421.5 s from EX02 is EX02 +421.5 s from DC01), two collections of one
organisation merged. So every fact type has an *identity*: what it observes, with host names
compared through the registry's key (short name, FQDN and case are one machine), accounts and
SPNs in canonical form, and a clock pair unordered with the offset's sign turned to match.

Two kinds of fact differ in what time means to them:

- a *state* (a clock pair, a port path, a replication link, a connector, an account's SPNs, a
  time service, a queue, a check) is replaced by a later observation of the same thing, so time
  is not part of its identity;
- an *occurrence* (an event, a Kerberos error, a probe's failure, anything not declared a state)
  happens at a time: two at different times of their own (an event's ``time``) are two pieces of
  evidence, so its identity is all it says (derived from the model: every data field, canonical).
  When it was *read* (``observed_at``) is not part of it: the same Kerberos error read by two
  collections an hour apart may be one error or two, nothing says which, and counting it twice
  would raise a certainty on no new evidence (a fact's id, normalize.fact_id, leaves the reading
  time out for the same reason, so a copy spelled otherwise and a copy spelled alike agree).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kbdoctor.engine.facts import (
    FACT_TYPES,
    CheckRun,
    ClockOffset,
    Fact,
    FieldKind,
    PortState,
    Queue,
    ReceiveConnector,
    ReplicationLink,
    SpnListing,
    SpnQuery,
    TimeStatus,
    fact_fields,
    field_kind,
)
from kbdoctor.engine.kerberos_codes import kerberos_code
from kbdoctor.engine.names import HostRegistry, account_name, spn_name

# The fields naming the thing a state observes (clock_offset is its own case: an unordered pair).
STATE_IDENTITY: dict[str, tuple[str, ...]] = {
    "port_state": ("source", "target", "port", "protocol"),
    "replication_link": ("source", "destination", "naming_context"),
    "receive_connector": ("server", "name"),
    "spn_listing": ("account",),
    "spn_query": ("spn",),
    "time_status": ("host",),
    "check_run": ("check", "scope"),
    "queue": ("server", "identity"),
}

# Fields without which a state's identity names nothing in particular: a queue without its
# identity is only "some queue of EX01", so it is compared by all it says instead.
_REQUIRED: dict[str, tuple[str, ...]] = {"queue": ("identity",)}

# Machines are merged field by field elsewhere (normalize.merged_machines), not chosen between.
MACHINES = frozenset({"exchange_server", "domain_controller"})

_PORT_STATES = {"closed": 0, "filtered": 0, "unknown": 1, "open": 2}


def _offset_worse(fact: Any) -> tuple[Any, ...]:
    return (-abs(fact.offset_s),)


def _port_worse(fact: Any) -> tuple[Any, ...]:
    return (_PORT_STATES.get(fact.state, 1),)


def _link_worse(fact: Any) -> tuple[Any, ...]:
    return (fact.last_result == 0, -(fact.consecutive_failures or 0))


def _connector_worse(fact: Any) -> tuple[Any, ...]:
    return (len({m.strip().casefold() for m in fact.auth_mechanisms}),)


def _listing_worse(fact: Any) -> tuple[Any, ...]:
    return (len({spn_name(s) for s in fact.spns}),)


def _query_worse(fact: Any) -> tuple[Any, ...]:
    return (len({account_name(a) for a in fact.accounts}) == 1,)


def _time_status_worse(fact: Any) -> tuple[Any, ...]:
    return (fact.leap_indicator != 3, -abs(fact.phase_offset_s or 0.0))


def _check_worse(fact: Any) -> tuple[Any, ...]:
    return (-fact.found,)


def _queue_worse(fact: Any) -> tuple[Any, ...]:
    return (-(fact.message_count or 0),)


# Of two observations made at one moment that disagree, which shows more of a problem (smaller
# sorts first): the larger clock offset, a port not open, a failed replication, fewer
# authentication mechanisms or SPNs, an SPN with no holder or several, an unsynchronised time
# service, more problems found, more messages queued.
_WORSE: dict[type, Callable[[Any], tuple[Any, ...]]] = {
    ClockOffset: _offset_worse,
    PortState: _port_worse,
    ReplicationLink: _link_worse,
    ReceiveConnector: _connector_worse,
    SpnListing: _listing_worse,
    SpnQuery: _query_worse,
    TimeStatus: _time_status_worse,
    CheckRun: _check_worse,
    Queue: _queue_worse,
}


@dataclass(frozen=True)
class Observation:
    """What one fact observed: ``identity`` the thing (and, for an occurrence, when),
    ``value`` what the fact says about it, both canonical; ``state`` whether a later
    observation replaces it; ``worse`` its place among disagreeing readings of one moment."""

    identity: tuple[Any, ...]
    value: tuple[Any, ...]
    state: bool
    worse: tuple[Any, ...]


def registry_of(facts: Iterable[Fact]) -> HostRegistry:
    """The registry of every host name the facts give: which short name is which FQDN follows
    from all of them together, never from one file."""
    registry = HostRegistry()
    for fact in facts:
        for name in _host_fields(fact.type):
            value = getattr(fact, name)
            if isinstance(value, str):
                registry.add(value)
            elif isinstance(value, list):
                for item in value:
                    registry.add(item)
    return registry


@functools.cache
def _host_fields(fact_type: str) -> tuple[str, ...]:
    return tuple(
        name
        for name in FACT_TYPES[fact_type].model_fields
        if field_kind(fact_type, name) is FieldKind.HOST
    )


def observation(fact: Fact, registry: HostRegistry) -> Observation | None:
    """The observation a fact records; None for the machines (merged, not chosen between)."""
    fact_type = fact.type
    if fact_type in MACHINES:
        return None
    worse = _WORSE[type(fact)](fact) if type(fact) in _WORSE else ()
    if isinstance(fact, ClockOffset):
        host, reference = registry.key(fact.host), registry.key(fact.reference)
        offset = float(fact.offset_s)
        if reference < host:  # the pair in one order, the offset's sign turned to match
            host, reference, offset = reference, host, -offset
        return Observation((fact_type, host, reference), (offset,), True, worse)
    fields = STATE_IDENTITY.get(fact_type)
    required = _REQUIRED.get(fact_type, ())
    if fields is not None and all(getattr(fact, name) is not None for name in required):
        identity = (fact_type, *(_field(fact, name, registry) for name in fields))
        rest = tuple(
            (name, _field(fact, name, registry))
            for name in fact_fields(fact_type)
            if name not in fields
        )
        return Observation(identity, rest, True, worse)
    content = tuple((name, _field(fact, name, registry)) for name in fact_fields(fact_type))
    return Observation((fact_type, content), (), False, worse)


def _field(fact: Fact, name: str, registry: HostRegistry) -> Any:
    value = getattr(fact, name)
    if fact.type == "kerberos_error" and name == "code":
        return kerberos_code(value)
    return canonical(field_kind(fact.type, name), value, registry)


def canonical(kind: FieldKind | None, value: Any, registry: HostRegistry) -> Any:
    """A value as it compares: names the way Windows compares them, other text without case or
    spacing differences, numbers as floats, times as points in time, lists as sets."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, datetime):
        return _moment(value)
    if isinstance(value, list):
        return tuple(sorted({canonical(kind, item, registry) for item in value}, key=repr))
    text = str(value)
    if kind is FieldKind.HOST:
        return registry.key(text)
    if kind is FieldKind.ACCOUNT:
        return account_name(text)
    if kind is FieldKind.SPN:
        return spn_name(text)
    return " ".join(text.split()).casefold()


def _moment(value: datetime | None) -> str | None:
    """A time as a point: a time without a zone is taken as UTC, as the latest-observation rule
    takes it (the same reading written with two zones is one moment)."""
    if value is None:
        return None
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat()


def same_reading(fact: Fact, registry: HostRegistry) -> tuple[Any, ...] | None:
    """What makes two facts one reading fed twice: the same thing, the same value, the same
    moment (a state's time is not in its identity, so it is added here). None for machines."""
    seen = observation(fact, registry)
    if seen is None:
        return None
    moment = _moment(fact.observed_at) if seen.state else None
    return (seen.identity, seen.value, moment)


def content_order(fact: Fact) -> str:
    """A total order on facts that does not depend on where or in which order they were read:
    the last tie-break when one of several readings has to be kept."""
    return json.dumps(
        fact.model_dump(mode="json", exclude={"provenance"}, exclude_none=True),
        sort_keys=True,
        ensure_ascii=False,
    )


def one_reading_each(facts: Iterable[Fact], known: Iterable[Fact] = ()) -> list[Fact]:
    """``facts`` without the readings fed twice (see ``same_reading``; machines and whatever has
    no observation compare by their whole content), nor those already among ``known``: the
    first of each is kept, so the material's order decides which file a fact is cited from.
    Readings that disagree are all kept: choosing between them is the engine's, which shows the
    one set aside."""
    given = list(facts)
    before = list(known)
    registry = registry_of([*before, *given])

    def key(fact: Fact) -> Any:
        return same_reading(fact, registry) or ("content", content_order(fact))

    seen = {key(fact) for fact in before}
    kept: list[Fact] = []
    for fact in given:
        reading = key(fact)
        if reading not in seen:
            seen.add(reading)
            kept.append(fact)
    return kept
