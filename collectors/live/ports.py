"""Whether a port of a server answers, told apart as facts/1 ``port_state`` needs it: ``open``
(a TCP connection was accepted; a UDP query was answered), ``closed`` (refused, or an ICMP
unreachable came back), ``filtered`` (no answer to a TCP connection within the timeout) and
``unknown`` (the probe could not say: the name did not resolve, a UDP query got no answer, which
an open port that ignores the query and a filtering firewall look alike in).

UDP is probed by speaking the port's protocol: a DNS query to 53, a Kerberos AS-REQ to 88 (any
Kerberos answer, an error included, shows that a KDC listens), a CLDAP "ping" (the netlogon
search of the DC locator) to 389, and to 464 a kpasswd change-password request (RFC 3244) whose
AP-REQ holds no ticket. A kpasswd server answers a request it cannot authenticate with a reply
that carries a KRB-ERROR instead of an AP-REP (RFC 3244 section 2; Samba's kpasswd service
replies so to any request whose framing is sound, and drops only a badly framed one): the
answer shows that kpasswd listens, and nothing is changed, since no ticket was presented.
"""

from __future__ import annotations

import errno
import os
import socket
import struct
from typing import Literal

State = Literal["open", "closed", "filtered", "unknown"]

TCP_PORTS: tuple[int, ...] = (88, 464, 389, 636, 3268, 53, 135, 445)
UDP_PORTS: tuple[int, ...] = (88, 464, 389, 53)

_REFUSED = {errno.ECONNREFUSED, errno.ECONNRESET}
_UNREACHABLE = {errno.EHOSTUNREACH, errno.ENETUNREACH}


def probe_tcp(address: str, port: int, timeout: float) -> tuple[State, str | None]:
    """The state of TCP ``port`` on ``address`` and, unless open, why."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect((address, port))
        except TimeoutError:
            return "filtered", f"no answer within {timeout:g} s"
        except OSError as error:
            if error.errno in _REFUSED:
                return "closed", "connection refused"
            if error.errno in _UNREACHABLE:
                return "closed", os.strerror(error.errno)
            return "unknown", str(error)
    return "open", None


def probe_udp(
    address: str, port: int, timeout: float, realm: str, *, via: int | None = None
) -> tuple[State, str | None]:
    """The state of UDP ``port`` on ``address``: a protocol query and what came back (``via``:
    send the query for ``port`` to another port number, as tests do with a local server)."""
    if port == 53:
        payload = dns_query()
    elif port == 389:
        payload = cldap_ping(realm)
    elif port == 464:
        payload = kpasswd_request()
    else:
        payload = as_req(realm)
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect((address, via or port))
            sock.send(payload)
            data = sock.recv(4096)
        except TimeoutError:
            return "unknown", f"no answer within {timeout:g} s (open or filtered)"
        except OSError as error:
            if error.errno in _REFUSED or error.errno in _UNREACHABLE:
                return "closed", "ICMP port unreachable"
            return "unknown", str(error)
    if data:
        return "open", None
    return "unknown", "empty answer"


def dns_query() -> bytes:
    """A DNS query for the root's NS records, with a random id."""
    header = os.urandom(2) + struct.pack("!HHHHH", 0x0100, 1, 0, 0, 0)
    return header + b"\x00" + struct.pack("!HH", 2, 1)


def _der(tag: int, body: bytes) -> bytes:
    length = len(body)
    if length < 0x80:
        encoded = bytes([length])
    else:
        raw = length.to_bytes((length.bit_length() + 7) // 8, "big")
        encoded = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + encoded + body


def _int(value: int) -> bytes:
    raw = value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True)
    return _der(0x02, raw)


def _gstr(text: str) -> bytes:
    return _der(0x1B, text.encode())


def as_req(realm: str) -> bytes:
    """A minimal Kerberos AS-REQ (RFC 4120) for ``krbtgt/REALM`` with no pre-authentication, on
    behalf of a principal that does not exist: the KDC answers with a KRB-ERROR (principal
    unknown), which is all a port probe needs."""
    realm = realm.upper()
    name = _der(
        0x30,
        _der(0xA0, _int(1))  # NT-PRINCIPAL
        + _der(0xA1, _der(0x30, _gstr("kbdoctor-port-probe"))),
    )
    sname = _der(0x30, _der(0xA0, _int(2)) + _der(0xA1, _der(0x30, _gstr("krbtgt") + _gstr(realm))))
    body = _der(
        0x30,
        _der(0xA0, _der(0x03, b"\x00\x40\x00\x00\x00"))  # kdc-options: forwardable
        + _der(0xA1, name)
        + _der(0xA2, _gstr(realm))
        + _der(0xA3, sname)
        + _der(0xA5, _der(0x18, b"20370913024805Z"))
        + _der(0xA7, _int(int.from_bytes(os.urandom(4), "big") >> 1))
        + _der(0xA8, _der(0x30, _int(18) + _int(17) + _int(23))),
    )
    req = _der(0x30, _der(0xA1, _int(5)) + _der(0xA2, _int(10)) + _der(0xA4, body))
    return _der(0x6A, req)  # [APPLICATION 10]


def kpasswd_request() -> bytes:
    """A kpasswd change-password request (RFC 3244: message length, version 0x0001, AP-REQ
    length, AP-REQ, KRB-PRIV) whose AP-REQ and KRB-PRIV hold only their protocol version and
    message type: no ticket, no authenticator, no password. A server can only refuse it, with
    a reply that carries a KRB-ERROR."""
    ap_req = _der(0x6E, _der(0x30, _der(0xA0, _int(5)) + _der(0xA1, _int(14))))  # APPLICATION 14
    krb_priv = _der(0x75, _der(0x30, _der(0xA0, _int(5)) + _der(0xA1, _int(21))))  # APPLICATION 21
    body = struct.pack("!HH", 0x0001, len(ap_req)) + ap_req + krb_priv
    return struct.pack("!H", len(body) + 2) + body


def _octets(text: str | bytes) -> bytes:
    return _der(0x04, text.encode() if isinstance(text, str) else text)


def cldap_ping(domain: str) -> bytes:
    """The DC locator's CLDAP query (MS-ADTS 6.3.3): a base search of the rootDSE for
    ``Netlogon`` with ``(&(DnsDomain=<domain>)(NtVer=0x00000006))``."""
    equality = _der(0xA3, _octets("DnsDomain") + _octets(domain.lower()))
    version = _der(0xA3, _octets("NtVer") + _octets(b"\x06\x00\x00\x00"))
    search = _der(
        0x63,
        _octets("")
        + _der(0x0A, b"\x00")  # scope: base
        + _der(0x0A, b"\x00")  # derefAliases: never
        + _int(0)
        + _int(0)
        + _der(0x01, b"\x00")
        + _der(0xA0, equality + version)
        + _der(0x30, _octets("Netlogon")),
    )
    return _der(0x30, _int(int.from_bytes(os.urandom(2), "big")) + search)
