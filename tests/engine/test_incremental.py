"""A what-if edit followed on the kept session (``keep=True``, engine/incremental.py) gives the
report a full run of the same facts gives, byte for byte; where the kept session cannot follow
(an absence test, a new host context, a conclusion that rules read saying something else, a
cycle of conclusions), a full run is made instead, and the report is the same again."""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.factio import load_fact_files
from kbdoctor.engine.facts import FACT_FILE_ADAPTER, ClockOffset, Fact, Source, WhatIf
from kbdoctor.engine.rulebase import RuleBase, load_rule_base, parse_rule_texts

from bench.generate import generate_organisation

REPO = Path(__file__).resolve().parents[2]


def _facts(data: dict[str, Any]) -> list[Fact]:
    return list(FACT_FILE_ADAPTER.validate_python(data).facts)


@pytest.fixture(scope="module")
def base() -> RuleBase:
    return load_rule_base(None)


def _same_as_a_full_run(
    kept: Evaluator, fresh: Evaluator, facts: list[Fact], explain: bool = False
) -> str:
    """Evaluate with the kept session and with a full run; return the path the kept one took."""
    followed = kept.evaluate(facts, lang="en", explain=explain, keep=True).to_json()
    path = kept.last_path
    full = fresh.evaluate(facts, lang="en", explain=explain).to_json()
    assert fresh.last_path == "full"
    assert followed == full, f"the {path} run differs from a full run"
    return path


# --- edits as a person makes them in the TUI ---------------------------------------------


def _edit(facts: list[Fact], original: list[Fact], rng: random.Random) -> list[Fact]:
    """One what-if edit: a field given the value another fact of its type has (numbers, states,
    host names: whatever the organisation holds), a fact removed, disabled, given twice from
    another line, or every edit undone."""
    out = list(facts)
    if not out:
        return list(original)
    index = rng.randrange(len(out))
    fact = out[index]
    choice = rng.randrange(6)
    if choice == 0:
        del out[index]
    elif choice == 1:
        marked = Source(file="what-if", what_if=WhatIf(status="disabled", by="test"))
        out[index] = fact.model_copy(update={"provenance": marked})
    elif choice == 2:
        out.append(fact.model_copy(update={"provenance": Source(file="again.txt", line=7)}))
    elif choice == 3:
        return list(original)
    else:
        others = [f for f in original if f.type == fact.type and f is not fact]
        fields = [n for n in type(fact).model_fields if n not in ("provenance", "type")]
        if not others or not fields:
            return out
        name = rng.choice(fields)
        value = getattr(rng.choice(others), name)
        if isinstance(value, float) and choice == 5:
            value = rng.choice([0.0, 299.0, 301.0, -301.0, 900.0])
        out[index] = type(fact).model_validate({**fact.model_dump(), name: value})
    return out


def _example(name: str) -> list[Fact]:
    return load_fact_files([str(REPO / "examples" / name)]).facts


SOURCES = [
    "generated:6:0",
    "generated:6:1",
    "generated:14:2",
    "demo-incident.yaml",
    "several-causes.yaml",
    "cause-spn-duplicate.yaml",
    "lookalike-frontend-logondenied.yaml",
]


def _source(name: str) -> list[Fact]:
    if name.startswith("generated:"):
        _, servers, seed = name.split(":")
        return _facts(generate_organisation(int(servers), int(seed)))
    return _example(name)


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.sampled_from(SOURCES), st.randoms(use_true_random=False), st.integers(1, 8))
def test_every_edit_followed_gives_the_report_of_a_full_run(
    base: RuleBase, source: str, rng: random.Random, edits: int
) -> None:
    original = _source(source)
    kept, fresh = Evaluator(base), Evaluator(base)
    facts = list(original)
    _same_as_a_full_run(kept, fresh, facts)
    for _ in range(edits):
        facts = _edit(facts, original, rng)
        _same_as_a_full_run(kept, fresh, facts)
        # the explanation of the diagnosis just made reuses its run, and probes it
        _same_as_a_full_run(kept, fresh, facts, explain=True)


