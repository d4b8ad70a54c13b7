"""Event log records as XML: ``wevtutil qe`` with ``/f:xml`` or ``/f:RenderedXml``, and
PowerShell's ``Get-WinEvent ... | ForEach-Object { $_.ToXml() }``.

``wevtutil qe Application /q:"*[System[(EventID=1035)]]" /f:RenderedXml`` prints one
``<Event>`` element per record with no common root (Event Viewer's "Save as XML" wraps them in
``<Events>``)::

    <Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>
    <Provider Name='MSExchangeTransport'/><EventID Qualifiers='49156'>1035</EventID>
    <Level>2</Level><TimeCreated SystemTime='2024-03-14T08:12:44.1234567Z'/>
    <Channel>Application</Channel><Computer>EX02.corp.example.com</Computer></System>
    <EventData><Data>IllegalMessage</Data><Data>Default EX02</Data>...</EventData>
    <RenderingInfo Culture='en-US'><Message>Inbound authentication failed ...</Message>
    </RenderingInfo></Event>

``/f:xml`` and ``ToXml()`` have no ``RenderingInfo``: the message is then made from the
insertion strings (see :mod:`eventlog_records`). Times in the XML are UTC and are kept as such.
Documents with a DOCTYPE or entity declarations are refused (no entity expansion from customer
files); a document that does not parse as a whole is read event by event, so one damaged record
costs one warning.

No label table: element and attribute names are the schema's, the same in every language; only
the rendered message and level name follow the language, and the numbers (``EventID``,
``Level``) are read rather than them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from kbdoctor.collectors.importers.base import (
    Material,
    ReaderBase,
    ReadResult,
    source_for,
)
from kbdoctor.collectors.parsing.eventlog_records import EventCollector, EventRecord
from kbdoctor.collectors.parsing.line_index import LineIndex

_EVENT_OPEN = re.compile(r"<Event[\s>]")
_EVENT_WHOLE = re.compile(r"<Event[\s>].*?</Event\s*>", re.DOTALL)
_DECLARATION = re.compile(r"<\?xml[^>]*\?>")
_FORBIDDEN = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_SYSTEM_TIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$"
)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _text(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None


def system_time(raw: str | None) -> datetime | None:
    """``SystemTime`` as written by Windows (seven decimals, ``Z``) as an aware UTC time."""
    if not raw:
        return None
    match = _SYSTEM_TIME.match(raw.strip())
    if not match:
        return None
    day, clock, fraction, zone = match.groups()
    micro = (fraction or "0")[:6].ljust(6, "0")
    try:
        value = datetime.fromisoformat(f"{day}T{clock}.{micro}")
    except ValueError:
        return None
    if zone in (None, "Z"):
        return value.replace(tzinfo=UTC)
    try:
        return datetime.fromisoformat(f"{day}T{clock}.{micro}{zone}").astimezone(UTC)
    except ValueError:
        return None


def event_record(event: ET.Element) -> EventRecord | None:
    """The record of one ``<Event>`` element (namespaced or not); None when it names no
    provider or no numeric event id. Shared with the .evtx reader."""
    system = _child(event, "System")
    if system is None:
        return None
    provider_element = _child(system, "Provider")
    provider = None
    if provider_element is not None:
        provider = provider_element.get("Name") or provider_element.get("EventSourceName")
    raw_id = _text(_child(system, "EventID"))
    if not provider or raw_id is None or not raw_id.isdigit():
        return None
    time_element = _child(system, "TimeCreated")
    rendering = _child(event, "RenderingInfo")
    level = _text(_child(system, "Level"))
    rendered_level = _text(_child(rendering, "Level")) if rendering is not None else None
    data: list[tuple[str | None, str]] = []
    for section_name in ("EventData", "UserData"):
        section = _child(event, section_name)
        if section is None:
            continue
        items = (
            list(section)
            if section_name == "EventData"
            else [item for wrapper in section for item in wrapper]
        )
        for item in items:
            if _local(item.tag) == "Binary":
                continue
            name = item.get("Name") if _local(item.tag) == "Data" else _local(item.tag)
            data.append((name, "".join(item.itertext()).strip()))
    return EventRecord(
        provider=provider,
        event_id=int(raw_id),
        host=_text(_child(system, "Computer")),
        message=_text(_child(rendering, "Message")) if rendering is not None else None,
        data=tuple(data),
        log=_text(_child(system, "Channel")),
        level=level if level is not None and level.isdigit() else rendered_level or level,
        time=system_time(time_element.get("SystemTime") if time_element is not None else None),
    )


def parse_events(xml_text: str) -> list[ET.Element]:
    """The ``<Event>`` elements of an XML text that is already known to parse."""
    root = ET.fromstring(xml_text)
    if _local(root.tag) == "Event":
        return [root]
    return [e for e in root.iter() if _local(e.tag) == "Event"]


class EventXmlReader(ReaderBase):
    """Events as XML (``wevtutil qe ... /f:xml``, ``Get-WinEvent`` ``.ToXml()``, saved ``.xml``
    files), one ``<Event>`` after another, read whole or, when damaged or cut short, event by event.

    Example (``wevtutil qe Application /q:"*[System[(EventID=1035)]]" /f:xml``, shortened)::

        <Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='MSExchangeTransport'/><EventID Qualifiers='49156'>1035</EventID><Level>2</Level><TimeCreated SystemTime='2024-03-14T08:12:44.812345600Z'/><Channel>Application</Channel><Computer>EX02.corp.example.com</Computer></System><EventData><Data>IllegalMessage</Data><Data>Default EX02</Data><Data>ExchangeAuth</Data><Data>10.20.1.11</Data></EventData></Event>

    Facts: event
    """  # noqa: E501 - a real sample keeps its width

    name = "eventlog-xml"
    command = 'wevtutil qe Application /q:"*[System[(EventID=1035)]]" /f:RenderedXml'

    def _sniff(self, material: Material) -> bool:
        text = material.text
        if not text:
            return False
        head = _DECLARATION.sub("", text.lstrip("\ufeff \t\r\n")[:4096]).lstrip()
        return head.startswith("<") and bool(_EVENT_OPEN.search(head)) and "<System" in text

    def _read(self, material: Material, result: ReadResult) -> None:
        collector = EventCollector(self, material, result)
        self._collect(material, collector)
        collector.finish()

    def _collect(self, material: Material, collector: EventCollector) -> None:
        text = material.text or ""
        if _FORBIDDEN.search(text):
            collector.warn(material.first_line, "eventlog.xml_doctype")
            return
        body = _DECLARATION.sub("", text).lstrip("\ufeff")
        try:
            events = parse_events(f"<kbdoctor-events>{body}</kbdoctor-events>")
        except ET.ParseError:
            self._read_piecewise(material, collector, body)
            return
        # Lines are found again by position of each <Event>, for provenance.
        positions = [m.start() for m in _EVENT_OPEN.finditer(body)]
        lines = LineIndex(body)
        for number, event in enumerate(events):
            start = positions[number] if number < len(positions) else 0
            self._add(material, collector, event, body, start, lines)

    def _read_piecewise(self, material: Material, collector: EventCollector, body: str) -> None:
        covered = 0
        lines = LineIndex(body)
        for match in _EVENT_WHOLE.finditer(body):
            covered = match.end()
            try:
                element = ET.fromstring(match.group(0))
            except ET.ParseError as error:
                line = material.line_no(lines.index_at(match.start()))
                collector.warn(line, "eventlog.xml_damaged", detail=error)
                continue
            self._add(material, collector, element, body, match.start(), lines)
        tail = _EVENT_OPEN.search(body, covered)
        if tail is not None:
            line = material.line_no(lines.index_at(tail.start()))
            collector.warn(line, "eventlog.xml_truncated")

    def _add(
        self,
        material: Material,
        collector: EventCollector,
        element: ET.Element,
        body: str,
        start: int,
        lines: LineIndex,
    ) -> None:
        first = lines.index_at(start)
        end = body.find("</Event", start)
        last = lines.index_at(end) if end >= 0 else first
        line = material.line_no(first)
        record = event_record(element)
        if record is None:
            collector.warn(line, "eventlog.xml_without_id")
            return
        collector.add(record, source_for(self, material, first, last), line)


READERS = (EventXmlReader(),)
