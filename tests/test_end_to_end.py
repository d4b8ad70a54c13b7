"""End to end, one case per cause of KB 979174: a folder of command outputs as an administrator
saves them on Windows -> ``kbdoctor collect --import`` -> ``kbdoctor evaluate`` -> the expected
cause.

Each case is a folder ``tests/data/e2e/<case>/<HOST>/<file>`` of real-format outputs in the bytes
Windows writes: ``cmd`` redirection in the OEM code page (CP852 on Polish Windows), Windows
PowerShell 5.1 ``>`` in UTF-16 LE with a BOM and wrapped at the console width (word wrap in English,
hard cut in Polish, as PowerShell does for cultures it has no word-wrap rules for), PowerShell 7 in
UTF-8 without wrapping, and console sessions pasted into one file with their prompts. The host an
output ran on comes from the folder's name unless ``--host`` is given.

The commands run as a user runs them, in subprocesses, so the tests cover the readers, the fact
file, the rules, the report and the exit status together.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from kbdoctor.collectors.decoding import decode_bytes

E2E = Path(__file__).parent / "data" / "e2e"
EXIT_OK, EXIT_DIAGNOSED = 0, 1
SYMPTOM = "exchange_auth_454"
ALL_CAUSES = frozenset(
    {"time_sync", "ad_replication", "spn_missing", "spn_duplicate", "kerberos_ports_blocked",
     "connector_auth"}
)


@dataclass(frozen=True)
class Case:
    """What an administrator expects kbdoctor to say about one folder of material."""

    diagnosed: frozenset[str]
    symptom: bool
    # cause -> (file relative to the case folder, first line of a cited fact's output)
    cited: dict[str, tuple[str, int]] = field(default_factory=dict)
    recommendations: frozenset[str] = frozenset()
    ruled_out: frozenset[str] = frozenset()
    host: str | None = None

    @property
    def exit_code(self) -> int:
        return EXIT_DIAGNOSED if self.diagnosed else EXIT_OK


CASES: dict[str, Case] = {
    # EX02's clock is 412 s fast: w32tm /stripchart run on EX02 against DC01 (cmd, ASCII); the
    # queue (UTF-16, wrapped LastError) and Event 1035 show the symptom.
    "time_sync": Case(
        frozenset({"time_sync"}), symptom=True,
        cited={"time_sync": ("EX02/w32tm-stripchart-DC01.txt", 4)},
    ),
    # Polish forest: repadmin /showrepl and /replsummary in CP852, DC02 -> DC01 fails with 1722;
    # Polish Get-Queue in UTF-16, hard-wrapped.
    "ad_replication_pl": Case(
        frozenset({"ad_replication"}), symptom=True,
        cited={"ad_replication": ("DC01/showrepl.txt", 11)},
    ),
    # Polish: setspn -L EX02 (CP852) without SMTPSVC/ex02.firma.pl; Get-ExchangeServer gives the
    # FQDN; klist get pasted from the console fails with 0xc000018b.
    "spn_missing_pl": Case(
        frozenset({"spn_missing"}), symptom=True,
        cited={"spn_missing": ("EX02/setspn-L-EX02.txt", 1)},
    ),
    # setspn -X -F (UTF-16) finds SMTPSVC/ex02 on EX02 and on a service account; Kerberos Event 4
    # (PowerShell 7, UTF-8, unwrapped) on the sender; Event 1035 (UTF-8 with BOM) on EX02.
    "spn_duplicate": Case(
        frozenset({"spn_duplicate"}), symptom=True,
        cited={"spn_duplicate": ("DC01/setspn-X-F.txt", 4)},
    ),
    # Test-NetConnection from EX02 to DC01 on 88 and 464 fails (389 works); the outputs do not
    # name the machine they ran on, --host does.
    "kerberos_ports_blocked": Case(
        frozenset({"kerberos_ports_blocked"}), symptom=True,
        cited={"kerberos_ports_blocked": ("EX02/tnc-DC01-88.txt", 2)},
        host="ex02.corp.example.com",
    ),
    # One Exchange Management Shell session pasted into one file: Get-ExchangeServer, Get-Queue,
    # Get-ReceiveConnector with "Default EX02" lacking ExchangeServer.
    "connector_auth": Case(
        frozenset({"connector_auth"}), symptom=True,
        cited={"connector_auth": ("EX01/ems-session.txt", 40)},
    ),
    # Every check of the KB run and clean; receive connectors as Export-Clixml.
    "healthy": Case(
        frozenset(), symptom=False,
        ruled_out=frozenset({"ad_replication", "spn_missing", "spn_duplicate",
                             "kerberos_ports_blocked", "connector_auth"}),
    ),
    # Only the symptom: queue 454 on EX01, Event 1035 (Format-List *) on EX02.
    "symptom_only": Case(
        frozenset(), symptom=True, recommendations=frozenset({"enable_kerberos_logging"})
    ),
    # Password guessing on Client Frontend (MSExchangeFrontEndTransport 1035 LogonDenied, Login)
    # and a 451 5.7.3 queue: the same words, not this problem.
    "lookalike_frontend": Case(frozenset(), symptom=False),
}

# Where kbdoctor does not (yet) do what an administrator expects: (test, case) -> reason.
KNOWN_PROBLEMS: dict[tuple[str, str], str] = {}


def params(test: str, names: Iterator[str] | None = None) -> list[Any]:
    """The cases as pytest params, with the known problems of ``test`` marked strict xfail."""
    chosen = list(names) if names is not None else list(CASES)
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason))
        if (reason := KNOWN_PROBLEMS.get((test, name)))
        else name
        for name in chosen
    ]


@dataclass(frozen=True)
class Run:
    collect: subprocess.CompletedProcess[str]
    evaluate: subprocess.CompletedProcess[str]

    @property
    def report(self) -> dict[str, Any]:
        assert self.evaluate.returncode in (EXIT_OK, EXIT_DIAGNOSED), (
            f"evaluate exited {self.evaluate.returncode}:\n{self.evaluate.stderr}"
        )
        report: dict[str, Any] = json.loads(self.evaluate.stdout)
        return report


def kbdoctor(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kbdoctor", *args],
        input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=300, check=False,
        env=_english_env(),
    )


def _english_env() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env["LANG"] = "C.UTF-8"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def collect_args(name: str) -> list[str]:
    case = CASES[name]
    args = ["collect", "--import", str(E2E / name)]
    if case.host:
        args += ["--host", case.host]
    return args


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Run]:
    """Collect and evaluate each case once per module, the way a user runs the commands."""
    done: dict[str, Run] = {}

    def run_case(name: str) -> Run:
        if name not in done:
            facts = tmp_path_factory.mktemp(name) / "facts.yaml"
            collected = kbdoctor(*collect_args(name), "-o", str(facts))
            assert collected.returncode == EXIT_OK, collected.stderr
            evaluated = kbdoctor("evaluate", str(facts), "--format", "json")
            done[name] = Run(collected, evaluated)
        return done[name]

    return run_case


def diagnosed(report: dict[str, Any]) -> set[str]:
    return {d["cause"] for d in report["diagnoses"]}


def cited_facts(report: dict[str, Any], cause: str) -> list[dict[str, Any]]:
    return [
        fact
        for diagnosis in report["diagnoses"] if diagnosis["cause"] == cause
        for firing in diagnosis["evidence"]
        for fact in firing["facts"]
    ]


def material_lines(path: Path) -> list[str]:
    text: str | None = decode_bytes(path.read_bytes()).text
    assert text is not None, f"{path} is not text"
    return text.split("\n")


# --- the tests ------------------------------------------------------------------------------------


def test_every_case_folder_is_a_case_and_every_case_has_a_folder() -> None:
    folders = {p.name for p in E2E.iterdir() if p.is_dir()}
    assert folders == set(CASES)
    covered = set().union(*(case.diagnosed for case in CASES.values()))
    assert covered == ALL_CAUSES


@pytest.mark.parametrize("name", params("diagnoses"))
def test_case_diagnoses_exactly_its_causes_with_the_matching_exit_code(
    name: str, run: Callable[[str], Run]
) -> None:
    result = run(name)
    assert diagnosed(result.report) == set(CASES[name].diagnosed)
    assert result.evaluate.returncode == CASES[name].exit_code


@pytest.mark.parametrize("name", params("symptom"))
def test_case_shows_the_symptom_only_when_the_material_has_it(
    name: str, run: Callable[[str], Run]
) -> None:
    symptoms = {s["id"] for s in run(name).report["symptoms"]}
    assert (SYMPTOM in symptoms) is CASES[name].symptom


@pytest.mark.parametrize("name", params("recommendations"))
def test_case_recommends_kerberos_logging_only_when_the_symptom_has_no_cause(
    name: str, run: Callable[[str], Run]
) -> None:
    recommended = {r["id"] for r in run(name).report["recommendations"]}
    assert recommended == set(CASES[name].recommendations)


@pytest.mark.parametrize("name", params("files", iter(n for n, c in CASES.items() if c.diagnosed)))
def test_diagnosis_evidence_cites_files_and_lines_of_the_case_folder(
    name: str, run: Callable[[str], Run]
) -> None:
    folder = (E2E / name).resolve()
    report = run(name).report
    for cause in CASES[name].diagnosed:
        facts = cited_facts(report, cause)
        assert facts, f"{cause} was diagnosed without evidence facts"
        for fact in facts:
            source = fact["source"] or {}
            path = Path(source.get("file") or "").resolve()
            assert path.is_relative_to(folder), f"{fact['summary']}: {source}"
            lines = material_lines(path)
            first, last = source.get("line"), source.get("line_end") or source.get("line")
            assert isinstance(first, int), f"{fact['summary']}: {source}"
            assert isinstance(last, int), f"{fact['summary']}: {source}"
            assert 1 <= first <= last <= len(lines), f"{fact['summary']}: {source}"
            assert any(line.strip() for line in lines[first - 1:last]), f"blank lines: {source}"


@pytest.mark.parametrize("name", params("cites", iter(n for n, c in CASES.items() if c.cited)))
def test_diagnosis_cites_the_output_that_shows_the_cause(
    name: str, run: Callable[[str], Run]
) -> None:
    folder = (E2E / name).resolve()
    report = run(name).report
    for cause, (relative, line) in CASES[name].cited.items():
        sources = [f["source"] for f in cited_facts(report, cause) if f["source"]]
        cited = {
            (Path(s["file"]).resolve().relative_to(folder).as_posix(), s["line"])
            for s in sources
            if s.get("file")
        }
        assert (relative, line) in cited, f"{cause}: cited {sorted(cited)}"


def test_healthy_organisation_rules_out_every_cause_it_checked(run: Callable[[str], Run]) -> None:
    status = {c["cause"]: c["status"] for c in run("healthy").report["causes"]}
    assert {c for c, s in status.items() if s == "ruled_out"} >= CASES["healthy"].ruled_out
    assert "diagnosed" not in status.values()
    assert "possible" not in status.values()


def test_healthy_clocks_measured_from_the_exchange_servers_rule_out_time_sync(
    run: Callable[[str], Run],
) -> None:
    status = {c["cause"]: c["status"] for c in run("healthy").report["causes"]}
    assert status["time_sync"] == "ruled_out"


def test_host_option_names_the_machine_the_outputs_ran_on(run: Callable[[str], Run]) -> None:
    report = run("kerberos_ports_blocked").report
    ports = [f for f in cited_facts(report, "kerberos_ports_blocked") if f["type"] == "port_state"]
    assert {(f["fields"]["source"], f["fields"]["port"]) for f in ports} >= {
        ("ex02.corp.example.com", 88)
    }
    assert all(f["source"]["host"] == "ex02.corp.example.com" for f in ports)


def test_host_comes_from_the_folder_name_when_the_output_does_not_name_it(
    run: Callable[[str], Run],
) -> None:
    report = run("time_sync").report
    offsets = [f for f in cited_facts(report, "time_sync") if f["type"] == "clock_offset"]
    assert offsets
    assert all(f["fields"]["reference"] == "EX02" for f in offsets)
    assert all(f["fields"]["host"].lower().startswith("dc01") for f in offsets)
    assert all(f["fields"]["offset_s"] < -300 for f in offsets)


def test_collect_to_standard_output_piped_into_evaluate_gives_the_same_diagnosis(
    run: Callable[[str], Run],
) -> None:
    collect = subprocess.Popen(
        [sys.executable, "-m", "kbdoctor", *collect_args("connector_auth")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_english_env(),
    )
    evaluate = subprocess.run(
        [sys.executable, "-m", "kbdoctor", "evaluate", "-", "--format", "json"],
        stdin=collect.stdout, capture_output=True, timeout=300, check=False, env=_english_env(),
    )
    assert collect.stdout is not None
    collect.stdout.close()
    assert collect.wait(timeout=300) == EXIT_OK
    assert evaluate.returncode == EXIT_DIAGNOSED, evaluate.stderr.decode("utf-8", "replace")
    piped = json.loads(evaluate.stdout.decode("utf-8"))
    from_file = run("connector_auth").report
    assert diagnosed(piped) == diagnosed(from_file) == {"connector_auth"}
    assert [d["confidence"] for d in piped["diagnoses"]] == [
        d["confidence"] for d in from_file["diagnoses"]
    ]
