"""What a fact observes: one observation has one identity however its names are spelled or its
clock pair is ordered, and two different observations never share one."""

from __future__ import annotations

from typing import Any

import pytest
from kbdoctor.engine.facts import Fact
from kbdoctor.engine.observations import observation, registry_of, same_reading
from pydantic import TypeAdapter

FACT: TypeAdapter[Fact] = TypeAdapter(Fact)
KNOWN = [
    FACT.validate_python(
        {"type": "exchange_server", "name": "EX02", "fqdn": "ex02.corp.example.com"}
    ),
    FACT.validate_python(
        {"type": "domain_controller", "name": "DC01", "fqdn": "dc01.corp.example.com"}
    ),
]


def _reading(data: dict[str, Any]) -> Any:
    fact = FACT.validate_python(data)
    return same_reading(fact, registry_of([*KNOWN, fact]))


def _identity(data: dict[str, Any]) -> Any:
    fact = FACT.validate_python(data)
    seen = observation(fact, registry_of([*KNOWN, fact]))
    assert seen is not None
    return seen.identity


def clock(host: str, reference: str, offset: float, at: str = "2026-11-28T09:10:00Z") -> Any:
    return {
        "type": "clock_offset",
        "host": host,
        "reference": reference,
        "offset_s": offset,
        "observed_at": at,
    }


@pytest.mark.parametrize(
    ("host", "reference", "offset"),
    [
        ("ex02.corp.example.com", "dc01.corp.example.com", 421.5),
        ("ex02", "Dc01", 421.5),
        ("DC01", "EX02", -421.5),  # the same measurement written the other way round
        ("dc01.corp.example.com.", "\\\\EX02", -421.5),
    ],
)
def test_one_clock_measurement_spelled_or_ordered_otherwise_is_one_reading(
    host: str, reference: str, offset: float
) -> None:
    assert _reading(clock(host, reference, offset)) == _reading(clock("EX02", "DC01", 421.5))


def test_a_clock_pair_with_the_other_sign_is_another_value_of_the_same_pair() -> None:
    assert _identity(clock("DC01", "EX02", 421.5)) == _identity(clock("EX02", "DC01", 421.5))
    assert _reading(clock("DC01", "EX02", 421.5)) != _reading(clock("EX02", "DC01", 421.5))


def test_the_same_moment_written_in_two_zones_is_one_reading() -> None:
    assert _reading(clock("EX02", "DC01", 421.5, "2026-11-28T10:10:00+01:00")) == _reading(
        clock("EX02", "DC01", 421.5, "2026-11-28T09:10:00Z")
    )


def test_a_state_observed_later_is_the_same_thing_another_time() -> None:
    later = clock("EX02", "DC01", 3.0, "2026-11-28T09:20:00Z")
    assert _identity(later) == _identity(clock("EX02", "DC01", 421.5))
    assert _reading(later) != _reading(clock("EX02", "DC01", 421.5))


def port(
    source: str, target: str, port: int = 88, protocol: str = "tcp", state: str = "open"
) -> dict[str, Any]:
    return {
        "type": "port_state",
        "source": source,
        "target": target,
        "port": port,
        "protocol": protocol,
        "state": state,
    }


def test_a_port_path_is_source_target_port_and_protocol() -> None:
    assert _identity(port("EX02", "dc01.corp.example.com")) == _identity(port("ex02", "DC01"))
    assert _identity(port("EX02", "DC01", state="filtered")) == _identity(port("EX02", "DC01"))
    others = [port("DC01", "EX02"), port("EX02", "DC01", 464), port("EX02", "DC01", 88, "udp")]
    assert all(_identity(p) != _identity(port("EX02", "DC01")) for p in others)


