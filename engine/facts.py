"""Fact file format version 1 (``kbdoctor: facts/1``): the public contract between collectors,
other tools and the engine.

These pydantic models are the single definition of the format; the JSON Schema shipped for editors
and other tools is generated from them (``kbdoctor schema facts``). Field annotations carry a
:class:`FieldKind` marker so that the engine knows, without a second table, which fields hold host
names, account names or SPNs and must be compared the way Windows compares them.
"""

from __future__ import annotations

import enum
import functools
from datetime import datetime
from typing import Annotated, Any, Literal

from kbdoctor.engine.json_schema import standard_bounds
from pydantic import (
    AliasChoices,
    AllowInfNan,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
)
from pydantic_core import PydanticCustomError


class FieldKind(enum.Enum):
    """How a string field is compared when rules match facts."""

    HOST = "host"  # case-insensitive; a short name matches its FQDN
    ACCOUNT = "account"  # case-insensitive; DOMAIN\\ prefix, @realm, DN and trailing $ ignored
    SPN = "spn"  # case-insensitive


def _not_bool(value: Any) -> Any:
    """YAML's and JSON's true and false are not numbers (pydantic would read them as 1 and 0),
    and neither is text: ``"300"`` is quoted, so whoever wrote it did not write a number (pydantic
    would convert it, and a rule's ``abs_gt: "300"`` would pass for a number)."""
    if isinstance(value, bool):
        raise PydanticCustomError("number_not_bool", "expected a number, not true or false")
    if isinstance(value, str):
        raise PydanticCustomError("number_not_text", "expected a number, not text")
    return value


# Numbers in fact files: finite (NaN would compare false with everything and so rule a cause out
# silently), never a boolean. The JSON Schema stays "number" / "integer".
Number = Annotated[float, AllowInfNan(False), BeforeValidator(_not_bool)]
WholeNumber = Annotated[int, BeforeValidator(_not_bool)]

HostName = Annotated[str, Field(min_length=1), FieldKind.HOST]
AccountName = Annotated[str, Field(min_length=1), FieldKind.ACCOUNT]
Spn = Annotated[str, Field(min_length=1), FieldKind.SPN]


class FieldChange(BaseModel):
    """One field a person changed: its value as collected and the value given instead."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str
    old: Any = None
    new: Any = None


class WhatIf(BaseModel):
    """A person's what-if change to a collected fact (kbdoctor tui), kept when the facts are
    saved so that a shared file never passes an edited value off as collected: ``edited``
    names each field's old and new value; ``disabled`` keeps the fact in the file, and the
    engine leaves it out of every evaluation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Literal["edited", "disabled"]
    changes: list[FieldChange] | None = None
    by: str | None = Field(None, description="who made the change (the user name)")
    at: datetime | None = Field(None, description="when the change was made")


class Source(BaseModel):
    """Where a fact came from, so that every conclusion can be traced back to material."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    collector: str | None = Field(None, description="what produced the fact: import, live, manual")
    reader: str | None = Field(None, description="the reader or probe, for example setspn-L")
    command: str | None = Field(None, description="the command whose output was read")
    file: str | None = None
    line: WholeNumber | None = Field(None, ge=1)
    line_end: WholeNumber | None = Field(None, ge=1)
    host: str | None = Field(None, description="the machine the material was collected on")
    inferred: str | None = Field(None, description="how a fact that was inferred was inferred")
    what_if: WhatIf | None = Field(None, description="a person's change to the fact as collected")


def is_disabled(fact: Any) -> bool:
    """Whether a person disabled the fact in a what-if (kept in the file, never evaluated)."""
    provenance = getattr(fact, "provenance", None)
    what_if = provenance.what_if if provenance is not None else None
    return what_if is not None and what_if.status == "disabled"


class _Fact(BaseModel):
    """Common fields. Provenance is written ``source`` (as the format says), except in the three
    types whose own data has a field called ``source`` (replication_link, port_state, event):
    there it is written ``origin``. ``origin`` is accepted on every type."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    provenance: Source | None = Field(
        None,
        validation_alias=AliasChoices("source", "origin"),
        serialization_alias="source",
        description="what produced the fact: collector, command, file and line",
    )
    observed_at: datetime | None = None


_ORIGIN = Field(
    None,
    validation_alias="origin",
    serialization_alias="origin",
    description="what produced the fact (written origin: this type has a source field of its own)",
)


