"""The repadmin and Exchange readers never raise, whatever they are fed."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kbdoctor.collectors.decoding import decode_bytes
from kbdoctor.collectors.importers import (
    exchange_queue,
    exchange_receive_connector,
    exchange_server,
    repadmin,
)
from kbdoctor.collectors.importers.base import HostHint, Material, Reader
from kbdoctor.collectors.parsing.clixml import ClixmlError, parse_clixml
from kbdoctor.collectors.parsing.format_list import parse_records

from tests.support.readers import exercise

pytestmark = pytest.mark.fuzz  # every test here: see tests/hostile/test_fuzzing.py

READERS: tuple[Reader, ...] = (
    *repadmin.READERS,
    *exchange_queue.READERS,
    *exchange_receive_connector.READERS,
    *exchange_server.READERS,
)

# Fragments of the real formats, so that generated text gets deep into the parsers.
FRAGMENTS = [
    "Default-First-Site-Name\\DC1", "DSA Options: IS_GC", "==== INBOUND NEIGHBORS ====",
    "DC=corp,DC=example,DC=com", "    Site\\DC2 via RPC", "        DSA object GUID: 1-2",
    "        Last attempt @ 2024-03-05 14:02:11 failed, result 1722 (0x6ba):",
    "        Last attempt @ (never) was successful.", "        12 consecutive failure(s).",
    "        Kolejne niepowodzenia: 3.", "        Last success @ 2024-03-04 09:15:40.",
    "Repadmin: running command /showrepl against full DC localhost",
    "result 99999999999 (0xFFFFFFFFF)", "showrepl_COLUMNS,Destination DSA Site,Destination DSA,"
    "Naming Context,Source DSA Site,Source DSA,Transport Type,Number of Failures,"
    "Last Failure Time,Last Success Time,Last Failure Status",
    'showrepl_INFO,S,DC1,"DC=x,DC=y",S,DC2,RPC,3,2024-01-01 10:00:00,0,-2146893022',
    "showrepl_INFO,S,DC=x,S,DC2,RPC,x,0,0,0x6ba", 'showrepl_INFO,"unterminated',
    "Source DSA          largest delta    fails/total %%   error",
    "Destination DSA     largest delta    fails/total %%   error",
    " DC02        09m:55s    1 /   4   25  (8524) The DSA operation failed",
    " DC01        >60 days    0 /   0    0", "          58 - dc3.corp.example.com",
    "Replication Summary Start Time: 2024-04-23 06:07:59",
    "Identity         : EX01\\3", "Queue            : EX01\\3", "NextHopDomain    : b",
    "MessageCount     : -5", "MessageCount     : 1,5", "Status           : Retry",
    "LastError        : [{LRT=1/1/2024};{LED=451 4.4.0 ...", "                   continued",
    "AuthMechanism    : Tls, Bogus, 99", "PermissionGroups : 4294967296", "Server           :",
    "Bindings         : {[::]:25, 0.0.0.0:25...}", "Name             : EX01",
    "Fqdn             : ex01.corp", "AdminDisplayVersion : Version 15.2 (Build 1118.7)",
    "Site             : /", "Identity DeliveryType Status MessageCount", "-------- ------",
    '<Objs Version="1.1.0.1">', '<Obj RefId="0"><Props>', '<Ref N="Server" RefId="0" />',
    '<Obj N="AuthMechanism" RefId="1"><I32>31</I32></Obj>', "</Props></Obj></Objs>",
    "<!DOCTYPE x>", '[{"AuthMechanism": 31, "Server": {"Name": 5}, "Bindings": [{"Port": 1}]}',
    '{"value": [{"AuthMechanism": "Tls"}]}', '"AuthMechanism": {"value": null}',
    "", " ", ":", "\t", "{", "}", "\u0141\u00f3d\u017a",
]
TEXTS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=30).map(
    "\n".join
)


def _exercise(material: Material) -> None:
    for reader, result in exercise(READERS, material):
        # The readers' last-resort handler must not be what kept them from raising.
        internal = [w for w in result.warnings if _is_internal_failure(w.key)]
        assert internal == [], reader.name


def _is_internal_failure(key: str) -> bool:
    """The key of the readers' last-resort handler, in :class:`ReaderBase` for every reader;
    unreadable JSON or CLIXML in the material is not one."""
    return key == "base.read_failed"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.booleans())
def test_readers_never_raise_on_text(text: str, with_host: bool) -> None:
    hint = HostHint("DC1", "folder") if with_host else None
    _exercise(Material("f.txt", text.encode("utf-8", "replace"), text, 1, hint))


@settings(max_examples=200)
@given(st.binary(max_size=800))
def test_readers_never_raise_on_bytes(data: bytes) -> None:
    _exercise(Material("f.bin", data, decode_bytes(data).text, 1, HostHint("EX01", "option")))


@settings(max_examples=200)
@given(TEXTS)
def test_clixml_parser_raises_only_its_own_error(text: str) -> None:
    with contextlib.suppress(ClixmlError):
        parse_clixml(text)


@settings(max_examples=200)
@given(TEXTS)
def test_format_list_spans_stay_inside_the_material(text: str) -> None:
    material = Material("f.txt", b"", text)
    count = len(material.lines())
    for record in parse_records(material):
        for item in record.fields:
            assert 0 <= item.first <= item.last < count