def test_a_replication_link_is_its_direction_and_naming_context() -> None:
    def link(source: str, destination: str, context: str = "DC=corp") -> dict[str, Any]:
        return {
            "type": "replication_link",
            "source": source,
            "destination": destination,
            "naming_context": context,
            "last_result": 0,
        }

    assert _identity(link("dc01", "DC02")) == _identity(link("DC01.corp.example.com", "dc02"))
    assert _identity(link("DC01", "DC02", "dc=CORP")) == _identity(link("DC01", "DC02"))
    assert _identity(link("DC02", "DC01")) != _identity(link("DC01", "DC02"))
    assert _identity(link("DC01", "DC02", "CN=Configuration")) != _identity(link("DC01", "DC02"))


def test_a_receive_connector_is_its_server_and_name() -> None:
    def connector(server: str, name: str, mechanisms: list[str]) -> dict[str, Any]:
        return {
            "type": "receive_connector",
            "server": server,
            "name": name,
            "auth_mechanisms": mechanisms,
        }

    assert _reading(connector("ex02", "default  EX02", ["Tls", "ExchangeServer"])) == _reading(
        connector("EX02.corp.example.com", "Default EX02", ["exchangeserver", "tls"])
    )
    assert _identity(connector("EX02", "Default EX02", ["Tls"])) != _identity(
        connector("EX02", "Client Frontend EX02", ["Tls"])
    )


def event(host: str, time: str, message: str = "Inbound authentication failed") -> Any:
    return {
        "type": "event",
        "host": host,
        "source": "MSExchangeTransport",
        "event_id": 1035,
        "log": "Application",
        "time": time,
        "message": message,
    }


def test_an_event_is_one_occurrence_however_its_host_is_spelled() -> None:
    assert _identity(event("EX02", "2026-11-28T09:10:00Z")) == _identity(
        event("ex02.corp.example.com", "2026-11-28T10:10:00+01:00")
    )


def test_events_at_other_times_or_with_other_messages_are_other_occurrences() -> None:
    first = _identity(event("EX02", "2026-11-28T09:10:00Z"))
    assert _identity(event("EX02", "2026-11-28T09:10:01Z")) != first
    assert _identity(event("EX02", "2026-11-28T09:10:00Z", "[10.0.0.9]")) != first
    assert _identity(event("EX01", "2026-11-28T09:10:00Z")) != first


def test_a_kerberos_error_is_host_code_and_target_not_when_it_was_read() -> None:
    """Read at 09:10 as EX02 and at 10:10 as ex02.corp.example.com, one error counted twice
    raised time_sync from 0.80 to 0.96; read twice spelled alike, it counted once."""
    def error(host: str, code: str, at: str, target: str = "SMTPSVC/ex01") -> dict[str, Any]:
        return {
            "type": "kerberos_error",
            "host": host,
            "code": code,
            "target": target,
            "observed_at": at,
        }

    at = "2026-11-28T09:10:00Z"
    assert _identity(error("ex02", "0x25", at)) == _identity(error("EX02", "KRB_AP_ERR_SKEW", at))
    assert _identity(error("ex02.corp.example.com", "KRB_AP_ERR_SKEW", "2026-11-28T10:11:00Z")) == (
        _identity(error("EX02", "KRB_AP_ERR_SKEW", at))
    )
    assert _identity(error("EX02", "KRB_AP_ERR_SKEW", at, "SMTPSVC/ex03")) != _identity(
        error("EX02", "KRB_AP_ERR_SKEW", at)
    )


def test_a_queue_without_its_identity_is_compared_by_all_it_says() -> None:
    def queue(identity: str | None, error: str) -> dict[str, Any]:
        fact = {"type": "queue", "server": "EX02", "last_error": error}
        return {**fact, "identity": identity} if identity else fact

    assert _identity(queue("EX02\\3", "454 4.7.0")) == _identity(queue("ex02\\3", "421 4.4.1"))
    assert _identity(queue(None, "454 4.7.0")) != _identity(queue(None, "421 4.4.1"))


def test_machines_are_merged_elsewhere_and_have_no_reading() -> None:
    assert _reading({"type": "exchange_server", "name": "EX02"}) is None
