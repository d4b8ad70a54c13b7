"""Facts prepared for matching: one id each, duplicates merged, host names keyed, derived fields.

Each fact gets two views. The *display* view holds the values as given (plus what could be
completed: an Exchange server's FQDN known from other facts, its default account ``NAME$``, derived
fields); templates and explanations read it. The *match* view holds what durable-rules compares:
host names replaced by their registry key, accounts and SPNs in canonical form, numbers as floats
(durable treats ``1`` and ``1.0`` as different), features computed, and only the fields the rules
use (serialising unused fields to the C core is most of the cost on large organisations).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple, TypeVar

from kbdoctor.engine.compiler import ITEM, REF, TYPE, Compiled, member_type
from kbdoctor.engine.durable_backend import matchable_number
from kbdoctor.engine.facts import (
    ClockOffset,
    DomainController,
    ExchangeServer,
    Fact,
    FieldKind,
    Source,
    SpnDuplicate,
    SpnListing,
    SpnQuery,
    field_kind,
)
from kbdoctor.engine.kerberos_codes import kerberos_code
from kbdoctor.engine.names import (
    HostRegistry,
    account_name,
    host_name,
    short_name,
    spn_host,
    spn_name,
)
from kbdoctor.engine.observations import Observation, content_order, observation, registry_of
from kbdoctor.engine.templates import render


@dataclass(frozen=True)
class PreparedFact:
    id: str
    fact: Fact
    display: dict[str, Any]
    match: dict[str, Any]
    type: str


def fact_id(fact: Fact) -> str:
    """A stable id from the fact's content (not its provenance), so that the same fact from two
    files is one fact and ids do not depend on input order."""
    data = fact.model_dump_json(exclude=_NOT_CONTENT, exclude_none=True)
    return f"{fact.type[:3]}-{hashlib.sha1(data.encode()).hexdigest()[:12]}"


_NOT_CONTENT = {"provenance", "observed_at"}


def _provenance_key(fact: Fact) -> str:
    return fact.model_dump_json(include=_NOT_CONTENT)


_KINDS: dict[tuple[str, str], FieldKind | None] = {}


def _kind(fact_type: str, name: str) -> FieldKind | None:
    key = (fact_type, name)
    if key not in _KINDS:
        try:
            _KINDS[key] = field_kind(fact_type, name)
        except KeyError:
            _KINDS[key] = None
    return _KINDS[key]


class PreparationCache:
    """Fact views kept between evaluations with one rule base. A what-if edit in the TUI changes
    one fact and evaluates again: every other fact keeps its id and views as long as the set of
    known FQDNs (which decides host keys) is the same. Entries hold their fact, so an ``id()``
    is never reused while it is a key; the cache empties itself when it grows past ``limit``."""

    def __init__(self, limit: int = 200_000) -> None:
        self._limit = limit
        self._ids: dict[int, tuple[Fact, str]] = {}
        self._views: dict[tuple[int, int], PreparedFact] = {}
        # each distinct (FQDNs, roles) seen, numbered: a fact's view is keyed by that number, so
        # that looking a view up never compares two sets of every host (once per fact that was
        # quadratic between evaluations, where the sets are equal but not the same objects)
        self._contexts: dict[tuple[frozenset[str], frozenset[tuple[str, str]]], int] = {}
        self._generation = 0  # raised each time the numbering starts again
        # (generation, context) of the last evaluation: equal between two evaluations exactly
        # when every fact's view is the same function of its content
        self.current: tuple[int, int] | None = None

    def fact_id(self, fact: Fact) -> str:
        known = self._ids.get(id(fact))
        if known is not None and known[0] is fact:
            return known[1]
        ident = fact_id(fact)
        if len(self._ids) >= self._limit:
            self._ids.clear()
        self._ids[id(fact)] = (fact, ident)
        return ident

    def context(self, registry: HostRegistry) -> int:
        """The number of the registry's host context (asked once per evaluation)."""
        shape = (registry.fqdns(), registry.roles_key())
        number = self._contexts.get(shape)
        if number is None:
            if len(self._contexts) >= 64:
                self._contexts.clear()
                self._views.clear()
                self._generation += 1
            number = self._contexts[shape] = len(self._contexts) + 1
        self.current = (self._generation, number)
        return number

    def prepared(
        self, ident: str, fact: Fact, registry: HostRegistry, compiled: Compiled, context: int
    ) -> PreparedFact:
        key = (id(fact), context)
        known = self._views.get(key)
        if known is not None and known.fact is fact:
            return known
        view = _prepare_one(ident, fact, registry, compiled)
        if len(self._views) >= self._limit:
            self._views.clear()
        self._views[key] = view
        return view