class ExchangeServer(_Fact):
    type: Literal["exchange_server"] = "exchange_server"
    name: HostName
    fqdn: HostName | None = None
    account: AccountName | None = Field(None, description="computer account; default NAME$")
    site: str | None = None
    version: str | None = None
    ip_addresses: list[str] | None = Field(
        None,
        description="the server's IP addresses, so that an event naming a client IP names a server",
    )


class DomainController(_Fact):
    type: Literal["domain_controller"] = "domain_controller"
    name: HostName
    fqdn: HostName | None = None
    site: str | None = None
    pdc: bool | None = None


class ClockOffset(_Fact):
    type: Literal["clock_offset"] = "clock_offset"
    host: HostName
    reference: HostName
    offset_s: Number = Field(description="host clock minus reference clock, in seconds, signed")


class ReplicationLink(_Fact):
    type: Literal["replication_link"] = "replication_link"
    provenance: Source | None = _ORIGIN
    source: HostName = Field(description="the DSA replicated from")
    destination: HostName
    naming_context: str | None = None
    last_result: WholeNumber = Field(description="0 = success; otherwise the Win32 error code")
    consecutive_failures: WholeNumber | None = Field(None, ge=0)
    last_success: datetime | None = None


class SpnListing(_Fact):
    type: Literal["spn_listing"] = "spn_listing"
    account: AccountName
    spns: list[Spn] = Field(description="the complete list registered on the account")


class SpnDuplicate(_Fact):
    type: Literal["spn_duplicate"] = "spn_duplicate"
    spn: Spn
    accounts: list[AccountName] = Field(min_length=2)


class PortState(_Fact):
    type: Literal["port_state"] = "port_state"
    provenance: Source | None = _ORIGIN
    source: HostName = Field(description="the host that probed the port")
    target: HostName
    port: WholeNumber = Field(ge=1, le=65535)
    protocol: Literal["tcp", "udp"]
    state: Literal["open", "closed", "filtered", "unknown"]


class ReceiveConnector(_Fact):
    type: Literal["receive_connector"] = "receive_connector"
    server: HostName
    name: str = Field(min_length=1)
    auth_mechanisms: list[str]
    permission_groups: list[str] | None = None
    bindings: list[str] | None = None


class Queue(_Fact):
    type: Literal["queue"] = "queue"
    server: HostName
    last_error: str
    identity: str | None = None
    next_hop: str | None = None
    status: str | None = None
    message_count: WholeNumber | None = Field(None, ge=0)


class Event(_Fact):
    type: Literal["event"] = "event"
    host: HostName
    provenance: Source | None = _ORIGIN
    source: str = Field(description="the event source (provider), as Windows names it")
    event_id: WholeNumber
    message: str
    log: str | None = None
    level: str | None = None
    time: datetime | None = None


class KerberosError(_Fact):
    type: Literal["kerberos_error"] = "kerberos_error"
    host: HostName
    code: str = Field(min_length=1, description="for example KRB_AP_ERR_SKEW")
    target: str | None = None
    message: str | None = None


class TimeStatus(_Fact):
    """Extension of facts/1: the time service state of one machine (``w32tm /query /status``).
    A DC on "Local CMOS Clock" or a PDC on "Free-running System Clock" drifts unchecked."""

    type: Literal["time_status"] = "time_status"
    host: HostName
    time_source: str = Field(min_length=1, description="as w32tm prints it: a peer or a clock")
    stratum: WholeNumber | None = Field(None, ge=0)
    leap_indicator: WholeNumber | None = Field(None, ge=0, le=3)
    last_sync: datetime | None = None
    phase_offset_s: Number | None = None
    peers: list[HostName] | None = None


class SpnQuery(_Fact):
    """Extension of facts/1: the accounts that hold one SPN (``setspn -Q``); an empty list is
    "No such SPN found"."""

    type: Literal["spn_query"] = "spn_query"
    spn: Spn
    accounts: list[AccountName]


class CheckRun(_Fact):
    """Extension of facts/1: a check that ran and how many problems it found, so that a clean
    result is evidence (``setspn -X`` finding 0 duplicates) and not merely missing facts."""

    type: Literal["check_run"] = "check_run"
    check: Literal["spn_duplicates", "replication", "kerberos_ports", "connectors", "clocks"]
    scope: str | None = Field(None, description="domain or forest the check covered")
    found: WholeNumber = Field(ge=0, description="how many problems the check reported")


