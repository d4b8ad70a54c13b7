"""The scenario suite of issue 8: organisations written from field knowledge, each with the
verdict a senior Exchange and Active Directory engineer would sign.

One scenario is one YAML file in this folder::

    title: "EX02 -> EX01 queue; EX01's clock 7 minutes fast"
    why: "the field reasoning behind the verdict"
    facts: [...]              # a facts/1 list, as in examples/*.yaml
    build: {...}              # instead of (or besides) facts: a generated organisation, see below
    expect:
      symptom: true           # optional: whether exchange_auth_454 must be recognised
      top: time_sync          # first of report.diagnoses; null = nothing diagnosed; a list = any of
      causes:                 # every cause, with the accepted status(es) and optionally the scope
        time_sync: {status: diagnosed, scope: failing_path}
        spn_missing: {status: [no_evidence, not_assessed]}
      findings: [external_time_drift]   # optional: finding ids the report must contain
      remediation:            # optional: words the fix of a cause must (not) contain
        time_sync: {mentions: [DC-WAW01], excludes: ["&&"]}
    known_gap: "why the current engine gets this wrong"   # optional; the test is a strict xfail

The category of a scenario is the first word of its file name (single, pair, latent, lookalike,
partial, contradictory, issue8, large, healthy). This module is shared by
tests/scenarios/test_scenarios.py and bench/scenarios.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import FACT_FILE_ADAPTER, FACT_TYPES, Fact
from kbdoctor.engine.yamlio import load_yaml_data

SCENARIO_DIR = Path(__file__).resolve().parent
CAUSES = (
    "time_sync",
    "ad_replication",
    "spn_missing",
    "spn_duplicate",
    "kerberos_ports_blocked",
    "connector_auth",
)
SYMPTOM = "exchange_auth_454"
STATUSES = frozenset({"diagnosed", "possible", "ruled_out", "no_evidence", "not_assessed"})
SCOPES = frozenset({"failing_path", "latent", "unknown"})
# Fields issue 8 adds to facts/1. While the engine's model does not have one yet, a scenario's value
# for it is dropped (the scenario then depends on the engine gaining it, and says so).
ADDITIVE_FIELDS = {"exchange_server": frozenset({"ip_addresses"})}
TOP_KEYS = frozenset({"title", "why", "facts", "build", "expect", "known_gap"})


class ScenarioError(ValueError):
    """A scenario file that does not follow the format above."""


@dataclass(frozen=True)
class CauseExpectation:
    statuses: frozenset[str]
    scope: str | None = None


@dataclass(frozen=True)
class RemediationExpectation:
    mentions: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    name: str
    category: str
    title: str
    why: str
    facts: tuple[Fact, ...]
    top: frozenset[str | None]
    causes: dict[str, CauseExpectation]
    remediation: dict[str, RemediationExpectation] = field(default_factory=dict)
    known_gap: str | None = None
    symptom: bool | None = None
    findings: tuple[str, ...] = ()
    dropped_fields: tuple[str, ...] = ()


@dataclass
class Outcome:
    """How a report compares with a scenario's expectation."""

    top: str | None
    statuses: dict[str, str]
    scopes: dict[str, str | None]
    confidences: dict[str, float]
    problems: list[str]
    wrongly_diagnosed: list[str]
    wrongly_ruled_out: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems

    def top_right(self, scenario: Scenario) -> bool:
        return self.top in scenario.top


# --- loading --------------------------------------------------------------------------------------


def scenario_files() -> list[Path]:
    return sorted(SCENARIO_DIR.glob("*.yaml"))


@cache
def load_all() -> tuple[Scenario, ...]:
    return tuple(load_scenario(path) for path in scenario_files())


