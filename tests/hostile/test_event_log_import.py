"""Large event logs in ``collect --import`` (issue 10: a 200 MB log took 525 s and 11.5 GB).

Past the file limit (64 MiB by default) a log is skipped at once with a warning naming it, and the
rest of the incident folder is read. Under the limit a log is read in time and memory linear in
its size: 8 MB of events of each text format needs 4 to 12 CPU seconds and 125 to 160 MiB of
address space here, and gets 30 s and 384 MiB. Reading it the way the 200 MB log was read (57
bytes of memory per byte of log: 460 MB for 8 MB) or finding each record's line by counting the
newlines before it anew (about 60 s for these files) goes past them."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.bounded import ROOT, kbdoctor

MIB = 1024 * 1024
CPU_SECONDS = 30
MEMORY_BYTES = 384 * MIB
LOG_BYTES = 8 * MIB


def _format_list(i: int) -> str:
    """Get-WinEvent | Format-List: every tenth record an event 1035 of MSExchangeTransport."""
    host = f"EX{i % 50:02d}.corp.example.com"
    head = f"TimeCreated  : 3/{1 + i % 28}/2024 {1 + i % 12}:{i % 60:02d}:{i * 7 % 60:02d} AM\n"
    if i % 10 == 0:
        return (
            f"{head}ProviderName : MSExchangeTransport\nId           : 1035\n"
            f"MachineName  : {host}\n"
            "Message      : Inbound authentication failed with error IllegalMessage for Receive"
            f" connector Default EX{i % 50:02d}. The\n"
            "               authentication mechanism is ExchangeAuth. The source IP address of"
            " the client who tried to\n"
            f"               authenticate to Microsoft Exchange is [10.20.{i % 250}.{i % 200}].\n\n"
        )
    return (
        f"{head}ProviderName : MSExchange ADAccess\nId           : {2080 + i % 10}\n"
        f"MachineName  : {host}\n"
        f"Message      : Process MSExchangeTransport.exe (PID={i}). Exchange Active Directory"
        " Provider has discovered the\n"
        "               following servers with the following characteristics: (Server name |"
        " Roles | Enabled |\n"
        "               Reachability | Synchronized | GC capable | PDC | SACL right)\n\n"
    )


def _message(i: int) -> tuple[int, str, str]:
    """(event id, source, message) of record ``i``: every tenth an event 1035."""
    if i % 10 == 0:
        return (
            1035,
            "MSExchangeTransport",
            "Inbound authentication failed with error IllegalMessage for Receive connector"
            " Default EX02. The authentication mechanism is ExchangeAuth.",
        )
    return (
        2080 + i % 10,
        "MSExchange ADAccess",
        f"Process MSExchangeTransport.exe (PID={i}). Exchange Active Directory Provider has"
        " discovered the following servers.",
    )


def _details(i: int) -> str:
    """Event Viewer's "Copy details as text"."""
    event_id, source, message = _message(i)
    return (
        f"Log Name:      Application\nSource:        {source}\n"
        f"Date:          3/14/2024 9:{i % 60:02d}:44 AM\nEvent ID:      {event_id}\n"
        "Task Category: SmtpReceive\nLevel:         Error\nKeywords:      Classic\n"
        f"User:          N/A\nComputer:      EX{i % 50:02d}.corp.example.com\n"
        f"Description:\n{message}\n\n"
    )


def _xml(i: int) -> str:
    """wevtutil qe /f:RenderedXml: one event a line."""
    event_id, source, message = _message(i)
    return (
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
        f"<Provider Name='{source}'/><EventID Qualifiers='49156'>{event_id}</EventID>"
        f"<Level>2</Level><TimeCreated SystemTime='2024-03-14T08:{i % 60:02d}:44.8123456Z'/>"
        f"<EventRecordID>{i}</EventRecordID><Channel>Application</Channel>"
        f"<Computer>EX{i % 50:02d}.corp.example.com</Computer></System>"
        "<EventData><Data>IllegalMessage</Data></EventData><RenderingInfo Culture='en-US'>"
        f"<Message>{message}</Message></RenderingInfo></Event>\n"
    )


def _write_log(path: Path, record: Callable[[int], str], size: int) -> int:
    """Records until ``size`` bytes; the number of events 1035 among them."""
    records: list[str] = []
    written = 0
    while written < size:
        records.append(record(len(records)))
        written += len(records[-1])
    path.write_text("".join(records), encoding="utf-8")
    return (len(records) + 9) // 10


@pytest.mark.parametrize(
    ("record", "reader", "name"),
    [
        (_format_list, "eventlog-list", "application.txt"),
        (_details, "eventlog-details", "details.txt"),
        (_xml, "eventlog-xml", "application.xml"),
    ],
    ids=["format-list", "event-viewer-details", "xml"],
)
def test_eight_megabytes_of_events_are_read_whole_within_bounds(
    tmp_path: Path, record: Callable[[int], str], reader: str, name: str
) -> None:
    log = tmp_path / name
    events_1035 = _write_log(log, record, LOG_BYTES)
    last_line = len(log.read_text(encoding="utf-8").rstrip("\n").split("\n"))
    result = kbdoctor(
        "collect", "--import", str(log), "-o", str(tmp_path / "facts.yaml"),
        memory=MEMORY_BYTES, cpu=CPU_SECONDS,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    read = re.search(rf"^{re.escape(str(log))}: {reader} lines \d+-(\d+): (\d+) fact\(s\)$",
                     result.stderr, re.MULTILINE)  # fmt: skip
    assert read is not None, result.stderr[-2000:]
    assert (int(read.group(1)), int(read.group(2))) == (last_line, events_1035)


def test_a_200_megabyte_log_is_skipped_at_once_and_the_rest_is_read(tmp_path: Path) -> None:
    """The log is sparse past its first megabyte: its size is what counts, not its bytes."""
    folder = tmp_path / "INC-1" / "EX01"
    folder.mkdir(parents=True)
    big = folder / "application.txt"
    _write_log(big, _format_list, MIB)
    os.truncate(big, 200 * MIB)
    small = folder / "fl_1035.txt"
    small.write_bytes(
        (ROOT / "tests/data/importers/eventlog/fl_1035_transport_en.txt").read_bytes()
    )
    result = kbdoctor(
        "collect", "--import", str(tmp_path / "INC-1"), "-o", str(tmp_path / "facts.yaml"),
        memory=256 * MIB, cpu=10,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert (
        f"{big}: skipped: larger than 67108864 bytes (limit KBDOCTOR_MAX_FILE_BYTES)\n"
        in result.stderr
    )
    assert f"{small}: eventlog-list lines 3-15: 2 fact(s)\n" in result.stderr
