"""Rule packs at the scale support staff reach (issue 10, item 4).

durable-rules 2.0.28 keeps fixed tables in its C core (engine/durable_backend.py names each); past
them it aborts or corrupts memory. The backend spreads rules over as many durable rulesets as
needed and the compiler refuses at load time what no ruleset can hold. Cases that used to kill the
interpreter run in a subprocess, so that a regression fails here instead of ending pytest; the
issue's packs (100 to 5,000 rules, a rule of 300 conditions) run from the command line under
resource limits in tests/hostile/test_rule_scale.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from kbdoctor.engine import durable_backend
from kbdoctor.engine.compiler import compile_rule_base
from kbdoctor.engine.durable_backend import (
    ALPHA_STACK,
    FRAME_FACTS,
    SEQUENCE_EXPRESSIONS,
    Ruleset,
    bound_ids,
    rule_limits,
)
from kbdoctor.engine.errors import RuleFileError
from kbdoctor.engine.rulebase import parse_rule_texts

REPO = Path(__file__).resolve().parents[2]

HEADER = """kbdoctor: rules/1
pack: scale
causes:
  c1:
    title: {en: C, pl: C}
    description: {en: C, pl: C}
    kb_steps: [1]
    assessed_by: [clock_offset]
    remediation:
      - text: {en: "fix {host}", pl: "napraw {host}"}
rules:
"""


def _rule(ident: str, conditions: list[str]) -> str:
    when = "\n".join(conditions)
    return (
        f"  - id: {ident}\n    title: {{en: R, pl: R}}\n    when:\n{when}\n"
        f'    conclude: {{cause: c1, cf: 0.5, subject: "{ident}", values: {{host: "h"}}}}\n'
        "    explain: {en: x, pl: x}\n"
    )


def _condition(bind: str, fact: str, where: str) -> str:
    return f"      - bind: {bind}\n        fact: {fact}\n        where: {where}"


def _run_python(code: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        check=False,
    )


def _all_matching(count: int) -> dict[str, Any]:
    """``count`` rules on one fact type that every fact of the type passes, each through its
    own alpha node: the shape that overflowed durable-rules' 64-node matching stack."""
    return {
        f"r{i:04d}": {
            "all": [{"p_a": {"$and": [{"kbd_type": "x"}, {"$gt": {"v": float(i)}}]}}],
            "run": lambda match: bound_ids(match, ["p_a"]),
        }
        for i in range(count)
    }


_counter = iter(range(100_000))


@pytest.mark.parametrize("count", [ALPHA_STACK - 2, ALPHA_STACK, ALPHA_STACK + 1, 100, 170, 1000])
def test_many_rules_on_one_fact_type_all_fire(count: int) -> None:
    ruleset = Ruleset(f"scale{next(_counter)}", _all_matching(count))
    with ruleset.session() as session:
        session.assert_batch([{"id": f"f{k}", "kbd_type": "x", "v": 1e6} for k in range(3)])
        assert len(session.drain()) == 3 * count
    assert len(ruleset.parts) >= count // ALPHA_STACK


def test_without_the_split_durable_fails_and_the_process_survives() -> None:
    """What the split prevents, measured: with the backend told that durable-rules' stack is
    unlimited, 100 rules go into one ruleset, the C core stops with error 303, and the session is
    left alone (deleting it would crash) so the error is an exception, not an abort."""
    done = _run_python(
        """
        from kbdoctor.engine import durable_backend
        durable_backend.ALPHA_STACK = 10_000
        from kbdoctor.engine.durable_backend import DurableError, Ruleset, bound_ids
        rules = {f"r{i}": {"all": [{"p_a": {"$and": [{"kbd_type": "x"}, {"$gt": {"v": i}}]}}],
                           "run": lambda m: bound_ids(m, ["p_a"])} for i in range(100)}
        ruleset = Ruleset("unsplit", rules)
        assert len(ruleset.parts) == 1
        try:
            with ruleset.session() as session:
                session.assert_batch([{"id": "a", "kbd_type": "x", "v": 1000}])
        except DurableError as exc:
            print("refused:", exc)
        """
    )
    assert done.returncode == 0, done.stderr
    assert "error code: 303" in done.stdout


