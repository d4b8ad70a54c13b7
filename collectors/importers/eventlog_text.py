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
from collections.abc import Iterator
from dataclasses import dataclass

from kbdoctor.collectors.importers.base import (
    Material,
    ReadResult,
    parse_datetime,
    source_for,
)
from kbdoctor.collectors.importers.eventlog_records import (
    KNOWN_PROVIDERS,
    EventCollector,
    EventRecord,
)

# --------------------------------------------------------------------------- Format-List

_PROPERTY = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9]*) *: ?(?P<value>.*)$")

_PROVIDER_KEYS = ("ProviderName", "Source")
_ID_KEYS = ("Id", "EventID")
_TIME_KEYS = ("TimeCreated", "TimeGenerated", "TimeWritten")
_LEVEL_KEYS = ("LevelDisplayName", "EntryType", "Level")
_LOG_KEYS = ("LogName", "Log", "ContainerLog")


@dataclass
class _Block:
    first: int
    last: int
    fields: dict[str, str]


def _list_blocks(lines: list[str]) -> Iterator[_Block]:
    """Records of ``Format-List`` output: a record ends where a blank line is followed by a
    property line, or where a property repeats."""
    fields: dict[str, list[str]] = {}
    current: str | None = None
    first = last = -1
    blank_before = False
    for index, raw in enumerate(lines):
        line = raw.rstrip("\r")
        if not line.strip():
            blank_before = True
            continue
        match = _PROPERTY.match(line)
        if match and not line[0].isspace():
            key = match.group("key")
            if fields and (blank_before or key in fields):
                yield _Block(first, last, {k: " ".join(v) for k, v in fields.items()})
                fields = {}
            if not fields:
                first = index
            fields[key] = [match.group("value").strip()]
            current = key
            last = index
        elif line[0].isspace() and current is not None and fields:
            fields[current].append(line.strip())
            last = index
        else:
            current = None  # a line that belongs to no property (a prompt, a heading)
        blank_before = False
    if fields:
        yield _Block(first, last, {k: " ".join(v) for k, v in fields.items()})


def _first(fields: dict[str, str], keys: tuple[str, ...]) -> str | None:
    lowered = {k.lower(): v for k, v in fields.items()}
    for key in keys:
        value = lowered.get(key.lower())
        if value is not None and value.strip():
            return value.strip()
    return None


_LIST_SNIFF_PROVIDER = re.compile(r"^(?:ProviderName|Source) *: *\S", re.MULTILINE)
_LIST_SNIFF_ID = re.compile(r"^(?:Id|EventID|InstanceId) *: *\d+\s*$", re.MULTILINE)
_LIST_SNIFF_MESSAGE = re.compile(r"^Message *:", re.MULTILINE)


class EventListReader:
    name = "eventlog-list"
    title = "Event log records (Get-WinEvent | Format-List)"
    command = (
        "Get-WinEvent -FilterHashtable @{LogName='Application'; "
        "ProviderName='MSExchangeTransport'; Id=1035} | Format-List *"
    )

    def sniff(self, material: Material) -> bool:
        text = material.text
        if not text:
            return False
        return bool(
            _LIST_SNIFF_PROVIDER.search(text)
            and _LIST_SNIFF_ID.search(text)
            and _LIST_SNIFF_MESSAGE.search(text)
        )

    def read(self, material: Material) -> ReadResult:
        collector = EventCollector(self, material)
        for block in _list_blocks(material.lines()):
            provider = _first(block.fields, _PROVIDER_KEYS)
            raw_id = _first(block.fields, _ID_KEYS)
            instance = _first(block.fields, ("InstanceId",))
            if raw_id is None and instance is not None and instance.isdigit():
                # Get-EventLog shows InstanceId: the event id with the severity bits on top.
                raw_id = str(int(instance) & 0xFFFF)
            line = material.line_no(block.first)
            if provider is None or raw_id is None or not raw_id.isdigit():
                if provider is not None or raw_id is not None:
                    collector.warn(line, "eventlog.record_without_id")
                continue
            raw_time = _first(block.fields, _TIME_KEYS)
            record = EventRecord(
                provider=provider,
                event_id=int(raw_id),
                host=_first(block.fields, ("MachineName",)),
                message=_first(block.fields, ("Message",)),
                log=_first(block.fields, _LOG_KEYS),
                level=_first(block.fields, _LEVEL_KEYS),
                time=parse_datetime(raw_time) if raw_time else None,
            )
            collector.add(record, source_for(self, material, block.first, block.last), line)
        return collector.finish()


# --------------------------------------------------------------------------- Event Viewer text