def test_most_edits_of_an_organisation_are_followed_not_run_again(base: RuleBase) -> None:
    """The property above means something: of many random edits, many are followed (others
    change nothing the rules read, or are run in full)."""
    original = _source("generated:14:2")
    kept, fresh = Evaluator(base), Evaluator(base)
    rng = random.Random(5)
    facts = list(original)
    _same_as_a_full_run(kept, fresh, facts)
    paths: dict[str, int] = {}
    for _ in range(40):
        facts = _edit(facts, original, rng)
        path = _same_as_a_full_run(kept, fresh, facts)
        paths[path] = paths.get(path, 0) + 1
    assert paths.get("incremental", 0) >= 10, paths
    assert paths.get("full", 0) >= 1, paths  # host names and SPN listings change too


# --- each case a kept session cannot follow -----------------------------------------------


def _organisation() -> list[Fact]:
    return _facts(generate_organisation(8, 3))


def _replace(facts: list[Fact], fact_type: str, **update: Any) -> list[Fact]:
    index = next(i for i, f in enumerate(facts) if f.type == fact_type)
    out = list(facts)
    out[index] = type(facts[index]).model_validate({**facts[index].model_dump(), **update})
    return out


def test_a_clock_edit_is_followed(base: RuleBase) -> None:
    kept, fresh = Evaluator(base), Evaluator(base)
    facts = _organisation()
    assert _same_as_a_full_run(kept, fresh, facts) == "full"
    skewed = _replace(facts, "clock_offset", offset_s=900.0)
    assert _same_as_a_full_run(kept, fresh, skewed) == "incremental"
    assert _same_as_a_full_run(kept, fresh, facts) == "incremental"
    assert _same_as_a_full_run(kept, fresh, facts, explain=True) == "reused"


def test_an_edit_of_a_fact_type_tested_for_absence_is_run_in_full(base: RuleBase) -> None:
    """A rule tests that an account lacks an SPN: a listing asserted after that test fired
    would not withdraw it (durable-rules has no truth maintenance)."""
    kept, fresh = Evaluator(base), Evaluator(base)
    facts = _organisation()
    _same_as_a_full_run(kept, fresh, facts)
    listing = next(f for f in facts if f.type == "spn_listing")
    assert listing.model_dump()["spns"]
    emptied = _replace(facts, "spn_listing", spns=[])
    assert _same_as_a_full_run(kept, fresh, emptied) == "full"
    assert _same_as_a_full_run(kept, fresh, facts) == "full"


def test_a_new_host_context_is_run_in_full(base: RuleBase) -> None:
    kept, fresh = Evaluator(base), Evaluator(base)
    facts = _organisation()
    _same_as_a_full_run(kept, fresh, facts)
    server = next(f for f in facts if f.type == "exchange_server")
    renamed = _replace(facts, "exchange_server", fqdn="renamed." + str(server.model_dump()["fqdn"]))
    assert _same_as_a_full_run(kept, fresh, renamed) == "full"


CHAIN = """kbdoctor: rules/1
pack: chain
findings:
  skewed:
    title: {en: Skewed, pl: Przesunięty}
    subject: host
    values: {reference: text}
  relayed:
    title: {en: Relayed, pl: Przekazany}
    subject: host
    values: {reference: text}
rules:
  - id: skew
    title: {en: S, pl: S}
    when:
      - bind: o
        fact: clock_offset
        where: {offset_s: {gt: 300}, reference: DC01}
    conclude: {finding: skewed, cf: 0.6, subject: "{o.host}", values: {reference: "REF"}}
    explain: {en: x, pl: x}
  - id: skew-named
    title: {en: N, pl: N}
    when:
      - bind: o
        fact: clock_offset
        where: {offset_s: {gt: 300}}
    conclude: {finding: skewed, cf: 0.5, subject: "{o.host}", values: {reference: "{o.reference}"}}
    explain: {en: x, pl: x}
  - id: relay
    title: {en: R, pl: R}
    when:
      - bind: s
        finding: skewed
    conclude:
      finding: relayed
      cf: 0.9
      subject: "{s.subject}"
      values: {reference: "{s.reference}"}
    explain: {en: x, pl: x}
"""


