"""The setspn, w32tm, Test-NetConnection and klist readers never raise, whatever they are fed."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kbdoctor.collectors.decoding import decode_bytes
from kbdoctor.collectors.importers import klist, setspn, test_netconnection, w32tm
from kbdoctor.collectors.importers.base import HostHint, Material, Reader
from kbdoctor.collectors.segments import CommandMaterial, split_segments

from tests.support.readers import exercise

pytestmark = pytest.mark.fuzz  # every test here: see tests/hostile/test_fuzzing.py

READERS: tuple[Reader, ...] = (
    *setspn.READERS, *w32tm.READERS, *test_netconnection.READERS, *klist.READERS
)

# Fragments of the real formats, so that generated text gets deep into the parsers.
FRAGMENTS = [
    "Registered ServicePrincipalNames for CN=EX01,DC=c:", "        SMTPSVC/EX01", "CN=EX01,DC=c",
    "found 1 group of duplicate SPNs.", "X/y is registered on these accounts:",
    "Processing entry 0",
    "No such SPN found.", "Tracking DC01 [10.0.0.1:123].", "04:17:25, +00.0009583s",
    "04:17:25, error: 0x800705B4", "DC1.example.com *** PDC ***[1.2.3.4:123]:",
    "    NTP: -0.0063029s offset from PDC", "    NTP: error ERROR_TIMEOUT",
    "Leap Indicator: 0(no warning)", "Stratum: 4 (x)", "Precision: -23 (x)", "Source: x",
    "#Peers: 2", "Peer: a", "ComputerName : a", "RemotePort : 88", "TcpTestSucceeded : True",
    "WARNING: TCP connect to (a : 99999) failed", "klist failed with 0xc0000133/-1: x",
    "Error calling API LsaCallAuthenticationPackage (GetTicket substatus): 0x6fb",
    "Current LogonId is 0:0x3e7", "PS C:\\> setspn -Q a/b", "w32tm /stripchart /computer:",
    "", " ", ":", "\t", "\u0141\u00f3d\u017a",
]
TEXTS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=30).map(
    "\n".join
)


def _exercise(material: Material) -> None:
    exercise(READERS, material)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.booleans())
def test_readers_never_raise_on_text(text: str, with_host: bool) -> None:
    hint = HostHint("EX01", "folder") if with_host else None
    for segment in split_segments(text):
        _exercise(CommandMaterial("f.txt", b"", segment.text, segment.first_line, hint,
                                  command=segment.command))
    _exercise(Material("f.txt", b"", text, 1, hint))


@settings(max_examples=200)
@given(st.binary(max_size=800))
def test_readers_never_raise_on_bytes(data: bytes) -> None:
    text = decode_bytes(data).text
    _exercise(Material("f.bin", data, text, 1, HostHint("EX01", "option")))
