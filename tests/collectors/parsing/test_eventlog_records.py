"""The choice of events and their conversion to facts, shared by every event log reader."""

from __future__ import annotations

from kbdoctor.collectors.importers.base import HostHint, Material, Reader
from kbdoctor.collectors.importers.eventlog_xml import READERS as XML_READERS
from kbdoctor.collectors.parsing.eventlog_records import (
    KDC,
    SECURITY_KERBEROS,
    TIME_SERVICE,
    EventCollector,
    EventRecord,
    canonical_provider,
    kept_event,
    level_name,
)
from kbdoctor.engine.facts import Event, KerberosError, Source

READER: Reader = XML_READERS[0]
SOURCE = Source(collector="import", reader="test")


def collect(*records: EventRecord, hint: str | None = None) -> EventCollector:
    material = Material("events.txt", b"", "", host_hint=HostHint(hint, "option") if hint else None)
    collector = EventCollector(READER, material)
    for record in records:
        collector.add(record, SOURCE, 1)
    return collector


def test_the_rules_events_are_kept_and_others_are_not() -> None:
    assert kept_event("MSExchangeTransport", 1035) is not None
    assert kept_event("MSExchangeTransport", 2017) is not None
    assert kept_event("MSExchangeFrontEndTransport", 1035) is not None
    assert kept_event(SECURITY_KERBEROS, 3) is not None
    assert kept_event(SECURITY_KERBEROS, 4) is not None
    assert kept_event(KDC, 11) is not None
    for number in (129, 36, 47, 24, 22, 50, 142, 134):
        assert kept_event(TIME_SERVICE, number) is not None
    assert kept_event("MSExchangeTransport", 1036) is None
    assert kept_event("Service Control Manager", 7036) is None
    assert kept_event(TIME_SERVICE, 37) is None


def test_legacy_provider_names_become_the_full_names() -> None:
    assert canonical_provider("Kerberos") == SECURITY_KERBEROS
    assert canonical_provider(" KDC ") == KDC
    assert canonical_provider("W32Time") == TIME_SERVICE
    assert canonical_provider("msexchangetransport") == "MSExchangeTransport"
    assert canonical_provider("Some Other Source") == "Some Other Source"


def test_levels_are_english_whatever_the_language() -> None:
    assert level_name("2") == "Error"
    assert level_name(3) == "Warning"
    assert level_name("Błąd") == "Error"
    assert level_name("Fehler") == "Error"
    assert level_name("Ostrzeżenie") == "Warning"
    assert level_name("Informationen") == "Information"
    assert level_name("Unbekannt") == "Unbekannt"
    assert level_name("  ") is None


def test_insertion_strings_fill_the_english_template_of_1035() -> None:
    record = EventRecord(
        "MSExchangeTransport",
        1035,
        host="EX02",
        data=(
            (None, "IllegalMessage"),
            (None, "Default EX02"),
            (None, "ExchangeAuth"),
            (None, "10.0.0.1"),
        ),
    )
    [fact] = collect(record).finish().facts
    assert isinstance(fact, Event)
    assert fact.message == (
        "Inbound authentication failed with error IllegalMessage for Receive connector Default "
        "EX02. The authentication mechanism is ExchangeAuth. The source IP address of the client "
        "who tried to authenticate to Microsoft Exchange is [10.0.0.1]."
    )


def test_too_few_insertion_strings_are_joined_instead_of_half_filling_the_template() -> None:
    record = EventRecord("MSExchangeTransport", 2017, host="EX01", data=((None, "LogonDenied"),))
    [fact] = collect(record).finish().facts
    assert isinstance(fact, Event)
    assert fact.message == "LogonDenied"


def test_kerberos_event_3_gives_the_error_and_the_server_it_names() -> None:
    record = EventRecord(
        "Kerberos",
        3,
        host="EX02",
        data=(
            ("ErrorCode", "0x7"),
            ("ServerName", "SMTPSVC/ex01.corp.example.com"),
            ("TargetName", "SMTPSVC/ex01.corp.example.com@CORP.EXAMPLE.COM"),
        ),
    )
    event, error = collect(record).finish().facts
    assert isinstance(event, Event)
    assert event.source == SECURITY_KERBEROS
    assert isinstance(error, KerberosError)
    assert error.code == "KDC_ERR_S_PRINCIPAL_UNKNOWN"
    assert error.target == "SMTPSVC/ex01.corp.example.com"
    assert error.host == "EX02"


def test_kerberos_error_is_read_from_a_localised_message_by_its_tokens() -> None:
    message = (
        "Se recibió un mensaje de error de Kerberos:\n Código de error: 0x25 KRB_AP_ERR_SKEW\n"
        " Nombre del servidor: SMTPSVC/ex01.corp.example.com\n"
    )
    record = EventRecord(SECURITY_KERBEROS, 3, host="EX02", message=message)
    _, error = collect(record).finish().facts
    assert isinstance(error, KerberosError)
    assert (error.code, error.target) == ("KRB_AP_ERR_SKEW", "SMTPSVC/ex01.corp.example.com")


def test_kerberos_event_3_without_any_error_code_gives_only_the_event() -> None:
    record = EventRecord(SECURITY_KERBEROS, 3, host="EX02", message="A Kerberos error.")
    facts = collect(record).finish().facts
    assert [f.type for f in facts] == ["event"]


def test_kdc_event_11_is_an_event_only() -> None:
    record = EventRecord(
        KDC,
        11,
        host="DC01",
        data=((None, "SMTPSVC/ex02.corp.example.com"), (None, "DS_SERVICE_PRINCIPAL_NAME")),
    )
    [fact] = collect(record).finish().facts
    assert isinstance(fact, Event)
    assert "The duplicate name is SMTPSVC/ex02.corp.example.com" in fact.message


def test_a_record_without_a_computer_takes_the_host_hint() -> None:
    record = EventRecord("MSExchangeTransport", 1035, message="Inbound authentication failed")
    [fact] = collect(record, hint="EX02").finish().facts
    assert isinstance(fact, Event)
    assert fact.host == "EX02"


def test_a_record_without_a_computer_or_a_hint_is_a_warning() -> None:
    record = EventRecord("MSExchangeTransport", 1035, message="Inbound authentication failed")
    result = collect(record).finish()
    assert result.facts == []
    assert [w.line for w in result.warnings] == [1]
    assert "--host" in result.warnings[0].message


def test_other_events_are_counted_in_one_summary_warning() -> None:
    records = [EventRecord("Service Control Manager", 7036, host="EX02") for _ in range(5)]
    result = collect(*records).finish()
    assert result.facts == []
    assert [w.message.split(" events")[0] for w in result.warnings] == ["5"]
