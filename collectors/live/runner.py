"""One live collection: every probe of every DC at once, each with its own timeout, then what
the directory says about the DCs and the Exchange servers, turned into facts/1 facts.

Probes run on a thread pool (each one blocks on its own socket with ``--timeout``), so the whole
collection takes about as long as the slowest probe, not the sum of them. The directory's
questions start as soon as one DC has answered its rootDSE. A probe that fails is a
:class:`ProbeError` (and, for a port, a ``port_state`` of ``unknown``, ``closed`` or
``filtered``, as observed); nothing a server does ends the collection.

Clocks: the collecting machine measures each DC by SNTP and by the rootDSE's ``currentTime``.
Those are offsets of *the collecting machine* (named by ``--host``, so an Exchange server when
kbdoctor runs on one and is told so, else its own host name); the offset between two DCs follows
from the two measurements and is a fact of its own (``source.inferred`` says how it was made).
"""

from __future__ import annotations

import concurrent.futures as futures
import dataclasses
import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from kbdoctor.collectors.live import dns_srv, kerberos, ldap_dir, ports, replication, sntp
from kbdoctor.collectors.live.batches import Batches, FactSink
from kbdoctor.collectors.live.dns_srv import Target
from kbdoctor.collectors.live.model import (
    COLLECTOR,
    LiveOptions,
    ProbeError,
    ProbeResult,
    describe,
    now,
    provenance,
)
from kbdoctor.collectors.live.pool import Counter, ProbePool
from kbdoctor.collectors.parsing.exchange_flags import AUTH_MECHANISMS, decode_flags
from kbdoctor.engine.facts import (
    ClockOffset,
    DomainController,
    ExchangeServer,
    Fact,
    KerberosError,
    PortState,
    ReceiveConnector,
    ReplicationLink,
    Source,
    SpnListing,
    SpnQuery,
)
from kbdoctor.engine.facts import ProbeError as ProbeErrorFact

Progress = Callable[[str], None]
_T = TypeVar("_T")


INCOMPLETE = "kbdoctor.live.incomplete"  # environment key of a collection cut short
CANCEL_POLL_S = 0.05  # how often a cancellable collection looks at its cancel event


class _Cancelled(Exception):
    """The caller's cancel event was set while the collection ran."""


@dataclasses.dataclass
class LiveResult:
    facts: list[Fact]
    errors: list[ProbeError]
    environment: dict[str, str]
    seconds: float
    interrupted: bool = False


@dataclasses.dataclass
class _DcState:
    target: Target
    root: ldap_dir.RootDse | None = None
    sntp_offset: float | None = None  # local minus DC

    @property
    def name(self) -> str:
        if self.root is not None and self.root.dns_host_name:
            return self.root.dns_host_name
        return self.target.name.lower()


def expected_spns(name: str, fqdn: str | None) -> list[str]:
    """The four SPNs KB 979174 step 3 expects on an Exchange server's computer account."""
    short = name.split(".")[0]
    hosts = [short] + ([fqdn] if fqdn else [])
    return [f"{service}/{host}" for service in ("SMTP", "SMTPSVC") for host in hosts]


def collect(
    opts: LiveOptions,
    progress: Progress | None = None,
    on_count: Counter | None = None,
    *,
    on_facts: FactSink | None = None,
    cancel: threading.Event | None = None,
) -> LiveResult:
    """Run every probe; never raises for what a server does or does not do. ``on_count`` hears
    (probes done, probes started) as they change. ``on_facts`` hears, on the collecting
    thread, each batch of facts as it becomes final (a DC's clock, its ports, a directory
    read, the probe errors so far): every fact of the result exactly once, the same objects.

    Ctrl-C (KeyboardInterrupt) ends the waiting: what was gathered by then is returned, marked
    ``interrupted``, and the probes still running are abandoned. Setting ``cancel`` does the
    same from another thread (the TUI's stop key): the result is then exactly what ``on_facts``
    was given, marked ``cancelled``, and no callback is called any more."""
    started = time.monotonic()
    say = progress or (lambda _line: None)
    local = collected_by(opts)
    result = ProbeResult()
    incomplete: str | None = None
    batches = Batches(on_facts, lambda error: _error_fact(error, local))
    counted: Counter | None = None
    if on_count is not None:
        count = on_count

        def gated(done: int, begun: int) -> None:
            batches.gate(lambda: count(done, begun))

        counted = gated

    def gather() -> None:
        _gather(opts, local, result, batches, say, counted)

    try:
        if cancel is None:
            gather()
        else:
            _until_cancelled(cancel, gather)
    except KeyboardInterrupt:
        incomplete = "interrupted"
    except _Cancelled:
        incomplete = "cancelled"
    if incomplete is not None and cancel is not None:  # the gathering thread may still add
        facts, errors = batches.close()
    else:
        facts, errors = batches.finish(result), result.errors
    return LiveResult(
        facts=facts,
        errors=errors,
        environment=live_environment(opts, errors, incomplete),
        seconds=time.monotonic() - started,
        interrupted=incomplete is not None,
    )


