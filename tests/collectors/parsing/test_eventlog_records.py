"""The choice of events and their conversion to facts, shared by every event log reader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from kbdoctor.collectors.decoding import decode_bytes
from kbdoctor.collectors.importers.base import HostHint, Material, Reader
from kbdoctor.collectors.importers.eventlog_xml import READERS as XML_READERS
from kbdoctor.collectors.localized import Language, label_names
from kbdoctor.collectors.parsing.eventlog_records import (
    KDC,
    LEVELS,
    SECURITY_KERBEROS,
    TIME_SERVICE,
    EventCollector,
    EventRecord,
    LevelNames,
    canonical_provider,
    kept_event,
    level_name,
)
from kbdoctor.engine.facts import Event, KerberosError, Source

READER: Reader = XML_READERS[0]
SOURCE = Source(collector="import", reader="test")
ROOT = Path(__file__).resolve().parents[3]


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
    assert level_name("Informationen") == "Information"
    assert level_name("Ошибка") == "Error"
    assert level_name("Предупреждение") == "Warning"
    assert level_name("Unbekannt") == "Unbekannt"
    assert level_name("  ") is None


def test_a_level_name_no_source_shows_is_kept_as_written() -> None:
    # these words were in the table once without any capture behind them: a name nobody saw
    # Windows print is never turned into an English level
    for word in ("Warnung", "Kritisch", "Ostrzeżenie", "Informacje", "Avertissement", "Erreur"):
        assert level_name(word) == word


@pytest.mark.parametrize(("lang", "entry"), sorted(LEVELS.items()))
def test_every_level_language_is_whole_or_names_its_gaps(
    lang: str, entry: Language[LevelNames]
) -> None:
    assert re.fullmatch(r"[a-z]{2}", lang)
    assert entry.sources
    for source in entry.sources:
        assert source.startswith("https://") or (ROOT / source).is_file(), source
    for name in label_names(entry.labels):
        value = getattr(entry.labels, name)
        assert (not value) == (name in entry.gaps), f"{lang}.{name}"


@pytest.mark.parametrize(("lang", "entry"), sorted(LEVELS.items()))
def test_every_level_name_is_printed_in_one_of_its_sources(
    lang: str, entry: Language[LevelNames]
) -> None:
    # words are checked against the captures they cite; a public address cannot be read offline
    if any(source.startswith("https://") for source in entry.sources):
        pytest.skip("a public address is cited")
    texts = [decode_bytes((ROOT / s).read_bytes()).text or "" for s in entry.sources]
    for name in label_names(entry.labels):
        for word in getattr(entry.labels, name):
            assert any(word in text for text in texts), f"{lang}.{name}: {word}"


def test_the_german_export_names_level_4_as_the_table_does() -> None:
    # the real capture carries the number and its rendering side by side
    capture = ROOT / "tests/data/event_levels/renderinginfo_check_logfiles_de.txt"
    xml = capture.read_text(encoding="utf-8")
    assert "<Level>4</Level>" in xml
    assert "<Level>Informationen</Level>" in xml
    assert level_name("Informationen") == level_name(4) == "Information"


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
