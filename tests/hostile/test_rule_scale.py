"""Rule packs at the scale support staff reach, from the command line (issue 10, item 4): what
used to abort or corrupt durable-rules' memory (100 simple rules on one fact type: abort, 170: a
segmentation fault), to give no output after 300 s (a pack of 500 to 5,000 rules) or to pass
``kbdoctor rules`` and then fail with "error code: 108" (a rule of 300 conditions).

Measured here: each small run under a CPU second and about 110 MiB of address space; 1,000 rules
on 100 servers 1.8 s and 160 MiB; 5,000 rules on 10 servers 4.2 s and 220 MiB. The bounds are
several times that; the old behaviour needed more than 300 s or ended in a signal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kbdoctor.engine.limits import Limits

from bench.bench_rule_scale import scale_pack
from bench.generate import generate_organisation
from tests.hostile.bounded import assert_refused, kbdoctor
from tests.hostile.slow_pack import slow_rules

MIB = 1024 * 1024
CLOCK = (
    "kbdoctor: facts/1\nfacts:\n"
    "  - {type: clock_offset, host: EX01, reference: DC01, offset_s: 5000}\n"
)


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def _evidence(report: dict[str, object], cause: str) -> set[str]:
    """The rules that gave evidence for ``cause``."""
    causes = report["causes"]
    assert isinstance(causes, list)
    found = next(c for c in causes if c["cause"] == cause)
    assert found["status"] == "diagnosed", found["status"]
    return {evidence["rule"] for evidence in found["evidence"]}


@pytest.mark.parametrize("count", [100, 170, 300])
def test_simple_rules_on_one_fact_type_all_fire(tmp_path: Path, count: int) -> None:
    rules = _write(tmp_path / "pack.yaml", slow_rules(count))
    facts = _write(tmp_path / "facts.yaml", CLOCK)
    result = kbdoctor(
        "evaluate", facts, "--rules", rules, "--format", "json", "--budget", "0",
        memory=512 * MIB, cpu=20,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr[-2000:]
    assert _evidence(json.loads(result.stdout), "slow") == {f"slow{i:03d}" for i in range(count)}


def test_a_thousand_rules_evaluate_a_hundred_servers(tmp_path: Path) -> None:
    """1,000 rules (the rule limit, engine/limits.py), 100 of them on one fact type, a 100-server
    organisation (bench/generate.py): every rule on that type fires, and rules on each of the
    other types the organisation's faults touch."""
    rules = _write(tmp_path / "pack.yaml", scale_pack(Limits().rules, 100))
    facts = _write(tmp_path / "org.json", json.dumps(generate_organisation(100)))
    result = kbdoctor(
        "evaluate", facts, "--rules", rules, "--format", "json", "--budget", "0",
        memory=640 * MIB, cpu=20,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["budget"] is None
    fired = _evidence(report, "scale")
    assert {f"clock-{i}" for i in range(100)} <= fired
    kinds = {rule.rsplit("-", 1)[0] for rule in fired}
    assert {"port_state", "replication_link", "exchange_server", "domain_controller"} <= kinds


def test_a_pack_of_five_thousand_rules_loads_and_evaluates(tmp_path: Path) -> None:
    rules = _write(tmp_path / "pack.yaml", scale_pack(5000, 100))
    facts = _write(tmp_path / "org.json", json.dumps(generate_organisation(10)))
    checked = kbdoctor("rules", rules, "--limit", "rules=5000", memory=512 * MIB, cpu=20)
    assert checked.returncode == 0, checked.stderr[-2000:]
    assert "5000 rules" in checked.stdout
    result = kbdoctor(
        "evaluate", facts, "--rules", rules, "--limit", "rules=5000", "--format", "json",
        "--budget", "0", memory=1024 * MIB, cpu=30,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["budget"] is None
    assert {f"clock-{i}" for i in range(100)} <= _evidence(report, "scale")


def _wide_rule(conditions: int) -> str:
    """One rule of ``conditions`` conditions on clock_offset, each joined to the first."""
    when = "".join(
        f"      - bind: o{c}\n        fact: clock_offset\n"
        f"        where: {{host: H{c}{', reference: {same_as: o0.reference}' if c else ''}}}\n"
        for c in range(conditions)
    )
    return (
        slow_rules(0)
        + f"  - id: wide\n    title: {{en: W, pl: W}}\n    when:\n{when}"
        + '    conclude: {cause: slow, cf: 0.5, subject: "x", values: {host: h}}\n'
        + "    explain: {en: x, pl: x}\n"
    )


@pytest.mark.parametrize("command", ["rules", "evaluate"])
def test_a_rule_of_300_conditions_is_refused_at_load(tmp_path: Path, command: str) -> None:
    rules = _write(tmp_path / "wide.yaml", _wide_rule(300))
    args = [rules] if command == "rules" else ["-", "--rules", rules]
    result = kbdoctor(command, *args, stdin=CLOCK, memory=512 * MIB, cpu=20)
    assert_refused(
        result,
        f"{rules}:14:5: rule wide: ",
        "binds 300 facts at once (its fact and finding conditions); at most 16:",
    )
    assert "error code" not in result.stderr