def collected_by(opts: LiveOptions) -> str:
    """The collecting machine as its facts name it: ``--host``, else its own host name."""
    return opts.local_host or socket.gethostname()


def live_environment(
    opts: LiveOptions, errors: list[ProbeError], incomplete: str | None = None
) -> dict[str, str]:
    """The fact file's ``environment`` of a collection: domain, collecting machine, how it
    bound, why it is incomplete (``interrupted``, ``cancelled``, ...), and each probe error."""
    environment = {
        "kbdoctor.live.domain": opts.domain,
        "kbdoctor.live.collected_by": collected_by(opts),
        "kbdoctor.live.bind": opts.bind_description(),
    }
    if incomplete is not None:
        environment[INCOMPLETE] = incomplete
    if opts.insecure:
        environment["kbdoctor.live.tls"] = "insecure: certificates were not checked (--insecure)"
    for index, problem in enumerate(errors, 1):
        environment[f"kbdoctor.live.error.{index}"] = problem.render()[:2000]
    return environment


def _until_cancelled(cancel: threading.Event, work: Callable[[], None]) -> None:
    """Run ``work`` on a thread of its own and wait until it ends or ``cancel`` is set
    (:class:`_Cancelled`); a cancelled ``work`` is abandoned (a daemon thread, its probes
    bounded by their own timeouts)."""
    finished = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # handed to the waiting caller
            failure.append(error)
        finally:
            finished.set()

    threading.Thread(target=run, name="kbdoctor-live-collect", daemon=True).start()
    while not finished.wait(CANCEL_POLL_S):
        if cancel.is_set():
            raise _Cancelled
    if failure:
        raise failure[0]


def _gather(
    opts: LiveOptions,
    local: str,
    result: ProbeResult,
    batches: Batches,
    say: Progress,
    on_count: Counter | None,
) -> None:
    """Discover and resolve the DCs, then probe them (into ``result``)."""
    if opts.exchange and not opts.authenticated:
        result.errors.append(
            ProbeError(
                "ldap",
                opts.domain,
                "--exchange needs --user or a Kerberos ticket: computer accounts and SPNs "
                "are not read anonymously",
            )
        )
    names = list(opts.dcs)
    if not names:
        try:
            names = dns_srv.discover_dcs(opts.domain, opts.dns_server, opts.timeout)
            say(f"DNS SRV: {len(names)} DC(s): {', '.join(names)}")
        except dns_srv.DiscoveryError as error:
            result.errors.append(ProbeError("dns-srv", opts.domain, str(error)))
    batches.send(result)
    # Every probe blocks on its own socket: a thread each, so none waits for another's
    # timeout.
    workers = max(8, min(1024, len(names) * 14 + len(opts.exchange) + 4))
    pool = ProbePool(workers, on_count)
    try:
        targets = pool.map(lambda n: dns_srv.resolve(n, opts.dns_server, opts.timeout), names)
        states = [_DcState(t) for t in targets]
        _probe_dcs(pool, opts, local, states, result, batches, say)
    finally:
        pool.shutdown()


def _error_fact(error: ProbeError, local: str) -> Fact:
    """A probe without an answer as a ``probe_error`` fact: what was not observed, and why."""
    return ProbeErrorFact(
        host=error.host or "-",
        probe=error.probe,
        error=error.error[:2000] or "no detail",
        provenance=provenance(error.probe, local),
        observed_at=now(),
    )


