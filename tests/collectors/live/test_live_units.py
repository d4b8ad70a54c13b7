"""The live collectors without a directory: the SNTP exchange against a local fake server, the
port states, the probe packets, the options and the password's discretion. No root needed."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from kbdoctor.collectors.live import gss, kerberos, ports, sntp
from kbdoctor.collectors.live.model import LiveOptions, Secret
from kbdoctor.collectors.live.options import (
    DEFAULT_TIMEOUT_S,
    LiveOptionsRefused,
    live_options,
)
from kbdoctor.collectors.live.runner import collect, expected_spns

_NTP_EPOCH = 2_208_988_800


def _ntp(unix: float) -> int:
    return (int(unix) + _NTP_EPOCH) << 32 | int((unix % 1) * (1 << 32))


@pytest.fixture
def fake_ntp() -> Iterator[int]:
    """A UDP server on 127.0.0.1 answering SNTP with a clock 420 s fast."""
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(5)

    def answer() -> None:
        data, peer = server.recvfrom(512)
        transmit = struct.unpack("!Q", data[40:48])[0]
        now = time.time() + 420
        reply = struct.pack(
            "!B B b b I I 4s Q Q Q Q", 0x24, 2, 0, 0, 0, 0, b"GPS\0", 0, transmit, _ntp(now),
            _ntp(now),
        )  # fmt: skip
        server.sendto(reply, peer)

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    thread.join(5)
    server.close()


def test_sntp_offset_against_a_fast_server(fake_ntp: int) -> None:
    reading = sntp.query("127.0.0.1", 2, port=fake_ntp)
    assert abs(reading.offset_s - 420) < 0.1
    assert sntp.local_minus_server(reading) == -reading.offset_s
    assert reading.stratum == 2


def test_sntp_request_is_a_48_byte_client_packet() -> None:
    packet = sntp.build_request_for_tests()
    assert len(packet) == 48
    assert packet[0] & 0x7 == 3  # mode 3: client


def test_tcp_open_and_closed() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    assert ports.probe_tcp("127.0.0.1", port, 1) == ("open", None)
    listener.close()
    state, why = ports.probe_tcp("127.0.0.1", port, 1)
    assert state == "closed"
    assert why == "connection refused"


def test_probe_packets_are_well_formed_der() -> None:
    request = ports.as_req("corp.example.test")
    assert request[0] == 0x6A  # [APPLICATION 10] AS-REQ
    assert b"CORP.EXAMPLE.TEST" in request
    assert b"krbtgt" in request
    ping = ports.cldap_ping("CORP.example.test")
    assert ping[0] == 0x30
    assert b"corp.example.test" in ping
    assert b"Netlogon" in ping
    assert len(ports.dns_query()) == 17


def test_kpasswd_request_is_a_framed_change_password_request_without_a_ticket() -> None:
    request = ports.kpasswd_request()
    length, version, ap_req_length = struct.unpack("!HHH", request[:6])
    assert length == len(request)
    assert version == 0x0001  # change password (RFC 3244), served by every kpasswd server
    ap_req = request[6 : 6 + ap_req_length]
    assert ap_req[0] == 0x6E  # [APPLICATION 14] AP-REQ
    assert ap_req[1] == len(ap_req) - 2  # the whole element, nothing after it in that part
    assert request[6 + ap_req_length] == 0x75  # [APPLICATION 21] KRB-PRIV follows
    assert b"krbtgt" not in request  # no ticket, no principal, no password


@pytest.fixture
def fake_kpasswd() -> Iterator[tuple[int, list[bytes]]]:
    """A UDP server on 127.0.0.1 answering a kpasswd request as a kpasswd server refuses one:
    a reply (version 1, no AP-REP) carrying a KRB-ERROR; it keeps what it was sent."""
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(5)
    received: list[bytes] = []

    def answer() -> None:
        data, peer = server.recvfrom(4096)
        received.append(data)
        error = bytes([0x7E, 0x03, 0x30, 0x01, 0x00])  # [APPLICATION 30] KRB-ERROR
        server.sendto(struct.pack("!HHH", 6 + len(error), 1, 0) + error, peer)

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    thread.join(5)
    server.close()


def test_udp_464_open_when_kpasswd_answers(fake_kpasswd: tuple[int, list[bytes]]) -> None:
    port, received = fake_kpasswd
    assert ports.probe_udp("127.0.0.1", 464, 2, "corp.example.test", via=port) == ("open", None)
    assert struct.unpack("!HH", received[0][:4]) == (len(received[0]), 0x0001)


def test_udp_464_closed_when_icmp_says_unreachable() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now: the kernel answers port unreachable
    state, why = ports.probe_udp("127.0.0.1", 464, 2, "corp.example.test", via=port)
    assert (state, why) == ("closed", "ICMP port unreachable")


def test_kerberos_messages_become_codes() -> None:
    assert kerberos.code_of("kinit: Clock skew too great while getting initial credentials") == (
        "KRB_AP_ERR_SKEW"
    )
    assert kerberos.code_of("kinit: Cannot contact any KDC for realm 'X'") == "KDC_UNREACHABLE"
    assert kerberos.code_of("kvno: Server not found in Kerberos database while getting") == (
        "KDC_ERR_S_PRINCIPAL_UNKNOWN"
    )
    assert kerberos.code_of("something new") == "KRB_ERROR"


def test_expected_spns() -> None:
    assert expected_spns("EX01", "ex01.corp.example.test") == [
        "SMTP/EX01",
        "SMTP/ex01.corp.example.test",
        "SMTPSVC/EX01",
        "SMTPSVC/ex01.corp.example.test",
    ]


def test_secret_never_shows_itself() -> None:
    secret = Secret("hunter2-Secret")
    assert "hunter2" not in repr(secret)
    assert "hunter2" not in str(secret)
    assert "hunter2" not in repr(LiveOptions(domain="x.test", password=secret))
    assert secret.scrub("bind failed for hunter2-Secret") == "bind failed for ***"


def test_options_password_from_environment() -> None:
    opts = live_options(
        domain="Corp.Example.Test.", dcs=["dc1,dc2", "dc3"], exchange=["EX01,EX02"],
        user="admin", password_env="KBD_PW", timeout="1.5",
        environ={"KBD_PW": "s3cret-value"},
    )  # fmt: skip
    assert opts.domain == "corp.example.test"
    assert opts.dcs == ("dc1", "dc2", "dc3")
    assert opts.exchange == ("EX01", "EX02")
    assert opts.timeout == 1.5
    assert opts.password is not None
    assert opts.password.reveal() == "s3cret-value"


def test_options_without_user_bind_with_the_kerberos_ticket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        "kbdoctor.collectors.live.options.ticket_principal", lambda: "admin@CORP.EXAMPLE.TEST"
    )
    opts = live_options(domain="corp.example.test", ask_user=_never, prompt_password=_never)
    assert (opts.user, opts.password, opts.kerberos_principal) == (
        None, None, "admin@CORP.EXAMPLE.TEST"
    )  # fmt: skip
    assert opts.authenticated
    assert opts.bind_description() == "GSSAPI with the Kerberos ticket of admin@CORP.EXAMPLE.TEST"


def _never(*_: str) -> str:
    raise AssertionError("asked although nothing was missing")


def test_without_user_or_ticket_the_caller_is_asked_for_both(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("kbdoctor.collectors.live.options.ticket_principal", lambda: None)
    asked: list[str] = []

    def prompt_password(user: str) -> str:
        asked.append(user)
        return "typed-Secret-9"

    opts = live_options(
        domain="corp.example.test", ask_user=lambda: " admin\n", prompt_password=prompt_password
    )
    assert (opts.user, asked) == ("admin", ["admin"])
    assert opts.password is not None
    assert opts.password.reveal() == "typed-Secret-9"
    # nothing typed: anonymous, and no password asked for
    opts = live_options(domain="corp.example.test", ask_user=lambda: "\n", prompt_password=_never)
    assert not opts.authenticated


def test_a_password_from_the_environment_is_not_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("kbdoctor.collectors.live.options.ticket_principal", lambda: None)
    opts = live_options(domain="x.test", password_env="KBD_PW", environ={"KBD_PW": "pw-env"},
                        ask_user=lambda: "admin", prompt_password=_never)  # fmt: skip
    assert opts.password is not None
    assert (opts.user, opts.password.reveal()) == ("admin", "pw-env")


def test_without_anyone_to_ask_a_user_without_password_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("kbdoctor.collectors.live.options.ticket_principal", lambda: None)
    anonymous = live_options(domain="corp.example.test")  # nobody to ask: never a user
    assert (anonymous.user, anonymous.kerberos_principal) == (None, None)
    with pytest.raises(LiveOptionsRefused) as refused:
        live_options(domain="x.test", user="u")
    assert refused.value.render("en") == (
        "--user needs a password: give --password-env VAR (no terminal to ask on)"
    )


def test_no_ticket_in_an_empty_credential_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KRB5CCNAME", f"FILE:{tmp_path / 'none'}")
    assert gss.ticket_principal() is None
    with pytest.raises(OSError, match="could not be copied"):
        gss.copy_ticket(f"FILE:{tmp_path / 'copy'}")


def test_options_refused() -> None:
    with pytest.raises(LiveOptionsRefused) as refused:
        live_options(domain="x.test", user="u", password_env="KBD_PW", environ={})
    assert refused.value.render("en") == "--password-env KBD_PW: the variable is not set"
    for timeout in ("0", "3600", "soon"):
        with pytest.raises(LiveOptionsRefused) as refused:
            live_options(domain="x.test", timeout=timeout)
        assert refused.value.key == "bad_timeout"
    assert live_options(domain="x.test").timeout == DEFAULT_TIMEOUT_S


def test_unreachable_dc_is_facts_and_errors_not_an_abort() -> None:
    """Nothing listens on 127.0.0.1's LDAP, SNTP or Kerberos ports of a test machine as a
    rule; whatever answers, the collection ends with port facts and errors."""
    opts = LiveOptions(domain="corp.example.test", dcs=("127.0.0.1",), timeout=0.5,
                       user="admin", password=Secret("pw-never-shown"))  # fmt: skip
    outcome = collect(opts)
    kinds = {f.type for f in outcome.facts}
    anonymous = collect(LiveOptions(domain="x.test", dcs=("127.0.0.1",), exchange=("EX01",),
                                    timeout=0.5))  # fmt: skip
    assert any("--exchange needs --user" in e.error for e in anonymous.errors)
    assert "port_state" in kinds
    assert "domain_controller" in kinds
    assert all("pw-never-shown" not in e.render() for e in outcome.errors)


def test_every_probe_of_a_dc_waits_at_the_same_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """What makes a dead DC cost one timeout, not one per probe: the rootDSE, SNTP, TCP and UDP
    probes of a DC are all out at once. Each fake probe waits until every one has started; run
    one after another, the first would wait in vain and say so."""
    from kbdoctor.collectors.live import runner

    expected = len(ports.TCP_PORTS) + len(ports.UDP_PORTS) + 2  # + rootDSE and SNTP
    started: list[str] = []
    lock = threading.Lock()
    everyone = threading.Event()
    alone: list[str] = []

    def wait_for_the_others(name: str) -> None:
        with lock:
            started.append(name)
            if len(started) == expected:
                everyone.set()
        if not everyone.wait(30):
            alone.append(name)
        raise TimeoutError("no answer")  # what a DC whose packets vanish gives

    def tcp(address: str, port: int, timeout: float) -> tuple[str, str | None]:
        try:
            wait_for_the_others(f"tcp/{port}")
        except TimeoutError:
            return "filtered", "no answer"
        raise AssertionError("unreachable")

    def udp(address: str, port: int, timeout: float, realm: str) -> tuple[str, str | None]:
        try:
            wait_for_the_others(f"udp/{port}")
        except TimeoutError:
            return "unknown", "no answer"
        raise AssertionError("unreachable")

    monkeypatch.setattr(ports, "probe_tcp", tcp)
    monkeypatch.setattr(ports, "probe_udp", udp)
    monkeypatch.setattr(sntp, "query", lambda address, timeout: wait_for_the_others("sntp"))
    monkeypatch.setattr(runner, "_root_dse", lambda target, opts: wait_for_the_others("ldap"))
    outcome = collect(LiveOptions(domain="x.test", dcs=("192.0.2.1",), timeout=60))
    assert alone == []
    assert len(started) == expected
    states = {(f.protocol, f.port): f.state for f in outcome.facts if f.type == "port_state"}
    assert set(states.values()) == {"filtered", "unknown"}
