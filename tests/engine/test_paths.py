"""The failing pair first: the symptom facts say which sender cannot authenticate to which
receiver; causes on that path rank above latent problems elsewhere, which are still reported."""

from __future__ import annotations

from typing import Any

import pytest
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import Fact
from kbdoctor.engine.report import CauseReport, Report
from pydantic import TypeAdapter

FACTS: TypeAdapter[list[Fact]] = TypeAdapter(list[Fact])
DOMAIN = "corp.example.com"


def server(name: str, ip: str | None = None, site: str | None = None) -> dict[str, Any]:
    fact: dict[str, Any] = {"type": "exchange_server", "name": name,
                            "fqdn": f"{name.lower()}.{DOMAIN}"}
    if ip:
        fact["ip_addresses"] = [ip]
    if site:
        fact["site"] = site
    return fact


def dc(name: str, site: str | None = None, pdc: bool = False) -> dict[str, Any]:
    fact: dict[str, Any] = {"type": "domain_controller", "name": name,
                            "fqdn": f"{name.lower()}.{DOMAIN}", "pdc": pdc}
    if site:
        fact["site"] = site
    return fact


def queue(sender: str, receiver_fqdn: str | None, ip: str | None = None) -> dict[str, Any]:
    tail = f"{{FQDN={receiver_fqdn}}};{{IP={ip}}}" if receiver_fqdn else ""
    return {"type": "queue", "server": sender, "identity": f"{sender}\\3",
            "last_error": '[{LED=451 4.4.0 Primary target IP address responded with: "454 4.7.0 '
                          f'Temporary authentication failure."}};{tail}]'}


def event_1035(receiver: str, client_ip: str) -> dict[str, Any]:
    return {"type": "event", "host": receiver, "source": "MSExchangeTransport", "event_id": 1035,
            "message": "Inbound authentication failed with error IllegalMessage for Receive "
                       f"connector Default {receiver}. The authentication mechanism is "
                       "ExchangeAuth. The source IP address of the client who tried to "
                       f"authenticate to Microsoft Exchange is [{client_ip}]."}


def event_2017(sender: str, target: str) -> dict[str, Any]:
    return {"type": "event", "host": sender, "source": "MSExchangeTransport", "event_id": 2017,
            "message": "Outbound authentication failed with error LogonDenied for Send connector "
                       "Intra-Organization SMTP Send Connector. The authentication mechanism is "
                       f"ExchangeAuth. The target is SMTPSVC/{target}."}


def listing(name: str, *spns: str) -> dict[str, Any]:
    return {"type": "spn_listing", "account": f"{name}$", "spns": list(spns)}


def offset(host: str, reference: str, seconds: float, at: str | None = None) -> dict[str, Any]:
    fact: dict[str, Any] = {"type": "clock_offset", "host": host, "reference": reference,
                            "offset_s": seconds}
    if at:
        fact["observed_at"] = at
    return fact


@pytest.fixture(scope="module")
def evaluator() -> Evaluator:
    return Evaluator()


def _report(evaluator: Evaluator, facts: list[dict[str, Any]]) -> Report:
    return evaluator.evaluate(FACTS.validate_python(facts))


def _cause(report: Report, cause: str) -> CauseReport:
    return next(c for c in report.causes if c.cause == cause)


def test_a_queue_names_its_sender_and_the_receiver_exchange_wrote_into_last_error(
    evaluator: Evaluator,
) -> None:
    report = _report(evaluator, [server("EX01"), server("EX02"), dc("DC01"),
                                 queue("EX02", f"ex01.{DOMAIN}", "10.0.0.11")])
    assert [(p.sender, p.receiver, p.domain_controllers) for p in report.failing_paths] == [
        ("EX02", "EX01", [f"dc01.{DOMAIN}"])
    ]


def test_event_1035_names_the_sender_by_its_ip_address(evaluator: Evaluator) -> None:
    report = _report(evaluator, [server("EX01", "10.0.0.11"), server("EX02", "10.0.0.12"),
                                 event_1035("EX01", "10.0.0.12")])
    assert [(p.sender, p.receiver) for p in report.failing_paths] == [("EX02", "EX01")]


