"""``kbdoctor collect --domain`` against a real Samba AD DC, then ``kbdoctor evaluate`` on what
it gathered: for each broken directory, the cause KB 979174 names (see conftest.py and
testbed.py for the test bed).

The collection runs inside the test bed's network namespace (``ip netns exec``), as an
administrator on a machine of the domain would run it; the DC is found through its DNS (SRV
records) unless ``--dc`` names it. Whoever collects is told, with ``--host EX01``, that the
collecting machine is the Exchange server EX01, so that its clock offsets are EX01's: only then
is an offset a pair of Kerberos parties (time_sync).
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.collectors.live.testbed import ADMIN, ADMIN_PASSWORD, DC_FQDN, DOMAIN, Testbed

pytestmark = pytest.mark.live

PASSWORD_VAR = "KBDOCTOR_TEST_LIVE_PASSWORD"
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "importers"


@pytest.fixture(scope="module", autouse=True)
def _daemons_end_with_this_module(testbed: Testbed) -> Iterator[None]:
    """The test bed is a session fixture, but nothing after this module needs it: its daemons
    and namespace go as soon as the module is done, not when the whole suite is."""
    yield
    testbed.destroy()


def collect(
    bed: Testbed,
    out: Path,
    *extra: str,
    ca: bool = True,
    user: bool = True,
    env: dict[str, str] | None = None,
) -> tuple[int, str, Any]:
    """``kbdoctor collect`` in the test bed, as Administrator (``user``) or as whoever ``env``'s
    Kerberos ticket names."""
    argv = [
        "ip", "netns", "exec", bed.ns, sys.executable, "-m", "kbdoctor", "collect",
        "--domain", DOMAIN, "--dns-server", "127.0.0.11", "--timeout", "2", "-o", str(out),
        "--lang", "en",
    ]  # fmt: skip
    if user:
        argv += ["--user", ADMIN, "--password-env", PASSWORD_VAR]
    if ca:
        argv += ["--ca-file", str(bed.ca_file)]
    env = dict(os.environ, **{PASSWORD_VAR: ADMIN_PASSWORD}, **(env or {}))
    done = subprocess.run(
        [*argv, *extra], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    data = json.loads(out.read_text()) if out.exists() else None
    if data is not None:
        assert ADMIN_PASSWORD not in out.read_text()
    assert ADMIN_PASSWORD not in done.stderr + done.stdout
    return done.returncode, done.stderr, data


def evaluate(path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "kbdoctor", "evaluate", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def diagnosed(report: dict[str, Any]) -> set[str]:
    return {d["cause"] for d in report["diagnoses"]}


def facts_of(data: Any, kind: str) -> list[dict[str, Any]]:
    return [f for f in data["facts"] if f["type"] == kind]


def test_healthy_directory_gives_no_cause(testbed: Testbed, tmp_path: Path) -> None:
    testbed.start_samba()
    testbed.start_chrony()
    out = tmp_path / "facts.json"
    status, stderr, data = collect(
        testbed, out, "--exchange", "EX01", "--host", "EX01", "--tickets"
    )
    assert status == 0, stderr
    assert facts_of(data, "kerberos_error") == []  # the SMTPSVC ticket was issued
    assert "0 probe(s) without an answer" in stderr or "without an answer" in stderr
    dcs = facts_of(data, "domain_controller")
    assert [(d["name"], d["fqdn"], d["pdc"]) for d in dcs] == [("DC1", DC_FQDN, True)]
    clocks = facts_of(data, "clock_offset")
    readers = {c["source"]["reader"] for c in clocks}
    assert readers == {"sntp", "ldap-rootdse-currenttime"}
    assert all(c["host"] == "EX01" and c["reference"] == DC_FQDN for c in clocks)
    assert all(abs(c["offset_s"]) < 2 for c in clocks)
    ports = {(p["port"], p["protocol"]): p["state"] for p in facts_of(data, "port_state")}
    assert ports[(88, "tcp")] == ports[(88, "udp")] == ports[(464, "tcp")] == "open"
    assert ports[(464, "udp")] == "open"  # kpasswd refused the ticketless request: it listens
    assert ports[(389, "udp")] == ports[(636, "tcp")] == ports[(3268, "tcp")] == "open"
    (listing,) = facts_of(data, "spn_listing")
    assert listing["account"] == "EX01$"
    assert len(listing["spns"]) == 4
    queries = facts_of(data, "spn_query")
    assert len(queries) == 4
    assert all(q["accounts"] == ["EX01$"] for q in queries)
    for fact in data["facts"]:
        origin = fact.get("origin") or fact["source"]
        assert origin["collector"] == "live"
        assert origin["reader"]
        assert origin["host"] == "EX01"
        assert fact["observed_at"]
    assert data["environment"]["kbdoctor.live.domain"] == DOMAIN
    report = evaluate(out)
    assert diagnosed(report) == set()
    statuses = {c["cause"]: c["status"] for c in report["causes"]}
    assert statuses["time_sync"] == "ruled_out"
    assert statuses["kerberos_ports_blocked"] == "ruled_out"


@pytest.mark.skipif(
    importlib.util.find_spec("gssapi") is None,
    reason="the gssapi package (pip install kbdoctor[kerberos]) is not installed",
)
def test_current_kerberos_ticket_binds_without_user(testbed: Testbed, tmp_path: Path) -> None:
    """No --user: the Kerberos ticket kinit left in KRB5CCNAME binds to LDAP (SASL GSSAPI
    inside TLS, certificates checked) and reads the computer accounts and SPNs; --tickets asks
    for the SMTPSVC ticket with a copy of it, leaving the caller's cache as it was."""
    testbed.start_samba()
    testbed.start_chrony()
    kerberos = testbed.kinit(tmp_path, ADMIN, ADMIN_PASSWORD)
    out = tmp_path / "facts.json"
    status, stderr, data = collect(
        testbed, out, "--exchange", "EX01", "--host", "EX01", "--tickets", user=False,
        env=kerberos,
    )  # fmt: skip
    assert status == 0, stderr
    bind = data["environment"]["kbdoctor.live.bind"]
    assert bind == f"GSSAPI with the Kerberos ticket of {ADMIN}@{DOMAIN.upper()}"
    (listing,) = facts_of(data, "spn_listing")
    assert (listing["account"], len(listing["spns"])) == ("EX01$", 4)
    assert [q["accounts"] for q in facts_of(data, "spn_query")] == [["EX01$"]] * 4
    assert facts_of(data, "probe_error") == []
    assert facts_of(data, "kerberos_error") == []  # SMTPSVC/ex01... was issued
    assert diagnosed(evaluate(out)) == set()
    cache = subprocess.run(
        ["klist"], capture_output=True, text=True, env=dict(os.environ, **kerberos), check=True
    ).stdout
    assert "SMTPSVC" not in cache


