"""Which rules' silence says nothing when an evaluation was cut short (the time budget, a cancel,
chaining stopped, rules refused for their matches).

A rule that did not finish never saw some facts: that it concluded nothing is no evidence. Nor is
the silence of a rule that builds on what an unfinished rule would have concluded (a finding,
a symptom), or that tests for its absence. The report must not turn either into "no evidence",
"ruled out", a WHY-NOT or a request for facts the case may already hold.
"""

from __future__ import annotations

from kbdoctor.engine.compiler import Compiled
from kbdoctor.engine.evaluate import Run

Producers = dict[tuple[str, str], set[str]]  # (kind, id) of a conclusion -> rules concluding it


def producers(compiled: Compiled) -> Producers:
    out: Producers = {}
    for rule in compiled.rules:
        conclude = rule.rule.conclude
        out.setdefault((conclude.kind, conclude.target), set()).add(rule.rule.id)
    return out


def cut_short_rules(run: Run, made: Producers | None = None) -> set[str]:
    """The ids of the rules that did not finish, and of every rule whose conditions (positive
    or absent) name a conclusion one of those makes, however far down the chain."""
    if not run.unfinished:
        return set()
    made = producers(run.compiled) if made is None else made
    out = set(run.unfinished)
    grew = True
    while grew:
        grew = False
        for rule in run.compiled.rules:
            ident = rule.rule.id
            if ident in out:
                continue
            if any(
                p.kind != "fact" and made.get((p.kind, p.target), set()) & out
                for p in rule.patterns
            ):
                out.add(ident)
                grew = True
    return out
