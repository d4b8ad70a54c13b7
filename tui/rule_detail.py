"""One rule as an engineer checks it: its conditions, where it is written, its pack, and what it
concluded in this case.

The Rules tab lists rules by id and title; to trust (or doubt) a conclusion an engineer reads the
rule itself. The conditions are rendered by the engine's own
:func:`kbdoctor.engine.why_not.describe_where` (the words WHY-NOT uses), the line is found in the
rule file as it is on disk now, and the firings are taken from the report shown, so the view says
exactly what this rule did with these facts. No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass

from kbdoctor.engine.factio import read_text_limited
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.report import Firing, Report
from kbdoctor.engine.rulebase import RuleBase
from kbdoctor.engine.rules_model import Absent, Pattern, Rule
from kbdoctor.engine.why_not import describe_where
from kbdoctor.engine.yamlio import load_yaml


@dataclass(frozen=True)
class RuleFacts:
    """What the view shows of one rule."""

    rule: Rule
    pack: str
    file: str
    line: int | None  # None: the file changed or cannot be read (never a guessed line)
    conditions: tuple[str, ...]
    conclusion: str
    disabled_by: str | None
    cf_set_by: str | None
    firings: tuple[tuple[str, Firing], ...]  # (what it concluded: cause, symptom or finding id)


def condition_text(condition: Pattern | Absent) -> str:
    """``fact clock_offset as off: offset_s abs_gt 300`` / ``no fact spn_listing: ...``."""
    pattern = condition.absent if isinstance(condition, Absent) else condition
    head = f"{pattern.kind} {pattern.target}"
    if pattern.bind:
        head += f" as {pattern.bind}"
    if isinstance(condition, Absent):
        head = "no " + head
    where = describe_where(pattern.where)
    return f"{head}: {where}" if where else head


def rule_line(file: str, rule_id: str) -> int | None:
    """The line of the rule's ``id`` in its file as it is now; None when it cannot be read."""
    try:
        content = read_text_limited(file, Limits())
        data, locator = load_yaml(content)
    except Exception:  # OSError, refused input, ruamel's errors (no common base): no line to give
        return None
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, list):
        return None
    for index, item in enumerate(rules):
        if isinstance(item, dict) and item.get("id") == rule_id:
            line, _ = locator.position(("rules", index, "id"))
            return line
    return None


def firings_of(report: Report | None, rule_id: str) -> tuple[tuple[str, Firing], ...]:
    """The rule's firings in the report: under each cause, symptom and finding it spoke to."""
    if report is None:
        return ()
    found: list[tuple[str, Firing]] = []
    for cause in report.causes:
        found.extend((cause.cause, f) for f in cause.evidence if f.rule == rule_id)
    for symptom in report.symptoms:
        found.extend((symptom.id, f) for f in symptom.evidence if f.rule == rule_id)
    for finding in report.findings:
        found.extend((finding.id, f) for f in finding.evidence if f.rule == rule_id)
    return tuple(found)


def rule_facts(base: RuleBase, rule_id: str, report: Report | None) -> RuleFacts | None:
    """The rule of that id (a disabled rule too: the view says which pack disabled it)."""
    for pack in base.packs:
        for rule in pack.rules:
            if rule.id != rule_id:
                continue
            conclude = rule.conclude
            cf = next((r.conclude.cf for r in base.rules if r.id == rule_id), conclude.cf)
            changed = base.changed.get(rule_id)
            return RuleFacts(
                rule=rule,
                pack=pack.pack,
                file=pack.file,
                line=rule_line(pack.file, rule_id),
                conditions=tuple(condition_text(c) for c in rule.when),
                conclusion=f"{conclude.kind} {conclude.target} cf {cf:g}",
                disabled_by=base.disabled.get(rule_id),
                cf_set_by=changed[0] if changed else None,
                firings=firings_of(report, rule_id),
            )
    return None
