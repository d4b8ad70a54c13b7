"""REPS_FROM and DS_REPL_NEIGHBOR decoding (collectors/live/replication.py), on repsFrom values
that Samba 4.17 wrote on dc1 of the test bed for its partner dc2: once after a replication that
worked, once after dc2 was stopped and dc1 was asked to replicate from it."""

from __future__ import annotations

import base64
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest
from kbdoctor.collectors.live.replication import DecodeError, decode_reps_from, parse_neighbor

DATA = Path(__file__).resolve().parents[2] / "data" / "live"
DC2_DSA = "7f90e3bb-34b8-4e1d-901d-56f8665e3ce8"  # objectGUID of dc2's NTDS Settings
DOMAIN_NC = "DC=corp,DC=example,DC=test"


def blob(name: str) -> bytes:
    return base64.b64decode((DATA / name).read_text())


def test_a_healthy_link() -> None:
    link = decode_reps_from(blob("repsfrom-dc1-from-dc2-healthy.b64"), DOMAIN_NC)
    assert link.naming_context == DOMAIN_NC
    assert link.source_guid == DC2_DSA
    assert link.source_address == f"{DC2_DSA}._msdcs.corp.example.test"
    assert (link.last_result, link.consecutive_failures) == (0, 0)
    assert link.last_success == link.last_attempt
    assert link.last_success is not None
    assert link.last_success.year >= 2024


def test_a_link_whose_partner_is_stopped() -> None:
    link = decode_reps_from(blob("repsfrom-dc1-from-dc2-failing.b64"), DOMAIN_NC)
    # samba-tool drs showrepl said: failed, result 64 (WERR_NETNAME_DELETED), 1 failure
    assert (link.last_result, link.consecutive_failures) == (64, 1)
    assert link.last_success is not None
    assert link.last_attempt is not None
    assert link.last_success < link.last_attempt


def test_a_size_or_address_that_does_not_fit_is_refused_or_left_out() -> None:
    """cb must be the value's length; an address that does not fit is not read (the link,
    named by its DSA GUID, still is)."""
    value = bytearray(blob("repsfrom-dc1-from-dc2-healthy.b64"))
    struct.pack_into("<I", value, 40, 70)  # cbOtherDra disagrees with the MTX_ADDR's length
    link = decode_reps_from(bytes(value), DOMAIN_NC)
    assert (link.source_address, link.source_guid) == (None, DC2_DSA)
    struct.pack_into("<I", value, 8, len(value) + 5)
    with pytest.raises(DecodeError, match="cb"):
        decode_reps_from(bytes(value), DOMAIN_NC)


def test_what_is_not_a_reps_from_is_refused() -> None:
    with pytest.raises(DecodeError):
        decode_reps_from(b"\x01\x00\x00\x00" * 10, DOMAIN_NC)
    value = bytearray(blob("repsfrom-dc1-from-dc2-healthy.b64"))
    value[0] = 7
    with pytest.raises(DecodeError, match="dwVersion"):
        decode_reps_from(bytes(value), DOMAIN_NC)


def test_an_hresult_is_signed_as_repadmin_prints_it() -> None:
    value = bytearray(blob("repsfrom-dc1-from-dc2-failing.b64"))
    struct.pack_into("<I", value, 32, 0x80090322)
    assert decode_reps_from(bytes(value), DOMAIN_NC).last_result == -2146893022


def test_a_neighbour_document() -> None:
    """msDS-NCReplInboundNeighbors (Windows; Samba 4.17 does not offer it): the fields of
    DS_REPL_NEIGHBOR as elements. Built here from the documented field names."""
    xml = (
        "<DS_REPL_NEIGHBOR>\n<pszNamingContext>DC=corp,DC=example,DC=com</pszNamingContext>\n"
        "<pszSourceDsaDN>CN=NTDS Settings,CN=DC01,CN=Servers,CN=HQ,CN=Sites,"
        "CN=Configuration,DC=corp,DC=example,DC=com</pszSourceDsaDN>\n"
        "<uuidSourceDsaObjGuid>4c8d1e3a-55b0-4f5e-9d3c-0a1b2c3d4e5f</uuidSourceDsaObjGuid>\n"
        "<ftimeLastSyncSuccess>2024-03-12T07:40:11Z</ftimeLastSyncSuccess>\n"
        "<ftimeLastSyncAttempt>2024-03-14T09:05:02Z</ftimeLastSyncAttempt>\n"
        "<dwLastSyncResult>2148074274</dwLastSyncResult>\n"
        "<cNumConsecutiveSyncFailures>214</cNumConsecutiveSyncFailures>\n</DS_REPL_NEIGHBOR>"
    )
    link = parse_neighbor(xml)
    assert link.last_result == -2146893022
    assert link.consecutive_failures == 214
    assert link.last_success == datetime(2024, 3, 12, 7, 40, 11, tzinfo=UTC)
    assert link.source_guid == "4c8d1e3a-55b0-4f5e-9d3c-0a1b2c3d4e5f"
    never = xml.replace("2024-03-12T07:40:11Z", "1601-01-01T00:00:00Z")
    assert parse_neighbor(never).last_success is None
    with pytest.raises(DecodeError):
        parse_neighbor(xml.replace("<dwLastSyncResult>2148074274</dwLastSyncResult>", ""))
