"""repadmin and Exchange fixtures through ``import_paths``, as ``kbdoctor collect`` reads them."""

from __future__ import annotations

import shutil
from pathlib import Path

from kbdoctor.collectors.importing import import_paths
from kbdoctor.engine.facts import CheckRun, ExchangeServer, Queue, ReceiveConnector, ReplicationLink

from tests.collectors.importers.fixtures import fixture_path


def _copy(tmp_path: Path, family: str, name: str, folder: str) -> Path:
    target = tmp_path / folder
    target.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(fixture_path(family, name), target / name))


def _reader(fact: object) -> str | None:
    provenance = getattr(fact, "provenance", None)
    return provenance.reader if provenance is not None else None


def test_cmd_session_names_the_dc_on_the_typed_command_line(tmp_path: Path) -> None:
    _copy(tmp_path, "repadmin", "cmd_session_showrepl_replsummary_en.txt", "collected")
    result = import_paths([str(tmp_path)])
    assert result.unrecognised == []
    links = [f for f in result.facts if isinstance(f, ReplicationLink)]
    assert [(f.source, f.destination, f.last_result, _reader(f)) for f in links] == [
        ("DC2", "DC7", 1722, "repadmin-showrepl"),
        ("DC2", "DC7", 1722, "repadmin-replsummary"),
    ]
    assert links[0].provenance is not None
    assert links[0].provenance.line == 3
    assert links[1].provenance is not None
    assert links[1].provenance.line == 18
    assert [c.found for c in result.facts if isinstance(c, CheckRun)] == [1]
    # the DCs named by the links are inferred centrally
    inferred = {getattr(f, "name", None) for f in result.facts if f.type == "domain_controller"}
    assert {"DC2", "DC7"} <= inferred


def test_ems_session_reads_queue_connectors_and_server(tmp_path: Path) -> None:
    _copy(tmp_path, "exchange", "ems_session_queue_connector_server_en.utf16.txt", "EX05")
    result = import_paths([str(tmp_path)])
    assert result.unrecognised == []
    (queue,) = [f for f in result.facts if isinstance(f, Queue)]
    assert (queue.server, queue.identity, queue.message_count) == ("EX05", "EX05\\12", 4)
    assert '"454 4.7.0 Temporary authentication failure."' in queue.last_error
    assert queue.provenance is not None
    assert queue.provenance.line == 3
    connectors = [f for f in result.facts if isinstance(f, ReceiveConnector)]
    assert [(c.server, c.name) for c in connectors] == [
        ("EX06", "Default EX06"),
        ("EX06", "Client Frontend EX06"),
    ]
    assert all("ExchangeServer" not in c.auth_mechanisms for c in connectors)
    servers = [f for f in result.facts if isinstance(f, ExchangeServer) and _reader(f)]
    assert next((s.name, s.site, _reader(s)) for s in servers) == (
        "EX05",
        "Warszawa",
        "exchange-server",
    )


def test_every_repadmin_and_exchange_fixture_is_recognised(tmp_path: Path) -> None:
    for family in ("repadmin", "exchange"):
        for path in sorted(fixture_path(family, "").iterdir()):
            _copy(tmp_path, family, path.name, "DC1" if family == "repadmin" else "EX01")
    result = import_paths([str(tmp_path)])
    assert result.unrecognised == []
    readers = {_reader(f) for f in result.facts}
    assert {
        "repadmin-showrepl",
        "repadmin-showrepl-csv",
        "repadmin-replsummary",
        "exchange-queue",
        "exchange-receive-connector",
        "exchange-receive-connector-clixml",
        "exchange-receive-connector-json",
        "exchange-server",
    } <= readers
    assert all(w.line is None or w.line >= 1 for w in result.warnings)
