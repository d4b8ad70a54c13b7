"""Subjects of evidence: a cause declares the parts of what its evidence is about, the loader holds
every rule to them, and certainty combines per subject, never across unrelated observations."""

from __future__ import annotations

from typing import Any

import pytest
from kbdoctor.engine.errors import RuleFileError
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import Fact
from kbdoctor.engine.report import CauseReport, Report
from kbdoctor.engine.rulebase import parse_rule_texts
from pydantic import TypeAdapter

FACTS: TypeAdapter[list[Fact]] = TypeAdapter(list[Fact])

PACK = """kbdoctor: rules/1
pack: test
causes:
  blocked:
    title: {en: B, pl: B}
    description: {en: B, pl: B}
    kb_steps: [4]
    assessed_by: [port_state]
    subject:
      parts: {client: host, dc: host, port: number, protocol: text}
      text: "{client} -> {dc} {port}/{protocol}"
      locate: [client, dc]
    remediation:
      - text: {en: "open {port} from {client} to {dc}", pl: "otwórz {port} z {client} do {dc}"}
rules:
"""

BLOCKED = """  - id: p.blocked
    title: {en: R, pl: R}
    when:
      - {bind: p, fact: port_state, where: {state: filtered}}
    conclude:
      cause: blocked
      cf: 0.85
      subject: %s
    explain: {en: x, pl: x}
"""

OPEN = """  - id: p.open
    title: {en: R, pl: R}
    when:
      - {bind: p, fact: port_state, where: {state: open}}
    conclude:
      cause: blocked
      cf: -0.3
      subject: %s
    explain: {en: x, pl: x}
"""

FULL = '{client: "{p.source}", dc: "{p.target}", port: "{p.port}", protocol: "{p.protocol}"}'


def _problems(rules: str) -> list[str]:
    with pytest.raises(RuleFileError) as caught:
        parse_rule_texts([("t.yaml", PACK + rules)])
    return [p.render("en") for p in caught.value.problems]


def test_a_rule_must_name_every_part_of_its_causes_subject() -> None:
    problems = _problems(BLOCKED % '"{p.source}"')
    assert any("client, dc, port, protocol" in p and "t.yaml:" in p for p in problems)
    problems = _problems(BLOCKED % '{client: "{p.source}", dc: "{p.target}"}')
    assert any("must name each of them" in p for p in problems)


def test_counter_evidence_must_name_what_it_observed() -> None:
    vague = '{client: "{p.source}", dc: "*", port: "88", protocol: "{p.protocol}"}'
    problems = _problems(OPEN % vague)
    assert any("counter-evidence" in p and "dc, port" in p for p in problems)


def test_positive_evidence_may_leave_a_part_unknown() -> None:
    parse_rule_texts([("t.yaml", PACK + BLOCKED % '{client: "{p.source}", dc: "*", port: "88", '
                                                 'protocol: "*"}')])


def test_one_command_per_step() -> None:
    text = PACK.replace('pl: "otwórz {port} z {client} do {dc}"}',
                        'pl: "otwórz {port} z {client} do {dc}"}\n'
                        '        command: "w32tm /config /update && w32tm /resync"')
    with pytest.raises(RuleFileError) as caught:
        parse_rule_texts([("t.yaml", text + BLOCKED % FULL)])
    assert any("PowerShell 5.1" in p.render("en") for p in caught.value.problems)


def _evaluate(facts: list[dict[str, Any]]) -> Report:
    base = parse_rule_texts([("t.yaml", PACK + BLOCKED % FULL + OPEN % FULL)])
    return Evaluator(base).evaluate(FACTS.validate_python(facts))


def _port(source: str, target: str, port: int, protocol: str, state: str) -> dict[str, Any]:
    return {"type": "port_state", "source": source, "target": target, "port": port,
            "protocol": protocol, "state": state}


def _cause(report: Report) -> CauseReport:
    return next(c for c in report.causes if c.cause == "blocked")


def test_healthy_paths_do_not_outweigh_the_one_that_is_blocked() -> None:
    """The MYCIN trap: eleven open ports about other paths once ruled out one filtered port."""
    facts = [_port("EX01", dc, port, protocol, "open")
             for dc in ("DC01", "DC02") for port in (88, 464) for protocol in ("tcp", "udp")
             if (dc, port, protocol) != ("DC01", 88, "udp")]
    facts += [_port("EX01", "DC01", 88, "udp", "filtered")]
    cause = _cause(_evaluate(facts))
    assert cause.status == "diagnosed"
    assert cause.confidence == 0.85
    assert cause.subjects[0].subject == "EX01 -> DC01 88/udp"
    assert [f.rule for f in cause.evidence] == ["p.blocked"]