LATE = """kbdoctor: rules/1
pack: late
findings:
  late:
    title: {en: Late, pl: Spóźniony}
    subject: host
  echoed:
    title: {en: Echoed, pl: Powtórzony}
    subject: host
rules:
  - id: late
    title: {en: L, pl: L}
    when:
      - bind: o
        fact: clock_offset
        where: {offset_s: {gt: 300}}
    conclude: {finding: late, cf: 0.6, subject: "{o.host}"}
    explain: {en: x, pl: x}
  - id: echo
    title: {en: E, pl: E}
    when:
      - bind: l
        finding: late
    conclude: {finding: echoed, cf: 0.9, subject: "{l.subject}"}
    explain: {en: x, pl: x}
"""


def _clocks(*offsets: tuple[str, str, float]) -> list[Fact]:
    return [ClockOffset(host=h, reference=r, offset_s=o) for h, r, o in offsets]


def test_chained_conclusions_follow_their_premises(tmp_path: Any) -> None:
    """A premise that rules read loses one of its two firings (kept, and what rests on it too),
    then both (forgotten, and the conclusion resting on it with it), then comes back."""
    late = parse_rule_texts([("late.yaml", LATE)])
    kept, fresh = Evaluator(late), Evaluator(late)
    both = _clocks(("EX01", "DC01", 600.0), ("EX01", "DC02", 700.0), ("EX02", "DC01", 5.0))
    assert _same_as_a_full_run(kept, fresh, both) == "full"
    one = [both[1], both[2]]
    assert _same_as_a_full_run(kept, fresh, one) == "incremental"
    assert _same_as_a_full_run(kept, fresh, both[2:]) == "incremental"
    assert _same_as_a_full_run(kept, fresh, both) == "incremental"
    report = kept.evaluate(both, lang="en", keep=True)
    assert {f.id for f in report.findings} == {"late", "echoed"}


def test_a_premise_that_would_say_something_else_is_run_in_full() -> None:
    """EX01's skew is first concluded (in a full run) by the rule of lower order, 'skew', whose
    reference is "REF". When an edit leaves only the other rule's firing, the premise's
    reference becomes "DC02", and the conclusion resting on it read "REF": only a full run
    gives the right values."""
    chain = parse_rule_texts([("chain.yaml", CHAIN)])
    kept, fresh = Evaluator(chain), Evaluator(chain)
    both = _clocks(("EX01", "DC01", 600.0), ("EX01", "DC02", 700.0))
    assert _same_as_a_full_run(kept, fresh, both) == "full"
    assert _same_as_a_full_run(kept, fresh, both[1:]) == "full"
    run = kept.run(both[1:], keep=True)
    assert run.conclusions["finding", "relayed", "ex01"].values == {"reference": "DC02"}


CYCLE = """kbdoctor: rules/1
pack: cycle
findings:
  a:
    title: {en: A, pl: A}
    subject: host
  b:
    title: {en: B, pl: B}
    subject: host
rules:
  - id: seed-a
    title: {en: S, pl: S}
    when:
      - bind: o
        fact: clock_offset
        where: {offset_s: {gt: 300}}
    conclude: {finding: a, cf: 0.6, subject: "{o.host}"}
    explain: {en: x, pl: x}
  - id: a-to-b
    title: {en: AB, pl: AB}
    when:
      - bind: x
        finding: a
    conclude: {finding: b, cf: 0.7, subject: "{x.subject}"}
    explain: {en: x, pl: x}
  - id: b-to-a
    title: {en: BA, pl: BA}
    when:
      - bind: y
        finding: b
    conclude: {finding: a, cf: 0.8, subject: "{y.subject}"}
    explain: {en: x, pl: x}
"""


