"""The importer reads what the collection script writes (issue 12, "When kbdoctor cannot reach
the directory"): a folder laid out exactly as :func:`layout` says the script lays it out - one
folder per machine, each file starting with the script's ``PS kbdoctor>`` prompt line and written
the way ``Out-File -Encoding UTF8`` writes (a byte order mark, CRLF) - holding real recorded
outputs, gives facts about the right hosts: the machine the script ran on (from its folder) and
the domain controllers and servers the commands name."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from kbdoctor.collectors.importing import import_paths
from kbdoctor.collectors.script import (
    NOTES_FILE,
    PROMPT,
    STEPS,
    Known,
    Planned,
    Server,
    layout,
)
from kbdoctor.collectors.segments import prompt_command

DATA = Path(__file__).resolve().parents[1] / "data" / "importers"
MACHINE = "EX01"
KNOWN = Known(
    "corp.example.com",
    ("DC01",),
    (Server("EX01", "ex01.corp.example.com"), Server("EX02", "ex02.corp.example.com")),
)

# A recorded output for one file of each step: (reader, the file's name in the layout).
RECORDED: dict[tuple[str, str], str] = {
    ("w32tm-status", "w32tm-status.txt"): "w32tm/w32tm_query_status_verbose_en.txt",
    ("w32tm-monitor", "w32tm-monitor.txt"): "w32tm/w32tm_monitor_en.txt",
    ("w32tm-stripchart", "stripchart-DC01.txt"): "w32tm/w32tm_stripchart_errors_en.txt",
    ("nltest-dsgetdc", "nltest-dsgetdc.txt"): "real/nltest/dsgetdc_contoso_short_name_en.txt",
    ("nltest-dclist", "nltest-dclist.txt"): "real/nltest/dclist_corp_single_en.txt",
    (
        "repadmin-showrepl-csv",
        "repadmin-showrepl.csv",
    ): "repadmin/showrepl_csv_failures_en.utf16.csv",
    ("setspn-X", "setspn-X-F.txt"): "setspn/setspn_X_duplicate_en.utf16.txt",
    ("setspn-L", "setspn-L-EX01.txt"): "setspn/setspn_L_exchange_pl.cp852.txt",
    ("setspn-Q", "setspn-Q-EX01.txt"): "setspn/setspn_Q_found_en.txt",
    ("klist", "klist-get-EX02.txt"): "klist/klist_get_smtpsvc_failed_en.txt",
    ("portqry", "portqry-DC01-88-udp.txt"): "real/portqry/kerberos88_both_dc01_en.txt",
    ("test-netconnection", "tnc-DC01-88.txt"): "test_netconnection/tnc_port88_failed_en.utf16.txt",
    ("exchange-server", "exchange-server.txt"): "exchange/get_exchangeserver_fl_en.utf16.txt",
    ("exchange-receive-connector", "receive-connectors.txt"): (
        "exchange/get_receiveconnector_fl_en.utf16.txt"
    ),
    ("exchange-queue", "queues.txt"): "exchange/get_queue_fl_454_en.utf16.txt",
    ("eventlog-list", "event-1035.txt"): "eventlog/fl_1035_transport_en.txt",
}


def _recorded_text(relative: str) -> str:
    """A recorded output as text, without the command line it was recorded with (the script
    writes its own)."""
    data = (DATA / relative).read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    elif ".cp852." in relative:
        text = data.decode("cp852")
    else:
        text = data.decode("utf-8-sig")
    lines = text.lstrip("\ufeff").splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and prompt_command(lines[0]) is not None:
        lines.pop(0)
    return "\n".join(lines)


def _write_as_the_script(root: Path, planned: Planned, body: str) -> None:
    """What Save-KbdNative / Save-KbdCmdlet leave: Out-File -Encoding UTF8 (byte order mark),
    the prompt line, then the output, CRLF line ends."""
    path = root / planned.path
    path.parent.mkdir(parents=True, exist_ok=True)
    text = PROMPT + planned.command + "\n" + body + "\n"
    path.write_bytes(codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"))


def _lay_out(root: Path, *, portqry: bool) -> list[Planned]:
    written = []
    for planned in layout(KNOWN, MACHINE, portqry=portqry):
        recorded = RECORDED.get((planned.reader, planned.path.split("/", 1)[1]))
        if recorded is not None:
            _write_as_the_script(root, planned, _recorded_text(recorded))
            written.append(planned)
    notes = root / MACHINE / NOTES_FILE  # the script's notes are set aside, not read
    notes.write_bytes(codecs.BOM_UTF8 + b"- {file: 'queues.txt', note: 'skipped: ...'}\r\n")
    return written


@pytest.mark.parametrize("portqry", [True, False])
def test_every_step_of_the_script_is_read_from_its_place(tmp_path: Path, portqry: bool) -> None:
    written = _lay_out(tmp_path, portqry=portqry)
    readers = {step.reader for step in STEPS} - {"test-netconnection" if portqry else "portqry"}
    assert {p.reader for p in written} == readers  # a recorded output for every step
    result = import_paths([str(tmp_path)])
    # only the notes are set aside, in the one summary line of files that are not output
    assert [w.file for w in result.unrecognised] == [str(tmp_path / MACHINE / NOTES_FILE)]
    assert [Path(name).name for name, _ in result.skipped] == [NOTES_FILE]
    read = {
        Path(f.provenance.file).name for f in result.facts if f.provenance and f.provenance.file
    }
    assert read == {Path(p.path).name for p in written}  # every file gave facts


def test_facts_name_the_machine_the_script_ran_on_and_the_hosts_it_asked_about(
    tmp_path: Path,
) -> None:
    _lay_out(tmp_path, portqry=False)
    facts = import_paths([str(tmp_path)]).facts
    offsets = {(f.host, f.reference) for f in facts if f.type == "clock_offset"}
    assert ("DC01", MACHINE) in offsets  # the stripchart: DC01's clock against this machine
    ports = {(f.source, f.target, f.port, f.state) for f in facts if f.type == "port_state"}
    # from this machine to the DC, which the recorded output names by its FQDN
    assert (MACHINE, "dc01.corp.example.com", 88, "closed") in ports
    listings = {f.account for f in facts if f.type == "spn_listing"}
    assert "CN=EX01,OU=Serwery Exchange,DC=firma,DC=pl" in listings  # setspn -L EX01
    queries = {f.spn: f.accounts for f in facts if f.type == "spn_query"}
    assert queries["SMTPSVC/ex01.corp.example.com"] == [
        "CN=EX01,OU=Exchange Servers,DC=corp,DC=example,DC=com"
    ]
    errors = {(f.host, f.code, f.target) for f in facts if f.type == "kerberos_error"}
    assert (MACHINE, "KDC_ERR_S_PRINCIPAL_UNKNOWN", "SMTPSVC/ex02.corp.example.com") in errors
    assert {f.host for f in facts if f.type == "event"} == {MACHINE}
    assert {f.server for f in facts if f.type == "queue"} == {MACHINE}


def test_portqry_results_name_the_dc_of_the_command(tmp_path: Path) -> None:
    _lay_out(tmp_path, portqry=True)
    facts = import_paths([str(tmp_path)]).facts
    ports = {(f.source, f.target.upper(), f.port) for f in facts if f.type == "port_state"}
    # the recorded output names the DC by the FQDN portqry resolved
    assert (MACHINE, "DC01.CORP.EXAMPLE.COM", 88) in ports
