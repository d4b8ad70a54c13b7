"""``kbdoctor rules lint --suppressions FILE``: the site's suppressions judged against the packs
loaded with them. A suppression naming a cause or rule no pack has, or matching on a field its
subjects never have, suppresses nothing while its author believes it does; an expired one is
ignored by every run."""

from __future__ import annotations

import datetime

from kbdoctor.engine.errors import Problem
from kbdoctor.engine.lint.model import Severity
from kbdoctor.engine.named_accounts import may_name_accounts
from kbdoctor.engine.rulebase import RuleBase
from kbdoctor.engine.rules_model import SubjectDef
from kbdoctor.engine.suppressions import Entry, Suppressions, expiry_warnings, load_suppressions

CHECK = "suppressions"
_MACHINES = frozenset({"host", "account", "spn"})


def lint_suppressions(
    path: str, base: RuleBase, today: datetime.date
) -> list[tuple[Problem, Severity]]:
    """Every problem of the file, each with its severity."""
    loaded = load_suppressions(path)
    if isinstance(loaded, list):
        return [(p, "error") for p in loaded]
    out: list[tuple[Problem, Severity]] = []
    for entry in loaded.entries:
        out.extend(_entry(entry, base, loaded))
    out.extend((p, "warning") for p in expiry_warnings(loaded.entries, today))
    return out


def _entry(entry: Entry, base: RuleBase, loaded: Suppressions) -> list[tuple[Problem, Severity]]:
    s = entry.suppression
    kinds = _subject_kinds(base, s.kind, s.target)
    if kinds is None:
        return [(entry.problem("lint.suppression_unknown", kind=s.kind, id=s.target), "error")]
    parts, located = kinds
    unused = [
        name
        for name, given, holds in (
            ("host", s.match.host, bool(set(parts.values()) & _MACHINES)),
            (
                "account",
                s.match.account,
                "account" in parts.values() or may_name_accounts(base, s.kind, s.target),
            ),
            ("connector", s.match.connector, "connector" in parts),
            ("path", s.match.path, located),
        )
        if given is not None and not holds
    ]
    return [
        (entry.problem("lint.suppression_match_unused", field=name, id=s.target), "warning")
        for name in unused
    ]


def _subject_kinds(base: RuleBase, kind: str, ident: str) -> tuple[dict[str, str], bool] | None:
    """The parts (name -> kind) of the subjects a cause (or a rule's conclusion) speaks about,
    and whether they can be placed on a failing path; None when nothing has that id."""
    if kind == "rule":
        rule = next((r for p in base.packs for r in p.rules if r.id == ident), None)
        if rule is None:
            return None
        kind, ident = rule.conclude.kind, rule.conclude.target
    if kind == "cause":
        cause = base.causes.get(ident)
        if cause is None:
            return None
        subject = cause.subject
        if isinstance(subject, SubjectDef):
            return dict(subject.parts), bool(subject.locate)
        return {"subject": subject}, subject in _MACHINES
    definition = base.conclusion_def(kind, ident)
    if definition is None:
        return {}, False  # a recommendation: no subject to match
    return {"subject": definition.subject}, definition.subject in _MACHINES
