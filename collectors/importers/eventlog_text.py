"""Event log records as text: PowerShell ``Format-List`` and Event Viewer's "Copy details as text".

``Get-WinEvent -FilterHashtable @{LogName='Application'; ProviderName='MSExchangeTransport';
Id=1035} | Format-List *`` (also without ``*``, and ``Get-EventLog`` with ``Source``/``EventID``)::

    TimeCreated  : 3/14/2024 9:12:44 AM
    ProviderName : MSExchangeTransport
    Id           : 1035
    Message      : Inbound authentication failed with error IllegalMessage for Receive connector
                   Default EX02. The authentication mechanism is ExchangeAuth. ...

Property names are PowerShell's and stay English on every Windows; the message, the level's
display name and the date follow the system's language and culture. A long message is wrapped
at the console width with continuation lines indented to the value column.

Event Viewer's text copy (labels localised; Windows Server 2003 and the KB print the older
``Event Type:``/``Event Source:`` form, sometimes flattened onto one line)::

    Log Name:      Application
    Source:        MSExchangeTransport
    Event ID:      1035
    Computer:      EX02.corp.example.com
    Description:
    Inbound authentication failed with error IllegalMessage for Receive connector ...

The older form names no log and sometimes no computer: the host then comes from ``--host``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from kbdoctor.collectors.importers.base import (
    Material,
    ReaderBase,
    ReadResult,
    parse_datetime,
    source_for,
)
from kbdoctor.collectors.importers.eventlog_xml import system_time
from kbdoctor.collectors.localized import Language, alternation, label_names, words
from kbdoctor.collectors.messages import message
from kbdoctor.collectors.parsing.eventlog_records import (
    EXCHANGE_FRONTEND,
    EXCHANGE_TRANSPORT,
    KEPT_EVENTS,
    KNOWN_PROVIDERS,
    EventCollector,
    EventRecord,
)
from kbdoctor.collectors.parsing.format_list import parse_records
from kbdoctor.collectors.parsing.line_index import LineIndex

# --------------------------------------------------------------------------- Format-List

_PROPERTY = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9]*) *: ?(?P<value>.*)$")

_PROVIDER_KEYS = ("ProviderName", "Source")
_ID_KEYS = ("Id", "EventID")
_TIME_KEYS = ("TimeCreated", "TimeGenerated", "TimeWritten", "Time")
_LEVEL_KEYS = ("LevelDisplayName", "EntryType", "Level")
_LOG_KEYS = ("LogName", "Log", "ContainerLog")


@dataclass
class _Block:
    first: int
    last: int
    fields: dict[str, str]


def _list_blocks(material: Material) -> Iterator[_Block]:
    """Records of ``Format-List`` output, their values joined the way the console wrapped them
    (:func:`~kbdoctor.collectors.parsing.format_list.parse_records`: a word cut at the console
    width, as Windows PowerShell does in Russian or Polish, is joined again without a space)."""
    block: _Block | None = None
    for record in parse_records(material):
        if block is not None and record.first != block.last + 1:
            yield block
            block = None
        # parse_records starts a record where the colon moves; lines that follow each other
        # without a blank line are one record all the same ("Time:     ...", "ID:       ...")
        if block is None:
            block = _Block(record.first, record.last, {})
        for item in record.fields:
            block.fields.setdefault(item.name, item.value)
        block.last = record.last
    if block is not None:
        yield block


def _level(fields: dict[str, str]) -> str | None:
    """The level of a ``Format-List`` record: the number of ``Level`` when the list has it
    (``Format-List *``), which no display language changes, else the display name."""
    number = _first(fields, ("Level",))
    if number is not None and number.isdigit():
        return number
    return _first(fields, _LEVEL_KEYS)


def _first(fields: dict[str, str], keys: tuple[str, ...]) -> str | None:
    lowered = {k.lower(): v for k, v in fields.items()}
    for key in keys:
        value = lowered.get(key.lower())
        if value is not None and value.strip():
            return value.strip()
    return None


_LIST_SNIFF_PROVIDER = re.compile(r"^(?:ProviderName|Source) *: *\S", re.MULTILINE)
_LIST_SNIFF_ID = re.compile(r"^(?:Id|EventID|InstanceId) *: *\d+\s*$", re.MULTILINE | re.I)
_LIST_SNIFF_MESSAGE = re.compile(r"^Message *:", re.MULTILINE)
_LIST_SNIFF_TIME = re.compile(r"^(?:TimeCreated|TimeGenerated) *: *\S", re.MULTILINE)

# Receive connectors Exchange creates on every server: their names are not localised, and the
# service they belong to is certain (Exchange 2013 and later put the "Frontend" ones in the Front
# End Transport service; "Default <server>" and "Client Proxy <server>" are the Transport
# service's, as "Default <server>" was in Exchange 2007 and 2010).
_DEFAULT_CONNECTOR = re.compile(
    r"(?<![\w-])(?P<kind>Default Frontend|Client Frontend|Outbound Proxy Frontend|Client Proxy"
    r"|Default) (?P<server>[A-Za-z0-9][A-Za-z0-9-]{0,14})(?![\w-])"
)
_CLIENT_ADDRESS = re.compile(r"\[[0-9A-Fa-f.:%]{2,}\]")
_MECHANISM = re.compile(r"(?<![\w-])(?:ExchangeAuth|Login|Gssapi|Ntlm|Kerberos|BasicAuth)(?![\w-])")
_KEPT_IDS = frozenset(e.event_id for e in KEPT_EVENTS)


def infer_provider(event_id: int, message: str | None) -> tuple[str, str] | None:
    """The provider of an event whose text does not name it (``Select-Object TimeCreated, Id,
    Message``), and how it was told, when the message makes it certain: an Event 1035 whose
    message names one of the receive connectors every Exchange server has, a client address in
    brackets and an authentication mechanism - the insertion strings of
    SmtpReceiveAuthenticationFailed, which read the same in every language of Windows. Id 1035
    alone is not enough (Windows Installer logs an event 1035 too), nor is a custom connector's
    name (it does not say which service owns it). None otherwise."""
    if event_id != 1035 or not message:
        return None
    text = " ".join(message.split())
    kinds = {m.group("kind") for m in _DEFAULT_CONNECTOR.finditer(text)}
    if len(kinds) != 1 or not _CLIENT_ADDRESS.search(text) or not _MECHANISM.search(text):
        return None
    kind = kinds.pop()
    provider = EXCHANGE_FRONTEND if "Frontend" in kind else EXCHANGE_TRANSPORT
    return provider, f"provider from the message: receive connector '{kind} <server>' of {provider}"


class EventListReader(ReaderBase):
    """``Get-WinEvent | Format-List`` records as ``event`` facts (and ``kerberos_error`` facts for
    Kerberos events), also ``Select-Object TimeCreated, Id, Message`` lists without ProviderName.

    Sample input (``... | Select-Object TimeCreated, Id, Message | Format-List``)::

        TimeCreated : 3/14/2024 9:12:44 AM
        Id          : 1035
        Message     : Inbound authentication failed with error IllegalMessage for Receive
                      connector Default EX02. The authentication mechanism is ExchangeAuth. The
                      source IP address of the client who tried to authenticate to Microsoft
                      Exchange is [10.20.1.11].

    gives an ``event`` of MSExchangeTransport, id 1035, on the host of ``--host``: the provider
    is not in the list, and is taken from the message only because ``Default EX02`` is a
    connector of the Transport service (:func:`infer_provider`); otherwise a warning asks for
    ProviderName.

    Facts: event
    """

    name = "eventlog-list"
    command = (
        "Get-WinEvent -FilterHashtable @{LogName='Application'; "
        "ProviderName='MSExchangeTransport'; Id=1035} | Format-List *"
    )

    def _sniff(self, material: Material) -> bool:
        text = material.text
        if not text:
            return False
        if not (_LIST_SNIFF_ID.search(text) and _LIST_SNIFF_MESSAGE.search(text)):
            return False
        # Select-Object TimeCreated, Id, Message drops the provider; the time still marks it
        return bool(_LIST_SNIFF_PROVIDER.search(text) or _LIST_SNIFF_TIME.search(text))

    def _read(self, material: Material, result: ReadResult) -> None:
        collector = EventCollector(self, material, result)
        self._collect(material, collector)
        collector.finish()

    def _collect(self, material: Material, collector: EventCollector) -> None:
        for block in _list_blocks(material):
            provider = _first(block.fields, _PROVIDER_KEYS)
            raw_id = _first(block.fields, _ID_KEYS)
            instance = _first(block.fields, ("InstanceId",))
            if raw_id is None and instance is not None and instance.isdigit():
                # Get-EventLog shows InstanceId: the event id with the severity bits on top.
                raw_id = str(int(instance) & 0xFFFF)
            line = material.line_no(block.first)
            message = _first(block.fields, ("Message",))
            inferred: str | None = None
            if provider is None and raw_id is not None and raw_id.isdigit():
                found = infer_provider(int(raw_id), message)
                if found is None:
                    if int(raw_id) in _KEPT_IDS:
                        collector.warn(line, "eventlog.provider_not_in_text", event_id=raw_id)
                    continue
                provider, inferred = found
            if provider is None or raw_id is None or not raw_id.isdigit():
                if provider is not None or raw_id is not None:
                    collector.warn(line, "eventlog.record_without_id")
                continue
            raw_time = _first(block.fields, _TIME_KEYS)
            record = EventRecord(
                provider=provider,
                event_id=int(raw_id),
                host=_first(block.fields, ("MachineName", "Machine")),
                message=message,
                log=_first(block.fields, _LOG_KEYS),
                level=_level(block.fields),
                time=parse_datetime(raw_time) if raw_time else None,
            )
            if raw_time and record.time is None:
                collector.warn(line, "eventlog.time_unread", text=raw_time[:40])
            source = source_for(self, material, block.first, block.last, inferred=inferred)
            collector.add(record, source, line)


# --------------------------------------------------------------------------- Event Viewer text

@dataclass(frozen=True)
class ViewerLabels:
    """The labels of Event Viewer's text copy ("Copy details as text") in one language. The
    first of ``log`` and ``type`` starts a record; ``type``, ``date``/``time`` and the ``Event``
    prefixes are the older form (Windows Server 2003, the KB). A copy in a language this table
    does not know is still read when it carries its ``Event Xml:`` part (see ``_xml_system``)
    or by its layout; ``Format-List`` output needs no table (PowerShell's property names stay
    English)."""

    log: tuple[str, ...]
    type: tuple[str, ...]
    source: tuple[str, ...]
    category: tuple[str, ...]
    id: tuple[str, ...]
    date: tuple[str, ...]
    time: tuple[str, ...]
    level: tuple[str, ...]
    keywords: tuple[str, ...]
    user: tuple[str, ...]
    computer: tuple[str, ...]
    description: tuple[str, ...]
    xml: tuple[str, ...]


LABELS: Mapping[str, Language[ViewerLabels]] = {
    # en: the real Microsoft Q&A copy (real/eventlog/viewer_1035_frontend_xml_tags_stripped_en
    # and its clean form viewer_details_1035_en.txt), and the older form of Windows Server 2003
    "en": Language(
        ViewerLabels(
            log=("Log Name",), type=("Event Type",), source=("Event Source", "Source"),
            category=("Event Category", "Task Category"), id=("Event ID",), date=("Date",),
            time=("Time",), level=("Level",), keywords=("Keywords",), user=("User",),
            computer=("Computer",), description=("Description",), xml=("Event Xml",),
        ),
        sources=(
            "tests/data/importers/eventlog/viewer_details_1035_en.txt",
            "tests/data/importers/eventlog/viewer_details_2003_kerberos4_en.txt",
        ),
    ),
    # pl: "Typ zdarzenia" and "Źródło zdarzenia" from Microsoft's Polish KB 979174 (flattened
    # copy); the other labels from fixtures written from the real English copy with Polish
    # labels (no public Polish capture found). The older form's "Time" is not known in Polish
    # ("Godzina", "Czas" and "Kategoria zdarzenia" had no source and were dropped).
    "pl": Language(
        ViewerLabels(
            log=("Nazwa dziennika",), type=("Typ zdarzenia",),
            source=("Źródło zdarzenia", "Źródło"), category=("Kategoria zadania",),
            id=("Identyfikator zdarzenia",), date=("Data",), time=(), level=("Poziom",),
            keywords=("Słowa kluczowe",), user=("Użytkownik",), computer=("Komputer",),
            description=("Opis",), xml=("Kod XML zdarzenia",),
        ),
        sources=(
            "tests/data/importers/eventlog/kb979174_event1035_flattened_pl.txt",
            "tests/data/importers/eventlog/viewer_details_kerberos4_pl.txt",
            "tests/data/importers/real/eventlog/viewer_1035_xml_cut_short_pl.txt",
        ),
        gaps=("time",),
    ),
    # ru: a fixture written from the real English copy with Russian labels (no public Russian
    # capture found); the older form (type, time) is not known in Russian
    "ru": Language(
        ViewerLabels(
            log=("Имя журнала",), type=(), source=("Источник",), category=("Категория задачи",),
            id=("Код события",), date=("Дата",), time=(), level=("Уровень",),
            keywords=("Ключевые слова",), user=("Пользователь",), computer=("Компьютер",),
            description=("Описание",), xml=("Xml события",),
        ),
        sources=("tests/data/importers/real/eventlog/viewer_1035_xml_cut_short_ru.txt",),
        gaps=("type", "time"),
    ),
    # ja: a fixture written from the real English copy with Japanese labels (no public
    # Japanese capture found); the older form (type, time) is not known in Japanese
    "ja": Language(
        ViewerLabels(
            log=("ログの名前",), type=(), source=("ソース",), category=("タスクのカテゴリ",),
            id=("イベント ID",), date=("日付",), time=(), level=("レベル",),
            keywords=("キーワード",), user=("ユーザー",), computer=("コンピューター",),
            description=("説明",), xml=("イベント XML",),
        ),
        sources=("tests/data/importers/real/eventlog/viewer_1035_whole_xml_ja.txt",),
        gaps=("type", "time"),
    ),
}
# German, French and Spanish labels ("Protokollname", "Nom du journal", "Nombre de registro",
# "Ereignis-ID", "ID de l'événement", "Id. del evento", ...) were listed before without any
# source and no capture of them was found: dropped. Such a copy is read by its layout and its
# "Event Xml" part, as a Czech one is.

_LABEL_OF = {
    word.lower(): name for name in label_names(ViewerLabels) for word in words(LABELS, name)
}
_ALL_LABELS = sorted(_LABEL_OF, key=len, reverse=True)
_LABEL = re.compile(
    r"(?:(?<=\s)|^)(?P<label>" + "|".join(re.escape(x) for x in _ALL_LABELS) + r") *:[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)
_RECORD_START = re.compile(
    rf"^[ \t]*(?:{alternation(words(LABELS, 'log') + words(LABELS, 'type'))}) *:",
    re.IGNORECASE | re.MULTILINE,
)
_DETAILS_SNIFF_ID = re.compile(
    rf"(?:{alternation(words(LABELS, 'id'))}) *:\s*\d+", re.IGNORECASE
)
_DETAILS_SNIFF_DESCRIPTION = re.compile(
    rf"(?:{alternation(words(LABELS, 'description'))}) *:", re.IGNORECASE
)
_XML_START = re.compile(
    rf"^[ \t]*(?:{alternation(words(LABELS, 'xml'))}) *:",
    re.IGNORECASE | re.MULTILINE,
)
_KNOWN_PROVIDER = re.compile(
    r"\b("
    + "|".join(re.escape(p) for p in sorted(KNOWN_PROVIDERS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)


_EVENT_XML = re.compile(
    r"^[ \t]*<Event xmlns=['\"]http://schemas\.microsoft\.com/win/2004/08/events/event['\"]",
    re.MULTILINE,
)
_EMPTY_LABEL = re.compile(r"^[^\s:<][^:<>]{0,40}:[ \t]*$")
_VALUE_LABEL = re.compile(r"^[^\s:<][^:<>]{0,40}:[ \t]+\S")
_XML_FIELDS: dict[str, re.Pattern[str]] = {
    "source": re.compile(r"<Provider\s+Name=['\"]([^'\"]+)['\"]"),
    "id": re.compile(r"<EventID(?:\s[^>]*)?>\s*(\d+)\s*</EventID>"),
    "time": re.compile(r"<TimeCreated\s+SystemTime=['\"]([^'\"]+)['\"]"),
    "computer": re.compile(r"<Computer>\s*([^<\s]+)\s*</Computer>"),
    "log": re.compile(r"<Channel>\s*([^<]+?)\s*</Channel>"),
    "level": re.compile(r"<Level>\s*(\d+)\s*</Level>"),
}
_XML_DATA = re.compile(r"<Data(?:\s+Name=['\"]([^'\"]*)['\"])?\s*(?:/>|>([^<]*)</Data>)")


def _xml_system(xml: str) -> dict[str, str]:
    """What the ``Event Xml:`` part of a text copy says, read element by element so that a part
    cut short still gives everything before the cut (System comes first: provider, id, time,
    computer, channel). Values are taken only from whole elements."""
    found: dict[str, str] = {}
    for kind, pattern in _XML_FIELDS.items():
        match = pattern.search(xml)
        if match:
            found[kind] = match.group(1).strip()
    return found


def _xml_data(xml: str) -> tuple[tuple[str | None, str], ...]:
    """The whole ``<Data>`` elements of the XML part, in order."""
    return tuple((m.group(1) or None, (m.group(2) or "").strip()) for m in _XML_DATA.finditer(xml))


def _structural_parts(chunk: str, xml_at: int) -> tuple[str, str]:
    """Header and description of a text copy whose labels this reader does not know, by layout:
    label lines with values, then a label line without a value (the description's), the
    message, and a label line without a value right before the ``<Event`` line (the XML's)."""
    before = chunk[:xml_at].rstrip("\n").split("\n")
    if before and _EMPTY_LABEL.match(before[-1].strip()):
        before = before[:-1]  # the "Event Xml:" label
    for index, line in enumerate(before):
        if _EMPTY_LABEL.match(line.strip()) and index > 0 and _VALUE_LABEL.match(before[0].strip()):
            return "\n".join(before[:index]), "\n".join(before[index + 1 :])
    return "\n".join(before), ""


def _detail_fields(header: str) -> dict[str, str]:
    """Label -> value of the part of a record before its description; the first occurrence of
    a label wins."""
    fields: dict[str, str] = {}
    matches = list(_LABEL.finditer(header))
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(header)
        kind = _LABEL_OF[match.group("label").lower()]
        value = " ".join(header[match.end() : end].split())
        fields.setdefault(kind, value)
    return fields


class EventDetailsReader(ReaderBase):
    """Event Viewer's "Copy details as text" as ``event`` facts, with or without its ``Event
    Xml:`` part, whole or cut short; labels in a language without a table are read by layout,
    and provider, id, computer, channel and time then come from the XML's System part.

    Sample input::

        Log Name:      Application
        Source:        MSExchangeTransport
        Date:          3/14/2024 9:12:44 AM
        Event ID:      1035
        Level:         Error
        Computer:      EX02.corp.example.com
        Description:
        Inbound authentication failed with error IllegalMessage for Receive connector Default EX02.
        Event Xml:
        <Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
          <System>
            <Provider Name="MSExchangeTransport" />

    gives an ``event`` on EX02.corp.example.com of MSExchangeTransport, id 1035, at 9:12:44 on
    14 March 2024, with the description as its message.

    Facts: event
    """

    name = "eventlog-details"
    # a menu path, not a command line: the English text is the one of the catalogue
    command = message("reader.eventlog-details.command")
    command_is_prose = True

    def _sniff(self, material: Material) -> bool:
        text = material.text
        if not text:
            return False
        if _DETAILS_SNIFF_ID.search(text) and _DETAILS_SNIFF_DESCRIPTION.search(text):
            return True
        # a copy in a language the label table does not know: label lines, then the XML part
        xml = _EVENT_XML.search(text)
        if xml is None:
            return False
        lines = text[: xml.start()].replace("\r", "").split("\n")
        labelled = sum(1 for line in lines if _VALUE_LABEL.match(line.strip()))
        return labelled >= 3 and any(_EMPTY_LABEL.match(line.strip()) for line in lines)

    def _read(self, material: Material, result: ReadResult) -> None:
        collector = EventCollector(self, material, result)
        self._collect(material, collector)
        collector.finish()

    def _collect(self, material: Material, collector: EventCollector) -> None:
        text = (material.text or "").replace("\r\n", "\n").replace("\r", "\n")
        starts = [m.start() for m in _RECORD_START.finditer(text)] or [0]
        if starts[0] != 0 and _DETAILS_SNIFF_ID.search(text[: starts[0]]):
            starts.insert(0, 0)
        lines = LineIndex(text)
        for number, start in enumerate(starts):
            end = starts[number + 1] if number + 1 < len(starts) else len(text)
            self._read_record(material, collector, text, start, end, lines)

    def _read_record(
        self,
        material: Material,
        collector: EventCollector,
        text: str,
        start: int,
        end: int,
        lines: LineIndex,
    ) -> None:
        chunk = text[start:end]
        first = lines.index_at(start)
        last = first + chunk.rstrip().count("\n")
        line = material.line_no(first)
        description = _DETAILS_SNIFF_DESCRIPTION.search(chunk)
        header = chunk[: description.start()] if description else chunk
        body = chunk[description.end() :] if description else ""
        xml_label = _XML_START.search(body)
        event_xml = _EVENT_XML.search(chunk)
        xml_part = chunk[event_xml.start() :] if event_xml else ""
        if xml_label:
            body = body[: xml_label.start()]
        elif event_xml and description:
            body = chunk[description.end() : event_xml.start()]
            body = (
                body.rstrip().rsplit("\n", 1)[0]
                if _EMPTY_LABEL.match(body.rstrip().rsplit("\n", 1)[-1].strip())
                else body
            )
        elif event_xml:
            header, body = _structural_parts(chunk, event_xml.start())
        fields = _detail_fields(header)
        system = _xml_system(xml_part)
        for kind in ("id", "source", "computer", "log"):
            if not fields.get(kind) and system.get(kind):
                fields[kind] = system[kind]
        raw_id = fields.get("id", "").split(" ")[0]
        provider = fields.get("source", "")
        known = _KNOWN_PROVIDER.search(provider) or _KNOWN_PROVIDER.search(header)
        if known:
            provider = known.group(1)
        provider = provider.split(" ")[0] if provider else ""
        if not raw_id.isdigit() or not provider:
            collector.warn(line, "eventlog.text_without_id")
            return
        when = " ".join(x for x in (fields.get("date"), fields.get("time")) if x)
        # the XML's SystemTime when the copy has it, as the XML reader reads it (an aware UTC
        # time, never a UTC clock reading passed off as local): the same in every language,
        # whereas the header's local time is found only by a label the table knows, so that a
        # copy in a language without a table would give the same event another time. The
        # header's time when there is no XML part.
        time = system_time(system.get("time")) or (parse_datetime(when) if when else None)
        if when and time is None:
            collector.warn(line, "eventlog.time_unread", text=when[:40])
        # The XML part's level number first: it is the same in every language, whereas the
        # header's display name is localised. A value that holds another "label:" is a label
        # this table does not know (the machine-translated KB has "Źródło zdarzenia błędu:"):
        # not a level.
        level = system.get("level") or next(
            (v for v in (fields.get("level"), fields.get("type")) if v and ":" not in v), None
        )
        record = EventRecord(
            provider=provider,
            event_id=int(raw_id),
            host=fields.get("computer") or None,
            message=body.strip() or None,
            data=_xml_data(xml_part),
            log=fields.get("log") or None,
            level=level,
            time=time,
        )
        collector.add(record, source_for(self, material, first, last), line)


READERS = (EventListReader(), EventDetailsReader())
