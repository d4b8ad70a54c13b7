"""Fixture loading shared by the event log reader tests: bytes decoded by the framework."""

from __future__ import annotations

from pathlib import Path

from kbdoctor.collectors.decoding import decode_bytes
from kbdoctor.collectors.importers.base import HostHint, Material
from kbdoctor.engine.facts import Event, Fact, KerberosError

DATA = Path(__file__).resolve().parents[2] / "data" / "importers" / "eventlog"


def material(name: str, host: str | None = None) -> Material:
    data = (DATA / name).read_bytes()
    hint = HostHint(host, "option") if host else None
    return Material(str(DATA / name), data, decode_bytes(data).text, host_hint=hint)


def events(facts: list[Fact]) -> list[Event]:
    return [f for f in facts if isinstance(f, Event)]


def kerberos_errors(facts: list[Fact]) -> list[KerberosError]:
    return [f for f in facts if isinstance(f, KerberosError)]
