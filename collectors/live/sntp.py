"""Clock offset of a server, by one SNTP query (RFC 4330): a raw 48-byte client packet to UDP
123, the server's receive and transmit timestamps read back.

Every domain controller serves NTP (W32Time; chrony or ntpd beside Samba). The offset is the
server's clock minus ours, ``((t1 - t0) + (t2 - t3)) / 2``, with t0 and t3 our send and receive
times and t1, t2 the server's; a facts/1 ``clock_offset`` is the other way round (host minus
reference), so :func:`local_minus_server` negates it.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import struct
import time

NTP_PORT = 123
_NTP_EPOCH = 2_208_988_800  # seconds from 1900-01-01 to 1970-01-01
_PACKET = struct.Struct("!B B b b I I 4s Q Q Q Q")


class SntpError(Exception):
    """The server's answer is not a usable SNTP reply (or there was none)."""


@dataclasses.dataclass(frozen=True)
class SntpReading:
    offset_s: float  # server clock minus local clock
    delay_s: float
    stratum: int


def _to_ntp(unix: float) -> int:
    seconds = int(unix) + _NTP_EPOCH
    fraction = int((unix - int(unix)) * (1 << 32)) & 0xFFFFFFFF
    return (seconds << 32) | fraction


def _from_ntp(value: int) -> float:
    return (value >> 32) - _NTP_EPOCH + (value & 0xFFFFFFFF) / (1 << 32)


def query(address: str, timeout: float, port: int = NTP_PORT) -> SntpReading:
    """One SNTP exchange with ``address``; raises :class:`SntpError` or ``OSError``
    (``TimeoutError`` when nothing came back within ``timeout`` seconds)."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.connect((address, port))
        # The transmit timestamp is random, as RFC 4330 suggests for clients: the reply must
        # echo it as its originate timestamp, which tells our answer from a stray packet.
        cookie = int.from_bytes(os.urandom(8), "big")
        request = _PACKET.pack(0x1B, 0, 0, 0, 0, 0, b"\0" * 4, 0, 0, 0, cookie)
        t0 = time.time()
        sock.send(request)
        data = sock.recv(512)
        t3 = time.time()
    if len(data) < _PACKET.size:
        raise SntpError(f"short reply ({len(data)} bytes)")
    first, stratum, _poll, _prec, _delay, _disp, _ref, _reft, origin, recv, xmit = _PACKET.unpack(
        data[: _PACKET.size]
    )
    mode = first & 0x7
    if mode != 4:
        raise SntpError(f"reply in mode {mode}, not 4 (server)")
    if origin != cookie:
        raise SntpError("reply does not answer this request")
    if stratum == 0 or xmit == 0:
        raise SntpError("kiss-of-death or unsynchronised reply (stratum 0)")
    t1, t2 = _from_ntp(recv), _from_ntp(xmit)
    offset = ((t1 - t0) + (t2 - t3)) / 2
    delay = (t3 - t0) - (t2 - t1)
    return SntpReading(offset_s=offset, delay_s=delay, stratum=stratum)


def local_minus_server(reading: SntpReading) -> float:
    return -reading.offset_s


def build_request_for_tests() -> bytes:
    """A client packet as :func:`query` sends it (for the unit tests of the format)."""
    return _PACKET.pack(0x1B, 0, 0, 0, 0, 0, b"\0" * 4, 0, 0, 0, _to_ntp(time.time()))
