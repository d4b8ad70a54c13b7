"""Get-Queue / Get-Message readers: one queue fact per queue, LastError unwrapped."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kbdoctor.collectors.decoding import decode_bytes
from kbdoctor.collectors.importers.base import HostHint, Material
from kbdoctor.collectors.importers.exchange_queue import QueueListReader, QueueTableReader
from kbdoctor.engine.facts import Queue

DATA = Path(__file__).parents[2] / "data" / "importers" / "exchange"
LIST, TABLE = QueueListReader(), QueueTableReader()

KB_ERROR = (
    "451 4.4.0 Primary target IP address responded with: \"454 4.7.0 Temporary authentication "
    "failure.\" Attempted failover to alternate host, but that did not succeed. Either there are "
    "no alternate hosts, or delivery failed to all alternate hosts."
)


def material(name: str, host: str | None = None) -> Material:
    data = (DATA / name).read_bytes()
    hint = HostHint(host, "option") if host else None
    return Material(path=name, data=data, text=decode_bytes(data).text, host_hint=hint)


def queues(facts: Sequence[object]) -> list[Queue]:
    return [f for f in facts if isinstance(f, Queue)]


def test_utf16_format_list_gives_each_queue_with_its_unwrapped_last_error() -> None:
    m = material("get_queue_fl_454_en.utf16.txt")
    assert LIST.sniff(m)
    assert not TABLE.sniff(m)
    result = LIST.read(m)
    retry, submission = queues(result.facts)
    assert retry.server == "EX01"
    assert retry.identity == "EX01\\3"
    assert retry.status == "Retry"
    assert retry.next_hop == "site-b"
    assert retry.message_count == 12
    assert retry.last_error == (
        "[{LRT=11/9/2023 10:32:13 AM};{LED=" + KB_ERROR + "};{FQDN=ex02.corp.example.com};"
        "{IP=10.0.0.12}]"
    )
    assert retry.provenance is not None
    assert (retry.provenance.line, retry.provenance.line_end) == (3, 19)
    assert (submission.identity, submission.last_error, submission.message_count) == (
        "EX01\\Submission",
        "",
        0,
    )
    assert result.warnings == []


def test_polish_environment_keeps_the_english_error_text_and_localised_dates() -> None:
    (queue,) = queues(QueueListReader().read(material("get_queue_fl_454_pl.utf16.txt")).facts)
    assert queue.server == "EX01"
    assert queue.next_hop == "lokacja-krakow"
    assert queue.last_error.startswith("[{LRT=09.11.2023 10:32:13};{LED=451 4.4.0")
    assert '"454 4.7.0 Temporary authentication failure."' in queue.last_error


def test_messages_give_one_queue_fact_per_queue() -> None:
    m = material("get_message_fl_en.txt")
    assert LIST.sniff(m)
    found = queues(LIST.read(m).facts)
    assert [(q.server, q.identity) for q in found] == [("EX01", "EX01\\3"), ("EX01", "EX01\\5")]
    assert "454 4.7.0" in found[0].last_error
    assert found[1].last_error == (
        "421 4.4.1 Connection timed out. Attempted failover to alternate host, but that did not "
        "succeed."
    )
    assert found[0].provenance is not None
    assert found[0].provenance.command == "Get-Message | Format-List"


def test_identity_without_server_takes_the_host_hint_or_warns() -> None:
    text = (
        "Identity      : 3\nDeliveryType  : SmtpRelayToRemoteAdSite\nNextHopDomain : site-b\n"
        "Status        : Retry\nLastError     : x\n"
    )
    m = Material(path="q.txt", data=text.encode(), text=text)
    result = LIST.read(m)
    assert queues(result.facts) == []
    assert "--host" in result.warnings[0].message
    hinted = Material(
        path="q.txt", data=text.encode(), text=text, host_hint=HostHint("EX09", "folder")
    )
    assert queues(LIST.read(hinted).facts)[0].server == "EX09"


def test_a_message_count_that_is_not_a_count_is_reported_not_guessed() -> None:
    text = "Identity      : EX01\\3\nNextHopDomain : b\nMessageCount  : many\nLastError     :\n"
    result = LIST.read(Material(path="q.txt", data=text.encode(), text=text))
    assert queues(result.facts)[0].message_count is None
    assert "MessageCount" in result.warnings[0].message


def test_table_output_is_recognised_only_to_ask_for_format_list() -> None:
    m = material("get_queue_table_en.txt")
    assert TABLE.sniff(m)
    assert not LIST.sniff(m)
    result = TABLE.read(m)
    assert result.facts == []
    assert "Format-List" in result.warnings[0].message
    assert result.warnings[0].line == 2
