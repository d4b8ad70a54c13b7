"""Get-ReceiveConnector readers: Format-List, Export-Clixml, ConvertTo-Json."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from kbdoctor.collectors.decoding import decode_bytes
from kbdoctor.collectors.importers.base import Material
from kbdoctor.collectors.importers.exchange_receive_connector import (
    ClixmlReader,
    FormatListReader,
    JsonReader,
)
from kbdoctor.collectors.parsing.exchange_flags import (
    AUTH_MECHANISMS,
    PERMISSION_GROUPS,
    decode_flags,
)
from kbdoctor.engine.facts import ReceiveConnector

DATA = Path(__file__).parents[2] / "data" / "importers" / "exchange"
FL, XML, JSON = FormatListReader(), ClixmlReader(), JsonReader()
ALL_AUTH = ["Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer"]


def material(name: str) -> Material:
    data = (DATA / name).read_bytes()
    return Material(path=name, data=data, text=decode_bytes(data).text)


def connectors(facts: Sequence[object]) -> list[ReceiveConnector]:
    return [f for f in facts if isinstance(f, ReceiveConnector)]


@pytest.mark.parametrize(
    ("value", "names"),
    [
        (31, ALL_AUTH),
        ("31", ALL_AUTH),
        ("Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer", ALL_AUTH),
        ("exchangeserver,TLS", ["Tls", "ExchangeServer"]),
        (15, ["Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS"]),
        ("None", []),
        (0, []),
    ],
)
def test_auth_mechanism_names_from_integers_or_names(value: object, names: list[str]) -> None:
    decoded = decode_flags(value, AUTH_MECHANISMS)
    assert decoded is not None
    assert decoded.names == names
    assert decoded.unknown == []


def test_unknown_bits_and_names_are_reported() -> None:
    assert decode_flags(64 | 4, PERMISSION_GROUPS) == decode_flags(68, PERMISSION_GROUPS)
    decoded = decode_flags(68, PERMISSION_GROUPS)
    assert decoded is not None
    assert decoded.names == ["ExchangeServers"]
    assert decoded.unknown == ["0x40"]
    named = decode_flags("Partners, Robots", PERMISSION_GROUPS)
    assert named is not None
    assert named.unknown == ["Robots"]
    assert decode_flags(None, AUTH_MECHANISMS) is None
    assert decode_flags(True, AUTH_MECHANISMS) is None


def test_an_unknown_name_leaves_the_list_incomplete_but_an_unknown_bit_does_not() -> None:
    named = decode_flags("Tls, Integriert, BasicAuth", AUTH_MECHANISMS)
    assert named is not None
    assert not named.complete
    bits = decode_flags(64 | 1, AUTH_MECHANISMS)
    assert bits is not None
    assert bits.complete
    assert bits.names == ["Tls"]


def test_a_connector_whose_mechanisms_are_not_all_known_is_a_warning_not_a_fact() -> None:
    # a partial list would state that Integrated (here in a form no table knows) is not set
    text = (
        "Name             : Default EX06\n"
        "Server           : EX06\n"
        "AuthMechanism    : Tls, Integriert, BasicAuth\n"
        "PermissionGroups : AnonymousUsers, Gruppen\n"
        "\n"
        "Name             : Client EX06\n"
        "Server           : EX06\n"
        "AuthMechanism    : Tls, BasicAuth\n"
        "PermissionGroups : ExchangeUsers, Gruppen\n"
    )
    m = Material(path="fl.txt", data=text.encode(), text=text)
    assert FL.sniff(m)
    result = FL.read(m)
    [client] = connectors(result.facts)
    assert (client.name, client.auth_mechanisms) == ("Client EX06", ["Tls", "BasicAuth"])
    assert client.permission_groups is None  # ExchangeUsers and a group no table knows
    unknown = [w for w in result.warnings if w.key == "receive_connector.unknown_flags"]
    assert [(w.line, dict(w.params)["values"]) for w in unknown] == [
        (1, "Integriert"), (1, "Gruppen"), (6, "Gruppen")
    ]


class TestFormatList:
    def test_utf16_listing_gives_each_connector(self) -> None:
        m = material("get_receiveconnector_fl_en.utf16.txt")
        assert FL.sniff(m)
        assert not XML.sniff(m)
        assert not JSON.sniff(m)
        result = FL.read(m)
        default, client, relay = connectors(result.facts)
        assert (default.server, default.name) == ("EX01", "Default EX01")
        assert default.auth_mechanisms == ALL_AUTH
        assert default.permission_groups == [
            "ExchangeUsers",
            "ExchangeServers",
            "ExchangeLegacyServers",
        ]
        assert default.bindings == ["[::]:2525", "0.0.0.0:2525"]
        assert "ExchangeServer" not in client.auth_mechanisms
        assert (relay.server, relay.auth_mechanisms) == ("EX02", ["Tls"])
        assert default.provenance is not None
        assert default.provenance.line == 3

    def test_cut_bindings_are_kept_and_reported(self) -> None:
        result = FL.read(material("get_receiveconnector_fl_en.utf16.txt"))
        relay = connectors(result.facts)[2]
        assert relay.bindings == ["0.0.0.0:25", "10.0.0.11:25", "10.0.0.12:25", "10.0.0.13:25"]
        assert [w.message for w in result.warnings] == [
            "Bindings cut short by $FormatEnumerationLimit (set it to -1 first)"
        ]

    def test_server_and_name_come_from_identity_when_not_selected(self) -> None:
        text = "Identity      : EX03\\Default EX03\nAuthMechanism : Tls, ExchangeServer\n"
        (fact,) = connectors(FL.read(Material(path="x", data=b"", text=text)).facts)
        assert (fact.server, fact.name, fact.auth_mechanisms) == (
            "EX03",
            "Default EX03",
            ["Tls", "ExchangeServer"],
        )
        assert fact.permission_groups is None
        assert fact.bindings is None


class TestClixml:
    def test_export_clixml_reads_integers_and_resolves_references(self) -> None:
        m = material("get_receiveconnector_clixml_en.utf16.xml")
        assert XML.sniff(m)
        assert not FL.sniff(m)
        result = XML.read(m)
        default, partner = connectors(result.facts)
        assert (default.server, default.name) == ("EX01", "Default EX01")
        assert default.auth_mechanisms == ALL_AUTH
        assert default.permission_groups == [
            "ExchangeUsers",
            "ExchangeServers",
            "ExchangeLegacyServers",
        ]
        assert default.bindings == ["0.0.0.0:2525", "[::]:2525"]
        assert partner.server == "EX01"  # <Ref N="Server" RefId="6" />
        assert partner.auth_mechanisms == ["Tls", "BasicAuth", "BasicAuthRequireTLS"]
        assert partner.permission_groups == ["AnonymousUsers", "Partners"]
        assert default.provenance is not None
        assert default.provenance.line == 2
        assert partner.provenance is not None
        assert partner.provenance.line == 82
        assert result.warnings == []

    def test_document_type_declarations_are_refused(self) -> None:
        m = material("invalid_receiveconnector_clixml_doctype.xml")
        assert XML.sniff(m)
        result = XML.read(m)
        assert result.facts == []
        assert "document type" in result.warnings[0].message
        assert result.warnings[0].line == 2

    def test_truncated_file_is_reported_with_its_line(self) -> None:
        result = XML.read(material("invalid_receiveconnector_clixml_truncated.xml"))
        assert result.facts == []
        assert result.warnings[0].message.startswith("Clixml not read")
        assert result.warnings[0].line is not None


class TestJson:
    def test_windows_powershell_writes_enums_as_integers(self) -> None:
        m = material("get_receiveconnector_json_ps5_en.utf16.json")
        assert JSON.sniff(m)
        assert not FL.sniff(m)
        frontend, client = connectors(JSON.read(m).facts)
        assert (frontend.server, frontend.name) == ("EX01", "Default Frontend EX01")
        assert frontend.auth_mechanisms == ALL_AUTH
        assert frontend.permission_groups == [
            "AnonymousUsers",
            "ExchangeServers",
            "ExchangeLegacyServers",
        ]
        assert frontend.bindings == ["[::]:25", "0.0.0.0:25"]
        assert client.auth_mechanisms == ["Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS"]
        assert frontend.provenance is not None
        assert frontend.provenance.line == 2
        assert client.provenance is not None
        assert client.provenance.line == 15

    def test_powershell_7_single_object_with_names_and_nested_ids(self) -> None:
        (fact,) = connectors(JSON.read(material("get_receiveconnector_json_ps7_en.json")).facts)
        assert (fact.server, fact.name) == ("EX02", "Default EX02")
        assert fact.auth_mechanisms == ["Tls", "BasicAuth", "BasicAuthRequireTLS"]
        assert fact.permission_groups == ["AnonymousUsers", "ExchangeServers"]
        assert fact.bindings == ["0.0.0.0:25", "[::]:25"]

    def test_truncated_json_is_reported(self) -> None:
        result = JSON.read(material("invalid_receiveconnector_json_truncated.json"))
        assert result.facts == []
        assert result.warnings[0].message.startswith("JSON not read")