def load_scenario(path: Path) -> Scenario:
    name = path.stem
    try:
        data = load_yaml_data(path.read_text(encoding="utf-8"))
    except Exception as exc:  # ruamel's errors have no common base beyond Exception
        raise ScenarioError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ScenarioError(f"{name}: not a mapping")
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise ScenarioError(f"{name}: unknown keys {sorted(unknown)}")
    for key in ("title", "why", "expect"):
        if key not in data:
            raise ScenarioError(f"{name}: '{key}' is missing")
    raw_facts = list(data.get("facts") or [])
    if "build" in data:
        raw_facts = build_organisation(data["build"]) + raw_facts
    if not raw_facts:
        raise ScenarioError(f"{name}: no facts")
    facts, dropped = validate_facts(raw_facts, name)
    expect = data["expect"]
    causes = {cause: _cause_expectation(name, cause, expect) for cause in CAUSES}
    extra = set(expect.get("causes", {})) - set(CAUSES)
    if extra:
        raise ScenarioError(f"{name}: unknown causes {sorted(extra)}")
    if "top" not in expect:
        raise ScenarioError(f"{name}: expect.top is missing (null when nothing is diagnosed)")
    top = expect["top"]
    tops = frozenset(top if isinstance(top, list) else [top])
    for item in tops:
        if item is not None and item not in CAUSES:
            raise ScenarioError(f"{name}: top {item!r} is not a cause")
        if item is not None and "diagnosed" not in causes[item].statuses:
            raise ScenarioError(f"{name}: top {item!r} must accept the status diagnosed")
    remediation = {
        cause: RemediationExpectation(
            tuple(spec.get("mentions", ())), tuple(spec.get("excludes", ()))
        )
        for cause, spec in (expect.get("remediation") or {}).items()
    }
    return Scenario(
        name=name,
        category=name.split("-", 1)[0],
        title=str(data["title"]),
        why=str(data["why"]),
        facts=tuple(facts),
        top=tops,
        causes=causes,
        remediation=remediation,
        known_gap=data.get("known_gap"),
        symptom=expect.get("symptom"),
        findings=tuple(expect.get("findings") or ()),
        dropped_fields=tuple(dropped),
    )


def _cause_expectation(name: str, cause: str, expect: dict[str, Any]) -> CauseExpectation:
    spec = (expect.get("causes") or {}).get(cause)
    if spec is None:
        raise ScenarioError(f"{name}: expect.causes.{cause} is missing (every cause is stated)")
    status = spec.get("status")
    statuses = frozenset(status if isinstance(status, list) else [status])
    if not statuses or not statuses <= STATUSES:
        raise ScenarioError(f"{name}: {cause}: bad status {status!r}")
    scope = spec.get("scope")
    if scope is not None and scope not in SCOPES:
        raise ScenarioError(f"{name}: {cause}: bad scope {scope!r}")
    return CauseExpectation(statuses, scope)


def validate_facts(raw: list[Any], name: str) -> tuple[list[Fact], list[str]]:
    """The facts validated by the engine's own model; fields of ADDITIVE_FIELDS that the model
    does not know yet are dropped and named."""
    dropped: set[str] = set()
    cleaned = []
    for item in raw:
        fact_type = item.get("type") if isinstance(item, dict) else None
        if isinstance(item, dict) and isinstance(fact_type, str) and fact_type in FACT_TYPES:
            known = FACT_TYPES[fact_type].model_fields
            pending = ADDITIVE_FIELDS.get(fact_type, frozenset())
            missing = {f for f in pending if f in item and f not in known}
            if missing:
                dropped |= {f"{fact_type}.{f}" for f in missing}
                item = {k: v for k, v in item.items() if k not in missing}
        cleaned.append(item)
    try:
        fact_file = FACT_FILE_ADAPTER.validate_python({"kbdoctor": "facts/1", "facts": cleaned})
    except ValueError as exc:
        raise ScenarioError(f"{name}: invalid facts: {exc}") from exc
    return list(fact_file.facts), sorted(dropped)


# --- evaluation and judgement ---------------------------------------------------------------------


def evaluate(scenario: Scenario, evaluator: Evaluator) -> dict[str, Any]:
    """The report as JSON data (read from the JSON dump, so that fields the engine does not have
    yet are simply absent)."""
    report = evaluator.evaluate(scenario.facts)
    data: dict[str, Any] = json.loads(report.to_json())
    return data