def _probe_dcs(
    pool: ProbePool,
    opts: LiveOptions,
    local: str,
    states: list[_DcState],
    result: ProbeResult,
    batches: Batches,
    say: Progress,
) -> None:
    guard = opts.timeout * 4 + 2  # a probe stuck beyond its own timeouts is abandoned
    roots: dict[futures.Future[ldap_dir.RootDse], _DcState] = {}
    clocks: dict[futures.Future[sntp.SntpReading], _DcState] = {}
    port_jobs: dict[futures.Future[tuple[ports.State, str | None]], tuple[_DcState, int, str]] = {}
    for state in states:
        target = state.target
        if target.address is None:
            result.errors.append(ProbeError("resolve", target.name, target.error or "no address"))
            continue
        roots[pool.submit(_root_dse, target, opts)] = state
        clocks[pool.submit(sntp.query, target.address, opts.timeout)] = state
        for port in ports.TCP_PORTS:
            tcp = pool.submit(ports.probe_tcp, target.address, port, opts.timeout)
            port_jobs[tcp] = (state, port, "tcp")
        for port in ports.UDP_PORTS:
            udp = pool.submit(ports.probe_udp, target.address, port, opts.timeout, opts.domain)
            port_jobs[udp] = (state, port, "udp")

    directory: list[futures.Future[ProbeResult]] = []
    deadline = time.monotonic() + guard
    try:
        for root_job in futures.as_completed(roots, timeout=guard):
            state = roots[root_job]
            try:
                state.root = root_job.result()
                say(f"LDAP {state.name}: rootDSE over {state.root.transport}")
            except Exception as error:
                result.errors.append(ProbeError("ldap-rootdse", state.target.name, str(error)))
                continue
            if not directory and opts.authenticated:
                directory = _ask_directory(pool, opts, local, state)
            if opts.authenticated:  # repsFrom is not replicated: each DC is asked for its own links
                directory.append(pool.submit(_replication, state.target, state.root, opts, local))
    except futures.TimeoutError:
        for root_job, state in roots.items():
            if not root_job.done():
                result.errors.append(
                    ProbeError("ldap-rootdse", state.target.name, f"no answer within {guard:g} s")
                )
    if not directory and opts.authenticated:
        result.errors.append(ProbeError("ldap", opts.domain, "no DC answered over LDAP"))
    batches.send(result)

    for clock_job, state in clocks.items():
        try:
            reading = clock_job.result(timeout=max(0.0, deadline - time.monotonic()))
        except futures.TimeoutError:
            result.errors.append(ProbeError("sntp", state.name, f"no answer within {guard:g} s"))
            continue
        except Exception as error:
            result.errors.append(ProbeError("sntp", state.name, describe(error)))
            continue
        state.sntp_offset = sntp.local_minus_server(reading)
        if not opts.local_host:
            continue
        result.facts.append(
            ClockOffset(
                host=local,
                reference=state.name,
                offset_s=round(state.sntp_offset, 3),
                provenance=provenance("sntp", local, f"SNTP {state.target.address}:123"),
                observed_at=now(),
            )
        )
        batches.send(result)  # this DC's clock
    if not opts.local_host and any(state.sntp_offset is not None for state in states):
        # Which part this machine plays (an Exchange server, an admin's laptop) is not known,
        # so its offset to a DC is no Kerberos pair: only the DCs' offsets to each other are.
        result.errors.append(
            ProbeError(
                "sntp",
                local,
                "this machine's own offsets are not kept as facts: give --host NAME when "
                "kbdoctor runs on that Exchange server",
            )
        )
    for state in states:
        root = state.root
        if opts.local_host and root is not None and root.offset_s is not None:
            result.facts.append(
                ClockOffset(
                    host=local,
                    reference=state.name,
                    offset_s=round(root.offset_s, 1),
                    provenance=provenance(
                        "ldap-rootdse-currenttime", local, f"LDAP rootDSE currentTime {state.name}"
                    ),
                    observed_at=root.observed_at,
                )
            )
    result.facts.extend(_dc_pairs(states, local))
    batches.send(result)  # every clock

    owners = [job[0] for job in port_jobs.values()]  # the DC of each port probe, in order
    for number, (port_job, (state, port, protocol)) in enumerate(port_jobs.items(), 1):
        port_state: ports.State
        try:
            port_state, why = port_job.result(timeout=max(0.0, deadline - time.monotonic()))
        except futures.TimeoutError:
            port_state, why = "unknown", f"the probe did not finish within {guard:g} s"
        except Exception as error:
            port_state, why = "unknown", describe(error)
        if port_state == "unknown" and why:
            result.errors.append(ProbeError(f"port-{protocol}-{port}", state.name, why))
        result.facts.append(
            PortState(
                source=local,
                target=state.name,
                port=port,
                protocol="tcp" if protocol == "tcp" else "udp",
                state=port_state,
                provenance=provenance(
                    f"port-{protocol}", local, f"{protocol.upper()} {state.target.address}:{port}"
                ),
                observed_at=now(),
            )
        )
        if number == len(owners) or owners[number] is not state:
            batches.send(result)  # this DC's ports

    listed: dict[str, ldap_dir.DirectoryDc] = {}
    configured: list[ldap_dir.ExchangeConfigServer] = []
    for dir_job in directory:  # grows while read: the configuration names servers to ask about
        try:
            part = dir_job.result(timeout=max(0.0, deadline - time.monotonic()) + guard)
        except futures.TimeoutError:
            result.errors.append(ProbeError("ldap", opts.domain, f"no answer within {guard:g} s"))
            continue
        except Exception as error:
            result.errors.append(ProbeError("ldap", opts.domain, describe(error)))
            continue
        result.extend(part)
        batches.send(result, hold=(ExchangeServer,))  # completed by the configuration below
        if isinstance(part, _ConfigPart) and part.target and part.root:
            configured = part.servers
            if configured and not opts.exchange:
                names = [c.name for c in configured]
                args = (part.target, part.root, opts, local, names)
                directory.append(pool.submit(_exchange_servers, *args))
                deadline = max(deadline, time.monotonic() + guard)
    result.facts[:] = complete_servers(result.facts, configured, opts.exchange, local)
    batches.send(result)  # the Exchange servers, complete
    result.extend(_tickets(opts, local, states, result.facts))
    batches.send(result)
    for fact in result.facts:
        if isinstance(fact, DomainController):
            listed[fact.name.lower()] = ldap_dir.DirectoryDc(
                name=fact.fqdn or fact.name, site=fact.site, pdc=bool(fact.pdc)
            )
    for state in states:
        address = _is_address(state.name)
        short = state.name if address else state.name.split(".")[0].upper()
        if short.lower() in listed:
            continue
        fqdn = state.name if "." in state.name and not address else None
        result.facts.append(
            DomainController(
                name=short,
                fqdn=fqdn,
                provenance=provenance(
                    "ldap-rootdse" if state.root else "option-dc",
                    local,
                    f"LDAP rootDSE dnsHostName {state.target.address}" if state.root else None,
                ),
                observed_at=now(),
            )
        )


