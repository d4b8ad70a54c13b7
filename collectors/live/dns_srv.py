"""Domain controllers found through DNS, as Windows finds them: the SRV records
``_ldap._tcp.dc._msdcs.<domain>`` (every DC of the domain) and ``_kerberos._tcp.<domain>``
(every KDC), each target's address from its A/AAAA records. Queries go to the system's
resolvers, or to ``--dns-server`` (a DC's own DNS when the collecting machine does not use it).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import socket

import dns.exception
import dns.rdatatype
import dns.resolver

SRV_NAMES: tuple[str, ...] = ("_ldap._tcp.dc._msdcs.{domain}", "_kerberos._tcp.{domain}")


class DiscoveryError(Exception):
    """No DC could be found through DNS."""


@dataclasses.dataclass(frozen=True)
class Target:
    """A server to probe: the name facts use, and the address probes connect to."""

    name: str
    address: str | None
    error: str | None = None


def resolver(dns_server: str | None, timeout: float) -> dns.resolver.Resolver:
    if dns_server is None:
        res = dns.resolver.Resolver()
    else:
        res = dns.resolver.Resolver(configure=False)
        res.nameservers = [dns_server]
    res.lifetime = timeout
    res.timeout = timeout
    return res


def discover_dcs(domain: str, dns_server: str | None, timeout: float) -> list[str]:
    """The host names of the domain's DCs, from SRV records (LDAP first, then Kerberos), in
    the records' priority and weight order, without repeats."""
    res = resolver(dns_server, timeout)
    names: list[str] = []
    problems: list[str] = []
    for template in SRV_NAMES:
        query = template.format(domain=domain)
        try:
            answer = res.resolve(query, "SRV")
        except dns.exception.DNSException as error:
            problems.append(f"{query}: {type(error).__name__}: {error}")
            continue
        records = sorted(answer, key=lambda r: (r.priority, -r.weight))
        for record in records:
            name = record.target.to_text(omit_final_dot=True).lower()
            if name and name != "." and name not in names:
                names.append(name)
    if not names:
        raise DiscoveryError("; ".join(problems) or f"no SRV records for {domain}")
    return names


def resolve(name: str, dns_server: str | None, timeout: float) -> Target:
    """``name``'s address (itself when it is an address). With ``dns_server`` the A and AAAA
    records are asked of it; otherwise the system resolves."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        pass
    else:
        return Target(name=name, address=name)
    if dns_server is not None:
        res = resolver(dns_server, timeout)
        problems: list[str] = []
        for rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
            try:
                answer = res.resolve(name, rdtype)
            except dns.exception.DNSException as error:
                problems.append(f"{type(error).__name__}: {error}")
                continue
            for record in answer:
                return Target(name=name, address=record.to_text())
        return Target(name=name, address=None, error="; ".join(problems))
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except OSError as error:
        return Target(name=name, address=None, error=f"{type(error).__name__}: {error}")
    return Target(name=name, address=str(infos[0][4][0]))