def test_without_user_or_ticket_only_the_root_dse_is_read(testbed: Testbed, tmp_path: Path) -> None:
    """No --user, no ticket and no terminal (a script): anonymous, and the fact file says what
    that left unread."""
    testbed.start_samba()
    out = tmp_path / "facts.json"
    empty = {"KRB5CCNAME": f"FILE:{tmp_path / 'no-such-cache'}"}
    status, stderr, data = collect(testbed, out, "--exchange", "EX01", user=False, env=empty)
    assert status == 0, stderr
    assert data["environment"]["kbdoctor.live.bind"] == "anonymous: the rootDSE only"
    assert facts_of(data, "spn_listing") == []
    assert "--exchange needs --user or a Kerberos ticket" in stderr


def test_dc_named_with_dc_option_and_import_in_the_same_run(
    testbed: Testbed, tmp_path: Path
) -> None:
    testbed.start_samba()
    out = tmp_path / "facts.json"
    setspn = SAMPLES / "setspn" / "kb979174_setspn_X_none_en.txt"
    status, stderr, data = collect(
        testbed, out, "--dc", DC_FQDN, "--exchange", "EX01", "--import", str(setspn)
    )
    assert status == 0, stderr
    (check,) = facts_of(data, "check_run")  # read from the imported setspn -X output
    assert check["source"]["collector"] == "import"
    assert check["found"] == 0
    assert len(facts_of(data, "spn_listing")) == 1  # and the live facts beside it
    local = data["environment"]["kbdoctor.live.collected_by"]
    assert local != "EX01"
    # without --host, the collecting machine's part is not known: its offsets are no facts
    assert facts_of(data, "clock_offset") == []


