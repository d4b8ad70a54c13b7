"""The directory over LDAP (ldap3), always over TLS: LDAPS (636, the Global Catalog on 3269)
first, StartTLS on 389 (3268) when LDAPS is refused or fails, but not when the host is silent
(that would cost a second timeout). Certificates are checked against the system's CAs or
``--ca-file`` and against the DC's name; ``--insecure`` turns the check off (and the fact file
says so). A simple bind takes ``--user`` (``user@domain`` unless it names its domain) and the
password; without a user, the caller's Kerberos ticket binds with SASL GSSAPI (ldap3 with the
``gssapi`` package) for ``ldap/<DC name>``, inside the same TLS and with no SASL security layer
of its own; without either only the rootDSE, which AD gives anyone, is read.

What is read:

- rootDSE: ``dnsHostName``, the naming contexts, and ``currentTime``, the DC's clock (a second
  clock source beside SNTP, to the second);
- the DCs: ``nTDSDSA`` objects under ``CN=Sites`` of the configuration partition, each server
  object's ``dNSHostName`` and site; the PDC emulator: the domain object's ``fSMORoleOwner``;
- an Exchange server's computer account (``sAMAccountName=NAME$``): ``dNSHostName`` and
  ``servicePrincipalName``; Exchange servers themselves from the ``msExchExchangeServer``
  objects of the configuration partition (``networkAddress`` ``ncacn_ip_tcp:<fqdn>``, the site
  named by ``msExchServerSite``, the version in ``serialNumber``);
- receive connectors: ``msExchSmtpReceiveConnector`` objects under ``CN=Protocols,CN=<server>``
  with ``msExchSMTPReceiveInboundSecurityFlag`` (AuthMechanism), ``msExchSmtpReceiveBindings``
  and ``msExchSMTPReceiveConnectorFQDN``. Classes and attributes are asked for by
  lDAPDisplayName, never by OID;
- in the Global Catalog, every account holding one of a list of SPNs. ``servicePrincipalName``
  matches case-insensitively in AD (its syntax is a case-ignoring string), as setspn compares.
"""

from __future__ import annotations

import dataclasses
import math
import ssl
import time
from datetime import UTC, datetime
from typing import Any

import ldap3
from kbdoctor.collectors.live.dns_srv import Target
from kbdoctor.collectors.live.model import LiveOptions, describe
from ldap3.core.exceptions import LDAPCertificateError, LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import parse_dn


class DirectoryError(Exception):
    """LDAP could not answer (connection, TLS, bind or search); the message holds no secret."""


@dataclasses.dataclass(frozen=True)
class RootDse:
    dns_host_name: str | None
    default_nc: str | None
    config_nc: str | None
    root_nc: str | None
    current_time: datetime | None
    offset_s: float | None  # the collecting machine's clock minus the DC's currentTime
    observed_at: datetime
    transport: str
    naming_contexts: tuple[str, ...] = ()  # every partition this DC holds a replica of


@dataclasses.dataclass(frozen=True)
class DirectoryDc:
    name: str
    site: str | None
    pdc: bool


@dataclasses.dataclass(frozen=True)
class Computer:
    account: str
    dns_host_name: str | None
    spns: tuple[str, ...]


def _principal(opts: LiveOptions) -> str | None:
    user = opts.user
    if not user:
        return None
    if "@" in user or "\\" in user or "=" in user:
        return user
    return f"{user}@{opts.domain}"


def _tls(target: Target, opts: LiveOptions) -> ldap3.Tls:
    return ldap3.Tls(
        validate=ssl.CERT_NONE if opts.insecure else ssl.CERT_REQUIRED,
        ca_certs_file=opts.ca_file,
        valid_names=[target.name],
    )


def _scrubbed(opts: LiveOptions, error: BaseException) -> str:
    text = describe(error)
    if isinstance(error, LDAPCertificateError) and "doesn't match any name in" in text:
        # ldap3 prints the whole certificate; the names it was checked against are enough
        text = "certificate does not match" + text.rsplit("doesn't match any name in", 1)[1]
    return opts.password.scrub(text) if opts.password is not None else text