class Replaced(NamedTuple):
    """A fact a kept fact stands in for, in the kept fact's history. ``disagrees``: a reading of
    the same moment (or one whose moment cannot be told apart) that said otherwise, set aside
    because the kept one shows more of a problem; else an older observation a newer one
    replaced. Only the first is a warning: the evidence contradicts itself, and which reading
    was right is for an engineer to find out, not for the engine to hide in a history."""

    id: str
    fact: Fact
    disagrees: bool


History = dict[str, list[Replaced]]  # fact id -> the observations it replaced


def prepare(
    facts: list[Fact],
    compiled: Compiled,
    cache: PreparationCache | None = None,
    *,
    check: Callable[[], None] | None = None,
) -> tuple[list[PreparedFact], HostRegistry, History]:
    """Merge identical facts (keeping the first provenance in a stable order), merge the records
    of one machine, keep one fact per observation however it was spelled or how often it was fed
    in (the latest of several; the others become history, see ``superseded``), derive what
    follows from the facts together (duplicate SPNs), compute both views, and return the facts
    sorted by id.

    ``check`` is called every CHECK_EVERY facts in each pass over them and stops the preparation
    by raising (the time budget, a cancel): on a large organisation preparing takes seconds, and
    a budget or a cancel that waits for it is not kept. Facts half prepared are never evaluated:
    merging and superseding are decided over all the facts together, and rules run on a part of
    them would count evidence twice or rule out what a later reading shows."""
    unique: dict[str, Fact] = {}
    identify = cache.fact_id if cache is not None else fact_id
    for fact in _checked(facts, check):
        ident = identify(fact)
        kept = unique.get(ident)
        if kept is None or _provenance_key(fact) < _provenance_key(kept):
            unique[ident] = fact
    registry = registry_of(list(unique.values()))
    for merged, parts in merged_machines(unique, registry):
        for ident in parts:
            del unique[ident]
        unique[identify(merged)] = merged
    history, dropped = superseded(unique, registry, check)
    for ident in dropped:
        del unique[ident]
    for older in history.values():
        for ident, _, _ in older:
            del unique[ident]
    _assign_roles(registry, unique.values())
    remaining = list(unique.values())
    for derived in [*derived_duplicates(remaining), *derived_clock_pairs(remaining, registry)]:
        unique.setdefault(identify(derived), derived)
    ordered = _checked(sorted(unique.items()), check)
    if cache is None:
        prepared = [_prepare_one(i, f, registry, compiled) for i, f in ordered]
    else:
        context = cache.context(registry)
        prepared = [cache.prepared(i, f, registry, compiled, context) for i, f in ordered]
    return prepared, registry, history


# Facts prepared between two calls of ``prepare``'s check (a few milliseconds of work).
CHECK_EVERY = 512

_T = TypeVar("_T")


def _checked(items: Iterable[_T], check: Callable[[], None] | None) -> Iterator[_T]:
    """The items, with ``check`` called after every CHECK_EVERY of them: a few hundred facts
    are prepared in milliseconds, and are not worth stopping for."""
    if check is None:
        yield from items
        return
    for count, item in enumerate(items, 1):
        yield item
        if count % CHECK_EVERY == 0:
            check()


def merged_machines(
    unique: dict[str, Fact], registry: HostRegistry
) -> list[tuple[Fact, list[str]]]:
    """One fact per machine: two collections of one organisation describe EX01 twice (a name
    inferred from a folder, the full record from Get-ExchangeServer), and a rule joining on the
    server must see it once, or its evidence counts twice. The fact with the most fields leads;
    fields it lacks are taken from the others, lists are joined."""
    groups: dict[tuple[str, str], list[tuple[str, Fact]]] = {}
    for ident, fact in unique.items():
        if isinstance(fact, (ExchangeServer, DomainController)):
            groups.setdefault((fact.type, registry.key(fact.name)), []).append((ident, fact))
    out: list[tuple[Fact, list[str]]] = []
    for entries in groups.values():
        if len(entries) < 2:
            continue
        entries.sort(key=lambda e: (-len(e[1].model_fields_set), e[0]))
        lead = entries[0][1]
        data = lead.model_dump(exclude_none=True, by_alias=False)
        for _, other in entries[1:]:
            for name, value in other.model_dump(exclude_none=True, by_alias=False).items():
                if name not in data:
                    data[name] = value
                elif isinstance(value, list) and isinstance(data[name], list):
                    data[name] = [*data[name], *(v for v in value if v not in data[name])]
        out.append((type(lead).model_validate(data), [ident for ident, _ in entries]))
    return out


