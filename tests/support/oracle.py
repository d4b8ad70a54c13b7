"""An independent evaluator of kbdoctor rule files, used by tests as an oracle for the engine.

It reads the same rule models (``RuleBase``) and the same prepared fact views (ids, display values,
host registry from ``kbdoctor.engine.normalize.prepare``) as the engine, and nothing else of it:
no compiler, no features, no member facts, no durable-rules. Matching is the rule language as
documented in ``engine/rules_model.py``, written the plainest way there is (nested loops over
bindings in condition order), so that a disagreement with the engine points at a bug in one of
the two and never at shared code.

Semantics implemented here, on purpose without looking at how the engine achieves them:

- a field test on an absent (or None) field fails, except ``exists: false``;
- host fields compare by HostRegistry key (a short literal compares short names), account and
  SPN fields by their canonical names, numbers as numbers;
- ``matches``/``not_matches`` are ``re.search`` on the value as given (on a list: any item);
- ``not`` is De Morgan with every operator replaced by its inverse (so ``not: {x: {eq: 1}}`` still
  fails on an absent ``x``, like ``ne``);
- ``contains_ref`` holds when the (normalised) list contains the referenced (normalised) value;
- ``absent`` holds when no fact of the type passes its ``where`` under the bindings so far;
- conclusions become facts of type ``kind:id`` with their subject key and values, in rounds until
  nothing new fires; certainty factors are combined MYCIN-style, positives and negatives apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kbdoctor.engine.compiler import Compiled
from kbdoctor.engine.evaluate import Run
from kbdoctor.engine.facts import FACT_TYPES, Fact, FieldKind, field_kind
from kbdoctor.engine.names import HostRegistry, account_name, host_name, short_name, spn_name
from kbdoctor.engine.normalize import prepare
from kbdoctor.engine.rulebase import RuleBase
from kbdoctor.engine.rules_model import Absent, FieldTest, Pattern, Rule, SubjectDef, Where
from kbdoctor.engine.templates import render

ConclusionKey = tuple[str, str, str]  # kind, id, subject key
Firing = tuple[str, tuple[str, ...]]  # rule id, ids bound to the positive conditions

_PREMISE_THRESHOLD = 0.2
_INVERSE = {
    "eq": "ne",
    "ne": "eq",
    "lt": "ge",
    "ge": "lt",
    "le": "gt",
    "gt": "le",
    "abs_gt": "abs_le",
    "abs_le": "abs_gt",
    "abs_ge": "abs_lt",
    "abs_lt": "abs_ge",
    "in": "not_in",
    "not_in": "in",
    "matches": "not_matches",
    "not_matches": "matches",
    "contains": "not_contains",
    "not_contains": "contains",
    "same_as": "differs_from",
    "differs_from": "same_as",
}


def conclusion_ident(key: ConclusionKey) -> str:
    """How a bound conclusion appears in a firing's ids (the engine's ``c-...`` ids are mapped to
    this by the tests)."""
    return "{}:{}:{}".format(*key)


@dataclass
class OracleFact:
    ident: str
    type: str  # a fact type, or "kind:id" for a conclusion
    display: dict[str, Any]  # values as given: what templates and regular expressions read
    match: dict[str, Any]  # normalised values, what tests compare
    kinds: dict[str, FieldKind | None]  # comparison kind of each field


@dataclass
class OracleResult:
    firings: set[Firing] = field(default_factory=set)
    confidence: dict[ConclusionKey, float] = field(default_factory=dict)
    values: dict[ConclusionKey, dict[str, str]] = field(default_factory=dict)


class Oracle:
    def __init__(self, base: RuleBase) -> None:
        self.base = base
        # prepare() reads only base.derive from this container; it is not compiled.
        self._views = Compiled(base=base, rules=[])

    # --- fact views -------------------------------------------------------------------------------

    def _facts(self, facts: Sequence[Fact]) -> tuple[list[OracleFact], HostRegistry]:
        prepared, registry, _ = prepare(list(facts), self._views)
        out = []
        for item in prepared:
            kinds: dict[str, FieldKind | None] = {}
            model_fields = FACT_TYPES[item.type].model_fields
            for name in item.display:
                kinds[name] = field_kind(item.type, name) if name in model_fields else None
            match = {
                name: _normal(kinds[name], value, registry)
                for name, value in item.display.items()
                if value is not None
            }
            match["id"] = item.id
            display = {"id": item.id, **item.display}
            out.append(OracleFact(item.id, item.type, display, match, kinds))
        return out, registry

    # --- the run ----------------------------------------------------------------------------------

    def run(self, facts: Sequence[Fact]) -> OracleResult:
        base_facts, registry = self._facts(facts)
        by_type: dict[str, list[OracleFact]] = {}
        for fact in base_facts:
            by_type.setdefault(fact.type, []).append(fact)
        result = OracleResult()
        firings_of: dict[ConclusionKey, list[tuple[Rule, tuple[str, ...]]]] = {}
        display_subject: dict[ConclusionKey, str] = {}
        seen: set[tuple[int, tuple[str, ...]]] = set()
        while True:
            fresh: list[tuple[int, tuple[str, ...], list[OracleFact]]] = []
            for index, rule in enumerate(self.base.rules):
                if rule.status == "deprecated":  # listed, never evaluated
                    continue
                for bound in self._bindings(rule, by_type, registry):
                    ids = tuple(f.ident for f in bound)
                    if (index, ids) not in seen:
                        seen.add((index, ids))
                        fresh.append((index, ids, bound))
            if not fresh:
                break
            fresh.sort(key=lambda item: (item[0], item[1]))
            for index, ids, bound in fresh:
                rule = self.base.rules[index]
                result.firings.add((rule.id, ids))
                bindings = self._template_values(rule, bound)
                conclusion = rule.conclude
                subject, subject_key = self._subject(rule, bindings, registry)
                key = (conclusion.kind, conclusion.target, subject_key)
                if key not in firings_of:
                    firings_of[key] = []
                    display_subject[key] = subject
                    values = {n: render(t, bindings) for n, t in conclusion.values.items()}
                    result.values[key] = values
                    by_type.setdefault(f"{key[0]}:{key[1]}", []).append(
                        self._conclusion_fact(key, subject, values, registry)
                    )
                firings_of[key].append((rule, ids))
        result.confidence = _confidences(firings_of)
        return result

    def _template_values(self, rule: Rule, bound: list[OracleFact]) -> dict[str, Any]:
        positives = [c for c in rule.when if isinstance(c, Pattern)]
        return {p.bind: f.display for p, f in zip(positives, bound, strict=True) if p.bind}

    def _subject(
        self, rule: Rule, bindings: dict[str, Any], registry: HostRegistry
    ) -> tuple[str, str]:
        """The subject as shown and as keyed. A cause with parts keys each part by its kind,
        ``*`` (or a missing value) for a part not known, sorted for a pair without order."""
        conclusion = rule.conclude
        declared = (
            self.base.causes[conclusion.target].subject if conclusion.kind == "cause" else None
        )
        if not isinstance(declared, SubjectDef):
            assert isinstance(conclusion.subject, str)
            subject = render(conclusion.subject, bindings)
            kind = self._subject_kind(conclusion.kind, conclusion.target)
            return subject, _key(kind, subject, registry)
        assert isinstance(conclusion.subject, dict)
        shown: dict[str, str] = {}
        keyed: dict[str, str] = {}
        for name, kind in declared.parts.items():
            value = render(conclusion.subject[name], bindings).strip()
            unknown = value in ("", "*", "?")
            shown[name] = "*" if unknown else value
            keyed[name] = "*" if unknown else _key(kind, value, registry)
        if declared.unordered:
            names = list(declared.parts)
            ordered = sorted(names, key=lambda n: (keyed[n] == "*", keyed[n]))
            shown = {n: shown[o] for n, o in zip(names, ordered, strict=True)}
            keyed = {n: keyed[o] for n, o in zip(names, ordered, strict=True)}
        key = "\x1f".join(f"{n}={keyed[n]}" for n in declared.parts)
        return render(declared.text, shown), key

    def _subject_kind(self, kind: str, ident: str) -> str:
        if kind == "cause":
            subject = self.base.causes[ident].subject
            return subject if isinstance(subject, str) else "text"
        definition = self.base.conclusion_def(kind, ident)
        return definition.subject if definition is not None else "text"

    def _conclusion_fact(
        self, key: ConclusionKey, subject: str, values: dict[str, str], registry: HostRegistry
    ) -> OracleFact:
        ident = conclusion_ident(key)
        definition = self.base.conclusion_def(key[0], key[1])
        subject_kind = self._subject_kind(key[0], key[1])
        kinds: dict[str, FieldKind | None] = {"subject": _field_kind_of(subject_kind)}
        match: dict[str, Any] = {"id": ident, "subject": key[2]}
        for name, value in values.items():
            value_kind = definition.values.get(name, "text") if definition else "text"
            kinds[name] = _field_kind_of(value_kind)
            if value_kind == "number":
                try:
                    match[name] = float(value)
                except ValueError:
                    continue
            else:
                match[name] = _key(value_kind, value, registry)
        display = {"id": ident, "subject": subject, **values}
        return OracleFact(ident, f"{key[0]}:{key[1]}", display, match, kinds)

    # --- matching ---------------------------------------------------------------------------------

    def _bindings(
        self, rule: Rule, by_type: dict[str, list[OracleFact]], registry: HostRegistry
    ) -> Iterator[list[OracleFact]]:
        conditions = list(rule.when)

        def walk(
            position: int, env: dict[str, OracleFact], bound: list[OracleFact]
        ) -> Iterator[list[OracleFact]]:
            if position == len(conditions):
                yield list(bound)
                return
            condition = conditions[position]
            if isinstance(condition, Absent):
                pattern = condition.absent
                if any(
                    self._passes(pattern.where, f, env, registry)
                    for f in by_type.get(_type_of(pattern), [])
                ):
                    return
                yield from walk(position + 1, env, bound)
                return
            for candidate in by_type.get(_type_of(condition), []):
                if self._passes(condition.where, candidate, env, registry):
                    inner = dict(env)
                    if condition.bind:
                        inner[condition.bind] = candidate
                    yield from walk(position + 1, inner, [*bound, candidate])

        yield from walk(0, {}, [])

    def _passes(
        self,
        where: Where,
        fact: OracleFact,
        env: dict[str, OracleFact],
        registry: HostRegistry,
        *,
        negated: bool = False,
    ) -> bool:
        """Whether ``fact`` passes ``where`` (or, negated, ``not where`` by De Morgan)."""
        tests = [
            self._test(
                name, _inverted(t) if negated else (t.operator, t.value), fact, env, registry
            )
            for name, t in where.tests.items()
        ]
        alls = [self._passes(w, fact, env, registry, negated=negated) for w in where.all or []]
        anys = [self._passes(w, fact, env, registry, negated=negated) for w in where.any or []]
        nots = (
            [self._passes(where.not_, fact, env, registry, negated=not negated)]
            if where.not_ is not None
            else []
        )
        if not negated:
            return all(tests) and all(alls) and (not where.any or any(anys)) and all(nots)
        parts = [*tests, *alls, *nots]
        if where.any:
            parts.append(all(anys))
        return any(parts) if parts else False

    def _test(
        self,
        name: str,
        op_value: tuple[str, Any],
        fact: OracleFact,
        env: dict[str, OracleFact],
        registry: HostRegistry,
    ) -> bool:
        op, value = op_value
        present = name in fact.match and fact.match[name] is not None
        if op == "exists":
            return present == bool(value)
        if not present:
            return False
        actual = fact.match[name]
        kind = fact.kinds.get(name)
        if op in ("same_as", "differs_from", "contains_ref"):
            alias, sub = str(value).split(".", 1)
            other = env[alias]
            if sub not in other.match or other.match[sub] is None:
                return False
            ref = other.match[sub]
            if op == "contains_ref":
                return isinstance(actual, list) and ref in actual
            equal = _same(actual, ref)
            return equal if op == "same_as" else not equal
        if op in ("matches", "not_matches"):
            raw = fact.display.get(name)
            items = raw if isinstance(raw, list) else [raw]
            found = any(re.search(str(value), str(item)) for item in items)
            return found if op == "matches" else not found
        if op in ("contains", "not_contains"):
            if not isinstance(actual, list):
                return False
            literal = _literal(kind, value, registry)
            if op == "contains":
                return any(_equal_literal(kind, item, literal) for item in actual)
            return not any(_may_be(kind, item, literal) for item in actual)
        if op in ("eq", "ne", "in", "not_in"):
            options = [
                _literal(kind, v, registry) for v in (value if op in ("in", "not_in") else [value])
            ]
            if op in ("eq", "in"):
                return any(_equal_literal(kind, actual, literal) for literal in options)
            return not any(_may_be(kind, actual, literal) for literal in options)
        number = float(actual)
        bound = float(value)
        return {
            "lt": number < bound,
            "le": number <= bound,
            "gt": number > bound,
            "ge": number >= bound,
            "abs_gt": abs(number) > bound,
            "abs_ge": abs(number) >= bound,
            "abs_lt": abs(number) < bound,
            "abs_le": abs(number) <= bound,
        }[op]


def _type_of(pattern: Pattern) -> str:
    return pattern.target if pattern.kind == "fact" else f"{pattern.kind}:{pattern.target}"


def _inverted(test: FieldTest) -> tuple[str, Any]:
    if test.operator == "exists":
        return ("exists", not test.value)
    return (_INVERSE[test.operator], test.value)


@dataclass(frozen=True)
class _HostLiteral:
    """A host name written in a rule: a short one compares short names, a full one keys."""

    short: bool
    name: str


def _literal(kind: FieldKind | None, value: Any, registry: HostRegistry) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if kind is FieldKind.HOST:
        canonical = host_name(str(value))
        if "." not in canonical:
            return _HostLiteral(True, canonical)
        return _HostLiteral(False, registry.key(canonical))
    if kind is FieldKind.ACCOUNT:
        return account_name(str(value))
    if kind is FieldKind.SPN:
        return spn_name(str(value))
    return value


def _equal_literal(kind: FieldKind | None, actual: Any, literal: Any) -> bool:
    if isinstance(literal, _HostLiteral):
        if literal.short:
            return short_name(str(actual)) == literal.name
        return bool(actual == literal.name)
    return _same(actual, literal)


def _may_be(kind: FieldKind | None, actual: Any, literal: Any) -> bool:
    """Whether ``actual`` may be ``literal``, so that a negation may not hold: equal, or a host
    known by its short name only against an FQDN with that first label (its domain unknown)."""
    if isinstance(literal, _HostLiteral) and not literal.short:
        return str(actual) in (literal.name, literal.name.split(".", 1)[0])
    return _equal_literal(kind, actual, literal)


def _same(a: Any, b: Any) -> bool:
    """Equality of normalised values; booleans are not numbers."""
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return bool(a == b)


def _normal(kind: FieldKind | None, value: Any, registry: HostRegistry) -> Any:
    if isinstance(value, list):
        return [_normal(kind, v, registry) for v in value]
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    if kind is FieldKind.HOST:
        return registry.key(text)
    if kind is FieldKind.ACCOUNT:
        return account_name(text)
    if kind is FieldKind.SPN:
        return spn_name(text)
    return text


def _field_kind_of(value_kind: str) -> FieldKind | None:
    return {"host": FieldKind.HOST, "account": FieldKind.ACCOUNT, "spn": FieldKind.SPN}.get(
        value_kind
    )


def _key(kind: str, value: str, registry: HostRegistry) -> str:
    if kind == "host":
        return registry.key(value)
    if kind == "account":
        return account_name(value)
    if kind == "spn":
        return spn_name(value)
    if kind == "number":
        return value
    return value.strip().lower()


# --- certainty factors ---------------------------------------------------------------------------


def _together(a: float, b: float) -> float:
    """Two pieces of evidence of the same sign."""
    return a + b * (1 - a) if a >= 0 else a + b * (1 + a)


def _combined(factors: list[float]) -> float:
    supporting = 0.0
    opposing = 0.0
    for factor in factors:
        if factor > 0:
            supporting = _together(supporting, factor)
        elif factor < 0:
            opposing = _together(opposing, factor)
    if supporting and opposing:
        denominator = 1 - min(supporting, -opposing)
        total = 0.0 if denominator == 0 else (supporting + opposing) / denominator
    else:
        total = supporting or opposing
    return round(total, 6)


def _confidences(
    firings_of: dict[ConclusionKey, list[tuple[Rule, tuple[str, ...]]]],
) -> dict[ConclusionKey, float]:
    by_ident = {conclusion_ident(key): key for key in firings_of}
    done: dict[ConclusionKey, float] = {}
    visiting: set[ConclusionKey] = set()

    def confidence(key: ConclusionKey) -> float:
        if key in done:
            return done[key]
        if key in visiting:
            return 0.0  # a conclusion resting on itself adds nothing
        visiting.add(key)
        factors = []
        for rule, ids in firings_of[key]:
            premises = [confidence(by_ident[i]) for i in ids if i in by_ident]
            weakest = min(premises, default=1.0)
            factors.append(0.0 if weakest <= _PREMISE_THRESHOLD else rule.conclude.cf * weakest)
        visiting.discard(key)
        done[key] = _combined(factors)
        return done[key]

    for key in sorted(firings_of):
        confidence(key)
    return done


def engine_result(run: Run) -> OracleResult:
    """The engine's run in the oracle's terms: rule ids instead of indexes, member facts as their
    parent, bound conclusions as ``kind:id:subject``."""

    def ident(raw: str) -> str:
        conclusion = run.by_fact_id.get(raw)
        if conclusion is not None:
            return conclusion_ident(conclusion.key)
        return raw.split("#", 1)[0]

    firings = {
        (run.compiled.rules[r.rule_index].rule.id, tuple(ident(i) for i in r.ids))
        for r in run.firings
    }
    values = {key: dict(c.values) for key, c in run.conclusions.items()}
    return OracleResult(firings, dict(run.confidence), values)