def connect(
    target: Target, opts: LiveOptions, *, gc: bool = False, bind: bool = True
) -> tuple[ldap3.Connection, str]:
    """A bound connection to ``target`` and how it was made (``ldaps`` or ``starttls``).
    Anonymous unless ``bind`` and a user was given. Raises :class:`DirectoryError`."""
    if target.address is None:
        raise DirectoryError(f"no address: {target.error}")
    principal = _principal(opts) if bind else None
    password = opts.password.reveal() if principal and opts.password is not None else None
    kind = ldap3.SIMPLE if principal else ldap3.ANONYMOUS
    sasl: dict[str, Any] = {}
    if bind and principal is None and opts.kerberos_principal is not None:
        # The caller's ticket: a service ticket for ldap/<the DC's name> (never the address
        # connected to, which no SPN names), and no SASL security layer, since TLS protects
        # the connection already.
        kind = ldap3.SASL
        sasl = {"sasl_mechanism": ldap3.KERBEROS, "sasl_credentials": (target.name,)}
    attempts = (
        ("ldaps", 3269 if gc else 636, True, ldap3.AUTO_BIND_NO_TLS),
        ("starttls", 3268 if gc else 389, False, ldap3.AUTO_BIND_TLS_BEFORE_BIND),
    )
    problems: list[str] = []
    for name, port, use_ssl, auto_bind in attempts:
        server = ldap3.Server(
            target.address,
            port=port,
            use_ssl=use_ssl,
            tls=_tls(target, opts),
            connect_timeout=opts.timeout,
            get_info=ldap3.NONE,
        )
        try:
            connection = ldap3.Connection(
                server,
                user=principal,
                password=password,
                authentication=kind,
                receive_timeout=max(1, math.ceil(opts.timeout)),  # ldap3 packs it as an integer
                raise_exceptions=True,
                auto_bind=auto_bind,
                read_only=True,
                **sasl,
            )
        except (LDAPException, OSError) as error:
            problems.append(f"{name} {port}: {_scrubbed(opts, error)}{_gssapi_hint(error)}")
            if "timed out" in str(error) or isinstance(error, TimeoutError):
                break  # a silent host: asking again on another port costs one more timeout
            continue
        return connection, name
    raise DirectoryError("; ".join(problems))


def _gssapi_hint(error: BaseException) -> str:
    """What a refused GSSAPI bind inside TLS means: the DC wants SASL signing or sealing, which
    kbdoctor does not layer over TLS (Samba 4.17 with its default ``ldap server require strong
    auth = yes`` answers so; ``allow_sasl_over_tls`` accepts the bind)."""
    if "Sign or Seal are required" in str(error):
        return (
            " (this DC refuses a Kerberos bind without SASL signing inside TLS; give --user, "
            "or on a Samba DC set 'ldap server require strong auth = allow_sasl_over_tls')"
        )
    return ""


def _first(entry: dict[str, Any], key: str) -> Any:
    value = entry.get(key)
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _search(
    connection: ldap3.Connection,
    base: str,
    search_filter: str,
    attributes: list[str],
    scope: Any = ldap3.SUBTREE,
) -> list[dict[str, Any]]:
    try:
        connection.search(base, search_filter, search_scope=scope, attributes=attributes)
    except LDAPException as error:
        raise DirectoryError(describe(error)) from None
    rows: list[dict[str, Any]] = []
    for item in connection.response or []:
        if item.get("type") != "searchResEntry":
            continue
        row = dict(item.get("attributes") or {})
        row["distinguishedName"] = item.get("dn", "")
        rows.append(row)
    return rows


def read_root_dse(connection: ldap3.Connection, transport: str) -> RootDse:
    """The rootDSE, its ``currentTime`` compared with our clock at the middle of the request
    (``currentTime`` has whole seconds, so half a second is added to what it says)."""
    before = time.time()
    rows = _search(
        connection,
        "",
        "(objectClass=*)",
        [
            "dnsHostName",
            "defaultNamingContext",
            "configurationNamingContext",
            "rootDomainNamingContext",
            "currentTime",
            "namingContexts",
        ],
        scope=ldap3.BASE,
    )
    after = time.time()
    if not rows:
        raise DirectoryError("the rootDSE is empty")
    row = rows[0]
    current = _first(row, "currentTime")
    current_time = current if isinstance(current, datetime) else _generalized(current)
    offset = None
    if current_time is not None:
        offset = (before + after) / 2 - (current_time.timestamp() + 0.5)
    host = _first(row, "dnsHostName")
    return RootDse(
        dns_host_name=str(host).lower() if host else None,
        default_nc=_text(_first(row, "defaultNamingContext")),
        config_nc=_text(_first(row, "configurationNamingContext")),
        root_nc=_text(_first(row, "rootDomainNamingContext")),
        current_time=current_time,
        offset_s=offset,
        observed_at=datetime.fromtimestamp(after, UTC),
        transport=transport,
        naming_contexts=tuple(str(v) for v in _values(row, "namingContexts")),
    )


def _values(entry: dict[str, Any], key: str) -> list[Any]:
    value = entry.get(key)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _generalized(value: Any) -> datetime | None:
    if value is None:
        return None
    text = str(value).split(".")[0].rstrip("Z")
    try:
        return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _parent(dn: str) -> str:
    return dn.split(",", 1)[1] if "," in dn else ""