def superseded(
    unique: dict[str, Fact], registry: HostRegistry, check: Callable[[], None] | None = None
) -> tuple[History, set[str]]:
    """One fact per observation (engine/observations.py says what a fact observes): the
    history of each kept fact, and the ids of the facts that were the same reading again.

    The latest observation wins: of several observations of one state, the newest is kept and
    the older ones become its history (newest first). Newer means observed later; for facts
    without a time read from one file (a paste holding a failed run and then a successful one),
    further down that file. Facts whose times are equal, or cannot be compared (no time, read
    from different files), are one observation fed in more than once: one of them is kept,
    chosen by content alone so that neither file nor fact order decides. Where they agree, the
    others are dropped (the same evidence). Where they disagree, the one that shows more of a
    problem is kept (the larger clock offset, a port not open, a failed replication, ...; see
    observations._WORSE) and the others become its history, marked ``disagrees``, so that the
    report warns of both readings with their sources: one reading of a moment cannot rule out
    what the other reading of the same moment shows, and a cause wrongly ruled out is the one
    nobody checks."""
    groups: dict[tuple[Any, ...], list[tuple[str, Fact, Observation]]] = {}
    for ident, fact in _checked(unique.items(), check):
        seen = observation(fact, registry)
        if seen is not None:
            groups.setdefault(seen.identity, []).append((ident, fact, seen))
    history: History = {}
    dropped: set[str] = set()
    for entries in groups.values():
        if len(entries) < 2:
            continue
        kept, older, same = _one_observation(entries)
        if older:
            history[kept] = older
        dropped.update(same)
    return history, dropped


_Entry = tuple[str, Fact, Observation]
# The place in a history of the readings of the kept one's moment that disagreed with it:
# first, before older observations (ordered by time, then by line).
_SAME_MOMENT: tuple[Any, ...] = (0,)


def _one_observation(entries: list[_Entry]) -> tuple[str, list[Replaced], list[str]]:
    """The fact kept of several with one identity, its history, and the ids dropped."""
    older: list[tuple[tuple[Any, ...], _Entry]] = []  # (newest first order, entry)
    candidates: list[_Entry] = []
    if entries[0][2].state:
        by_file: dict[str, list[_Entry]] = {}
        for entry in entries:
            source = entry[1].provenance
            if entry[1].observed_at is not None:
                continue
            if source is not None and source.file and source.line:
                by_file.setdefault(source.file, []).append(entry)
            else:
                candidates.append(entry)
        times = [(when, e) for e in entries if (when := _when(e[1])) is not None]
        newest = max((when for when, _ in times), default=None)
        for when, entry in times:
            if newest is not None and when < newest:
                older.append(((1, -when.timestamp()), entry))
            else:
                candidates.append(entry)
        for file, in_file in by_file.items():
            last = max(_line(e) for e in in_file)
            for entry in in_file:
                if _line(entry) < last:
                    older.append(((2, file, -_line(entry)), entry))
                else:
                    candidates.append(entry)
    else:
        candidates = entries
    candidates.sort(key=lambda e: (e[2].worse, content_order(e[1]), e[0]))
    kept = candidates[0]
    dropped = [e[0] for e in candidates[1:] if e[2].value == kept[2].value]
    older.extend((_SAME_MOMENT, e) for e in candidates[1:] if e[2].value != kept[2].value)
    older.sort(key=lambda o: (o[0], o[1][0]))
    shown: set[tuple[Any, ...]] = set()
    replaced: list[Replaced] = []
    for order, (ident, fact, seen) in older:
        reading = (seen.value, _when(fact))
        if reading in shown:  # an older reading fed twice is one reading in the history too
            dropped.append(ident)
            continue
        shown.add(reading)
        replaced.append(Replaced(ident, fact, disagrees=order == _SAME_MOMENT))
    return kept[0], replaced, dropped


def _line(entry: _Entry) -> int:
    source = entry[1].provenance
    return source.line if source is not None and source.line else 0