def judge(scenario: Scenario, report: dict[str, Any]) -> Outcome:
    causes = {c["cause"]: c for c in report.get("causes", [])}
    diagnoses = report.get("diagnoses", [])
    top = diagnoses[0]["cause"] if diagnoses else None
    outcome = Outcome(
        top=top,
        statuses={c: causes.get(c, {}).get("status", "<absent>") for c in CAUSES},
        scopes={c: causes.get(c, {}).get("scope") for c in CAUSES},
        confidences={c: float(causes.get(c, {}).get("confidence", 0.0)) for c in CAUSES},
        problems=[],
        wrongly_diagnosed=[],
        wrongly_ruled_out=[],
    )
    recognised = SYMPTOM in {s.get("id") for s in report.get("symptoms", [])}
    if scenario.symptom is not None and recognised != scenario.symptom:
        outcome.problems.append(
            f"symptom {SYMPTOM}: expected {scenario.symptom}, recognised {recognised}"
        )
    found = {f.get("id") for f in report.get("findings", [])}
    for finding in scenario.findings:
        if finding not in found:
            outcome.problems.append(
                f"finding {finding}: expected, not in {sorted(map(str, found))}"
            )
    if top not in scenario.top:
        outcome.problems.append(f"top: expected {_accepted(scenario.top)}, got {top}")
    for cause, expected in scenario.causes.items():
        status = outcome.statuses[cause]
        if status not in expected.statuses:
            outcome.problems.append(
                f"{cause}: expected status {_accepted(expected.statuses)}, got {status}"
            )
            if status == "diagnosed":
                outcome.wrongly_diagnosed.append(cause)
            if status == "ruled_out":
                outcome.wrongly_ruled_out.append(cause)
        if expected.scope is not None and outcome.scopes[cause] != expected.scope:
            outcome.problems.append(
                f"{cause}: expected scope {expected.scope}, got {outcome.scopes[cause]}"
            )
    for cause, wanted in scenario.remediation.items():
        steps = causes.get(cause, {}).get("remediation", [])
        words = "\n".join(f"{s.get('text', '')}\n{s.get('command') or ''}" for s in steps)
        for word in wanted.mentions:
            if word.lower() not in words.lower():
                outcome.problems.append(f"{cause}: the fix does not mention {word!r}")
        for word in wanted.excludes:
            if word in words:
                outcome.problems.append(f"{cause}: the fix contains {word!r}")
    return outcome


def _accepted(values: Iterable[str | None]) -> str:
    return " | ".join(sorted(str(v) for v in values))


def describe(scenario: Scenario, report: dict[str, Any], outcome: Outcome) -> str:
    """Expected against actual for every cause, then the evidence of the report, for a failure
    message: enough to see why without running anything else."""
    lines = [f"scenario {scenario.name}: {scenario.title}", f"  why: {scenario.why}"]
    if scenario.dropped_fields:
        lines.append(f"  fields the engine does not know yet, dropped: {scenario.dropped_fields}")
    symptoms = sorted(str(s.get("id")) for s in report.get("symptoms", []))
    lines.append(f"  symptoms recognised: {symptoms}; expected symptom: {scenario.symptom}")
    lines.append(f"  top: expected {_accepted(scenario.top)}, actual {outcome.top}")
    lines.append(
        f"  {'cause':<24}{'expected':<34}{'actual':<14}{'conf':>8}  {'scope exp':<14}scope actual"
    )
    for cause in CAUSES:
        expected = scenario.causes[cause]
        mark = "  " if outcome.statuses[cause] in expected.statuses else "! "
        lines.append(
            f"{mark}{cause:<24}{_accepted(expected.statuses):<34}{outcome.statuses[cause]:<14}"
            f"{outcome.confidences[cause]:>8.3f}  {expected.scope or '-':<14}"
            f"{outcome.scopes[cause] or '-'}"
        )
    lines.append("  problems:")
    lines.extend(f"    - {p}" for p in outcome.problems)
    lines.append("  evidence (rule, subject, contribution):")
    for section in ("symptoms", "causes", "findings"):
        for item in report.get(section, []):
            label = item.get("cause") or item.get("id")
            for firing in item.get("evidence", []):
                lines.append(
                    f"    {section[:-1]} {label}: {firing.get('rule')}  "
                    f"[{firing.get('subject')}]  {firing.get('contribution', 0):+.3f}  "
                    f"{firing.get('text', '')}"
                )
    return "\n".join(lines)


# --- a generated organisation (the 500-server scenario) -------------------------------------------

Q454 = (
    "[{{LRT=11/30/2026 8:14:09 AM}};{{LED=451 4.4.0 Primary target IP address responded with: "
    '"454 4.7.0 Temporary authentication failure." Attempted failover to alternate host, but that '
    "did not succeed. Either there are no alternate hosts, or delivery failed to all alternate "
    "hosts.}};{{FQDN={fqdn}}};{{IP={ip}}}]"
)
E1035 = (
    "Inbound authentication failed with error IllegalMessage for Receive connector Default {name}. "
    "The authentication mechanism is ExchangeAuth. The source IP address of the client who tried "
    "to authenticate to Microsoft Exchange is [{ip}]."
)
FAULTS = frozenset({"spn_missing"})