def _tickets(
    opts: LiveOptions, local: str, states: list[_DcState], facts: list[Fact]
) -> ProbeResult:
    """``SMTPSVC/<fqdn>`` tickets for the Exchange servers found, from the DCs probed as KDCs;
    a Kerberos error is a ``kerberos_error`` of the collecting machine."""
    result = ProbeResult()
    spns = [f"SMTPSVC/{f.fqdn}" for f in facts if isinstance(f, ExchangeServer) and f.fqdn]
    kdcs = [s.target.address for s in states if s.target.address is not None]
    if not opts.tickets or not spns or not kdcs or not opts.authenticated:
        return result
    if not kerberos.available():
        result.errors.append(
            ProbeError("kerberos", opts.domain, "kinit/kvno (MIT Kerberos) not installed")
        )
        return result
    try:
        outcomes = kerberos.request_tickets(
            opts.domain, kdcs, opts.user, opts.password, spns, opts.timeout
        )  # without a user: the caller's ticket, copied into a private cache
    except (OSError, kerberos.KerberosUnavailable) as error:
        result.errors.append(ProbeError("kerberos", opts.domain, describe(error)))
        return result
    seen_kinit = False
    for outcome in outcomes:
        if outcome.code is None:
            continue
        if outcome.stage == "kinit":
            if seen_kinit:
                continue  # the user's own ticket failed: one fact, not one per SPN
            seen_kinit = True
            target = f"krbtgt/{opts.domain.upper()}"
            command = f"kinit {opts.user}"
        else:
            target = outcome.spn
            command = f"kvno {outcome.spn}"
        result.facts.append(
            KerberosError(
                host=local,
                code=outcome.code,
                target=target,
                message=outcome.message,
                provenance=provenance(f"kerberos-{outcome.stage}", local, command),
                observed_at=now(),
            )
        )
    return result


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _root_dse(target: Target, opts: LiveOptions) -> ldap_dir.RootDse:
    connection, transport = ldap_dir.connect(target, opts, bind=False)
    try:
        return ldap_dir.read_root_dse(connection, transport)
    finally:
        connection.unbind()