# Labels of Event Viewer's text copy in English, Polish, German and French; the first group of
# each entry starts a record.
_LABELS: dict[str, tuple[str, ...]] = {
    "log": ("Log Name", "Nazwa dziennika", "Protokollname", "Nom du journal"),
    "type": ("Event Type", "Typ zdarzenia", "Ereignistyp", "Type de l'événement"),
    "source": ("Event Source", "Source", "Źródło zdarzenia", "Źródło", "Ereignisquelle", "Quelle"),
    "category": (
        "Event Category",
        "Task Category",
        "Kategoria zdarzenia",
        "Kategoria zadania",
        "Ereigniskategorie",
        "Aufgabenkategorie",
        "Catégorie de la tâche",
    ),
    "id": (
        "Event ID",
        "Identyfikator zdarzenia",
        "Ereignis-ID",
        "Ereigniskennung",
        "ID de l'événement",
        "Identificateur de l'événement",
    ),
    "date": ("Date", "Data", "Datum"),
    "time": ("Time", "Godzina", "Czas", "Zeit", "Heure"),
    "level": ("Level", "Poziom", "Ebene", "Niveau"),
    "keywords": ("Keywords", "Słowa kluczowe", "Schlüsselwörter", "Mots clés"),
    "user": ("User", "Użytkownik", "Benutzer", "Utilisateur"),
    "computer": ("Computer", "Komputer", "Ordinateur"),
    "description": ("Description", "Opis", "Beschreibung"),
    "xml": ("Event Xml", "Kod XML zdarzenia", "Ereignis-XML", "XML de l'événement"),
}
_LABEL_OF = {label.lower(): kind for kind, labels in _LABELS.items() for label in labels}
_ALL_LABELS = sorted(_LABEL_OF, key=len, reverse=True)
_LABEL = re.compile(
    r"(?:(?<=\s)|^)(?P<label>" + "|".join(re.escape(x) for x in _ALL_LABELS) + r") *:[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)
_RECORD_START = re.compile(
    r"^[ \t]*(?:" + "|".join(re.escape(x) for x in _LABELS["log"] + _LABELS["type"]) + r") *:",
    re.IGNORECASE | re.MULTILINE,
)
_DETAILS_SNIFF_ID = re.compile(
    r"(?:" + "|".join(re.escape(x) for x in _LABELS["id"]) + r") *:\s*\d+", re.IGNORECASE
)
_DETAILS_SNIFF_DESCRIPTION = re.compile(
    r"(?:" + "|".join(re.escape(x) for x in _LABELS["description"]) + r") *:", re.IGNORECASE
)
_XML_START = re.compile(
    r"^[ \t]*(?:" + "|".join(re.escape(x) for x in _LABELS["xml"]) + r") *:",
    re.IGNORECASE | re.MULTILINE,
)
_KNOWN_PROVIDER = re.compile(
    r"\b("
    + "|".join(re.escape(p) for p in sorted(KNOWN_PROVIDERS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)


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


class EventDetailsReader:
    name = "eventlog-details"
    title = "Event log records (Event Viewer: Copy details as text)"
    command = "Event Viewer: select the event, Copy > Copy details as text"

    def sniff(self, material: Material) -> bool:
        text = material.text
        if not text:
            return False
        return bool(_DETAILS_SNIFF_ID.search(text) and _DETAILS_SNIFF_DESCRIPTION.search(text))

    def read(self, material: Material) -> ReadResult:
        collector = EventCollector(self, material)
        text = (material.text or "").replace("\r\n", "\n").replace("\r", "\n")
        starts = [m.start() for m in _RECORD_START.finditer(text)] or [0]
        if starts[0] != 0 and _DETAILS_SNIFF_ID.search(text[: starts[0]]):
            starts.insert(0, 0)
        for number, start in enumerate(starts):
            end = starts[number + 1] if number + 1 < len(starts) else len(text)
            self._read_record(material, collector, text, start, end)
        return collector.finish()

    def _read_record(
        self, material: Material, collector: EventCollector, text: str, start: int, end: int
    ) -> None:
        chunk = text[start:end]
        first = text.count("\n", 0, start)
        last = first + chunk.rstrip().count("\n")
        line = material.line_no(first)
        description = _DETAILS_SNIFF_DESCRIPTION.search(chunk)
        header = chunk[: description.start()] if description else chunk
        body = chunk[description.end() :] if description else ""
        xml = _XML_START.search(body)
        if xml:
            body = body[: xml.start()]
        fields = _detail_fields(header)
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
        # A value that holds another "label:" is a label this table does not know (the
        # machine-translated KB has "Źródło zdarzenia błędu:"): not a level.
        level = next(
            (v for v in (fields.get("level"), fields.get("type")) if v and ":" not in v), None
        )
        record = EventRecord(
            provider=provider,
            event_id=int(raw_id),
            host=fields.get("computer") or None,
            message=body.strip() or None,
            log=fields.get("log") or None,
            level=level,
            time=parse_datetime(when) if when else None,
        )
        collector.add(record, source_for(self, material, first, last), line)


READERS = (EventListReader(), EventDetailsReader())
