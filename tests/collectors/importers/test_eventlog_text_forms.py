"""Event text in the forms customers paste that name less than Format-List *: Event Viewer's copy
with its ``Event Xml:`` part (whole, cut short, in a language the label table does not know) and
``Get-WinEvent | Select-Object TimeCreated, Id, Message | Format-List`` without ProviderName."""

from __future__ import annotations

from datetime import UTC, datetime

from kbdoctor.collectors.importers.eventlog_text import (
    EventDetailsReader,
    EventListReader,
    infer_provider,
)
from kbdoctor.collectors.importers.registry import pick_reader
from kbdoctor.engine.facts import Event

from tests.collectors.importers.fixtures import text_material
from tests.collectors.importers.test_portqry import docstring_sample

LIST = EventListReader()
DETAILS = EventDetailsReader()

_MESSAGE = (
    "Inbound authentication failed with error IllegalMessage for Receive connector Default EX02. "
    "The authentication mechanism is ExchangeAuth. The source IP address of the client who tried "
    "to authenticate to Microsoft Exchange is [10.20.1.11]."
)
_SYSTEM = """<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
  <System>
    <Provider Name="MSExchangeTransport" />
    <EventID Qualifiers="49156">1035</EventID>
    <Level>2</Level>
    <Task>1</Task>
    <Keywords>0x80000000000000</Keywords>
    <TimeCreated SystemTime="2024-03-14T08:12:44.812345600Z" />
    <EventRecordID>884213</EventRecordID>
    <Channel>Application</Channel>
    <Computer>EX02.corp.example.com</Computer>
    <Security />
  </System>
  <EventData>
    <Data>IllegalMessage</Data>
    <Data>Default EX02</Data>
    <Data>Exchan"""


def _events(text: str, host: str | None = None) -> list[Event]:
    material = text_material(text, host)
    reader = pick_reader(material)
    assert reader is not None
    return [f for f in reader.read(material).facts if isinstance(f, Event)]


def test_a_copy_with_its_xml_cut_short_is_read_from_its_labels() -> None:
    text = (
        "Log Name:      Application\nSource:        MSExchangeTransport\n"
        "Date:          3/14/2024 9:12:44 AM\nEvent ID:      1035\nTask Category: SmtpReceive\n"
        "Level:         Error\nKeywords:      Classic\nUser:          N/A\n"
        f"Computer:      EX02.corp.example.com\nDescription:\n{_MESSAGE}\nEvent Xml:\n{_SYSTEM}"
    )
    assert getattr(pick_reader(text_material(text)), "name", None) == DETAILS.name
    [event] = _events(text)
    assert (event.host, event.source, event.event_id, event.message) == (
        "EX02.corp.example.com",
        "MSExchangeTransport",
        1035,
        _MESSAGE,
    )
    # the XML's SystemTime (UTC), not the header's local 9:12:44 AM: it is the time a copy in a
    # language without a label table gives too
    assert event.time == datetime(2024, 3, 14, 8, 12, 44, 812345, tzinfo=UTC)


def test_a_copy_without_its_xml_part_takes_the_time_of_its_header() -> None:
    text = (
        "Log Name:      Application\nSource:        MSExchangeTransport\n"
        "Date:          3/14/2024 9:12:44 AM\nEvent ID:      1035\nLevel:         Error\n"
        f"Computer:      EX02.corp.example.com\nDescription:\n{_MESSAGE}\n"
    )
    [event] = _events(text)
    assert event.time == datetime(2024, 3, 14, 9, 12, 44)


def test_a_copy_in_a_language_without_a_label_table_is_read_by_its_layout_and_xml() -> None:
    # Czech labels (no table): the layout and the XML part say everything needed
    text = (
        "Název protokolu: Application\nZdroj:         MSExchangeTransport\n"
        "Datum:         14.3.2024 9:12:44\nID události:   1035\nÚroveň:        Chyba\n"
        "Počítač:       EX02.corp.example.com\nPopis:\n"
        "Příchozí ověření selhalo s chybou IllegalMessage pro konektor Default EX02.\n"
        f"XML události:\n{_SYSTEM}"
    )
    assert DETAILS.sniff(text_material(text))
    [event] = _events(text)
    assert (event.host, event.source, event.event_id, event.log) == (
        "EX02.corp.example.com",
        "MSExchangeTransport",
        1035,
        "Application",
    )
    assert event.message.startswith("Příchozí ověření selhalo")
    # the XML's SystemTime, as an aware UTC time like the XML reader gives
    assert event.time == datetime(2024, 3, 14, 8, 12, 44, 812345, tzinfo=UTC)


