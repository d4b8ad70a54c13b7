"""A deliberately slow rule pack and the facts that make it slow: every one of ``rules`` rules
fires on every one of ``facts`` clock offsets, so an evaluation records rules x facts firings
(100 x 2,000: several seconds, spread over many assertions). Used to show that a time budget and a
cancel stop an evaluation part-way, and that the TUI answers keys meanwhile."""

from __future__ import annotations

import json
from pathlib import Path

HEADER = """kbdoctor: rules/1
pack: slow
causes:
  slow:
    title: {en: Slow, pl: Wolna}
    description: {en: A slow pack, pl: Wolny pakiet}
    kb_steps: [1]
    assessed_by: [clock_offset]
    remediation:
      - text: {en: "look at {host}", pl: "sprawdź {host}"}
rules:
"""


def slow_rules(count: int = 100) -> str:
    """``count`` rules on clock_offset that every offset above ``count`` ms passes."""
    return HEADER + "".join(
        f"  - id: slow{i:03d}\n    title: {{en: S, pl: S}}\n    when:\n"
        f"      - bind: o\n        fact: clock_offset\n"
        f"        where: {{offset_s: {{gt: {i / 1000}}}}}\n"
        f'    conclude: {{cause: slow, cf: 0.5, subject: "{{o.host}}", '
        f'values: {{host: "{{o.host}}"}}}}\n'
        "    explain: {en: x, pl: x}\n"
        for i in range(count)
    )


def slow_facts(count: int = 2000) -> str:
    """A JSON fact file of ``count`` clock offsets, each of its own host."""
    facts = [
        {"type": "clock_offset", "host": f"H{k:05d}", "reference": "DC01", "offset_s": 100.0}
        for k in range(count)
    ]
    return json.dumps({"kbdoctor": "facts/1", "facts": facts})


def write_slow_pack(folder: Path, rules: int = 100, facts: int = 2000) -> tuple[Path, Path]:
    """The pack and its facts written into ``folder``: (rule file, fact file)."""
    rule_file, fact_file = folder / "slow-rules.yaml", folder / "slow-facts.json"
    rule_file.write_text(slow_rules(rules), encoding="utf-8")
    fact_file.write_text(slow_facts(facts), encoding="utf-8")
    return rule_file, fact_file