UDP_DOUBT = """  - id: p.udp-doubt
    title: {en: R, pl: R}
    when:
      - {bind: p, fact: port_state, where: {state: filtered, protocol: udp}}
    conclude:
      cause: blocked
      cf: -0.3
      subject: %s
    explain: {en: x, pl: x}
"""


def test_counter_evidence_lowers_belief_in_its_own_subject_only() -> None:
    """Two rules speak of one path, against each other; a healthy path beside it does not."""
    base = parse_rule_texts([("t.yaml", PACK + BLOCKED % FULL + OPEN % FULL + UDP_DOUBT % FULL)])
    facts = [_port("EX01", "DC01", 88, "udp", "filtered"), _port("ex01", "dc02", 88, "udp", "open")]
    cause = _cause(Evaluator(base).evaluate(FACTS.validate_python(facts)))
    assert [s.subject for s in cause.subjects] == ["EX01 -> DC01 88/udp", "ex01 -> dc02 88/udp"]
    assert cause.confidence == pytest.approx((0.85 - 0.3) / (1 - 0.3), abs=1e-4)
    assert [s.confidence for s in cause.subjects][1] == -0.3


def test_one_path_read_filtered_and_open_at_one_moment_is_one_reading() -> None:
    """Nothing tells which reading is newer, so they are one observation that disagrees: the one
    showing the problem is kept and the other is its history, not counter-evidence."""
    facts = [_port("EX01", "DC01", 88, "udp", "filtered"), _port("ex01", "dc01", 88, "udp", "open")]
    cause = _cause(_evaluate(facts))
    assert [s.subject for s in cause.subjects] == ["EX01 -> DC01 88/udp"]
    assert cause.confidence == 0.85
    [firing] = cause.evidence
    assert [old.fields["state"] for old in firing.facts[0].history] == ["open"]


def test_every_path_observed_healthy_rules_the_cause_out() -> None:
    cause = _cause(_evaluate([_port("EX01", "DC01", 88, "tcp", "open")]))
    assert (cause.status, cause.confidence) == ("ruled_out", -0.3)


def test_a_pair_of_clocks_is_one_subject_whichever_way_it_was_measured() -> None:
    facts = [
        {"type": "exchange_server", "name": "EX01", "fqdn": "ex01.corp.example.com"},
        {"type": "domain_controller", "name": "DC01", "fqdn": "dc01.corp.example.com"},
        {"type": "clock_offset", "host": "EX01", "reference": "DC01", "offset_s": 400.0},
        {"type": "clock_offset", "host": "dc01.corp.example.com", "reference": "ex01",
         "offset_s": -401.0},
    ]
    report = Evaluator().evaluate(FACTS.validate_python(facts))
    time_sync = next(c for c in report.causes if c.cause == "time_sync")
    assert len(time_sync.subjects) == 1
    # one measurement written twice (no time tells them apart) counts once: the larger offset
    # is kept and the other reading is its history
    [firing] = time_sync.evidence
    assert time_sync.confidence == 0.9
    assert [old.fields["offset_s"] for old in firing.facts[0].history] == [400.0]
    assert firing.facts[0].fields["offset_s"] == -401.0


@pytest.mark.parametrize("command", ["portqry -n DC01 -o 88,464", "w32tm /resync; w32tm /query",
                                     "setspn -L EX01 & setspn -L EX02"])
def test_a_cmd_command_must_also_run_in_windows_powershell(command: str) -> None:
    text = PACK.replace('pl: "otwórz {port} z {client} do {dc}"}',
                        'pl: "otwórz {port} z {client} do {dc}"}\n'
                        f"        command: '{command}'\n        shell: cmd")
    with pytest.raises(RuleFileError) as caught:
        parse_rule_texts([("t.yaml", text + BLOCKED % FULL)])
    assert any("PowerShell 5.1" in p.render("en") for p in caught.value.problems)


def test_a_quoted_comma_runs_in_both_shells() -> None:
    text = PACK.replace('pl: "otwórz {port} z {client} do {dc}"}',
                        'pl: "otwórz {port} z {client} do {dc}"}\n'
                        "        command: 'w32tm /config /manualpeerlist:\"a,0x8\" /update'\n"
                        "        shell: cmd")
    parse_rule_texts([("t.yaml", text + BLOCKED % FULL)])
