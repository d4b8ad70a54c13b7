"""Rule packs whose chaining runs away (issue 10, item 3): each concludes new findings from its own
findings, so only the engine's bounds (the time budget, the cancel, the conclusion limit, the match
bound on a round of conclusions, the rounds) end a run of them. The auditor's fan.yaml and
pair.yaml, and a subject that grows a letter a round. Shared by bench/bench_runaway.py and the
tests, as bench/generate.py's organisations are."""

from __future__ import annotations

from pathlib import Path

_HEADER = """kbdoctor: rules/1
pack: grow
findings:
  grow:
    title: {en: G, pl: G}
    subject: text
    values: {a: text}
rules:
  - id: seed
    title: {en: S, pl: S}
    when:
      - bind: o
        fact: clock_offset
    conclude: {finding: grow, cf: 0.5, subject: "{o.host}", values: {a: "{o.host}"}}
    explain: {en: x, pl: x}
"""


def fan_rules(width: int = 2) -> str:
    """``width`` rules that each conclude a new finding from every finding: the findings grow
    ``width + 1`` times a round."""
    return _HEADER + "".join(
        f"""  - id: grow{i}
    title: {{en: G, pl: G}}
    when:
      - bind: g
        finding: grow
    conclude: {{finding: grow, cf: 0.5, subject: "{{g.subject}}{chr(96 + i)}", values: {{a: "y"}}}}
    explain: {{en: x, pl: x}}
"""
        for i in range(1, width + 1)
    )


# a self-join: every pair of findings concludes a new one, so n findings make n * (n - 1) firings
PAIR = (
    _HEADER
    + """  - id: grow
    title: {en: G, pl: G}
    when:
      - bind: g
        finding: grow
      - bind: h
        finding: grow
    conclude: {finding: grow, cf: 0.5, subject: "{g.subject}{h.subject}", values: {a: "y"}}
    explain: {en: x, pl: x}
"""
)


# a subject that grows by a letter a round: stopped after MAX_CHAIN_ROUNDS rounds
GROWING = """kbdoctor: rules/1
pack: grow
findings:
  grow:
    title: {en: G, pl: G}
    subject: text
rules:
  - id: seed
    title: {en: S, pl: S}
    when:
      - bind: o
        fact: clock_offset
    conclude: {finding: grow, cf: 0.5, subject: "{o.host}"}
    explain: {en: x, pl: x}
  - id: grow
    title: {en: G, pl: G}
    when:
      - bind: g
        finding: grow
    conclude: {finding: grow, cf: 0.5, subject: "{g.subject}x"}
    explain: {en: x, pl: x}
"""


def clock_facts(hosts: int) -> str:
    """A fact file of ``hosts`` clock offsets, the seeds of the packs above."""
    rows = "".join(
        f"  - {{type: clock_offset, host: EX{i:02d}, reference: DC01, offset_s: 1}}\n"
        for i in range(1, hosts + 1)
    )
    return "kbdoctor: facts/1\nfacts:\n" + rows


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