def _dc_pairs(states: list[_DcState], local: str) -> list[Fact]:
    """Offsets between DCs, from two measurements by the same machine: (L - A) - (L - B) is B
    minus A."""
    measured = [s for s in states if s.sntp_offset is not None]
    pairs: list[Fact] = []
    for index, first in enumerate(measured):
        for second in measured[index + 1 :]:
            assert first.sntp_offset is not None
            assert second.sntp_offset is not None
            pairs.append(
                ClockOffset(
                    host=second.name,
                    reference=first.name,
                    offset_s=round(first.sntp_offset - second.sntp_offset, 3),
                    provenance=Source(
                        collector=COLLECTOR,
                        reader="sntp",
                        host=local,
                        inferred=(
                            f"{local} measured both by SNTP: ({local} - {first.name}) - "
                            f"({local} - {second.name})"
                        ),
                    ),
                    observed_at=now(),
                )
            )
    return pairs


def _ask_directory(
    pool: ProbePool, opts: LiveOptions, local: str, state: _DcState
) -> list[futures.Future[ProbeResult]]:
    """The questions asked of the first DC that answered: its list of DCs, Exchange's
    configuration (servers and receive connectors) and, for servers named by ``--exchange``,
    their computer accounts and SPNs (for discovered servers, those follow the configuration)."""
    assert state.root is not None
    root = state.root
    jobs = [
        pool.submit(_dc_listing, state.target, root, opts, local),
        pool.submit(_exchange_config, state.target, root, opts, local),
    ]
    if opts.exchange:
        names = list(opts.exchange)
        jobs.append(pool.submit(_exchange_servers, state.target, root, opts, local, names))
    return jobs


def _read(target: Target, opts: LiveOptions, read: Callable[[Any], _T], *, gc: bool = False) -> _T:
    """Bind to a DC (or its Global Catalog), read, and unbind whatever the read did."""
    connection, _transport = ldap_dir.connect(target, opts, gc=gc)
    try:
        return read(connection)
    finally:
        connection.unbind()


def _replication(
    target: Target, root: ldap_dir.RootDse, opts: LiveOptions, local: str
) -> ProbeResult:
    """The inbound replication links of one DC, as ``repadmin /showrepl`` shows them."""
    result = ProbeResult()
    destination = root.dns_host_name or target.name
    contexts = list(root.naming_contexts) or [
        c for c in (root.default_nc, root.config_nc) if c is not None
    ]

    def read(connection: Any) -> tuple[replication.Partners, replication.Reading]:
        return replication.partners(connection, root), replication.inbound_links(
            connection, contexts
        )

    try:
        known, reading = _read(target, opts, read)
    except ldap_dir.DirectoryError as error:
        result.errors.append(ProbeError("ldap-replication", destination, str(error)))
        return result
    for problem in reading.problems:
        result.errors.append(ProbeError("ldap-replication", destination, problem))
    never = 0
    for link in reading.links:
        if link.last_attempt is None and link.last_success is None:
            never += 1  # never attempted: "successful" in repadmin, but nothing was tried
            continue
        source = known.name(link) or link.source_address or link.source_guid
        if source is None:
            result.errors.append(
                ProbeError(
                    "ldap-replication",
                    destination,
                    f"a link of {link.naming_context} names no source DC",
                )
            )
            continue
        result.facts.append(
            ReplicationLink(
                source=_short(source),
                destination=_short(destination),
                naming_context=link.naming_context,
                last_result=link.last_result,
                consecutive_failures=link.consecutive_failures,
                last_success=link.last_success,
                provenance=provenance(
                    f"ldap-{reading.reader}",
                    local,
                    f"LDAP {destination}: {reading.reader} of {link.naming_context}",
                ),
                observed_at=now(),
            )
        )
    if never:
        result.errors.append(
            ProbeError(
                "ldap-replication",
                destination,
                f"{never} inbound link(s) never attempted yet: no result to state",
            )
        )
    return result


