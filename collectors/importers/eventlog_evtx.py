"""Event log files (``.evtx``) as a customer saves them, read without Windows by python-evtx.

``wevtutil epl Application C:\\temp\\application.evtx`` (or Event Viewer's "Save All Events
As...") writes a binary file: a 4 KiB header starting ``ElfFile\\0``, then 64 KiB chunks
(``ElfChnk\\0``) of records in Binary XML. python-evtx turns each record into the same
``<Event>`` XML that ``wevtutil qe /f:xml`` prints, which :mod:`eventlog_xml` already reads.

The file holds no rendered messages (those live in the provider's DLLs on the machine that
logged the event), so messages come from the insertion strings. A log saved from a crashed or
full machine can have damaged chunks: each damaged chunk or record costs a warning, the rest is
still read. Facts carry no line numbers (a binary file has none).

No label table: a binary log holds no localized text besides the insertion strings.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

from Evtx.Evtx import ChunkHeader, FileHeader, Record
from kbdoctor.collectors.importers.base import (
    Material,
    ReaderBase,
    ReadResult,
    source_for,
)
from kbdoctor.collectors.importers.eventlog_xml import event_record, parse_events
from kbdoctor.collectors.parsing.eventlog_records import EventCollector

_MAGIC = b"ElfFile\x00"
_CHUNK_MAGIC = b"ElfChnk\x00"
_HEADER_SIZE = 0x1000
_CHUNK_SIZE = 0x10000
_CHUNK_HEADER_SIZE = 0x200

# python-evtx reports damage with many exception types (its own, struct.error, IndexError,
# UnicodeDecodeError, OverflowError ...); a damaged record must never stop the file.
_DAMAGE = Exception


class EvtxReader(ReaderBase):
    """An exported event log file, read chunk by chunk and record by record; damage is a warning
    at the chunk and record it hits, and the records around it are still read.

    The format is binary, so the sample is a file rather than text.

    Example file: ``tests/data/importers/eventlog/application_1035.evtx``

    Facts: event
    """

    name = "eventlog-evtx"
    command = "wevtutil epl Application C:\\temp\\application.evtx"

    def _sniff(self, material: Material) -> bool:
        return material.data.startswith(_MAGIC)

    def _read(self, material: Material, result: ReadResult) -> None:
        collector = EventCollector(self, material, result)
        self._collect(material, collector)
        collector.finish()

    def _collect(self, material: Material, collector: EventCollector) -> None:
        if not material.data.startswith(_MAGIC):
            collector.warn(None, "evtx.no_signature")
            return
        if len(material.data) < _HEADER_SIZE + _CHUNK_HEADER_SIZE:
            collector.warn(None, "evtx.no_chunk", size=len(material.data))
            return
        source = source_for(self, material, 0).model_copy(update={"line": None})
        for number, chunk in self._chunks(material, collector):
            for record_text, index in self._records(chunk, number, collector):
                try:
                    events = parse_events(record_text)
                except ET.ParseError as error:
                    collector.warn(
                        None, "evtx.xml_unreadable", chunk=number, record=index, detail=error
                    )
                    continue
                for event in events:
                    record = event_record(event)
                    if record is None:
                        collector.warn(None, "evtx.no_event_id", chunk=number, record=index)
                        continue
                    collector.add(record, source, None)

    def _chunks(
        self, material: Material, collector: EventCollector
    ) -> Iterator[tuple[int, ChunkHeader]]:
        """The chunks of the file by position, not by the header's count: a file copied
        while the log was open often has a header that lags behind its chunks."""
        data = material.data
        partial = (len(data) - _HEADER_SIZE) % _CHUNK_SIZE
        if partial:
            # A copy cut short: the records before the cut are still whole, and python-evtx
            # reads only whole 64 KiB chunks, so the missing tail is filled with zeros.
            collector.warn(None, "evtx.last_chunk_cut", size=len(data))
            data = data + bytes(_CHUNK_SIZE - partial)
        try:
            header = FileHeader(data, 0)
            if not header.verify():
                collector.warn(None, "evtx.header_damaged")
        except _DAMAGE as error:
            collector.warn(None, "evtx.header_unreadable", detail=_why(error))
        offset, number = _HEADER_SIZE, 0
        while offset + _CHUNK_SIZE <= len(data):
            if data[offset : offset + 8] == _CHUNK_MAGIC:
                try:
                    chunk = ChunkHeader(data, offset)
                    if not chunk.verify():
                        collector.warn(None, "evtx.chunk_checksum", chunk=number)
                    yield number, chunk
                except _DAMAGE as error:
                    collector.warn(
                        None, "evtx.chunk_unreadable", chunk=number, detail=_why(error)
                    )
            elif any(data[offset : offset + 8]):
                collector.warn(None, "evtx.chunk_without_signature", chunk=number)
            offset += _CHUNK_SIZE
            number += 1

    def _records(
        self, chunk: ChunkHeader, number: int, collector: EventCollector
    ) -> Iterator[tuple[str, int]]:
        """The XML of each record of chunk ``number`` with the record's index in the chunk."""
        records: Iterator[Record] = iter(chunk.records())
        index = 0
        while True:
            try:
                record = next(records)
            except StopIteration:
                return
            except _DAMAGE as error:
                collector.warn(
                    None, "evtx.records_cut", chunk=number, record=index, detail=_why(error)
                )
                return
            try:
                text = record.xml()
            except _DAMAGE as error:
                collector.warn(
                    None, "evtx.record_damaged", chunk=number, record=index, detail=_why(error)
                )
            else:
                yield text, index
            index += 1


def _why(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


READERS = (EvtxReader(),)
