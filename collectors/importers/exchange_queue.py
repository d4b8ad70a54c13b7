"""Readers of ``Get-Queue`` and ``Get-Message`` output: the delivery queues and their last error,
where the KB's symptom shows (``451 4.4.0 ... "454 4.7.0 Temporary authentication failure."``).

``Get-Queue | Format-List`` (LastError is wrapped to the console width)::

    Identity         : EX01\\3
    DeliveryType     : SmtpRelayToMailboxDeliveryGroup
    NextHopDomain    : site-b
    Status           : Retry
    MessageCount     : 12
    LastError        : [{LRT=11/9/2023 10:32:13 AM};{LED=451 4.4.0 Primary target IP address
                       responded with: "454 4.7.0 Temporary authentication failure." ...};
                       {FQDN=ex02.corp.example.com};{IP=10.0.0.12}]

``Get-Message | Format-List`` shows the same LastError per message (Identity ``EX01\\3\\1234``,
``Queue : EX01\\3``); it yields one queue fact per queue, not one per message.

``Get-Queue`` as a table cuts LastError short, so it is recognised only to ask for
``Format-List``.

No label table: property names are PowerShell's and stay English on every Windows, and the SMTP
status codes of LastError (``451 4.4.0``, ``454 4.7.0``) are the same in every language.
"""

from __future__ import annotations

import re

from kbdoctor.collectors.importers.base import (
    Material,
    ReaderBase,
    ReadResult,
    parse_number,
    source_for,
    warning,
)
from kbdoctor.collectors.parsing.format_list import (
    Record,
    find_table_header,
    looks_like_listing,
    parse_records,
)
from kbdoctor.collectors.segments import command_argument, command_of
from kbdoctor.engine.facts import Queue

_QUEUE_FIELDS = ("NextHopDomain", "DeliveryType", "MessageCount", "NextRetryTime", "LastRetryTime")
_TYPED = re.compile(r"^\s*Get-(?:Queue|Message)\b", re.IGNORECASE)
_QUEUE_IDENTITY = re.compile(
    r"^(?:Identity|Queue)\s*:\s*[^\s\\]+\\(?:\d+|Submission|Unreachable|Poison)\s*$"
)
_MESSAGE_FIELDS = ("FromAddress", "Queue", "Subject", "LastError", "DateReceived")


def _server_of(identity: str | None, material: Material) -> str | None:
    """The server of a queue: from its Identity (``EX01\\3``), else from ``Get-Queue -Server
    EX01`` typed at the prompt, else from the host hint."""
    if identity and "\\" in identity:
        server = identity.split("\\", 1)[0].strip()
        if server:
            return server
    typed = command_argument(command_of(material), "Server")
    if typed:
        return typed
    return material.host_hint.name.strip() if material.host_hint is not None else None


class QueueListReader(ReaderBase):
    r"""Every queue (or, from ``Get-Message``, every message's queue) with its server, status,
    message count and full LastError, the field that holds the remote's ``454 4.7.0``.

    Example (``Get-Queue | Format-List``, shortened)::

        DeliveryType                     : SmtpRelayToMailboxDeliveryGroup
        NextHopDomain                    : site-b
        Status                           : Retry
        MessageCount                     : 12
        LastError                        : [{LRT=11/9/2023 10:32:13 AM};{LED=451 4.4.0 Primary target IP address responded
                                           with: "454 4.7.0 Temporary authentication failure."};{FQDN=ex02.corp.example.com}]
        Identity                         : EX01\3

    Facts: queue
    """  # noqa: E501 - a real sample keeps its width

    name = "exchange-queue"
    command = "Get-Queue | Format-List"

    def _sniff(self, material: Material) -> bool:
        if looks_like_listing(material, _QUEUE_FIELDS, needed=2) or looks_like_listing(
            material, _MESSAGE_FIELDS, needed=3
        ):
            return True
        # A listing of a few selected properties: known by the typed command, or by a queue
        # identity (EX01\\12) next to a LastError.
        typed = command_of(material) or ""
        if _TYPED.match(typed):
            return looks_like_listing(material, ("Identity", "Queue", "LastError"), needed=1)
        return looks_like_listing(material, ("LastError",), needed=1) and any(
            _QUEUE_IDENTITY.match(line) for line in material.lines()[:4000]
        )

    def _read(self, material: Material, result: ReadResult) -> None:
        seen: set[str] = set()
        for record in parse_records(material):
            queue_name = record.value("Queue")
            if queue_name is not None and record.get("NextHopDomain") is None:
                fact = self._from_message(material, record, queue_name, result)
            elif record.get("Identity") is not None and any(
                record.get(name) is not None for name in (*_QUEUE_FIELDS, "LastError", "Status")
            ):
                fact = self._from_queue(material, record, result)
            else:
                continue
            if fact is None:
                continue
            key = f"{fact.server.casefold()}|{(fact.identity or '').casefold()}"
            if key in seen:
                continue  # several messages of one queue
            seen.add(key)
            result.facts.append(fact)

    def _from_queue(self, material: Material, record: Record, result: ReadResult) -> Queue | None:
        identity = record.value("Identity")
        server = _server_of(identity, material)
        if server is None:
            result.warnings.append(
                warning(material, record.first, "queue.no_server", queue=identity)
            )
            return None
        count_text = record.value("MessageCount")
        count = parse_number(count_text) if count_text is not None else None
        if count_text is not None and (count is None or count < 0 or count != int(count)):
            result.warnings.append(
                warning(material, record.first, "queue.bad_count", queue=identity,
                        count=repr(count_text))
            )
            count = None
        return Queue(
            server=server,
            identity=identity,
            last_error=record.value("LastError") or "",
            next_hop=record.value("NextHopDomain"),
            status=record.value("Status"),
            message_count=int(count) if count is not None else None,
            provenance=source_for(self, material, record.first, record.last),
        )

    def _from_message(
        self, material: Material, record: Record, queue_name: str, result: ReadResult
    ) -> Queue | None:
        server = _server_of(queue_name, material) or _server_of(record.value("Identity"), material)
        if server is None:
            result.warnings.append(
                warning(material, record.first, "queue.message_without_server",
                        queue=queue_name)
            )
            return None
        return Queue(
            server=server,
            identity=queue_name,
            last_error=record.value("LastError") or "",
            provenance=source_for(
                self, material, record.first, record.last, command="Get-Message | Format-List"
            ),
        )


class QueueTableReader(ReaderBase):
    r"""Recognises the table form only to say what to run instead: a table truncates LastError,
        which is exactly the field the diagnosis needs.

    Example::

        Identity                  DeliveryType Status MessageCount Velocity RiskLevel OutboundIPPool NextHopDomain
        --------                  ------------ ------ ------------ -------- --------- -------------- -------------
        EX01\3                    SmtpRelay... Retry  12           0        Normal    0              site-b

    Facts: none (warns queue.table_output)
    """  # noqa: E501 - a real sample keeps its width


    name = "exchange-queue-table"
    command = "Get-Queue"

    def _sniff(self, material: Material) -> bool:
        return self._header(material) is not None

    def _read(self, material: Material, result: ReadResult) -> None:
        result.warnings.append(warning(material, self._header(material), "queue.table_output"))

    @staticmethod
    def _header(material: Material) -> int | None:
        for columns in (
            ("Identity", "DeliveryType", "Status", "MessageCount"),
            ("Identity", "FromAddress", "Status", "Queue"),
        ):
            found = find_table_header(material, columns)
            if found is not None:
                return found
        return None


READERS = (QueueListReader(), QueueTableReader())