def _short(host: str) -> str:
    """A DC as repadmin names it: its short name (a GUID-based address stays whole)."""
    if _is_address(host) or "._msdcs." in host.lower():
        return host
    return host.split(".")[0].upper()


def _dc_listing(
    target: Target, root: ldap_dir.RootDse, opts: LiveOptions, local: str
) -> ProbeResult:
    result = ProbeResult()
    try:
        listed = _read(target, opts, lambda c: ldap_dir.domain_controllers(c, root))
    except ldap_dir.DirectoryError as error:
        result.errors.append(ProbeError("ldap-dcs", target.name, str(error)))
        return result
    for dc in listed:
        result.facts.append(
            DomainController(
                name=dc.name.split(".")[0].upper(),
                fqdn=dc.name if "." in dc.name else None,
                site=dc.site,
                pdc=dc.pdc,
                provenance=provenance(
                    "ldap-ntdsdsa",
                    local,
                    f"LDAP {root.dns_host_name or target.name}: nTDSDSA objects, fSMORoleOwner",
                ),
                observed_at=now(),
            )
        )
    return result


@dataclasses.dataclass
class _ConfigPart(ProbeResult):
    """What Exchange's configuration says, and the DC it was read from (to ask it next for the
    computer accounts of the servers it lists)."""

    target: Target | None = None
    root: ldap_dir.RootDse | None = None
    servers: list[ldap_dir.ExchangeConfigServer] = dataclasses.field(default_factory=list)


def _exchange_config(
    target: Target, root: ldap_dir.RootDse, opts: LiveOptions, local: str
) -> ProbeResult:
    """The ``msExchExchangeServer`` objects and the receive connectors, in one bind (a
    :class:`_ConfigPart`)."""
    part = _ConfigPart(target=target, root=root)
    dc = root.dns_host_name or target.name

    def read(connection: Any) -> tuple[list[Any], list[ldap_dir.ConnectorEntry]]:
        return ldap_dir.exchange_servers(connection, root), ldap_dir.receive_connectors(
            connection, root
        )

    try:
        servers, connectors = _read(target, opts, read)
    except ldap_dir.DirectoryError as error:
        part.errors.append(ProbeError("ldap-exchange-config", dc, str(error)))
        return part
    part.servers = servers
    if not servers and not opts.exchange:
        part.errors.append(
            ProbeError(
                "ldap-exchange-servers",
                dc,
                "no msExchExchangeServer object in the configuration partition; name the "
                "servers with --exchange",
            )
        )
    wanted = {n.split(".")[0].lower() for n in opts.exchange}
    for entry in connectors:
        if wanted and (entry.server or "").lower() not in wanted:
            continue
        part.extend(connector_fact(entry, dc, local))
    return part


def connector_fact(entry: ldap_dir.ConnectorEntry, dc: str, local: str) -> ProbeResult:
    """A ``receive_connector`` fact as ``Get-ReceiveConnector`` would give it: AuthMechanism
    decoded from ``msExchSMTPReceiveInboundSecurityFlag`` with the importer's table. No
    PermissionGroups: the cmdlet derives them from the connector's ACL, which is not read, so
    the field stays empty rather than guessed. A connector whose server or flags cannot be read
    is an error, not a fact."""
    result = ProbeResult()
    if entry.server is None:
        result.errors.append(
            ProbeError("ldap-receive-connector", dc, f"{entry.dn}: no server above CN=Protocols")
        )
        return result
    decoded = (
        decode_flags(entry.security_flags, AUTH_MECHANISMS)
        if entry.security_flags is not None
        else None
    )
    if decoded is None:
        result.errors.append(
            ProbeError(
                "ldap-receive-connector",
                entry.server,
                f"{entry.server}\\{entry.name}: no msExchSMTPReceiveInboundSecurityFlag",
            )
        )
        return result
    if decoded.unknown:
        result.errors.append(
            ProbeError(
                "ldap-receive-connector",
                entry.server,
                f"{entry.server}\\{entry.name}: unknown AuthMechanism bits "
                f"{', '.join(decoded.unknown)} in msExchSMTPReceiveInboundSecurityFlag "
                f"{entry.security_flags}",
            )
        )
    result.facts.append(
        ReceiveConnector(
            server=entry.server,
            name=entry.name,
            auth_mechanisms=decoded.names,
            bindings=list(entry.bindings) or None,
            provenance=provenance(
                "ldap-receive-connector",
                local,
                f"LDAP {dc}: msExchSMTPReceiveInboundSecurityFlag of {entry.dn}",
            ),
            observed_at=now(),
        )
    )
    return result