def test_an_ip_address_the_facts_do_not_map_leaves_the_sender_unknown(
    evaluator: Evaluator,
) -> None:
    report = _report(evaluator, [server("EX01"), event_1035("EX01", "10.9.9.9")])
    assert [(p.sender, p.receiver) for p in report.failing_paths] == [(None, "EX01")]


def test_event_2017_names_the_receiver_by_its_spn(evaluator: Evaluator) -> None:
    report = _report(evaluator, [server("EX01"), server("EX02"),
                                 event_2017("EX02", f"ex01.{DOMAIN}")])
    assert [(p.sender, p.receiver) for p in report.failing_paths] == [("EX02", "EX01")]


def test_a_next_hop_that_is_no_exchange_server_names_no_receiver(evaluator: Evaluator) -> None:
    fact = queue("EX02", None)
    fact["next_hop"] = "Krakow"
    report = _report(evaluator, [server("EX01"), server("EX02"), fact])
    assert [(p.sender, p.receiver) for p in report.failing_paths] == [("EX02", None)]


def test_the_dcs_of_a_path_are_those_of_its_site(evaluator: Evaluator) -> None:
    report = _report(evaluator, [server("EX01", site="Warszawa"), server("EX02", site="Warszawa"),
                                 dc("DC-WAW", site="Warszawa"), dc("DC-KRK", site="Krakow"),
                                 queue("EX02", f"ex01.{DOMAIN}")])
    assert report.failing_paths[0].domain_controllers == [f"dc-waw.{DOMAIN}"]


def test_a_latent_problem_ranks_below_the_cause_on_the_failing_path(evaluator: Evaluator) -> None:
    """Issue 8: EX03 lacks its SPNs (0.99) but the queue EX02 -> EX01 fails on EX01's clock."""
    all_spns = ["SMTP/{0}", "SMTP/{0}.corp.example.com", "SMTPSVC/{0}",
                "SMTPSVC/{0}.corp.example.com"]
    facts = [server("EX01", "10.0.0.11"), server("EX02", "10.0.0.12"), server("EX03"), dc("DC01"),
             queue("EX02", f"ex01.{DOMAIN}", "10.0.0.11"),
             {**event_1035("EX01", "10.0.0.12"),
              "message": event_1035("EX01", "10.0.0.12")["message"].replace(
                  "IllegalMessage", "UnexpectedExchangeAuthBlobCheckForClockSkew")},
             listing("EX01", *(s.format("ex01") for s in all_spns)),
             listing("EX02", *(s.format("ex02") for s in all_spns)),
             listing("EX03", "HOST/ex03")]
    report = _report(evaluator, facts)
    assert [(d.cause, d.scope) for d in report.diagnoses] == [
        ("time_sync", "failing_path"), ("spn_missing", "latent")]
    spn_missing = _cause(report, "spn_missing")
    assert spn_missing.confidence > _cause(report, "time_sync").confidence
    assert {s.subject: s.on_failing_path for s in spn_missing.subjects}["EX03"] is False


def test_healthy_observations_off_the_path_do_not_rule_a_cause_out(evaluator: Evaluator) -> None:
    facts = [server("EX01"), server("EX02"), server("EX03"), dc("DC01"),
             queue("EX02", f"ex01.{DOMAIN}"),
             listing("EX03", "SMTP/EX03", f"SMTP/ex03.{DOMAIN}", "SMTPSVC/EX03",
                     f"SMTPSVC/ex03.{DOMAIN}")]
    spn_missing = _cause(_report(evaluator, facts), "spn_missing")
    assert spn_missing.status == "no_evidence"
    assert [(s.subject, s.on_failing_path) for s in spn_missing.subjects] == [("EX03", False)]