def _rdn_value(dn: str, index: int) -> str | None:
    parts = dn.split(",")
    if len(parts) <= index or "=" not in parts[index]:
        return None
    return parts[index].split("=", 1)[1]


def domain_controllers(connection: ldap3.Connection, root: RootDse) -> list[DirectoryDc]:
    """The DCs the configuration partition lists (every ``nTDSDSA``), the PDC emulator marked."""
    if root.config_nc is None or root.default_nc is None:
        raise DirectoryError("the rootDSE names no naming contexts")
    sites = f"CN=Sites,{root.config_nc}"
    dsas = _search(connection, sites, "(objectClass=nTDSDSA)", ["objectClass"])
    servers = {
        str(row["distinguishedName"]).lower(): row
        for row in _search(connection, sites, "(objectClass=server)", ["dNSHostName"])
    }
    owner_rows = _search(
        connection, root.default_nc, "(objectClass=*)", ["fSMORoleOwner"], scope=ldap3.BASE
    )
    owner = _first(owner_rows[0], "fSMORoleOwner") if owner_rows else None
    pdc_server = _parent(str(owner)).lower() if owner else None
    found: list[DirectoryDc] = []
    for dsa in dsas:
        server_dn = _parent(str(dsa["distinguishedName"]))
        server = servers.get(server_dn.lower())
        host = _first(server, "dNSHostName") if server else None
        name = str(host).lower() if host else (_rdn_value(server_dn, 0) or server_dn)
        # CN=DC1,CN=Servers,CN=<site>,CN=Sites,...
        found.append(
            DirectoryDc(
                name=name, site=_rdn_value(server_dn, 2), pdc=server_dn.lower() == pdc_server
            )
        )
    return found


@dataclasses.dataclass(frozen=True)
class ExchangeConfigServer:
    """An ``msExchExchangeServer`` object of the configuration partition."""

    name: str
    fqdn: str | None  # from networkAddress ncacn_ip_tcp:<fqdn>
    site: str | None  # the RDN of msExchServerSite (CN=<site>,CN=Sites,...)
    version: str | None  # serialNumber, e.g. "Version 15.2 (Build 1118.7)"
    dn: str


@dataclasses.dataclass(frozen=True)
class ConnectorEntry:
    """An ``msExchSmtpReceiveConnector`` object: its server is the ``CN=<server>`` above
    ``CN=Protocols`` in its DN (``CN=<name>,CN=SMTP Receive Connectors,CN=Protocols,CN=<server>,
    CN=Servers,...``)."""

    server: str | None
    name: str
    security_flags: int | None  # msExchSMTPReceiveInboundSecurityFlag
    bindings: tuple[str, ...]
    fqdn: str | None
    dn: str


def _exchange_base(root: RootDse) -> str | None:
    """Where Exchange keeps its configuration: ``CN=Microsoft Exchange,CN=Services`` of the
    configuration partition."""
    if root.config_nc is None:
        return None
    return f"CN=Microsoft Exchange,CN=Services,{root.config_nc}"


def _absent(error: DirectoryError) -> bool:
    """An error that says the container or the class does not exist (a forest Exchange never
    extended), which means "none", not "could not read"."""
    text = str(error).lower()
    return "nosuchobject" in text.replace(" ", "") or "undefined" in text


def computers(
    connection: ldap3.Connection, root: RootDse, names: list[str], chunk: int = 100
) -> dict[str, Computer | None]:
    """The computer accounts of ``names`` (short names or FQDNs), ``chunk`` names to a search,
    each name mapped to its account or None."""
    if root.default_nc is None:
        raise DirectoryError("the rootDSE names no default naming context")
    found: dict[str, Computer | None] = dict.fromkeys(names)
    for start in range(0, len(names), chunk):
        part = names[start : start + chunk]
        clauses = "".join(
            f"(sAMAccountName={escape_filter_chars(n.split('.')[0])}$)"
            + (f"(dNSHostName={escape_filter_chars(n)})" if "." in n else "")
            for n in part
        )
        rows = _search(
            connection,
            root.default_nc,
            f"(&(objectClass=computer)(|{clauses}))",
            ["sAMAccountName", "dNSHostName", "servicePrincipalName"],
        )
        for row in rows:
            spns = row.get("servicePrincipalName") or []
            host = _first(row, "dNSHostName")
            account = str(_first(row, "sAMAccountName") or "")
            entry = Computer(
                account=account,
                dns_host_name=str(host).lower() if host else None,
                spns=tuple(str(s) for s in (spns if isinstance(spns, list) else [spns])),
            )
            for name in part:
                short = name.split(".")[0].lower() + "$"
                if account.lower() == short or (
                    "." in name and entry.dns_host_name == name.lower()
                ):
                    found[name] = found[name] or entry
    return found


