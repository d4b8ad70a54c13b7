"""Rule packs at scale: how long rule packs of hundreds to thousands of rules take to load,
compile and evaluate, and how many durable-rules rulesets (parts) the backend spreads them over.

Run from the repository root::

    .venv/bin/python bench/bench_rule_scale.py --rules 100,1000,5000 --servers 100

Each pack holds ``--on-one-type`` rules (default 100) on ``clock_offset`` and the rest spread over
the other fact types of bench/generate.py's organisations, in the shapes support staff write: a
threshold, a value test, a join with an Exchange server. durable-rules 2.0.28 aborted from 65
such rules on one fact type (engine/durable_backend.py explains why); the figures show what the
split costs. Loading is timed apart: it is YAML parsing (ruamel in pure Python, for positions).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from kbdoctor.engine.compiler import compile_rule_base  # noqa: E402
from kbdoctor.engine.evaluate import Evaluator  # noqa: E402
from kbdoctor.engine.factio import parse_fact_text  # noqa: E402
from kbdoctor.engine.limits import Limits  # noqa: E402
from kbdoctor.engine.rulebase import parse_rule_texts  # noqa: E402

from bench.generate import generate_organisation  # noqa: E402
from bench.machine import say_reference  # noqa: E402

HEADER = """kbdoctor: rules/1
pack: scale
causes:
  scale:
    title: {en: Scale, pl: Skala}
    description: {en: Scale test, pl: Test skali}
    kb_steps: [1]
    assessed_by: [clock_offset]
    remediation:
      - text: {en: "look at {host}", pl: "sprawdź {host}"}
rules:
"""

# packs past the rule limit (KBDOCTOR_MAX_RULES) are what this benchmark measures
_ANY_RULES = Limits(rules=1_000_000)

# (fact type, bind, where, subject): {i} is the rule's number
_SHAPES: list[tuple[str, str, str, str]] = [
    ("port_state", "p", "{{port: {port}, state: {{in: [closed, filtered]}}}}", "{{p.target}}"),
    ("queue", "q", "{{message_count: {{gt: {i}}}}}", "{{q.server}}"),
    ("replication_link", "r", "{{consecutive_failures: {{ge: {small}}}}}", "{{r.destination}}"),
    ("exchange_server", "s", "{{name: EX{server:04d}}}", "{{s.name}}"),
    ("domain_controller", "d", "{{site: SITE{site:03d}}}", "{{d.name}}"),
    ("time_status", "t", "{{stratum: {{gt: {small}}}}}", "{{t.host}}"),
    ("spn_listing", "l", "{{spns: {{contains: 'http/x{i}'}}}}", "{{l.account}}"),
    ("receive_connector", "c", "{{name: {{matches: '^Connector {i}$'}}}}", "{{c.server}}"),
]


def _rule(ident: str, condition: str, subject: str) -> str:
    return (
        f"  - id: {ident}\n    title: {{en: R, pl: R}}\n    when:\n{condition}\n"
        f'    conclude: {{cause: scale, cf: 0.5, subject: "{subject}", '
        f'values: {{host: "{subject}"}}}}\n'
        "    explain: {en: x, pl: x}\n"
    )


def scale_pack(total: int, on_one_type: int) -> str:
    """A rule pack of ``total`` rules, ``on_one_type`` of them on clock_offset."""
    rules: list[str] = []
    for i in range(min(total, on_one_type)):
        condition = (
            "      - bind: o\n        fact: clock_offset\n"
            f"        where: {{offset_s: {{abs_gt: {0.01 + i / 10:.2f}}}}}"
        )
        rules.append(_rule(f"clock-{i}", condition, "{o.host}"))
    for i in range(max(0, total - on_one_type)):
        fact, bind, where, subject = _SHAPES[i % len(_SHAPES)]
        filled = where.format(i=i, port=(88, 464, 135, 389)[i % 4], small=i % 7,
                              server=1 + i % 100, site=i % 10)  # fmt: skip
        condition = f"      - bind: {bind}\n        fact: {fact}\n        where: {filled}"
        if i % 5 == 0 and fact in ("port_state", "queue"):
            joined = f"{bind}.source" if fact == "port_state" else f"{bind}.server"
            condition += (
                "\n      - bind: x\n        fact: exchange_server\n"
                f"        where: {{name: {{same_as: {joined}}}}}"
            )
        rules.append(_rule(f"{fact}-{i}", condition, subject.format()))
    return HEADER + "".join(rules)


def evaluate_pack(pack: str, organisation: dict[str, Any]) -> tuple[float, int, int]:
    """Seconds of one evaluation (after a warm-up), firings, durable rulesets used."""
    base = parse_rule_texts([("scale.yaml", pack)], _ANY_RULES)
    evaluator = Evaluator(base)
    facts = parse_fact_text(json.dumps(organisation), "org.json").facts
    firings = len(evaluator.run(facts).firings)
    start = time.perf_counter()
    evaluator.evaluate(facts)
    seconds = time.perf_counter() - start
    return seconds, firings, len(evaluator._ruleset.parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rules", default="100,1000,5000", help="pack sizes, comma-separated")
    parser.add_argument(
        "--on-one-type",
        type=int,
        default=100,
        help="rules on clock_offset in each pack (default 100)",
    )
    parser.add_argument("--servers", type=int, default=100, help="Exchange servers (default 100)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.rules.split(",") if s.strip()]
    organisation = generate_organisation(args.servers)
    say_reference("before")
    print(
        f"organisation: {args.servers} servers, {len(organisation['facts'])} facts; "
        f"{args.on_one_type} rules on clock_offset in each pack\n"
    )
    header = (
        f"{'rules':>6} {'load':>8} {'compile':>8} {'build':>8} {'parts':>6} "
        f"{'evaluate':>9} {'firings':>8}"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="kbdoctor-scale-") as tmp:
        for total in sizes:
            pack = scale_pack(total, args.on_one_type)
            path = Path(tmp) / f"pack-{total}.yaml"
            path.write_text(pack, encoding="utf-8")
            start = time.perf_counter()
            base = parse_rule_texts([(str(path), pack)], _ANY_RULES)
            loaded = time.perf_counter()
            compile_rule_base(base)
            compiled = time.perf_counter()
            evaluator = Evaluator(base)
            built = time.perf_counter()
            facts = parse_fact_text(json.dumps(organisation), "org.json").facts
            start_eval = time.perf_counter()
            report = evaluator.evaluate(facts)
            evaluated = time.perf_counter() - start_eval
            firings = len(evaluator.run(facts).firings)
            del report
            print(
                f"{total:>6} {loaded - start:>7.2f}s {compiled - loaded:>7.2f}s "
                f"{built - compiled:>7.2f}s {len(evaluator._ruleset.parts):>6} "
                f"{evaluated:>8.2f}s {firings:>8}",
                flush=True,
            )
    say_reference("after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