def test_only_latent_causes_still_call_for_kerberos_logging(evaluator: Evaluator) -> None:
    facts = [server("EX01"), server("EX02"), server("EX03"), dc("DC01"),
             queue("EX02", f"ex01.{DOMAIN}"), listing("EX03", "HOST/ex03")]
    report = _report(evaluator, facts)
    assert [(d.cause, d.scope) for d in report.diagnoses] == [("spn_missing", "latent")]
    assert [r.id for r in report.recommendations] == ["enable_kerberos_logging"]


def test_skew_against_the_outside_world_is_a_finding_not_kerberos_skew(
    evaluator: Evaluator,
) -> None:
    facts = [server("EX01"), dc("DC01", pdc=True), queue("EX01", None),
             offset("EX01", "DC01", 1.2), offset("DC01", "time.windows.com", 419.0)]
    report = _report(evaluator, facts)
    assert _cause(report, "time_sync").status == "ruled_out"
    finding = next(f for f in report.findings if f.id == "external_time_drift")
    assert finding.subject == "DC01"
    assert any("/manualpeerlist:" in (s.command or "") for s in finding.remediation)


def test_sender_and_receiver_apart_though_each_is_close_to_the_dc(evaluator: Evaluator) -> None:
    facts = [server("EX01"), server("EX02"), dc("DC01"), queue("EX02", f"ex01.{DOMAIN}"),
             offset("EX01", "DC01", 200.0), offset("EX02", "DC01", -150.0)]
    time_sync = _cause(_report(evaluator, facts), "time_sync")
    assert (time_sync.status, time_sync.scope) == ("diagnosed", "failing_path")
    derived = time_sync.evidence[0].facts[0]
    assert derived.fields["offset_s"] == pytest.approx(350.0)
    assert "from dc01" in (derived.source or {}).get("inferred", "").lower()


def test_the_latest_observation_wins_and_the_older_is_history(evaluator: Evaluator) -> None:
    facts = [server("EX01"), dc("DC01"), queue("EX02", f"ex01.{DOMAIN}"),
             offset("EX01", "DC01", 421.0, "2026-11-30T08:00:00Z"),
             offset("DC01", "EX01", -0.3, "2026-11-30T10:30:00Z")]
    time_sync = _cause(_report(evaluator, facts), "time_sync")
    assert time_sync.status == "ruled_out"
    (fact,) = time_sync.evidence[0].facts
    assert [old.fields["offset_s"] for old in fact.history] == [421.0]


def test_a_duplicate_spn_in_two_listings_is_found_without_setspn_x(evaluator: Evaluator) -> None:
    facts = [server("EX01"), queue("EX02", f"ex01.{DOMAIN}"),
             {"type": "spn_listing", "account": "svc-mailrelay",
              "spns": ["SmtpSvc/EX01.CORP.EXAMPLE.COM"]},
             listing("EX01", "SMTPSVC/ex01.corp.example.com", "SMTPSVC/EX01")]
    spn_duplicate = _cause(_report(evaluator, facts), "spn_duplicate")
    assert spn_duplicate.status == "diagnosed"
    assert any("svc-mailrelay" in (s.command or "").lower() for s in spn_duplicate.remediation)


def test_the_fix_names_the_pdc_emulator_and_ends_with_a_ticket_check(
    evaluator: Evaluator,
) -> None:
    facts = [server("EX01"), server("EX02"), dc("DC01", pdc=True), dc("DC02"),
             queue("EX02", f"ex01.{DOMAIN}"), offset("EX01", "DC02", 420.0)]
    steps = _cause(_report(evaluator, facts), "time_sync").remediation
    assert (steps[0].run_on, steps[0].shell) == (f"dc01.{DOMAIN}", "cmd")
    assert "/syncfromflags:manual" in (steps[0].command or "")
    domhier = [s.run_on for s in steps if "domhier" in (s.command or "")]
    assert sorted(str(host) for host in domhier) == ["DC02", "EX01"]  # never the PDC emulator
    assert [s.command for s in steps[-3:]] == [
        "klist -li 0x3e7 purge",
        f"klist -li 0x3e7 get SMTPSVC/ex01.{DOMAIN}",
        "Retry-Queue -Server EX02 -Filter \"Status -eq 'Retry'\"",
    ]
    assert all(s.run_on == "EX02" for s in steps[-3:])
    assert not any("&&" in (s.command or "") for s in steps)


