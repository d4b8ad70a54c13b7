"""The shipped examples (package data ``kbdoctor.examples``) say what their names say.

Each example is evaluated the way a user runs it, ``python -m kbdoctor evaluate FILE --format
json``, so the tests cover loading, the rules, the report and the exit status together; the examples
are found through importlib.resources, which also proves they are installed as package data.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import pytest

EXIT_OK, EXIT_DIAGNOSED = 0, 1
SYMPTOM = "exchange_auth_454"
ALL_CAUSES = frozenset(
    {"time_sync", "ad_replication", "spn_missing", "spn_duplicate", "kerberos_ports_blocked",
     "connector_auth"}
)

# Report fields that hold text for people; everything else must not depend on the language.
TEXT_FIELDS = frozenset(
    {"lang", "title", "description", "text", "rule_title", "summary", "kb", "reason", "note"}
)


@dataclass(frozen=True)
class Expected:
    diagnosed: frozenset[str]
    symptom: bool
    recommendations: frozenset[str] = frozenset()
    ruled_out: frozenset[str] = field(default_factory=frozenset)

    @property
    def exit_code(self) -> int:
        return EXIT_DIAGNOSED if self.diagnosed else EXIT_OK


def _one(cause: str) -> Expected:
    return Expected(frozenset({cause}), symptom=True)


EXPECTED: dict[str, Expected] = {
    "cause-time-sync.yaml": _one("time_sync"),
    "cause-ad-replication.yaml": _one("ad_replication"),
    "cause-spn-missing.yaml": _one("spn_missing"),
    "cause-spn-duplicate.yaml": _one("spn_duplicate"),
    "cause-kerberos-ports.yaml": _one("kerberos_ports_blocked"),
    "cause-connector-auth.yaml": _one("connector_auth"),
    "healthy.yaml": Expected(frozenset(), symptom=False, ruled_out=ALL_CAUSES),
    "lookalike-frontend-logondenied.yaml": Expected(frozenset(), symptom=False),
    "symptom-only.yaml": Expected(
        frozenset(), symptom=True, recommendations=frozenset({"enable_kerberos_logging"})
    ),
    "several-causes.yaml": Expected(
        frozenset({"time_sync", "spn_duplicate", "kerberos_ports_blocked"}), symptom=True
    ),
    "demo-incident.yaml": Expected(
        frozenset({"time_sync", "spn_missing"}),
        symptom=True,
        ruled_out=frozenset({"ad_replication", "spn_duplicate", "kerberos_ports_blocked",
                             "connector_auth"}),
    ),
}


@dataclass(frozen=True)
class Evaluation:
    exit_code: int
    report: dict[str, Any]
    raw: str


def _example_names() -> list[str]:
    return sorted(
        entry.name for entry in files("kbdoctor.examples").iterdir()
        if entry.name.endswith((".yaml", ".json"))
    )


@cache
def evaluate(name: str, lang: str = "en", explain: bool = False) -> Evaluation:
    with as_file(files("kbdoctor.examples").joinpath(name)) as path:
        command = [sys.executable, "-m", "kbdoctor", "evaluate", str(Path(path)),
                   "--format", "json", "--lang", lang]
        if explain:
            command.append("--explain")
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8",
                              timeout=120, check=False)
    assert done.returncode in (EXIT_OK, EXIT_DIAGNOSED), (
        f"{name}: exit {done.returncode}\n{done.stderr}"
    )
    return Evaluation(done.returncode, json.loads(done.stdout), done.stdout)


def test_every_example_has_an_expectation() -> None:
    assert _example_names() == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_diagnoses_what_its_name_says_with_the_matching_exit_code(name: str) -> None:
    expected = EXPECTED[name]
    result = evaluate(name)
    diagnosed = {d["cause"] for d in result.report["diagnoses"]}
    assert diagnosed == expected.diagnosed
    assert result.exit_code == expected.exit_code


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_shows_the_symptom_only_when_it_is_there(name: str) -> None:
    symptoms = {s["id"] for s in evaluate(name).report["symptoms"]}
    assert symptoms == ({SYMPTOM} if EXPECTED[name].symptom else set())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_recommends_kerberos_logging_only_when_no_cause_is_found(name: str) -> None:
    recommended = {r["id"] for r in evaluate(name).report["recommendations"]}
    assert recommended == EXPECTED[name].recommendations


@pytest.mark.parametrize(
    "name", sorted(n for n, e in EXPECTED.items() if e.ruled_out)
)
def test_healthy_facts_rule_the_other_causes_out(name: str) -> None:
    statuses = {c["cause"]: c["status"] for c in evaluate(name).report["causes"]}
    assert {c for c, s in statuses.items() if s == "ruled_out"} == EXPECTED[name].ruled_out


def test_every_cause_of_the_knowledge_base_has_its_own_example() -> None:
    single = {
        next(iter(e.diagnosed)) for n, e in EXPECTED.items()
        if n.startswith("cause-") and len(e.diagnosed) == 1
    }
    assert single == ALL_CAUSES


def test_demo_incident_names_the_skewed_servers_and_the_server_without_its_spn() -> None:
    report = evaluate("demo-incident.yaml").report
    subjects = {
        d["cause"]: {s["subject"] for s in d["subjects"] if s["confidence"] >= 0.5}
        for d in report["diagnoses"]
    }
    # Kerberos compares pairs of clocks: EX-KRK01 is off from the domain (from DC-KRK01, and its
    # own Event 1035 says so); DC-WAW01 being off from time.windows.com is a separate risk
    assert subjects == {
        "time_sync": {"DC-KRK01 / EX-KRK01", "EX-KRK01 / *"},
        "spn_missing": {"EX-WAW02"},
    }
    assert [(f["id"], f["subject"]) for f in report["findings"]] == [
        ("external_time_drift", "DC-WAW01"),
        ("unreliable_time_source", "DC-WAW01"),
    ]
    time_fix = next(d for d in report["diagnoses"] if d["cause"] == "time_sync")["remediation"]
    assert time_fix[0]["run_on"] == "dc-waw01.ad.hurtownia-kowalski.pl"  # the PDC emulator
    assert "/syncfromflags:manual" in time_fix[0]["command"]
    assert not any(
        "domhier" in (step["command"] or "") and step["run_on"].lower().startswith("dc-waw01")
        for step in time_fix
    )
    assert report["inputs"]["environment"]["organizacja"] == "Hurtownia Kowalski sp. z o.o."


def test_demo_incident_traces_every_fact_to_a_file_line_and_reader() -> None:
    report = evaluate("demo-incident.yaml").report
    facts = [
        fact
        for section in ("symptoms", "causes", "findings")
        for item in report[section]
        for firing in item["evidence"]
        for fact in firing["facts"]
    ]
    assert facts
    for fact in facts:
        source = fact["source"]
        assert source is not None, fact["id"]
        assert source["file"].startswith("INC-2026-1128/")
        assert source["line"] >= 1
        assert source["reader"]


def _without_texts(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_texts(v) for k, v in value.items() if k not in TEXT_FIELDS}
    if isinstance(value, list):
        return [_without_texts(v) for v in value]
    return value


def test_demo_incident_gives_the_same_report_in_english_and_polish_apart_from_texts() -> None:
    english = evaluate("demo-incident.yaml", "en", explain=True)
    polish = evaluate("demo-incident.yaml", "pl", explain=True)
    assert (english.report["lang"], polish.report["lang"]) == ("en", "pl")
    assert english.exit_code == polish.exit_code == EXIT_DIAGNOSED
    assert _without_texts(polish.report) == _without_texts(english.report)
    assert [(d["cause"], d["confidence"]) for d in polish.report["diagnoses"]] == [
        (d["cause"], d["confidence"]) for d in english.report["diagnoses"]
    ]
    assert english.raw != polish.raw  # the texts really were translated


def test_demo_incident_report_is_byte_identical_from_run_to_run() -> None:
    first = evaluate("demo-incident.yaml", "pl", explain=True).raw
    evaluate.cache_clear()
    assert evaluate("demo-incident.yaml", "pl", explain=True).raw == first