def _when(fact: Fact) -> datetime | None:
    return None if fact.observed_at is None else _aware(fact.observed_at)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# Pairs of clocks derived beyond this many are not derived: a figure no real organisation reaches
# (it takes hundreds of Exchange servers split into two clock camps), kept so that a hostile
# fact file cannot make the engine quadratic.
MAX_DERIVED_CLOCK_PAIRS = 5000


def derived_clock_pairs(facts: list[Fact], registry: HostRegistry) -> list[Fact]:
    """Skew between two Exchange servers that follows from their offsets to one common clock.

    The receiving server checks the authenticator the sender stamped with its own clock, so the
    pair that matters is sender and receiver: EX01 +200 s and EX02 -150 s from DC01 are 350 s
    apart although each is within 5 minutes of the DC. Only pairs more than 300 s apart are
    derived (each measurement is evidence of its own pair already), and never where the pair was
    measured directly."""
    key = registry.key
    direct: set[frozenset[str]] = set()
    by_clock: dict[str, list[tuple[float, str, ClockOffset]]] = {}
    for fact in facts:
        if not isinstance(fact, ClockOffset):
            continue
        host, reference = key(fact.host), key(fact.reference)
        direct.add(frozenset((host, reference)))
        if registry.roles.get(host) == "exchange":
            by_clock.setdefault(reference, []).append((fact.offset_s, fact.host, fact))
        if registry.roles.get(reference) == "exchange":
            by_clock.setdefault(host, []).append((-fact.offset_s, fact.reference, fact))
    out: list[Fact] = []
    for common in sorted(by_clock):
        readings = sorted(by_clock[common], key=lambda r: (r[0], key(r[1])))
        low = 0
        for high in range(len(readings)):
            while readings[high][0] - readings[low][0] > 300:
                low += 1
            for first in readings[:low]:
                a, b = readings[high], first
                if key(a[1]) == key(b[1]) or frozenset((key(a[1]), key(b[1]))) in direct:
                    continue
                out.append(
                    ClockOffset(
                        host=a[1],
                        reference=b[1],
                        offset_s=a[0] - b[0],
                        provenance=Source(
                            collector="engine",
                            inferred=f"{a[1]} {a[0]:+.1f} s and {b[1]} {b[0]:+.1f} s from "
                            f"{common}: {_origin(a[2])}; {_origin(b[2])}",
                        ),
                    )
                )
                if len(out) >= MAX_DERIVED_CLOCK_PAIRS:
                    return out
    return out


def _origin(fact: Fact) -> str:
    source = fact.provenance
    where = _where(fact).strip(" ()")
    return where or (source.collector if source is not None and source.collector else fact.type)


def derived_duplicates(facts: list[Fact]) -> list[Fact]:
    """``spn_duplicate`` facts that follow from listings and queries: an SPN that two accounts
    hold (compared case-insensitively, as the KDC and setspn compare them) is a duplicate whether
    or not anyone ran ``setspn -X``. Provenance names the facts it was read from."""
    holders: dict[str, dict[str, tuple[str, str, Fact]]] = {}
    stated: set[str] = set()

    def hold(spn: str, account: str, fact: Fact) -> None:
        # of several spellings of one SPN on one account, the same one whatever the fact order
        accounts = holders.setdefault(spn_name(spn), {})
        key = account_name(account)
        known = accounts.get(key)
        if known is None or (spn, account, fact_id(fact)) < (known[0], known[1], fact_id(known[2])):
            accounts[key] = (spn, account, fact)

    for fact in facts:
        if isinstance(fact, SpnListing):
            for spn in fact.spns:
                hold(spn, fact.account, fact)
        elif isinstance(fact, SpnQuery):
            for account in fact.accounts:
                hold(fact.spn, account, fact)
        elif isinstance(fact, SpnDuplicate):
            stated.add(spn_name(fact.spn))
    out: list[Fact] = []
    for key in sorted(holders):
        accounts = holders[key]
        if len(accounts) < 2 or key in stated:
            continue
        entries = [accounts[a] for a in sorted(accounts)]
        origins = "; ".join(f"{e[2].type} {e[1]}{_where(e[2])}" for e in entries)
        out.append(
            SpnDuplicate(
                spn=entries[0][0],
                accounts=[e[1] for e in entries],
                provenance=Source(
                    collector="engine", inferred=f"held by several accounts: {origins}"
                ),
            )
        )
    return out


