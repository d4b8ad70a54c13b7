"""Replication read live: two Samba AD DCs, dc2 joined to dc1 (testbed.py, ``Testbed.join``),
``kbdoctor collect`` reads each DC's inbound links (``repsFrom``, decoded as MS-DRSR documents
it) and ``kbdoctor evaluate`` judges them: a stopped replication partner is KB 979174 step 2's
cause, a healthy pair is none. Replication also makes the duplicate SPN no single DC would
accept (KB step 3).

The pair lives in a namespace of its own (``kbdliver<pid>``), so it does not meet the one-DC
test bed nor another engineer's run; it goes when this module is done.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.collectors.live.test_live_collect import collect, diagnosed, evaluate, facts_of
from tests.collectors.live.testbed import BASE_DN, DOMAIN, Testbed, missing_requirements

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Testbed, Testbed]]:
    reason = missing_requirements()
    if reason is not None:
        pytest.skip(reason)
    base = tmp_path_factory.mktemp("replication")
    namespace = f"kbdliver{os.getpid()}"[:15]
    dc1 = Testbed(base, namespace)
    dc2 = Testbed(base, namespace, name="dc2", ip="127.0.0.12")
    try:
        dc1.create_namespace()
        dc1.provision()
        dc1.start_samba()
        dc2.add_address()
        dc2.join(dc1)
        yield dc1, dc2
    finally:
        dc2.stop_samba()
        dc1.destroy()
        assert not os.path.exists(f"/run/netns/{namespace}")
        assert not os.path.exists(f"/etc/netns/{namespace}")


def links(data: object) -> dict[tuple[str, str, str], dict[str, object]]:
    return {
        (f["source"], f["destination"], f["naming_context"]): f
        for f in facts_of(data, "replication_link")
    }


def both_cas(pair: tuple[Testbed, Testbed], folder: Path) -> str:
    """Each DC made its own self-signed CA when it was provisioned or joined."""
    bundle = folder / "cas.pem"
    bundle.write_text("".join(dc.ca_file.read_text() for dc in pair))
    return str(bundle)


def test_healthy_pair_replicates_both_ways(pair: tuple[Testbed, Testbed], tmp_path: Path) -> None:
    dc1, dc2 = pair
    dc2.start_samba()
    out = tmp_path / "facts.json"
    status, stderr, data = collect(
        dc1, out, "--dc", f"{dc1.fqdn},{dc2.fqdn}", "--ca-file", both_cas(pair, tmp_path), ca=False
    )
    assert status == 0, stderr
    found = links(data)
    assert found[("DC2", "DC1", BASE_DN)]["last_result"] == 0
    assert found[("DC1", "DC2", BASE_DN)]["last_result"] == 0
    assert all(f["consecutive_failures"] == 0 for f in found.values())
    assert all(f["last_success"] for f in found.values())
    origin = found[("DC2", "DC1", BASE_DN)]["origin"]
    assert isinstance(origin, dict)
    assert origin["reader"] == "ldap-repsFrom"
    assert diagnosed(evaluate(out)) == set()


def test_stopped_partner_is_the_replication_cause(
    pair: tuple[Testbed, Testbed], tmp_path: Path
) -> None:
    dc1, dc2 = pair
    dc2.stop_samba()
    dc1.replicate_all(dc2, check=False)  # dc1 tries its partner now, and records the failure
    out = tmp_path / "facts.json"
    status, stderr, data = collect(dc1, out, "--dc", dc1.fqdn)
    assert status == 0, stderr
    failing = links(data)[("DC2", "DC1", BASE_DN)]
    assert failing["last_result"] != 0
    assert isinstance(failing["consecutive_failures"], int)
    assert failing["consecutive_failures"] >= 1
    assert failing["last_success"]  # before dc2 stopped
    report = evaluate(out)
    assert diagnosed(report) == {"ad_replication"}


def test_duplicate_spn_made_through_replication(
    pair: tuple[Testbed, Testbed], tmp_path: Path
) -> None:
    """The same SMTPSVC SPN written on two accounts, one on each DC, while they do not
    replicate: each DC's uniqueness check (samldb refuses a second holder it can see) passes,
    since neither sees the other's unreplicated write; once they replicate, both DCs and the
    Global Catalog hold both accounts with it, as happens in a real forest. KB step 3's
    duplicate is diagnosed from what the collection reads."""
    dc1, dc2 = pair
    dc2.start_samba()
    spn = f"SMTPSVC/dup1.{DOMAIN}"
    dc1.add_computer("DUP1", [f"SMTP/dup1.{DOMAIN}", "SMTP/dup1", "SMTPSVC/dup1"])
    dc1.add_computer("DUP2", [])
    dc2.replicate_all(dc1)  # both accounts on both DCs, neither holding the SPN yet
    for dc in pair:
        dc.drs_options("+DISABLE_OUTBOUND_REPL", "+DISABLE_INBOUND_REPL")
    try:
        dc1.samba_tool("spn", "add", spn, "DUP1$")
        dc2.samba_tool("spn", "add", spn, "DUP2$")
    finally:
        for dc in pair:
            dc.drs_options("-DISABLE_OUTBOUND_REPL", "-DISABLE_INBOUND_REPL")
    dc1.replicate_all(dc2)
    dc2.replicate_all(dc1)
    out = tmp_path / "facts.json"
    status, stderr, data = collect(dc1, out, "--dc", dc1.fqdn, "--exchange", "DUP1")
    assert status == 0, stderr
    (listing,) = facts_of(data, "spn_listing")
    assert sorted(listing["spns"]) == sorted(
        [f"SMTP/dup1.{DOMAIN}", "SMTP/dup1", "SMTPSVC/dup1", spn]
    )
    holders = {q["spn"].lower(): sorted(q["accounts"]) for q in facts_of(data, "spn_query")}
    assert holders[spn.lower()] == ["DUP1$", "DUP2$"]
    # a scheduled replication attempt while it was disabled may still be the links' last result
    # when the collection reads them (on a loaded machine it was, three runs in four): then the
    # collection reads a failing link, and the replication cause is rightly diagnosed from it
    failing = any(link["last_result"] != 0 for link in facts_of(data, "replication_link"))
    assert diagnosed(evaluate(out)) == {"spn_duplicate"} | (
        {"ad_replication"} if failing else set()
    )