def test_missing_smtpsvc_spn(testbed: Testbed, tmp_path: Path) -> None:
    testbed.start_samba()
    out = tmp_path / "facts.json"
    status, stderr, data = collect(
        testbed, out, "--exchange", "EX02", "--host", "EX01", "--tickets"
    )
    assert status == 0, stderr
    assert facts_of(data, "spn_listing")[0]["spns"] == []
    (error,) = facts_of(data, "kerberos_error")
    assert error["code"] == "KDC_ERR_S_PRINCIPAL_UNKNOWN"
    assert error["target"] == f"SMTPSVC/ex02.{DOMAIN}"
    report = evaluate(out)
    assert diagnosed(report) == {"spn_missing"}
    (diagnosis,) = report["diagnoses"]
    assert "EX02" in json.dumps(diagnosis["evidence"])


def test_duplicate_spn_found_in_the_global_catalog(testbed: Testbed, tmp_path: Path) -> None:
    testbed.start_samba()
    out = tmp_path / "facts.json"
    status, stderr, data = collect(testbed, out, "--exchange", "EX04", "--host", "EX01")
    assert status == 0, stderr
    holders = {q["spn"]: sorted(q["accounts"]) for q in facts_of(data, "spn_query")}
    assert holders[f"SMTPSVC/ex04.{DOMAIN}"] == ["EX04$", "EX05$"]  # held as smtpsvc/EX04...
    report = evaluate(out)
    assert diagnosed(report) == {"spn_duplicate"}
    # Samba's KDC answers a request for the duplicated SPN with "Server not found in Kerberos
    # database", which is recorded as it is (the rules read it as a missing SPN).
    out = tmp_path / "tickets.json"
    status, stderr, data = collect(
        testbed, out, "--exchange", "EX04", "--host", "EX01", "--tickets"
    )
    assert status == 0, stderr
    codes = {(e["code"], e["target"]) for e in facts_of(data, "kerberos_error")}
    assert codes == {("KDC_ERR_S_PRINCIPAL_UNKNOWN", f"SMTPSVC/ex04.{DOMAIN}")}


def test_certificate_checked_unless_insecure(testbed: Testbed, tmp_path: Path) -> None:
    testbed.start_samba()
    out = tmp_path / "checked.json"
    status, stderr, data = collect(testbed, out, "--exchange", "EX01", ca=False)
    assert status == 0, stderr
    assert "certificate" in stderr.lower()
    assert facts_of(data, "spn_listing") == []  # nothing read over an unchecked connection
    assert facts_of(data, "port_state")  # what did not need LDAP is still there
    out = tmp_path / "insecure.json"
    status, stderr, data = collect(testbed, out, "--exchange", "EX01", "--insecure", ca=False)
    assert status == 0, stderr
    assert "--insecure" in data["environment"]["kbdoctor.live.tls"]
    assert len(facts_of(data, "spn_listing")) == 1


def test_dead_dc_costs_one_timeout_not_the_others_facts(testbed: Testbed, tmp_path: Path) -> None:
    testbed.start_samba()
    out = tmp_path / "facts.json"
    status, stderr, data = collect(
        testbed, out, "--dc", f"{DC_FQDN},10.99.0.2", "--exchange", "EX01", "--host", "EX01"
    )
    assert status == 0, stderr
    dead = [p for p in facts_of(data, "port_state") if p["target"] == "10.99.0.2"]
    assert {p["state"] for p in dead if p["protocol"] == "tcp"} == {"filtered"}
    assert {p["state"] for p in dead if p["protocol"] == "udp"} == {"unknown"}
    assert "ldap-rootdse 10.99.0.2" in stderr
    names = {d["name"] for d in facts_of(data, "domain_controller")}
    assert names == {"DC1", "10.99.0.2"}  # as given: nothing answered to name it
    assert any("10.99.0.2" in v for v in data["environment"].values())
    alive = [p for p in facts_of(data, "port_state") if p["target"] == DC_FQDN]
    assert {p["state"] for p in alive} == {"open"}
    assert len(facts_of(data, "spn_listing")) == 1
    unanswered = {(e["host"], e["probe"]) for e in facts_of(data, "probe_error")}
    assert {("10.99.0.2", "ldap-rootdse"), ("10.99.0.2", "sntp")} <= unanswered
    assert all(host != DC_FQDN for host, probe in unanswered if probe.startswith("port-"))
    assert "probe_error" not in json.dumps(evaluate(out)["diagnoses"])  # nothing concluded