def _exchange_servers(
    target: Target, root: ldap_dir.RootDse, opts: LiveOptions, local: str, names: list[str]
) -> ProbeResult:
    """The computer accounts of ``names`` (one search) and, in the Global Catalog, every
    account holding one of their SMTP/SMTPSVC SPNs (one search)."""
    result = ProbeResult()
    dc = root.dns_host_name or target.name
    try:
        found = _read(target, opts, lambda c: ldap_dir.computers(c, root, names))
    except ldap_dir.DirectoryError as error:
        result.errors.append(ProbeError("ldap-computer", dc, str(error)))
        return result
    wanted: list[str] = []
    for name in names:
        account = found.get(name)
        short = name.split(".")[0].upper()
        if account is None:
            result.errors.append(
                ProbeError(
                    "ldap-computer", name, f"no computer account {short}$ in {root.default_nc}"
                )
            )
            continue
        fqdn = account.dns_host_name or (name.lower() if "." in name else None)
        result.facts.append(
            ExchangeServer(
                name=short,
                fqdn=fqdn,
                account=account.account,
                provenance=provenance(
                    "ldap-computer", local, f"LDAP {dc}: computer {account.account}"
                ),
                observed_at=now(),
            )
        )
        result.facts.append(
            SpnListing(
                account=account.account,
                spns=list(account.spns),
                provenance=provenance(
                    "ldap-computer", local, f"LDAP {dc}: servicePrincipalName of {account.account}"
                ),
                observed_at=now(),
            )
        )
        for spn in [*expected_spns(short, fqdn), *account.spns]:
            if spn.split("/")[0].lower() in ("smtp", "smtpsvc") and spn.lower() not in {
                w.lower() for w in wanted
            }:
                wanted.append(spn)
    if not wanted:
        return result
    try:
        holders = _read(target, opts, lambda c: ldap_dir.spn_holders(c, root, wanted), gc=True)
    except ldap_dir.DirectoryError as error:
        result.errors.append(ProbeError("ldap-gc-spn", dc, str(error)))
        return result
    for spn, accounts in holders.items():
        result.facts.append(
            SpnQuery(
                spn=spn,
                accounts=accounts,
                provenance=provenance(
                    "ldap-gc-spn", local, f"LDAP GC {dc}: servicePrincipalName={spn}"
                ),
                observed_at=now(),
            )
        )
    return result


def complete_servers(
    facts: list[Fact],
    configured: list[ldap_dir.ExchangeConfigServer],
    named: tuple[str, ...],
    local: str,
) -> list[Fact]:
    """``facts`` with each ``exchange_server`` read from a computer account completed by its
    ``msExchExchangeServer`` object (FQDN when the account has none, site, version), and a fact
    of its own for each configured server without one (limited to ``named`` when given)."""
    by_name = {c.name.lower(): c for c in configured}
    wanted = {n.split(".")[0].lower() for n in named}
    done: set[str] = set()
    out: list[Fact] = []
    for fact in facts:
        config = by_name.get(fact.name.lower()) if isinstance(fact, ExchangeServer) else None
        if isinstance(fact, ExchangeServer) and config is not None:
            done.add(config.name.lower())
            fact = fact.model_copy(
                update={
                    "fqdn": fact.fqdn or config.fqdn,
                    "site": config.site,
                    "version": config.version,
                    "provenance": provenance(
                        "ldap-computer",
                        local,
                        f"{fact.provenance.command if fact.provenance else 'LDAP'}; "
                        f"msExchExchangeServer {config.dn}",
                    ),
                }
            )
        out.append(fact)
    return out + [
        ExchangeServer(
            name=c.name.upper(),
            fqdn=c.fqdn,
            site=c.site,
            version=c.version,
            provenance=provenance("ldap-exchange-server", local, f"LDAP {c.dn}"),
            observed_at=now(),
        )
        for c in configured
        if c.name.lower() not in done and (not wanted or c.name.lower() in wanted)
    ]