def _where(fact: Fact) -> str:
    source = fact.provenance
    if source is None or not source.file:
        return ""
    return f" ({source.file}:{source.line})" if source.line else f" ({source.file})"


def _assign_roles(registry: HostRegistry, facts: Iterable[Fact]) -> None:
    """Which machines the facts call domain controllers and Exchange servers: a clock compared
    with one of them is a Kerberos party, a clock compared with anything else is not."""
    roles: dict[str, str] = {}
    for fact in facts:
        if fact.type in ("exchange_server", "domain_controller"):
            role = "dc" if fact.type == "domain_controller" else "exchange"
            for name in (fact.name, fact.fqdn):
                if name:
                    key = registry.key(name)
                    if roles.get(key) != "dc":
                        roles[key] = role
    registry.set_roles(roles)


_CLIENT_IP = re.compile(r"\[((?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]+)\]")
_SMTP_TARGET = re.compile(r"(?i)\b(SMTP(?:SVC)?/([A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]))")


def event_client_ip(message: str) -> str | None:
    """The client IP of Event 1035 (``... is [10.0.0.12].``): bracketed in every language."""
    found = _CLIENT_IP.findall(message[:65536])
    return found[-1].lower() if found else None


def event_smtp_spn(message: str) -> tuple[str | None, str | None]:
    """The ``SMTPSVC/<host>`` (or ``SMTP/<host>``) SPN an event names, and its host: the target
    of Event 2017, the duplicate name of KDC Event 11. SPNs read the same in every language."""
    match = _SMTP_TARGET.search(message[:65536])
    return (match.group(1), match.group(2)) if match else (None, None)


_LED_FQDN = re.compile(r"\{FQDN=([A-Za-z0-9][A-Za-z0-9.-]*)\}")
_LED_IP = re.compile(r"\{IP=([0-9A-Fa-f.:]+)\}")


def queue_peer(
    last_error: str, next_hop: str | None, registry: HostRegistry
) -> tuple[str | None, str | None]:
    """The server a queue failed to reach: the ``{FQDN=...}`` and ``{IP=...}`` that Exchange
    writes into LastError; else the next hop, but only when the facts call it an Exchange server
    (a next hop is as often an AD site, a DAG or a smart host, which name no receiving machine)."""
    fqdn = _LED_FQDN.search(last_error[:65536])
    ip = _LED_IP.search(last_error[:65536])
    host = fqdn.group(1) if fqdn else None
    if host is None and next_hop and registry.role(next_hop.strip()) == "exchange":
        host = next_hop.strip()
    return host, ip.group(1).lower() if ip else None


def _display(ident: str, fact: Fact, registry: HostRegistry) -> dict[str, Any]:
    data = {k: v for k, v in fact.__dict__.items() if k not in _NOT_CONTENT}
    data["id"] = ident
    if fact.type in ("exchange_server", "domain_controller"):
        if not data.get("fqdn"):
            data["fqdn"] = registry.fqdn(fact.name)
        if fact.type == "exchange_server" and not data.get("account"):
            data["account"] = short_name(fact.name).upper() + "$"
    if fact.type in ("exchange_server", "domain_controller"):
        data["short_name"] = fact.name.strip().split(".", 1)[0]
    if fact.type == "clock_offset":
        data["host_role"] = registry.role(fact.host)
        data["reference_role"] = registry.role(fact.reference)
    if fact.type == "queue":
        data["peer_host"], data["peer_ip"] = queue_peer(fact.last_error, fact.next_hop, registry)
    if fact.type == "event":
        data["client_ip"] = event_client_ip(fact.message)
        data["smtp_spn"], data["spn_target"] = event_smtp_spn(fact.message)
    if fact.type == "kerberos_error":
        data["code"] = kerberos_code(fact.code)
        host = spn_host(fact.target) if fact.target else None
        data["target_host"] = host.split(".", 1)[0].upper() if host else None
    if fact.type in ("spn_query", "spn_duplicate"):
        host = spn_host(fact.spn)
        data["spn_host"] = host.split(".", 1)[0].upper() if host else None
    if fact.type == "spn_query":
        data["holders"] = len(fact.accounts)
        # whether the computer account of the host the SPN names is among its holders
        owner = host.split(".", 1)[0] if host else None
        data["owner_holds"] = int(any(account_name(a) == owner for a in fact.accounts))
    if fact.type == "spn_duplicate":
        owner = (data["spn_host"] or "").lower()
        others = sorted({account_name(a).upper() for a in fact.accounts} - {owner.upper()})
        data["remove_from"] = " ".join(others) if others else None
    return data


