"""One observation is one piece of evidence: the same reading fed in twice - from two files, with
its names spelled otherwise, its clock pair written the other way round - gives the confidences
it gives once. The latest of several observations wins; readings of one moment that disagree
keep the one that shows the problem and show the other as its history, whatever the order of the
files and facts; distinct observations stay distinct."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.factio import load_fact_files
from kbdoctor.engine.facts import ClockOffset, Fact, FieldKind, Source, field_kind
from kbdoctor.engine.report import CauseReport, Report
from pydantic import TypeAdapter

Fact_: TypeAdapter[Fact] = TypeAdapter(Fact)
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-incident.yaml"
DEMO_DOMAIN = "ad.hurtownia-kowalski.pl"

BASE = """kbdoctor: facts/1
facts:
  - {type: exchange_server, name: EX01, fqdn: ex01.corp.example.com}
  - {type: exchange_server, name: EX02, fqdn: ex02.corp.example.com}
  - {type: domain_controller, name: DC01, fqdn: dc01.corp.example.com, pdc: true}
  - {type: queue, server: EX01, next_hop: ex02.corp.example.com, status: Retry,
     message_count: 3, last_error: "451 4.4.0 Primary target IP address responded with:
     \\"454 4.7.0 Temporary authentication failure.\\""}
  - {type: clock_offset, host: EX02, reference: DC01, offset_s: 421.5,
     observed_at: "2026-11-28T09:10:00Z", source: {file: EX02/stripchart.txt, line: 5}}
"""


@pytest.fixture(scope="module")
def evaluator() -> Evaluator:
    return Evaluator()


def _fact_file(tmp_path: Path, name: str, *facts: str) -> str:
    path = tmp_path / name
    path.write_text("kbdoctor: facts/1\nfacts:\n" + "".join(f"  - {f}\n" for f in facts))
    return str(path)


def _evaluate(evaluator: Evaluator, paths: list[str], explain: bool = False) -> Report:
    loaded = load_fact_files(paths)
    return evaluator.evaluate(loaded.facts, files=loaded.files, explain=explain)


def _cause(report: Report, cause: str) -> CauseReport:
    return next(c for c in report.causes if c.cause == cause)


def _confidences(report: Report) -> dict[str, tuple[str, float, list[float]]]:
    return {
        c.cause: (c.status, c.confidence, sorted(s.confidence for s in c.subjects))
        for c in report.causes
    }


@pytest.mark.parametrize(
    "second",
    [
        # the same measurement with its names fully qualified
        "{type: clock_offset, host: ex02.corp.example.com, reference: dc01.corp.example.com,"
        " offset_s: 421.5, observed_at: '2026-11-28T09:10:00Z'}",
        # written the other way round: DC01 is 421.5 s behind EX02
        "{type: clock_offset, host: DC01, reference: EX02, offset_s: -421.5,"
        " observed_at: '2026-11-28T09:10:00Z'}",
        # the same moment with another value (a copy edited, a rounding)
        "{type: clock_offset, host: EX02, reference: DC01, offset_s: 421.6,"
        " observed_at: '2026-11-28T09:10:00Z'}",
        # the same moment in another zone
        "{type: clock_offset, host: EX02, reference: DC01, offset_s: 421.5,"
        " observed_at: '2026-11-28T10:10:00+01:00'}",
        # observed later: the latest observation wins
        "{type: clock_offset, host: EX02, reference: DC01, offset_s: 421.5,"
        " observed_at: '2026-11-28T09:20:00Z'}",
        # the same stripchart read from a folder named by the FQDN
        "{type: clock_offset, host: ex02.corp.example.com, reference: DC01, offset_s: 421.5,"
        " observed_at: '2026-11-28T09:10:00Z',"
        " source: {file: ex02.corp.example.com/stripchart.txt, line: 5}}",
    ],
)
def test_one_clock_reading_fed_twice_counts_once(
    evaluator: Evaluator, tmp_path: Path, second: str
) -> None:
    base = tmp_path / "base.yaml"
    base.write_text(BASE)
    alone = _cause(_evaluate(evaluator, [str(base)]), "time_sync")
    assert (alone.status, alone.confidence) == ("diagnosed", 0.9)
    both = _evaluate(evaluator, [str(base), _fact_file(tmp_path, "second.yaml", second)])
    time_sync = _cause(both, "time_sync")
    assert (time_sync.status, time_sync.confidence) == ("diagnosed", 0.9)
    assert len(time_sync.evidence) == 1
    assert both.inputs.facts == 5


def _respelled(fact: Fact, how: str) -> Fact:
    """``fact`` with its host names written another way (``lower``, ``upper``, ``fqdn`` or
    ``short``), and a clock pair, for ``reverse``, the other way round."""
    if how == "reverse" and isinstance(fact, ClockOffset):
        return fact.model_copy(
            update={"host": fact.reference, "reference": fact.host, "offset_s": -fact.offset_s}
        )
    update: dict[str, Any] = {}
    for name in type(fact).model_fields:
        if name in ("provenance", "observed_at"):
            continue
        if field_kind(fact.type, name) is not FieldKind.HOST:
            continue
        value = getattr(fact, name)
        if isinstance(value, str):
            update[name] = _spell(value, how)
        elif isinstance(value, list):
            update[name] = [_spell(v, how) for v in value]
    return type(fact).model_validate({**fact.model_dump(), **update})


def _spell(name: str, how: str) -> str:
    ours = name.lower().startswith(("ex-", "dc-"))  # the organisation's machines
    short = name.split(".", 1)[0]
    if how == "lower":
        return name.lower()
    if how == "upper":
        return name.upper()
    if how == "fqdn" and ours:
        return f"{short}.{DEMO_DOMAIN}" if "." not in name else name
    if how == "short" and ours:
        return short
    return name


def test_the_demo_with_a_lower_cased_copy_gives_the_demo_s_confidences(
    evaluator: Evaluator,
) -> None:
    """The auditor's case: every collection of the demo incident fed twice, the second time with
    its host names in lower case. Before, time_sync 0.90 became 0.99, spn_missing 0.988 became
    0.9964 and the ruled-out causes were ruled out more firmly than their evidence allows."""
    facts = load_fact_files([str(DEMO)]).facts
    alone = evaluator.evaluate(facts)
    copy = [_respelled(f, "lower") for f in facts]
    assert _confidences(evaluator.evaluate([*facts, *copy])) == _confidences(alone)
    assert _confidences(evaluator.evaluate([*copy, *facts])) == _confidences(alone)
    assert {
        c.cause: c.confidence for c in alone.causes if c.status in ("diagnosed", "ruled_out")
    } == {
        "spn_missing": 0.988,
        "time_sync": 0.9,
        "ad_replication": -0.2,
        "kerberos_ports_blocked": -0.3,
        "connector_auth": -0.5,
        "spn_duplicate": -0.8,
    }


_DEMO_FACTS = load_fact_files([str(DEMO)]).facts
# the machines, with their FQDNs, are always among the facts: a copy that wrote a name as an
# FQDN no fact gives would tell something new (which machine a short name is), not the same
_MACHINES = [f for f in _DEMO_FACTS if f.type in ("exchange_server", "domain_controller")]
_OTHERS = [f for f in _DEMO_FACTS if f not in _MACHINES]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kept=st.lists(st.booleans(), min_size=len(_OTHERS), max_size=len(_OTHERS)),
    copied=st.lists(
        st.sampled_from(["none", "lower", "upper", "fqdn", "short", "reverse"]),
        min_size=len(_DEMO_FACTS),
        max_size=len(_DEMO_FACTS),
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_facts_and_a_permuted_respelled_copy_give_the_confidences_of_the_facts(
    evaluator: Evaluator, kept: list[bool], copied: list[str], seed: int
) -> None:
    chosen = [True] * len(_MACHINES) + kept
    facts = [f for f, keep in zip([*_MACHINES, *_OTHERS], chosen, strict=True) if keep]
    hows = [h for h, keep in zip(copied, chosen, strict=True) if keep]
    copy = [_respelled(f, how) for f, how in zip(facts, hows, strict=True) if how != "none"]
    together = [*facts, *copy]
    random.Random(seed).shuffle(together)
    assert _confidences(evaluator.evaluate(together)) == _confidences(evaluator.evaluate(facts))


def _clock(offset: float, file: str, host: str = "EX02", reference: str = "DC01") -> Fact:
    return ClockOffset(
        host=host,
        reference=reference,
        offset_s=offset,
        observed_at=datetime(2026, 11, 28, 9, 10, tzinfo=UTC),
        provenance=Source(file=file, line=5),
    )


def _base_facts(tmp_path: Path) -> list[Fact]:
    base = tmp_path / "base.yaml"
    base.write_text(BASE)
    return [f for f in load_fact_files([str(base)]).facts if not isinstance(f, ClockOffset)]


def test_readings_of_one_moment_that_disagree_keep_the_problem_and_show_the_other(
    evaluator: Evaluator, tmp_path: Path
) -> None:
    """Neither reading may rule out what the other shows: the larger offset is kept, and the
    report shows the smaller one, with its file and line, as the kept fact's history."""
    facts = [
        *_base_facts(tmp_path),
        _clock(12.0, "EX02/a.txt"),
        _clock(-421.5, "DC01/b.txt", host="DC01", reference="ex02"),
    ]
    report = evaluator.evaluate(facts)
    time_sync = _cause(report, "time_sync")
    assert (time_sync.status, time_sync.confidence) == ("diagnosed", 0.9)
    [firing] = time_sync.evidence
    [fact] = firing.facts
    assert (fact.fields["offset_s"], fact.source) == (-421.5, {"file": "DC01/b.txt", "line": 5})
    assert [(old.fields["offset_s"], old.source) for old in fact.history] == [
        (12.0, {"file": "EX02/a.txt", "line": 5})
    ]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(order=st.permutations(range(4)), files=st.permutations(["a.txt", "b.txt", "c.txt"]))
def test_which_reading_is_kept_depends_on_neither_fact_nor_file_order(
    evaluator: Evaluator, order: list[int], files: list[str]
) -> None:
    machines = [
        Fact_.validate_python(
            {"type": "exchange_server", "name": "EX02", "fqdn": "ex02.corp.example.com"}
        ),
        Fact_.validate_python(
            {"type": "domain_controller", "name": "DC01", "fqdn": "dc01.corp.example.com"}
        ),
    ]
    readings = [
        _clock(421.5, files[0]),
        _clock(-421.5, files[1], host="dc01.corp.example.com", reference="EX02"),
        _clock(-430.0, files[2], host="DC01", reference="ex02"),
        _clock(430.0, "EX02/stripchart.txt", host="ex02"),
    ]
    report = evaluator.evaluate([*machines, *(readings[i] for i in order)])
    [kept] = _cause(report, "time_sync").evidence[0].facts
    assert (kept.fields["offset_s"], kept.source) == (-430.0, {"file": files[2], "line": 5})
    assert report.to_json() == evaluator.evaluate([*readings, *machines]).to_json()


def test_distinct_observations_stay_distinct(evaluator: Evaluator, tmp_path: Path) -> None:
    """Two 1035 events a minute apart are two occurrences; two port paths are two paths."""

    def event(time: str) -> str:
        return (
            "{type: event, host: EX02, source: MSExchangeTransport, event_id: 1035,"
            " message: 'Inbound authentication failed with error"
            " UnexpectedExchangeAuthBlobCheckForClockSkew for Receive connector Default EX02."
            " The authentication mechanism is ExchangeAuth. The source IP address of the"
            " client who tried to authenticate to Microsoft Exchange is [10.0.0.11].',"
            f" time: '{time}'}}"
        )

    def port(target: str, number: int) -> str:
        return (
            f"{{type: port_state, source: EX01, target: {target}, port: {number},"
            " protocol: tcp, state: filtered}"
        )

    first = _fact_file(tmp_path, "first.yaml", event("2026-11-28T09:10:00Z"), port("DC01", 88))
    second = _fact_file(
        tmp_path, "second.yaml", event("2026-11-28T09:11:00Z"), port("DC02", 88), port("DC01", 464)
    )
    base = tmp_path / "base.yaml"
    base.write_text(BASE)
    report = _evaluate(evaluator, [str(base), first, second])
    assert report.inputs.facts == 5 + 5
    ports = _cause(report, "kerberos_ports_blocked")
    assert sorted(len(f.facts) for f in ports.evidence) == [1, 1, 1]
    firings = [e for s in report.symptoms for e in s.evidence]
    firings += [e for c in report.causes for e in c.evidence]
    events = {f.id for firing in firings for f in firing.facts if f.type == "event"}
    assert len(events) == 2


def test_the_reasoning_cites_the_kept_fact_and_its_source_in_either_order(
    evaluator: Evaluator, tmp_path: Path
) -> None:
    """HOW and WHY-NOT name the one fact kept of a reading fed twice, with its own source."""
    listing = (
        "{{type: spn_listing, account: '{account}', spns: [SMTPSVC/EX01,"
        " SMTPSVC/ex01.corp.example.com, SMTP/EX01, SMTP/ex01.corp.example.com],"
        " source: {{file: {file}, line: 1}}}}"
    )
    server = "{type: exchange_server, name: EX01, fqdn: ex01.corp.example.com}"
    queue = (
        "{type: queue, server: EX02, identity: 'EX02\\3', last_error: '451 4.4.0 Primary"
        ' target IP address responded with: "454 4.7.0 Temporary authentication failure."'
        " {FQDN=ex01.corp.example.com}'}"
    )
    one = _fact_file(
        tmp_path, "one.yaml", server, queue, listing.format(account="EX01$", file="EX01/setspn.txt")
    )
    two = _fact_file(
        tmp_path, "two.yaml", listing.format(account="CORP\\\\ex01$", file="EX02/setspn.txt")
    )
    cited = []
    for paths in ([one, two], [two, one]):
        spn_missing = _cause(_evaluate(evaluator, paths, explain=True), "spn_missing")
        blocking = [f for miss in spn_missing.why_not for f in miss.facts]
        assert blocking
        assert len({f.id for f in blocking}) == 1
        assert all(f.source == blocking[0].source for f in blocking)
        cited.append(blocking[0].source)
    assert cited[0] == cited[1]
    assert cited[0] is not None
    assert cited[0]["file"] in ("EX01/setspn.txt", "EX02/setspn.txt")


KERBEROS = (
    "{type: kerberos_error, host: EX01, code: KRB_AP_ERR_SKEW, observed_at: '2024-03-14T09:12:44Z'}"
)


@pytest.mark.parametrize(
    "second",
    [
        # spelled alike, read an hour later: one fact (its id leaves the reading time out)
        "{type: kerberos_error, host: EX01, code: KRB_AP_ERR_SKEW,"
        " observed_at: '2024-03-14T10:12:44Z'}",
        # spelled otherwise, read an hour later: counted twice before (0.96)
        "{type: kerberos_error, host: ex01.corp.example.com, code: KRB_AP_ERR_SKEW,"
        " observed_at: '2024-03-14T10:12:44Z'}",
        # spelled otherwise, no reading time: counted twice before (0.96)
        "{type: kerberos_error, host: ex01, code: '0x25'}",
    ],
)
def test_one_kerberos_error_read_twice_counts_once(
    evaluator: Evaluator, tmp_path: Path, second: str
) -> None:
    server = "{type: exchange_server, name: EX01, fqdn: ex01.corp.example.com}"
    alone = _evaluate(evaluator, [_fact_file(tmp_path, "first.yaml", server, KERBEROS)])
    assert _cause(alone, "time_sync").confidence == 0.8
    both = _evaluate(
        evaluator,
        [
            _fact_file(tmp_path, "first.yaml", server, KERBEROS),
            _fact_file(tmp_path, "second.yaml", server, second),
        ],
    )
    assert _confidences(both) == _confidences(alone)