def _compile(rules: str) -> None:
    compile_rule_base(parse_rule_texts([("pack.yaml", HEADER + rules)]))


def _limit_problems(rules: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "pack.yaml"
    path.write_text(HEADER + rules, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        compile_rule_base(parse_rule_texts([(str(path), path.read_text(encoding="utf-8"))]))
    return [p.render("en") for p in caught.value.problems]


def _distinct_conditions(count: int) -> list[str]:
    """``count`` conditions on clock_offset, each joined to the first (one fact matches each)."""
    return [
        _condition(
            f"o{c}",
            "clock_offset",
            f"{{host: H{c}{', reference: {same_as: o0.reference}' if c else ''}}}",
        )
        for c in range(count)
    ]


def test_sixteen_conditions_are_accepted_and_fire() -> None:
    rules = _rule("wide", _distinct_conditions(FRAME_FACTS))
    base = parse_rule_texts([("pack.yaml", HEADER + rules)])
    from kbdoctor.engine.evaluate import Evaluator
    from kbdoctor.engine.facts import ClockOffset

    facts = [ClockOffset(host=f"H{c}", reference="DC01", offset_s=1.0) for c in range(16)]
    run = Evaluator(base).run(facts, explain=True)
    assert len(run.firings) == 1


@pytest.mark.parametrize("count", [FRAME_FACTS + 1])
def test_more_conditions_than_the_engine_holds_are_refused_at_load(
    tmp_path: Path, count: int
) -> None:
    problems = _limit_problems(_rule("wide", _distinct_conditions(count)), tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'pack.yaml'}:14:5: rule wide: ")
    words = f"binds {count} facts at once (its fact and finding conditions); at most {FRAME_FACTS}:"
    assert words in problems[0]


def test_a_rule_with_absence_and_sixteen_bindings_is_refused_for_its_explanation(
    tmp_path: Path,
) -> None:
    absent = "      - absent: {fact: port_state, where: {port: 88}}"
    problems = _limit_problems(_rule("wide", [*_distinct_conditions(16), absent]), tmp_path)
    assert "when explaining why it did not fire" in problems[0]


def test_too_many_joins_in_one_condition_are_refused_at_load(tmp_path: Path) -> None:
    tests = ", ".join(f"{{host: {{same_as: a{k % 2}.host}}}}" for k in range(SEQUENCE_EXPRESSIONS))
    conditions = [
        *(_condition(f"a{k}", "clock_offset", f"{{reference: R{k}}}") for k in range(2)),
        _condition("b", "clock_offset", f"{{any: [{tests}]}}"),
    ]
    problems = _limit_problems(_rule("joins", conditions), tmp_path)
    assert "and all/any groups; at most 31:" in problems[0]


def test_rule_limits_accepts_what_the_kb_rules_need() -> None:
    rule = {"all": [{"p_a": {"$and": [{"kbd_type": "x"}, {"v": 1}]}}]}
    assert rule_limits(rule) == []
    assert durable_backend.RULES_PER_PART < 4096


def test_each_rule_is_tried_against_a_few_parts_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Packing stays linear in the number of rules (a pack of 500 to 5,000 rules once gave no
    output after 300 s): a rule is tried against the last few parts at most, never all."""
    tried: list[int] = []
    add_rule = durable_backend._AlphaModel.add_rule

    def counted(model: Any, rule: dict[str, Any], **kwargs: Any) -> list[str]:
        tried.append(1)
        return add_rule(model, rule, **kwargs)

    monkeypatch.setattr(durable_backend._AlphaModel, "add_rule", counted)
    ruleset = Ruleset(f"pack{next(_counter)}", _all_matching(1000))
    parts = len(ruleset.parts)
    assert parts > durable_backend._OPEN_PARTS  # enough parts for "all of them" to differ
    fixed = len(durable_backend._fixed_rules())
    assert len(tried) <= 1000 * durable_backend._OPEN_PARTS + parts * (fixed + 1)


def test_a_cross_product_of_bindings_is_refused_at_load(tmp_path: Path) -> None:
    """Six bindings joined to nothing reached 14.7 GB: at most two may be unjoined."""
    six = [_condition(f"s{k}", "exchange_server", "{fqdn: {exists: true}}") for k in range(6)]
    problems = _limit_problems(_rule("cross", six), tmp_path)
    assert "6 of its conditions are not joined to an earlier one" in problems[0]
    assert "at most 2 may be: join the others with same_as or contains_ref" in problems[0]
    joined = [
        six[0],
        six[1],
        *(
            _condition(f"s{k}", "exchange_server", "{name: {same_as: s0.name}}")
            for k in range(2, 6)
        ),
    ]
    _compile(_rule("joined", joined))


def test_many_regex_rules_on_one_fact_type_evaluate(tmp_path: Path) -> None:
    """Each regex is a field computed on the fact; 300 of them made facts of more than the 255
    fields durable-rules holds (a segmentation fault). A part's facts carry only its fields."""
    rules = HEADER + "".join(
        _rule(f"r{i}", [_condition("q", "queue", f"{{last_error: {{matches: '^x{i} '}}}}")])
        for i in range(300)
    )
    (tmp_path / "pack.yaml").write_text(rules, encoding="utf-8")
    (tmp_path / "facts.yaml").write_text(
        "kbdoctor: facts/1\nfacts:\n"
        "  - {type: queue, server: EX01, last_error: 'x299 454 4.7.0'}\n"
        "  - {type: queue, server: EX02, last_error: 'x7 454 4.7.0'}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "kbdoctor", "evaluate", str(tmp_path / "facts.yaml"), "--rules",
         str(tmp_path / "pack.yaml"), "--format", "json"],
        capture_output=True, text=True, timeout=300, cwd=REPO, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr[-2000:]
    cause = next(c for c in json.loads(done.stdout)["causes"] if c["cause"] == "c1")
    assert cause["status"] == "diagnosed"


SAME_SITE = "{site: {same_as: s0.site}}"
JOIN_SIX = HEADER + _rule(
    "six",
    [
        _condition("s0", "exchange_server", "{}"),
        *(_condition(f"s{k}", "exchange_server", SAME_SITE) for k in range(1, 6)),
    ],
)


def test_a_rule_that_would_keep_millions_of_matches_is_not_run(tmp_path: Path) -> None:
    """Six bindings joined on a field ten servers share (the site) reached 14.7 GB: the rule is
    left out of the evaluation and named; the process stays within 3 GB of address space."""
    (tmp_path / "pack.yaml").write_text(JOIN_SIX, encoding="utf-8")
    done = _run_python(
        f"""
        import json, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
        sys.path.insert(0, ".")
        from bench.generate import generate_organisation
        from kbdoctor.engine.evaluate import Evaluator
        from kbdoctor.engine.factio import parse_fact_text
        from kbdoctor.engine.rulebase import load_rule_base
        facts = parse_fact_text(json.dumps(generate_organisation(100)), "org.json").facts
        evaluator = Evaluator(load_rule_base([{str(tmp_path / "pack.yaml")!r}]))
        report = evaluator.evaluate(facts, explain=True)
        print(json.dumps(report.budget.model_dump()))
        """,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    budget = json.loads(done.stdout.splitlines()[-1])
    assert budget == {"seconds": None, "unfinished_rules": ["six"], "reason": "matches"}


def test_the_knowledge_base_runs_whole_on_a_thousand_servers() -> None:
    from kbdoctor.engine.evaluate import Evaluator
    from kbdoctor.engine.factio import parse_fact_text

    from bench.generate import generate_organisation

    facts = parse_fact_text(json.dumps(generate_organisation(1000)), "org.json").facts
    report = Evaluator().evaluate(facts)
    assert report.budget is None


def test_command_line_names_the_rule_not_run(tmp_path: Path) -> None:
    from bench.generate import generate_organisation

    (tmp_path / "pack.yaml").write_text(JOIN_SIX, encoding="utf-8")
    (tmp_path / "org.json").write_text(json.dumps(generate_organisation(100)), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kbdoctor", "evaluate", str(tmp_path / "org.json"), "--rules",
         str(tmp_path / "pack.yaml")],
        capture_output=True, text=True, timeout=300, cwd=REPO, check=False,
    )  # fmt: skip
    assert done.returncode == 3
    assert done.stderr.startswith("1 rules were not run: ")
    assert done.stderr.rstrip().endswith(": six")