def test_conclusions_that_support_each_other_match_a_full_run() -> None:
    """With a cycle of conclusions, certainty depends on where its working out starts, so it is
    worked out in full; and once the seed is gone, a and b only support each other, which a
    full run never reaches."""
    cycle = parse_rule_texts([("cycle.yaml", CYCLE)])
    kept, fresh = Evaluator(cycle), Evaluator(cycle)
    seeded = _clocks(("EX01", "DC01", 600.0), ("EX02", "DC01", 700.0))
    assert _same_as_a_full_run(kept, fresh, seeded) == "full"
    _same_as_a_full_run(kept, fresh, seeded[:1])
    assert _same_as_a_full_run(kept, fresh, seeded) in ("incremental", "full")
    _same_as_a_full_run(kept, fresh, [])


def test_a_cancelled_edit_ends_the_kept_session_and_the_next_is_run_in_full(
    base: RuleBase,
) -> None:
    kept, fresh = Evaluator(base), Evaluator(base)
    facts = _organisation()
    _same_as_a_full_run(kept, fresh, facts)
    cancel = threading.Event()
    cancel.set()
    skewed = _replace(facts, "clock_offset", offset_s=900.0)
    report = kept.evaluate(skewed, lang="en", keep=True, cancel=cancel)
    assert report.budget is not None
    assert report.budget.reason == "cancelled"
    assert _same_as_a_full_run(kept, fresh, skewed) == "full"
    assert _same_as_a_full_run(kept, fresh, facts) == "incremental"


def test_a_run_that_does_not_keep_leaves_the_kept_session_alone(base: RuleBase) -> None:
    """The TUI evaluates the facts as loaded (the baseline of its '(was ...)' marks) between
    two edits: that run must not move the session the edits follow."""
    kept, fresh = Evaluator(base), Evaluator(base)
    facts = _organisation()
    skewed = _replace(facts, "clock_offset", offset_s=900.0)
    _same_as_a_full_run(kept, fresh, skewed)
    assert kept.evaluate(facts, lang="en").to_json() == fresh.evaluate(facts).to_json()
    assert kept.last_path == "full"
    assert _same_as_a_full_run(kept, fresh, skewed, explain=True) == "reused"


def test_kept_sessions_are_ended_not_piled_up() -> None:
    """durable-rules holds at most 1,024 live sessions per ruleset (the next raises
    MemoryError): every run that replaces or gives up a kept session (of the rules or of their
    WHY-NOT probes) ends the old one."""
    chain = parse_rule_texts([("chain.yaml", CHAIN)])
    kept = Evaluator(chain)
    for step in range(1_100):
        # a new FQDN each time: a new host context, so each run is a full one that keeps
        facts = _clocks((f"ex{step}.corp.example", "DC01", 600.0))
        kept.evaluate(facts, lang="en", keep=True)
        paths = [kept.last_path]
        # and its explanation's probe session, kept too, is ended when the next one starts
        kept.evaluate(facts, lang="en", explain=True)
        paths.append(kept.last_path)
        assert paths == ["full", "reused"]
    kept.forget()


PAIRS = """kbdoctor: rules/1
pack: pairs
findings:
  pair:
    title: {en: Pair, pl: Para}
    subject: text
rules:
  - id: pair
    title: {en: P, pl: P}
    when:
      - bind: o
        fact: clock_offset
      - bind: p
        fact: port_state
    conclude: {finding: pair, cf: 0.5, subject: "{o.host} {p.port}"}
    explain: {en: x, pl: x}
"""