def test_dc_clock_ten_minutes_fast(testbed: Testbed, tmp_path: Path) -> None:
    testbed.start_samba(faketime="+10m")
    testbed.start_chrony(faketime="+10m")
    out = tmp_path / "facts.json"
    status, stderr, data = collect(
        testbed, out, "--exchange", "EX01", "--host", "EX01", "--tickets"
    )
    assert status == 0, stderr
    (error,) = facts_of(data, "kerberos_error")  # kdc_timesync = 0: reported, not corrected
    assert (error["host"], error["code"]) == ("EX01", "KRB_AP_ERR_SKEW")
    offsets = {c["source"]["reader"]: c["offset_s"] for c in facts_of(data, "clock_offset")}
    assert abs(offsets["sntp"] + 600) < 2
    assert abs(offsets["ldap-rootdse-currenttime"] + 600) < 2
    report = evaluate(out)
    assert diagnosed(report) == {"time_sync"}


def test_a_machine_of_unknown_part_states_no_clock_pair(testbed: Testbed, tmp_path: Path) -> None:
    """Without --host, whoever collects may be an admin's laptop: its offset to a DC ten minutes
    fast is no Kerberos pair, so it is no fact, and nothing is diagnosed from it."""
    testbed.start_samba(faketime="+10m")
    testbed.start_chrony(faketime="+10m")
    out = tmp_path / "facts.json"
    status, stderr, data = collect(testbed, out, "--exchange", "EX01")
    assert status == 0, stderr
    assert facts_of(data, "clock_offset") == []
    assert any("--host" in value for value in data["environment"].values())
    assert "time_sync" not in diagnosed(evaluate(out))


def test_kdc_off_closes_kerberos_ports(testbed: Testbed, tmp_path: Path) -> None:
    testbed.start_samba(kdc=False)
    testbed.start_chrony()
    out = tmp_path / "facts.json"
    status, stderr, data = collect(
        testbed, out, "--exchange", "EX01", "--host", "EX01", "--tickets"
    )
    assert status == 0, stderr
    (error,) = facts_of(data, "kerberos_error")
    assert error["code"] == "KDC_UNREACHABLE"
    ports = {(p["port"], p["protocol"]): p["state"] for p in facts_of(data, "port_state")}
    assert ports[(88, "tcp")] == ports[(88, "udp")] == ports[(464, "tcp")] == "closed"
    assert ports[(464, "udp")] == "closed"  # ICMP port unreachable: no kpasswd without the KDC
    assert ports[(389, "tcp")] == ports[(3268, "tcp")] == "open"
    report = evaluate(out)
    assert diagnosed(report) == {"kerberos_ports_blocked"}


def connectors(data: Any) -> dict[tuple[str, str], list[str]]:
    return {
        (c["server"], c["name"]): c["auth_mechanisms"] for c in facts_of(data, "receive_connector")
    }


def test_connector_without_exchange_server_auth(testbed: Testbed, tmp_path: Path) -> None:
    """EX03's Default connector, a real msExchSmtpReceiveConnector object whose
    msExchSMTPReceiveInboundSecurityFlag lacks bit 16, is KB step 6's cause."""
    testbed.start_samba()
    out = tmp_path / "facts.json"
    status, stderr, data = collect(testbed, out, "--exchange", "EX03", "--host", "EX01")
    assert status == 0, stderr
    assert connectors(data) == {
        ("EX03", "Default EX03"): ["Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS"]
    }  # only the named server's connectors
    (connector,) = facts_of(data, "receive_connector")
    assert sorted(connector["bindings"]) == ["0.0.0.0:2525", "[::]:2525"]
    assert connector["source"]["reader"] == "ldap-receive-connector"
    assert "msExchSMTPReceiveInboundSecurityFlag" in connector["source"]["command"]
    report = evaluate(out)
    assert diagnosed(report) == {"connector_auth"}
    (diagnosis,) = report["diagnoses"]
    assert "EX03" in json.dumps(diagnosis)


