"""Exchange servers and DCs implied by the material, once per machine, saying how."""

from __future__ import annotations

from kbdoctor.collectors.inference import infer_hosts
from kbdoctor.engine.facts import (
    DomainController,
    Event,
    ExchangeServer,
    Fact,
    Queue,
    ReceiveConnector,
    ReplicationLink,
    Source,
    SpnListing,
)

SRC = Source(collector="import", reader="x", file="f.txt", line=3)


def test_connector_queue_and_transport_event_name_one_exchange_server() -> None:
    facts: list[Fact] = [
        ReceiveConnector(server="EX01", name="Default EX01", auth_mechanisms=["Tls"],
                         provenance=SRC),
        Queue(server="ex01.corp.example.com", last_error="451 4.4.0", identity="EX01\\1"),
        Event(host="EX01", source="MSExchangeTransport", event_id=1035, message="m"),
    ]
    [server] = infer_hosts(facts)
    assert isinstance(server, ExchangeServer)
    assert (server.name, server.fqdn) == ("EX01", "ex01.corp.example.com")
    assert server.provenance is not None
    assert server.provenance.file == "f.txt"
    assert server.provenance.line == 3
    assert server.provenance.inferred == (
        "server of receive connector 'Default EX01'; server of queue 'EX01\\1'; "
        "host of MSExchangeTransport event 1035"
    )


def test_servers_given_by_get_exchangeserver_are_not_repeated() -> None:
    facts: list[Fact] = [
        ExchangeServer(name="EX01", fqdn="ex01.corp.example.com"),
        Queue(server="ex01.corp.example.com", last_error="x"),
        Queue(server="EX02", last_error="x"),
    ]
    assert [f.name for f in infer_hosts(facts) if isinstance(f, ExchangeServer)] == ["EX02"]


def test_an_unrelated_event_source_implies_nothing() -> None:
    facts = [Event(host="WS01", source="Microsoft-Windows-Kerberos-Key-Distribution-Center",
                   event_id=11, message="m")]
    assert infer_hosts(facts) == []


def test_spn_classes_tell_exchange_servers_and_dcs_apart() -> None:
    facts: list[Fact] = [
        SpnListing(account="CN=EX01,OU=Ex,DC=corp,DC=example,DC=com",
                   spns=["SmtpSvc/EX01", "SMTPSVC/ex01.corp.example.com", "HOST/EX01"]),
        SpnListing(account="CN=DC01,OU=Domain Controllers,DC=corp,DC=example,DC=com",
                   spns=["E3514235-4B06-11D1-AB04-00C04FC2DCD2/guid/corp.example.com",
                         "GC/dc01.corp.example.com/corp.example.com", "HOST/DC01"]),
        SpnListing(account="CN=WEB01,DC=corp", spns=["HTTP/web01"]),
    ]
    inferred = infer_hosts(facts)
    assert [(type(f).__name__, f.name, f.fqdn) for f in inferred
            if isinstance(f, (ExchangeServer, DomainController))] == [
        ("ExchangeServer", "EX01", "ex01.corp.example.com"),
        ("DomainController", "DC01", "dc01.corp.example.com"),
    ]


def test_replication_partners_are_dcs_and_known_dcs_are_not_repeated() -> None:
    facts: list[Fact] = [
        DomainController(name="DC01.corp.example.com", fqdn="DC01.corp.example.com"),
        ReplicationLink(source="DC01", destination="DC02", last_result=1722),
    ]
    inferred = infer_hosts(facts)
    assert [f.name for f in inferred if isinstance(f, DomainController)] == ["DC02"]
    assert inferred[0].provenance is not None
    assert inferred[0].provenance.inferred == "destination DSA of a replication link"