class ProbeError(_Fact):
    """Extension of facts/1: a live probe that got no usable answer (a DC that does not answer,
    a refused bind, a certificate that failed its check). It says what could not be observed and
    why, never what state a thing is in: no rule concludes anything from it, and it is kept in
    the fact file and the report so that a reader sees what is missing."""

    type: Literal["probe_error"] = "probe_error"
    host: HostName = Field(description="the server (or domain) the probe asked")
    probe: str = Field(
        min_length=1,
        description="which probe: sntp, ldap-..., port-tcp-88 / port-udp-88, kerberos, "
        "ldap-replication, dns-srv, resolve",
    )
    error: str = Field(min_length=1, description="what went wrong, as the probe saw it")


FACT_MODELS: tuple[type[_Fact], ...] = (
    ExchangeServer,
    DomainController,
    ClockOffset,
    ReplicationLink,
    SpnListing,
    SpnDuplicate,
    PortState,
    ReceiveConnector,
    Queue,
    Event,
    KerberosError,
    TimeStatus,
    SpnQuery,
    CheckRun,
    ProbeError,
)

Fact = Annotated[
    ExchangeServer
    | DomainController
    | ClockOffset
    | ReplicationLink
    | SpnListing
    | SpnDuplicate
    | PortState
    | ReceiveConnector
    | Queue
    | Event
    | KerberosError
    | TimeStatus
    | SpnQuery
    | CheckRun
    | ProbeError,
    Field(discriminator="type"),
]

FACT_TYPES: dict[str, type[_Fact]] = {m.model_fields["type"].default: m for m in FACT_MODELS}


class FactFile(BaseModel):
    """A whole fact file; several are merged before evaluation."""

    model_config = ConfigDict(extra="forbid")

    kbdoctor: Literal["facts/1"]
    collected_at: datetime | None = None
    environment: dict[str, str] | None = Field(
        None, description="free-form labels such as organisation or site"
    )
    facts: list[Fact]


FACT_FILE_ADAPTER: TypeAdapter[FactFile] = TypeAdapter(FactFile)


# Fields the engine completes on facts before matching, usable in rules like given fields
# (name -> True when numeric). Documented in README's rule-language section.
COMPUTED_FIELDS: dict[str, dict[str, bool]] = {
    "exchange_server": {"short_name": False},
    "domain_controller": {"short_name": False},
    "kerberos_error": {"target_host": False},
    "spn_query": {"spn_host": False, "holders": True, "owner_holds": True},
    "spn_duplicate": {"spn_host": False, "remove_from": False},
    # dc, exchange, member or outside: what the facts make of each clock's machine
    "clock_offset": {"host_role": False, "reference_role": False},
    # the client IP in brackets (Event 1035); the SMTPSVC/<host> SPN an event names and its host
    "event": {"client_ip": False, "smtp_spn": False, "spn_target": False},
    # the server a queue could not reach: LastError's {FQDN=} (else next_hop) and {IP=}
    "queue": {"peer_host": False, "peer_ip": False},
}


@functools.cache
def field_kind(fact_type: str, field: str) -> FieldKind | None:
    """The comparison kind of a field (None for plain values). Cached: the models never change,
    and the TUI asks for every field of every fact."""
    model = FACT_TYPES[fact_type]
    info = model.model_fields.get(field)
    if info is None:
        return None
    for marker in info.metadata:
        if isinstance(marker, FieldKind):
            return marker
    annotation = info.annotation
    for arg in getattr(annotation, "__args__", ()):
        kind = _kind_of(arg)
        if kind is not None:
            return kind
    return _kind_of(annotation)


def _kind_of(annotation: Any) -> FieldKind | None:
    for marker in getattr(annotation, "__metadata__", ()):
        if isinstance(marker, FieldKind):
            return marker
    for arg in getattr(annotation, "__args__", ()):
        kind = _kind_of(arg)
        if kind is not None:
            return kind
    return None


@functools.cache
def fact_fields(fact_type: str) -> tuple[str, ...]:
    """The data fields of a fact type (without type, provenance and observed_at)."""
    model = FACT_TYPES[fact_type]
    return tuple(
        name for name in model.model_fields if name not in ("type", "provenance", "observed_at")
    )


def facts_json_schema() -> dict[str, Any]:
    """JSON Schema of a fact file, for editors and for other tools that write fact files."""
    schema = standard_bounds(FACT_FILE_ADAPTER.json_schema())
    schema["$id"] = "https://kbdoctor.invalid/schema/facts-1.json"
    schema["title"] = "kbdoctor fact file, version 1"
    return schema