def test_connector_with_exchange_server_auth_is_no_cause(testbed: Testbed, tmp_path: Path) -> None:
    testbed.start_samba()
    out = tmp_path / "facts.json"
    status, stderr, data = collect(testbed, out, "--exchange", "EX01", "--host", "EX01")
    assert status == 0, stderr
    assert connectors(data) == {
        ("EX01", "Default EX01"): [
            "Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer"
        ]
    }  # fmt: skip
    report = evaluate(out)
    assert "connector_auth" not in diagnosed(report)
    statuses = {c["cause"]: c["status"] for c in report["causes"]}
    assert statuses["connector_auth"] == "ruled_out"


def test_exchange_servers_discovered_from_the_configuration_partition(
    testbed: Testbed, tmp_path: Path
) -> None:
    """Without --exchange, the msExchExchangeServer objects name the servers: FQDN from
    networkAddress (ncacn_ip_tcp:), site from msExchServerSite, version from serialNumber; then
    their computer accounts and SPNs are read as for named servers."""
    testbed.start_samba()
    out = tmp_path / "facts.json"
    status, stderr, data = collect(testbed, out, "--host", "EX01")
    assert status == 0, stderr
    servers = {s["name"]: s for s in facts_of(data, "exchange_server")}
    assert set(servers) == {"EX01", "EX03"}
    for name, server in servers.items():
        assert server["fqdn"] == f"{name.lower()}.{DOMAIN}"
        assert server["site"] == "Default-First-Site-Name"
        assert server["version"] == "Version 15.2 (Build 1544.4)"
        assert server["account"] == f"{name}$"
    assert {f["account"] for f in facts_of(data, "spn_listing")} == {"EX01$", "EX03$"}
    assert set(connectors(data)) == {("EX01", "Default EX01"), ("EX03", "Default EX03")}
    assert "msExchExchangeServer" not in stderr  # the "none found" error is not there
    assert diagnosed(evaluate(out)) == {"connector_auth"}


def _until_connecting(pid: int) -> None:
    """Wait until process ``pid`` has a TCP connection being opened (SYN sent, state 02 in
    /proc/PID/net/tcp): its probes are out."""
    table = Path(f"/proc/{pid}/net/tcp")
    for _ in range(6000):
        try:
            rows = table.read_text().splitlines()[1:]
        except OSError:  # not started yet, or gone
            rows = []
        if any(row.split()[3] == "02" for row in rows):
            return
        time.sleep(0.05)
    raise AssertionError("the collection never began to probe")


def test_ctrl_c_writes_what_was_gathered_marked_incomplete(
    testbed: Testbed, tmp_path: Path
) -> None:
    """Ctrl-C while every probe waits on a DC whose packets vanish (a 30-minute timeout): the
    fact file is written with what was gathered, marked incomplete, without waiting for the
    probes; exit 130, one line on standard error, no traceback."""
    out = tmp_path / "facts.json"
    argv = [
        "ip", "netns", "exec", testbed.ns, sys.executable, "-m", "kbdoctor", "collect",
        "--domain", DOMAIN, "--dc", "10.99.0.2", "--timeout", "1800", "-o", str(out),
        "--lang", "en",
    ]  # fmt: skip
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _until_connecting(process.pid)  # past start-up: the probes are out, waiting
    assert process.poll() is None
    process.send_signal(signal.SIGINT)
    # the probes would wait 30 minutes (two hours with the guard): ending at all is the proof
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 130
    assert stderr.strip().splitlines() == [
        "kbdoctor: interrupted (Ctrl-C): the facts gathered so far are written, marked incomplete"
    ]
    assert "Traceback" not in stderr + stdout
    data = json.loads(out.read_text())
    assert data["environment"]["kbdoctor.live.incomplete"] == "interrupted"
    assert data["environment"]["kbdoctor.live.domain"] == DOMAIN
