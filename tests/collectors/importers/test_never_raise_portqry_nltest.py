"""The portqry and nltest readers never raise, whatever they are fed, and every fact they make
carries its provenance."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kbdoctor.collectors.decoding import decode_bytes
from kbdoctor.collectors.importers import nltest, portqry
from kbdoctor.collectors.importers.base import HostHint, Material, Reader
from kbdoctor.collectors.segments import CommandMaterial, split_segments

from tests.support.readers import exercise

pytestmark = pytest.mark.fuzz  # every test here: see tests/hostile/test_fuzzing.py

READERS: tuple[Reader, ...] = (*portqry.READERS, *nltest.READERS)

FRAGMENTS = [
    "Querying target system called:",
    " dc01.corp.example.com",
    "Querying target system called: <x>",
    "Local computer name:",
    "TCP port 88 (kerberos service): LISTENING",
    "UDP port 88 (kerberos service): LISTENING or FILTERED",
    "TCP port 99999 (x service): NOT LISTENING",
    "UDP port 389 is LISTENING",
    "UDP port 389 is FILTERED",
    "Server's response:",
    "LDAP query response:",
    "==== End of SQL Server query response ====",
    "Failed to resolve name to IP address",
    "C:\\>portqry -n DC01 -e 88 -p both",
    "C:\\>hostname",
    "EX01",
    "           DC: \\\\DC01.corp.example.com",
    "      Address: \\\\10.0.0.10",
    "     Dom Guid: 3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    " Dc Site Name: Default-First-Site-Name",
    "        Flags: PDC GC DS LDAP KDC WS 0xC000",
    "Getting DC name failed: Status = 1355 0x54b ERROR_NO_SUCH_DOMAIN",
    "Get list of DCs in domain 'corp' from '\\\\DC01'.",
    "    DC01.corp.example.com [PDC]  [DS] Site: Default-First-Site-Name",
    "                 AzureADKerberos [RODC]",
    "nltest /dclist:corp",
    "",
    " ",
    ":",
    "\\\\",
    "\u0141\u00f3d\u017a",
]
TEXTS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=30).map(
    "\n".join
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.booleans())
def test_readers_never_raise_on_text(text: str, with_host: bool) -> None:
    hint = HostHint("EX01", "folder") if with_host else None
    for segment in split_segments(text):
        exercise(
            READERS,
            CommandMaterial(
                "f.txt", b"", segment.text, segment.first_line, hint, command=segment.command
            ),
        )
    exercise(READERS, Material("f.txt", b"", text, 1, hint))


@settings(max_examples=200)
@given(st.binary(max_size=800))
def test_readers_never_raise_on_bytes(data: bytes) -> None:
    text = decode_bytes(data).text
    exercise(READERS, Material("f.bin", data, text, 1, HostHint("EX01", "option")))
