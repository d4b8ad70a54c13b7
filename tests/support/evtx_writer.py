"""A small writer of valid ``.evtx`` files, so that the .evtx reader is tested on real files
without a Windows machine (and without borrowing anyone's sample logs).

It follows the published description of the format (libevtx, "Windows XML Event Log (EVTX)"):
a 4 KiB file header ``ElfFile\\0`` with a CRC32 of its first 120 bytes; 64 KiB chunks
``ElfChnk\\0`` whose 512-byte header carries a CRC32 of the header (bytes 0-120 and 128-512),
a CRC32 of the records, a 64-bucket table of the names used and a 32-bucket table of templates;
records (signature ``**\\0\\0``, size, number, FILETIME, Binary XML, size again). Each record's
Binary XML is a template instance with the substitution values of that record: the first
record of a shape carries the template inline, later records of the same shape refer back to
it, as Windows does.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

EVENT_NAMESPACE = "http://schemas.microsoft.com/win/2004/08/events/event"

_HEADER_SIZE = 0x1000
_CHUNK_SIZE = 0x10000
_CHUNK_HEADER_SIZE = 0x200

# Value types of Binary XML substitutions.
_NULL, _WSTRING, _UINT8, _UINT16, _UINT64, _FILETIME = 0x00, 0x01, 0x04, 0x06, 0x0A, 0x11


@dataclass(frozen=True)
class EvtxEvent:
    provider: str
    event_id: int
    computer: str
    channel: str
    time: datetime
    data: Sequence[tuple[str | None, str]] = ()
    level: int = 2
    qualifiers: int | None = None


def _filetime(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    epoch = datetime(1601, 1, 1, tzinfo=UTC)
    delta = moment - epoch
    return (delta.days * 86400 + delta.seconds) * 10_000_000 + delta.microseconds * 10


def _name_hash(text: str) -> int:
    value = 0
    for char in text:
        value = (value * 65599 + ord(char)) & 0xFFFFFFFF
    return value & 0xFFFF


@dataclass
class _Chunk:
    buf: bytearray = field(default_factory=lambda: bytearray(_CHUNK_HEADER_SIZE))
    strings: dict[str, int] = field(default_factory=dict)
    string_tails: dict[int, int] = field(default_factory=dict)
    templates: dict[tuple[object, ...], tuple[int, int]] = field(default_factory=dict)

    def pos(self) -> int:
        return len(self.buf)

    def raw(self, data: bytes) -> None:
        self.buf += data

    def u8(self, value: int) -> None:
        self.buf += struct.pack("<B", value)

    def u16(self, value: int) -> None:
        self.buf += struct.pack("<H", value)

    def u32(self, value: int) -> None:
        self.buf += struct.pack("<I", value)

    def patch32(self, at: int, value: int) -> None:
        self.buf[at : at + 4] = struct.pack("<I", value)

    def name(self, text: str) -> None:
        """A name reference: the offset of a name already in the chunk, or the name itself
        right after the reference (a name is written once per chunk)."""
        known = self.strings.get(text)
        if known is not None:
            self.u32(known)
            return
        offset = self.pos() + 4
        self.u32(offset)
        self.strings[text] = offset
        digest = _name_hash(text)
        self.u32(0)  # next name in the same bucket
        self.u16(digest)
        self.u16(len(text))
        self.raw(text.encode("utf-16-le") + b"\x00\x00")
        bucket = digest % 64
        tail = self.string_tails.get(bucket)
        if tail is None:
            self.patch32(0x80 + 4 * bucket, offset)
        else:
            self.patch32(tail, offset)
        self.string_tails[bucket] = offset

    def text(self, value: str) -> None:
        self.u8(0x05)
        self.u8(_WSTRING)
        self.u16(len(value))
        self.raw(value.encode("utf-16-le"))

    def substitution(self, index: int, kind: int, optional: bool = False) -> None:
        self.u8(0x0E if optional else 0x0D)
        self.u16(index)
        self.u8(kind)

    def element(
        self,
        name: str,
        attributes: Sequence[tuple[str, Callable[[], None]]] = (),
        content: Callable[[], None] | None = None,
    ) -> None:
        self.u8(0x41 if attributes else 0x01)
        self.u16(0xFFFF)  # dependency identifier: none
        size_at = self.pos()
        self.u32(0)
        self.name(name)
        if attributes:
            list_at = self.pos()
            self.u32(0)
            for number, (attribute, value) in enumerate(attributes):
                self.u8(0x46 if number + 1 < len(attributes) else 0x06)
                self.name(attribute)
                value()
            self.patch32(list_at, self.pos() - list_at - 4)
        if content is None:
            self.u8(0x03)
        else:
            self.u8(0x02)
            content()
            self.u8(0x04)
        self.patch32(size_at, self.pos() - size_at - 4)


def _template_body(chunk: _Chunk, event: EvtxEvent) -> None:
    """<Event> with substitutions 0-7 for the System values and 8.. for the EventData."""

    def system() -> None:
        chunk.element("Provider", [("Name", lambda: chunk.substitution(0, _WSTRING))])
        chunk.element(
            "EventID",
            [("Qualifiers", lambda: chunk.substitution(2, _UINT16, optional=True))],
            lambda: chunk.substitution(1, _UINT16),
        )
        chunk.element("Level", content=lambda: chunk.substitution(3, _UINT8))
        chunk.element("TimeCreated", [("SystemTime", lambda: chunk.substitution(4, _FILETIME))])
        chunk.element("EventRecordID", content=lambda: chunk.substitution(5, _UINT64))
        chunk.element("Channel", content=lambda: chunk.substitution(6, _WSTRING))
        chunk.element("Computer", content=lambda: chunk.substitution(7, _WSTRING))
        chunk.element("Security")

    def data_item(index: int, name: str | None) -> None:
        def value() -> None:
            chunk.substitution(8 + index, _WSTRING, optional=True)

        if name is None:
            chunk.element("Data", content=value)
        else:
            chunk.element("Data", [("Name", lambda: chunk.text(name))], value)

    def event_data() -> None:
        for index, (name, _) in enumerate(event.data):
            data_item(index, name)

    def body() -> None:
        chunk.element("System", content=system)
        chunk.element("EventData", content=event_data)

    chunk.raw(b"\x0f\x01\x01\x00")
    chunk.element("Event", [("xmlns", lambda: chunk.text(EVENT_NAMESPACE))], body)
    chunk.u8(0x00)


def _substitutions(event: EvtxEvent, record_id: int) -> bytes:
    values: list[tuple[int, bytes]] = [
        (_WSTRING, event.provider.encode("utf-16-le")),
        (_UINT16, struct.pack("<H", event.event_id)),
        (
            (_UINT16, struct.pack("<H", event.qualifiers))
            if event.qualifiers is not None
            else (_NULL, b"")
        ),
        (_UINT8, struct.pack("<B", event.level)),
        (_FILETIME, struct.pack("<Q", _filetime(event.time))),
        (_UINT64, struct.pack("<Q", record_id)),
        (_WSTRING, event.channel.encode("utf-16-le")),
        (_WSTRING, event.computer.encode("utf-16-le")),
    ]
    values += [(_WSTRING, value.encode("utf-16-le")) for _, value in event.data]
    out = bytearray(struct.pack("<I", len(values)))
    for kind, payload in values:
        out += struct.pack("<HBB", len(payload), kind, 0)
    for _, payload in values:
        out += payload
    return bytes(out)


def _record(chunk: _Chunk, event: EvtxEvent, record_id: int) -> None:
    start = chunk.pos()
    chunk.raw(b"\x2a\x2a\x00\x00")
    chunk.u32(0)
    chunk.raw(struct.pack("<QQ", record_id, _filetime(event.time)))
    chunk.raw(b"\x0f\x01\x01\x00")
    shape: tuple[object, ...] = (tuple(name for name, _ in event.data),)
    known = chunk.templates.get(shape)
    chunk.u8(0x0C)
    chunk.u8(0x01)
    if known is not None:
        template_id, template_offset = known
        chunk.u32(template_id)
        chunk.u32(template_offset)
    else:
        guid = hashlib.md5(repr(shape).encode()).digest()
        template_id = struct.unpack("<I", guid[:4])[0]
        template_offset = chunk.pos() + 8
        chunk.u32(template_id)
        chunk.u32(template_offset)
        chunk.u32(0)  # next template in the same bucket
        chunk.raw(guid)
        length_at = chunk.pos()
        chunk.u32(0)
        _template_body(chunk, event)
        chunk.patch32(length_at, chunk.pos() - length_at - 4)
        chunk.templates[shape] = (template_id, template_offset)
        bucket = 0x180 + 4 * ((len(chunk.templates) - 1) % 32)
        if not struct.unpack_from("<I", chunk.buf, bucket)[0]:
            chunk.patch32(bucket, template_offset)
    chunk.raw(_substitutions(event, record_id))
    size = chunk.pos() - start + 4
    chunk.u32(size)
    chunk.patch32(start + 4, size)


def evtx_bytes(events: Sequence[EvtxEvent], *, first_record: int = 1) -> bytes:
    """A complete .evtx file holding ``events`` in one chunk."""
    chunk = _Chunk()
    last_offset = _CHUNK_HEADER_SIZE
    for number, event in enumerate(events):
        last_offset = chunk.pos()
        _record(chunk, event, first_record + number)
    if chunk.pos() > _CHUNK_SIZE:
        raise ValueError("too many events for one chunk")
    free = chunk.pos()
    last_record = first_record + max(len(events) - 1, 0)
    header = chunk.buf
    header[0:8] = b"ElfChnk\x00"
    struct.pack_into(
        "<QQQQIII",
        header,
        8,
        first_record,
        last_record,
        first_record,
        last_record,
        0x80,
        last_offset,
        free,
    )
    struct.pack_into("<I", header, 0x34, zlib.crc32(bytes(header[_CHUNK_HEADER_SIZE:free])))
    struct.pack_into(
        "<I", header, 0x7C, zlib.crc32(bytes(header[0:0x78]) + bytes(header[0x80:0x200]))
    )
    body = bytes(header) + bytes(_CHUNK_SIZE - len(header))

    file_header = bytearray(_HEADER_SIZE)
    file_header[0:8] = b"ElfFile\x00"
    struct.pack_into(
        "<QQQIHHHH", file_header, 8, 0, 0, last_record + 1, 0x80, 1, 3, _HEADER_SIZE, 1
    )
    struct.pack_into("<I", file_header, 0x7C, zlib.crc32(bytes(file_header[0:0x78])))
    return bytes(file_header) + body