def _exchange_rows(
    connection: ldap3.Connection, root: RootDse, search_filter: str, attributes: list[str]
) -> list[dict[str, Any]]:
    """The rows of an Exchange class under the configuration partition's Exchange container;
    none when the forest has no such container or Exchange never extended its schema."""
    base = _exchange_base(root)
    if base is None:
        return []
    try:
        return _search(connection, base, search_filter, attributes)
    except DirectoryError as error:
        if _absent(error):
            return []
        raise


def exchange_servers(connection: ldap3.Connection, root: RootDse) -> list[ExchangeConfigServer]:
    """The ``msExchExchangeServer`` objects in the configuration partition (none when Exchange
    never extended this forest's schema)."""
    rows = _exchange_rows(
        connection,
        root,
        "(objectClass=msExchExchangeServer)",
        ["cn", "networkAddress", "msExchServerSite", "serialNumber"],
    )
    servers: list[ExchangeConfigServer] = []
    for row in rows:
        name = _first(row, "cn")
        if not name:
            continue
        fqdn = None
        for address in _values(row, "networkAddress"):
            kind, _, value = str(address).partition(":")
            if kind.lower() == "ncacn_ip_tcp" and value.strip():
                fqdn = value.strip().lower()
                break
        site_dn = _first(row, "msExchServerSite")
        serial = _values(row, "serialNumber")
        servers.append(
            ExchangeConfigServer(
                name=str(name),
                fqdn=fqdn,
                site=_rdn_value(str(site_dn), 0) if site_dn else None,
                version=str(serial[0]) if serial else None,
                dn=str(row["distinguishedName"]),
            )
        )
    return servers


def receive_connectors(connection: ldap3.Connection, root: RootDse) -> list[ConnectorEntry]:
    """Every ``msExchSmtpReceiveConnector`` object in the configuration partition (matched by
    the class's lDAPDisplayName, whatever OID a schema gave it)."""
    rows = _exchange_rows(
        connection,
        root,
        "(objectClass=msExchSmtpReceiveConnector)",
        [
            "cn",
            "msExchSMTPReceiveInboundSecurityFlag",
            "msExchSmtpReceiveBindings",
            "msExchSMTPReceiveConnectorFQDN",
        ],
    )
    found: list[ConnectorEntry] = []
    for row in rows:
        dn = str(row["distinguishedName"])
        name = _first(row, "cn") or _rdn_value(dn, 0)
        if not name:
            continue
        server = _connector_server(dn)
        flags = _first(row, "msExchSMTPReceiveInboundSecurityFlag")
        fqdn = _first(row, "msExchSMTPReceiveConnectorFQDN")
        found.append(
            ConnectorEntry(
                server=server,
                name=str(name),
                security_flags=_integer(flags),
                bindings=tuple(str(b) for b in _values(row, "msExchSmtpReceiveBindings")),
                fqdn=str(fqdn) if fqdn else None,
                dn=dn,
            )
        )
    return found


def _connector_server(dn: str) -> str | None:
    """The server a connector belongs to: the RDN above ``CN=Protocols`` (None when the DN is
    not laid out as Exchange lays it out)."""
    try:
        rdns = parse_dn(dn)
    except LDAPException:
        return None
    if len(rdns) > 3 and rdns[2][0].lower() == "cn" and rdns[2][1].lower() == "protocols":
        return str(rdns[3][1]) or None
    return None


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


def spn_holders(
    connection: ldap3.Connection, root: RootDse, spns: list[str]
) -> dict[str, list[str]]:
    """For each SPN, the ``sAMAccountName`` of every account holding it (compared without
    regard to case), searched in the Global Catalog from the forest root."""
    base = root.root_nc or root.default_nc
    if base is None:
        raise DirectoryError("the rootDSE names no naming context")
    holders: dict[str, list[str]] = {spn: [] for spn in spns}
    if not spns:
        return holders
    rows: list[dict[str, Any]] = []
    for start in range(0, len(spns), 400):
        clauses = "".join(
            f"(servicePrincipalName={escape_filter_chars(s)})" for s in spns[start : start + 400]
        )
        rows += _search(
            connection, base, f"(|{clauses})", ["sAMAccountName", "servicePrincipalName"]
        )
    for row in rows:
        account = str(_first(row, "sAMAccountName") or row["distinguishedName"])
        held = row.get("servicePrincipalName") or []
        held_lower = {str(s).lower() for s in (held if isinstance(held, list) else [held])}
        for spn in spns:
            if spn.lower() in held_lower and account not in holders[spn]:
                holders[spn].append(account)
    return holders