def build_organisation(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """A healthy organisation of ``servers`` Exchange servers spread over ``sites`` AD sites with
    ``dcs_per_site`` DCs each, every check collected and clean, and one failing path
    ``bad_path: {sender: 123, receiver: 377, fault: spn_missing}`` (server numbers, 1-based)."""
    servers = int(spec["servers"])
    sites = int(spec.get("sites", 10))
    per_site = int(spec.get("dcs_per_site", 2))
    domain = str(spec.get("domain", "corp.example.com"))
    bad = spec["bad_path"]
    fault = str(bad["fault"])
    if fault not in FAULTS:
        raise ScenarioError(f"build: unknown fault {fault!r} (known: {sorted(FAULTS)})")
    manual = {"collector": "manual", "reader": "scenario-builder"}
    facts: list[dict[str, Any]] = []

    def add(fact_type: str, provenance: str = "source", **fields: Any) -> None:
        facts.append({"type": fact_type, **fields, provenance: manual})

    def dc_name(site: int, index: int) -> str:
        return f"DC-S{site:02d}-{index}"

    pdc = dc_name(1, 1)
    naming_context = "DC=" + domain.replace(".", ",DC=")
    for site in range(1, sites + 1):
        for index in range(1, per_site + 1):
            name = dc_name(site, index)
            fqdn = f"{name.lower()}.{domain}"
            add("domain_controller", name=name, fqdn=fqdn, site=f"Site{site:02d}", pdc=name == pdc)
            for partner in sorted({dc_name(site, index % per_site + 1), pdc} - {name}):
                add(
                    "replication_link",
                    "origin",
                    source=partner,
                    destination=name,
                    naming_context=naming_context,
                    last_result=0,
                    consecutive_failures=0,
                )
            if name != pdc:
                drift = round(((site * 7 + index) % 9 - 4) * 0.11, 3)
                add("clock_offset", host=name, reference=pdc, offset_s=drift)
    names = {}
    all_auth = ["Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer"]
    groups = ["ExchangeUsers", "ExchangeServers", "ExchangeLegacyServers"]
    for number in range(1, servers + 1):
        site = (number - 1) % sites + 1
        name = f"EX{number:03d}"
        fqdn = f"{name.lower()}.{domain}"
        ip = f"10.{site}.{number // 250}.{number % 250 + 1}"
        names[number] = (name, fqdn, ip)
        add(
            "exchange_server",
            name=name,
            fqdn=fqdn,
            site=f"Site{site:02d}",
            ip_addresses=[ip],
            version="Version 15.2 (Build 1544.4)",
        )
        spns = [f"{cls}/{host}" for cls in ("SMTPSVC", "SMTP", "HOST") for host in (name, fqdn)]
        if fault == "spn_missing" and number == int(bad["receiver"]):
            spns = [s for s in spns if s.startswith("HOST/")]
        add("spn_listing", account=f"{name}$", spns=spns)
        dc = dc_name(site, number % per_site + 1)
        add("clock_offset", host=name, reference=dc, offset_s=round((number % 13 - 6) * 0.07, 3))
        for protocol in ("tcp", "udp"):
            add(
                "port_state",
                "origin",
                source=name,
                target=dc,
                port=88,
                protocol=protocol,
                state="open",
            )
        add(
            "receive_connector",
            server=name,
            name=f"Default {name}",
            auth_mechanisms=all_auth,
            permission_groups=groups,
        )
    add("check_run", check="spn_duplicates", scope=domain, found=0)
    sender, _, sender_ip = names[int(bad["sender"])]
    receiver, receiver_fqdn, receiver_ip = names[int(bad["receiver"])]
    add(
        "queue",
        server=sender,
        identity=f"{sender}\\41",
        next_hop=receiver_fqdn,
        status="Retry",
        message_count=212,
        last_error=Q454.format(fqdn=receiver_fqdn, ip=receiver_ip),
    )
    add(
        "event",
        "origin",
        host=receiver,
        source="MSExchangeTransport",
        event_id=1035,
        log="Application",
        level="Warning",
        message=E1035.format(name=receiver, ip=sender_ip),
    )
    return facts