def _normal(kind: FieldKind | None, value: Any, registry: HostRegistry) -> Any:
    if type(value) is str:
        if kind is None:
            return value
        if kind is FieldKind.HOST:
            return registry.key(value)
        if kind is FieldKind.ACCOUNT:
            return account_name(value)
        return spn_name(value)
    if isinstance(value, list):
        return [_normal(kind, v, registry) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return matchable_number(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return _normal(kind, str(value), registry)


@dataclass(frozen=True)
class _Plan:
    """What preparing a fact of one type takes, worked out once per compiled rule base."""

    derive: tuple[tuple[str, str, tuple[str, ...]], ...]  # field, template, fields it reads
    fields: tuple[tuple[str, FieldKind | None], ...]  # matched fields and their kinds
    features: tuple[Any, ...]
    members: tuple[str, ...]  # list fields asserted as member facts


def _plan(compiled: Compiled, fact_type: str) -> _Plan:
    plan = compiled.plans.get(fact_type)
    if plan is None:
        plan = _Plan(
            derive=tuple(
                (name, template, _template_fields(template))
                for name, template in compiled.base.derive.get(fact_type, {}).items()
            ),
            fields=tuple(
                (name, _kind(fact_type, name))
                for name in sorted(compiled.used_fields.get(fact_type, ()))
            ),
            features=tuple(compiled.features.get(fact_type, ())),
            members=tuple(sorted(compiled.members.get(fact_type, ()))),
        )
        compiled.plans[fact_type] = plan
    assert isinstance(plan, _Plan)
    return plan


def _prepare_one(
    ident: str, fact: Fact, registry: HostRegistry, compiled: Compiled
) -> PreparedFact:
    fact_type = fact.type
    plan = _plan(compiled, fact_type)
    display = _display(ident, fact, registry)
    for name, template, reads in plan.derive:
        if any(display.get(f) is None for f in reads):
            display[name] = None
        else:
            display[name] = render(template, display).lower()
    match: dict[str, Any] = {"id": ident, TYPE: fact_type}
    for name, kind in plan.fields:
        value = display.get(name)
        if value is not None:
            match[name] = _normal(kind, value, registry)
    for feature in plan.features:
        source = display.get(feature.field)
        if feature.kind in ("has", "may_be"):
            source = match.get(
                feature.field, _normal(_kind(fact_type, feature.field), source, registry)
            )
        elif feature.kind == "short":
            source = match.get(feature.field)
            match[feature.name] = None if source is None else short_name(host_name(str(source)))
            continue
        value = feature.compute(source)
        if value is not None:
            match[feature.name] = value
    return PreparedFact(ident, fact, display, match, fact_type)


_TEMPLATE_FIELDS: dict[str, tuple[str, ...]] = {}


def _template_fields(template: str) -> tuple[str, ...]:
    cached = _TEMPLATE_FIELDS.get(template)
    if cached is None:
        from kbdoctor.engine.templates import placeholders

        cached = tuple(name for name, _ in placeholders(template))
        _TEMPLATE_FIELDS[template] = cached
    return cached


def parent_id(ident: str) -> str:
    """The fact a member fact stands for (a member's id is its parent's plus ``#field index``)."""
    return ident.split("#", 1)[0]


def member_facts(
    prepared: PreparedFact, compiled: Compiled, registry: HostRegistry
) -> list[dict[str, Any]]:
    """One member fact per distinct item of each list field that a rule joins on with
    ``contains_ref``; it carries the parent's match fields and points back to it (``kbd_ref``)."""
    out: list[dict[str, Any]] = []
    for list_field in _plan(compiled, prepared.type).members:
        mtype = member_type(prepared.type, list_field)
        base = {k: v for k, v in prepared.match.items() if k != list_field}
        items = _normal(
            _kind(prepared.type, list_field), prepared.display.get(list_field) or [], registry
        )
        seen: set[Any] = set()
        for index, value in enumerate(items):
            if value in seen:
                continue
            seen.add(value)
            out.append(
                {
                    **base,
                    "id": f"{prepared.id}#{list_field}{index}",
                    TYPE: mtype,
                    ITEM: value,
                    REF: prepared.id,
                }
            )
    return out
