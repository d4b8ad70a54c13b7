"""What the live probes share: the options of one collection, a probe's result and errors, and
the provenance every live fact carries."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from kbdoctor.engine.facts import Fact, Source

COLLECTOR = "live"


class Secret:
    """A password that does not show itself: ``repr`` and ``str`` hide it, so that no log line,
    traceback or error message built from an object holding it can carry it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def scrub(self, text: str) -> str:
        """``text`` with the password (if it is in it) replaced by ``***``."""
        return text.replace(self._value, "***") if self._value else text

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


@dataclasses.dataclass(frozen=True)
class LiveOptions:
    """One live collection, as the command line gives it."""

    domain: str
    dcs: tuple[str, ...] = ()
    exchange: tuple[str, ...] = ()
    user: str | None = None
    password: Secret | None = None
    ca_file: str | None = None
    insecure: bool = False
    timeout: float = 5.0
    dns_server: str | None = None
    local_host: str | None = None  # --host: the collecting machine is this (an Exchange server)
    tickets: bool = False  # --tickets: ask the KDCs for SMTPSVC/<fqdn> service tickets
    # Without --user: the principal of the caller's Kerberos ticket, which binds with GSSAPI.
    kerberos_principal: str | None = None

    @property
    def authenticated(self) -> bool:
        """Whether the directory is read with a bind (a user and password, or the caller's
        Kerberos ticket) rather than anonymously (the rootDSE only)."""
        return bool(self.user) or self.kerberos_principal is not None

    def bind_description(self) -> str:
        """How the LDAP binds authenticate, for the fact file's environment (never a secret)."""
        if self.user:
            return f"simple bind as {self.user}"
        if self.kerberos_principal is not None:
            return f"GSSAPI with the Kerberos ticket of {self.kerberos_principal}"
        return "anonymous: the rootDSE only"


@dataclasses.dataclass(frozen=True)
class ProbeError:
    """A probe that could not say what it was asked: which probe, against which host, and why
    (never a password: messages go through :meth:`Secret.scrub`)."""

    probe: str
    host: str
    error: str

    def render(self) -> str:
        return f"{self.probe} {self.host}: {self.error}"


@dataclasses.dataclass
class ProbeResult:
    facts: list[Fact] = dataclasses.field(default_factory=list)
    errors: list[ProbeError] = dataclasses.field(default_factory=list)

    def extend(self, other: ProbeResult) -> None:
        self.facts.extend(other.facts)
        self.errors.extend(other.errors)


def now() -> datetime:
    return datetime.now(UTC)


def provenance(reader: str, host: str, command: str | None = None) -> Source:
    """The ``source`` (``origin``) of a live fact: the probe, the collecting machine and what
    was asked of which server."""
    return Source(collector=COLLECTOR, reader=reader, host=host, command=command)


def describe(error: BaseException) -> str:
    """A one-line description of an error, its class named (a timeout's message is often
    empty)."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    name = type(error).__name__
    return f"{name}: {text}" if text else name