def test_without_a_known_pdc_the_first_step_finds_it(evaluator: Evaluator) -> None:
    facts = [server("EX01"), dc("DC01"), offset("EX01", "DC01", 420.0)]
    steps = _cause(_report(evaluator, facts), "time_sync").remediation
    assert steps[0].command == "netdom query fsmo"
    assert not any("{" in s.text or "?" in (s.command or "") for s in steps)


def test_a_later_run_in_the_same_paste_replaces_an_earlier_one(evaluator: Evaluator) -> None:
    def port(state: str, line: int) -> dict[str, Any]:
        return {"type": "port_state", "source": "EX02", "target": "DC01", "port": 88,
                "protocol": "tcp", "state": state,
                "origin": {"file": "EX02/tnc.txt", "line": line}}

    facts = [server("EX01"), server("EX02"), dc("DC01"), queue("EX02", f"ex01.{DOMAIN}"),
             port("filtered", 3), port("open", 20)]
    ports = _cause(_report(evaluator, facts), "kerberos_ports_blocked")
    assert ports.status == "ruled_out"
    assert [old.fields["state"] for old in ports.evidence[0].facts[0].history] == ["filtered"]
    other_file = [*facts[:-1], {**port("open", 20), "origin": {"file": "EX02/tnc-2.txt"}}]
    assert _cause(_report(evaluator, other_file), "kerberos_ports_blocked").status == "diagnosed"


def test_one_machine_described_twice_is_one_machine(evaluator: Evaluator) -> None:
    """Two collections of one organisation: a name inferred from a folder and the full record.
    A rule joining on the server must count its evidence once."""
    name_only = {"type": "exchange_server", "name": "EX01",
                 "source": {"collector": "import", "inferred": "folder name"}}
    facts = [name_only, server("EX01", "10.0.0.11"), listing("EX01", "SMTP/EX01")]
    report = _report(evaluator, facts)
    spn_missing = _cause(report, "spn_missing")
    assert report.inputs.facts == 2
    assert sorted(f.rule for f in spn_missing.evidence) == [
        "spn.smtp-fqdn-missing", "spn.smtpsvc-fqdn-missing", "spn.smtpsvc-name-missing"]


def test_a_dc_the_unnamed_end_may_use_is_not_called_latent(evaluator: Evaluator) -> None:
    fact = queue("EX02", None)
    facts = [server("EX02", site="Warszawa"), dc("DC-WAW", site="Warszawa"),
             dc("DC-KRK", site="Krakow"), fact,
             {"type": "port_state", "source": "EX02", "target": "DC-KRK", "port": 88,
              "protocol": "udp", "state": "filtered"}]
    ports = _cause(_report(evaluator, facts), "kerberos_ports_blocked")
    assert (ports.status, ports.scope) == ("diagnosed", "unknown")


def test_where_a_subject_lies_is_kept_only_for_the_same_paths_and_machines() -> None:
    """Verdicts are kept between reports (a what-if edit seldom moves a path), but a machine
    that is a DC in one organisation and an Exchange server in another is placed anew."""
    from kbdoctor.engine.paths import FailingPath, Organisation, place, verdicts_for

    path = FailingPath("ex01", "ex02", "EX01", "EX02", frozenset({"dc01"}), ("r",))
    as_dc = Organisation(None, None, {"dc01": None, "dc09": None}, {"ex01": None}, {}, {})
    as_exchange = Organisation(None, None, {"dc01": None}, {"ex01": None, "dc09": None}, {}, {})
    locators = (("dc09", "dc"),)
    first = verdicts_for([path], as_dc)
    first[locators] = place(locators, [path], as_dc)
    assert verdicts_for([path], as_dc) is first
    other = verdicts_for([path], as_exchange)
    assert other is not first
    assert locators not in other
    assert first[locators] is False  # a DC the path does not use
    assert place(locators, [path], as_exchange) is False