def test_an_edit_that_takes_a_rule_over_its_match_bound_is_run_in_full(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A full run leaves out a rule that could keep too many matches (and names it); an edit
    that adds the fact taking it over the bound must do the same."""
    from kbdoctor.engine import evaluate, incremental
    from kbdoctor.engine.facts import PortState

    monkeypatch.setattr(evaluate, "MAX_MATCHES_PER_RULE", 10)
    monkeypatch.setattr(incremental, "MAX_MATCHES_PER_RULE", 10)
    pairs = parse_rule_texts([("pairs.yaml", PAIRS)])
    kept, fresh = Evaluator(pairs), Evaluator(pairs)
    clocks = _clocks(("EX01", "DC01", 1.0), ("EX02", "DC01", 2.0), ("EX03", "DC01", 3.0))

    def ports(*numbers: int) -> list[Fact]:
        return [
            PortState(source="EX01", target="DC01", port=n, protocol="tcp", state="open")
            for n in numbers
        ]

    # the rule could keep one match per clock and port
    assert _same_as_a_full_run(kept, fresh, [*clocks, *ports(88, 389)]) == "full"  # 6
    assert _same_as_a_full_run(kept, fresh, [*clocks[:2], *ports(88, 389)]) == "incremental"
    assert _same_as_a_full_run(kept, fresh, [*clocks, *ports(88, 389)]) == "incremental"
    assert _same_as_a_full_run(kept, fresh, [*clocks, *ports(88, 389, 445)]) == "incremental"
    over = [*clocks, *ports(88, 389, 445, 464)]  # 12
    assert _same_as_a_full_run(kept, fresh, over) == "full"
    report = kept.evaluate(over, keep=True)
    assert report.budget is not None
    assert report.budget.reason == "matches"


def test_the_explanation_of_each_edit_is_asked_of_one_kept_probe_session(base: RuleBase) -> None:
    """Edit after edit, the near misses come from the probe session kept since the first
    explanation (only what changed is asserted and retracted), and are those of a new one."""
    kept, fresh = Evaluator(base), Evaluator(base)
    facts = _organisation()
    _same_as_a_full_run(kept, fresh, facts)
    _same_as_a_full_run(kept, fresh, facts, explain=True)
    session = kept._kept_probes
    assert session is not None
    for offset in (900.0, 0.5, 1200.0):
        edited = _replace(facts, "clock_offset", offset_s=offset)
        assert _same_as_a_full_run(kept, fresh, edited) == "incremental"
        assert _same_as_a_full_run(kept, fresh, edited, explain=True) == "reused"
        assert kept._kept_probes is session


STOPPED = """kbdoctor: rules/1
pack: stopped
causes:
  skew-and-port:
    title: {en: S, pl: S}
    description: {en: S, pl: S}
    kb_steps: [1]
    assessed_by: [clock_offset]
    remediation:
      - text: {en: "fix {subject}", pl: "napraw {subject}"}
rules:
  - id: skew-and-port
    title: {en: S, pl: S}
    when:
      - bind: o
        fact: clock_offset
        where: {offset_s: {gt: 300}}
      - bind: p
        fact: port_state
        where: {port: 9999}
    conclude: {cause: skew-and-port, cf: 0.5, subject: "{o.host}"}
    explain: {en: x, pl: x}
"""


def test_a_near_miss_that_rested_on_a_retracted_fact_is_forgotten() -> None:
    """The rule never fires (no port 9999): while a clock is skewed its first condition holds
    and WHY NOT names the second; once the edit takes the skew away, the kept probe session
    must forget that near miss, and WHY NOT names the first."""
    from kbdoctor.engine.facts import PortState

    stopped = parse_rule_texts([("stopped.yaml", STOPPED)])
    kept, fresh = Evaluator(stopped), Evaluator(stopped)
    port = PortState(source="EX01", target="DC01", port=88, protocol="tcp", state="open")
    skewed = [*_clocks(("EX01", "DC01", 600.0)), port]
    _same_as_a_full_run(kept, fresh, skewed)
    before = kept.evaluate(skewed, explain=True)
    assert before.causes[0].why_not[0].pattern == 2
    calm = [*_clocks(("EX01", "DC01", 1.0)), port]
    assert _same_as_a_full_run(kept, fresh, calm) == "incremental"
    assert _same_as_a_full_run(kept, fresh, calm, explain=True) == "reused"
    after = kept.evaluate(calm, explain=True)
    assert after.causes[0].why_not[0].pattern == 1