def test_a_russian_copy_reads_its_labels() -> None:
    text = (
        "Имя журнала:   Application\nИсточник:      MSExchangeTransport\n"
        "Дата:          14.03.2024 9:12:44\nКод события:   1035\nКатегория задачи:SmtpReceive\n"
        "Уровень:       Ошибка\nКлючевые слова:Классический\nПользователь:  Н/Д\n"
        "Компьютер:     EX02.corp.example.com\nОписание:\n"
        "Ошибка входящей проверки подлинности IllegalMessage для соединителя получения Default "
        "EX02. Механизм проверки подлинности: ExchangeAuth. IP-адрес клиента: [10.20.1.11].\n"
        f"Xml события:\n{_SYSTEM}"
    )
    [event] = _events(text)
    assert (event.host, event.source, event.event_id) == (
        "EX02.corp.example.com",
        "MSExchangeTransport",
        1035,
    )
    assert event.message.startswith("Ошибка входящей")
    assert "Xml" not in event.message


_RU_1035 = (
    "Сбой входящей проверки подлинности с ошибкой {error} для соединителя получения {connector}. "
    "Механизм проверки подлинности: {mechanism}. IP-адрес клиента, который пытался пройти "
    "проверку подлинности в Microsoft Exchange: [{address}]."
)


def _hard_cut(record: dict[str, str], width: int = 79) -> str:
    """A Format-List record as Windows PowerShell writes it in Russian: every line cut at the
    console width wherever it falls, mid-word included, continuations indented."""
    lines = []
    for name, value in record.items():
        prefix = f"{name:<11} : "
        room = width - len(prefix)
        lines.append(prefix + value[:room])
        lines.extend(" " * len(prefix) + value[i : i + room] for i in range(room, len(value), room))
    return "\n".join(lines)


_SELECT_RU = (
    "\n\n"
    + "\n\n".join(
        _hard_cut({"TimeCreated": time, "Id": "1035", "Message": _RU_1035.format(**values)})
        for time, values in (
            (
                "14.03.2024 9:12:44",
                {
                    "error": "IllegalMessage",
                    "connector": "Default EX02",
                    "mechanism": "ExchangeAuth",
                    "address": "10.20.1.11",
                },
            ),
            (
                "14.03.2024 9:10:02",
                {
                    "error": "LogonDenied",
                    "connector": "Client Frontend EX02",
                    "mechanism": "Login",
                    "address": "203.0.113.9",
                },
            ),
        )
    )
    + "\n\n"
)


def test_select_object_without_provider_in_russian_cut_mid_word() -> None:
    material = text_material(_SELECT_RU, "EX02")
    assert LIST.sniff(material)
    result = LIST.read(material)
    found = [f for f in result.facts if isinstance(f, Event)]
    assert [(e.host, e.source, e.event_id) for e in found] == [
        ("EX02", "MSExchangeTransport", 1035),
        ("EX02", "MSExchangeFrontEndTransport", 1035),
    ]
    assert "соединителя получения Default EX02." in found[0].message
    assert found[0].message.endswith("[10.20.1.11].")
    assert found[0].time == datetime(2024, 3, 14, 9, 12, 44)
    assert found[0].provenance is not None
    assert found[0].provenance.inferred
    assert result.warnings == []


def test_without_provider_an_uncertain_message_is_a_warning_not_a_fact() -> None:
    text = (
        "TimeCreated : 3/14/2024 9:12:44 AM\nId          : 2017\n"
        "Message     : Outbound authentication failed with error LogonDenied for Send connector "
        "To EX02. The authentication mechanism is ExchangeAuth. The target is SMTPSVC/ex02.\n\n"
        "TimeCreated : 3/14/2024 9:12:40 AM\nId          : 1035\n"
        "Message     : Windows Installer reconfigured the product. Product Name: X.\n\n"
        "TimeCreated : 3/14/2024 9:12:30 AM\nId          : 7036\n"
        "Message     : The Print Spooler service entered the running state.\n"
    )
    result = LIST.read(text_material(text, "EX02"))
    assert result.facts == []
    assert [w.key for w in result.warnings] == [
        "eventlog.provider_not_in_text",
        "eventlog.provider_not_in_text",
    ]


def test_provider_inference_needs_every_insertion_string() -> None:
    assert infer_provider(1035, _MESSAGE) == (
        "MSExchangeTransport",
        "provider from the message: receive connector 'Default <server>' of MSExchangeTransport",
    )
    assert infer_provider(1035, _MESSAGE.replace("[10.20.1.11]", "")) is None
    assert infer_provider(1035, _MESSAGE.replace("Default EX02", "Internal Relay")) is None
    assert infer_provider(2017, _MESSAGE) is None


def test_the_docstring_samples_read_as_documented() -> None:
    [listed] = _events(docstring_sample(LIST), host="EX02")
    assert (listed.host, listed.source, listed.event_id) == ("EX02", "MSExchangeTransport", 1035)
    [copied] = _events(docstring_sample(DETAILS))
    assert (copied.host, copied.source, copied.event_id, copied.time) == (
        "EX02.corp.example.com",
        "MSExchangeTransport",
        1035,
        datetime(2024, 3, 14, 9, 12, 44),
    )
