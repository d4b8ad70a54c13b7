"""Rule models -> durable-rules ruleset definitions (plain dicts), plus everything the evaluator
must prepare on the facts for those definitions to work.

durable-rules matches; this module only translates. Where durable-rules cannot express a test,
the test becomes a *feature*: a field computed on each fact before assertion (a Python regular
expression, negated list membership, a short host name), and durable-rules matches on the feature.
Joins on list membership (``contains_ref``) cannot be written in durable-rules at all (a join inside
``$iany`` does not compile), so lists used that way are asserted as *member facts*, one per item,
carrying the parent's fields, and the pattern matches the member.

Negation in durable-rules depends on arrival order (docs/durable-rules.md), so the compiler
also computes *phases*: the order in which fact types must be asserted, in separate batches, so
that every fact a rule negates over is present before the last positive fact of that rule arrives.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from kbdoctor.engine.durable_backend import FRAME_FACTS, matchable_number, rule_limits
from kbdoctor.engine.errors import Context, Problem, RuleFileError
from kbdoctor.engine.facts import FieldKind, field_kind
from kbdoctor.engine.names import account_name, host_name, short_name, spn_name
from kbdoctor.engine.rulebase import RuleBase
from kbdoctor.engine.rules_model import Absent, FieldTest, Pattern, Rule, Where
from kbdoctor.engine.safe_regex import RegexError, compile_regex, search_in_group

TYPE = "kbd_type"
ITEM = "kbd_item"
REF = "kbd_ref"


def member_type(fact_type: str, list_field: str) -> str:
    return f"{fact_type}[{list_field}]"


def conclusion_type(kind: str, ident: str) -> str:
    return f"{kind}:{ident}"


def alias_of(bind: str) -> str:
    """Aliases are prefixed so they cannot shadow durable-rules' own names (``m``, ``s``)."""
    return f"p_{bind}"


@dataclass(frozen=True)
class Feature:
    """A field computed on facts of one type before assertion."""

    name: str
    fact_type: str
    field: str
    kind: str  # "regex", "has", "short", "shorts", "may_be"
    argument: str
    group: tuple[str, ...] = ()  # "regex": every pattern tested on this field, matched at once

    def compute(self, value: Any) -> int | str | list[str] | None:
        if value is None:
            return None
        if self.kind == "regex":
            items = value if isinstance(value, list) else [value]
            found = any(search_in_group(self.group, self.argument, str(v)) for v in items)
            return 1 if found else 0
        if self.kind == "has":
            return 1 if self.argument in value else 0
        if self.kind == "may_be":
            # host keys (one, or a list) that may name the host of an FQDN: that FQDN, or its
            # first label where the facts know the host by its short name only
            label = self.argument.split(".", 1)[0]
            keys = value if isinstance(value, list) else [value]
            return 1 if any(k == self.argument or k == label for k in map(str, keys)) else 0
        if self.kind == "shorts":
            # a list of hosts as written: the first label of each, as "short" gives of one
            items = value if isinstance(value, list) else [value]
            return [short_name(str(v)) for v in items]
        return str(value).split(".", 1)[0]


@dataclass(frozen=True)
class CompiledPattern:
    position: int  # index in rule.when
    alias: str | None  # durable alias of a positive pattern
    bind: str | None
    kind: str  # fact, finding, symptom, cause
    target: str  # fact type or conclusion id
    asserted_type: str  # what durable sees in kbd_type (member or conclusion types included)
    negated: bool
    expression: dict[str, Any]
    solo_expression: dict[str, Any]  # without join tests: "does any fact pass on its own?"


@dataclass
class CompiledRule:
    rule: Rule
    patterns: list[CompiledPattern]
    index: int = 0

    @cached_property
    def positives(self) -> list[CompiledPattern]:
        return [p for p in self.patterns if not p.negated]

    @cached_property
    def negatives(self) -> list[CompiledPattern]:
        return [p for p in self.patterns if p.negated]

    def definition(self) -> dict[str, Any]:
        return {
            "all": [
                {(f"n_{p.position}$not" if p.negated else p.alias): p.expression}
                for p in self.patterns
            ]
        }

    def probes(self, make_action: Callable[[str, CompiledRule, list[str]], Any]) -> dict[str, Any]:
        """This rule's WHY NOT probes (see ``Compiled.probes``)."""
        out: dict[str, Any] = {}
        index, positives = self.index, self.positives
        for k in range(1, len(positives) + 1):
            aliases = [p.alias for p in positives[:k] if p.alias]
            out[f"r{index:04d}_prefix{k}"] = {
                "all": [{p.alias: p.expression} for p in positives[:k]],
                "run": make_action(f"prefix{k}", self, aliases),
            }
            solo = positives[k - 1]
            out[f"r{index:04d}_solo{k}"] = {
                "all": [{"p_solo": solo.solo_expression}],
                "run": make_action(f"solo{k}", self, ["p_solo"]),
            }
        for negative in self.negatives:
            aliases = [p.alias for p in positives if p.alias] + ["p_block"]
            out[f"r{index:04d}_block{negative.position}"] = {
                "all": [{p.alias: p.expression} for p in positives]
                + [{"p_block": negative.expression}],
                "run": make_action(f"block{negative.position}", self, aliases),
            }
        return out

    def engine_limits(self) -> list[str]:
        """What durable-rules could not hold of this rule or, failing that, of its WHY NOT
        probes (which bind one fact more when the rule has an absence test)."""
        problems = rule_limits(self.definition())
        if problems:
            return problems
        # a probe tests a subset of the rule's patterns, except that an absence test's becomes a
        # binding: only the number of facts bound at once can exceed what the rule needs
        bound = len(self.positives) + 1
        if self.negatives and bound > FRAME_FACTS:
            return [Context("error.limit_bound_facts_why_not", count=bound, most=FRAME_FACTS)]
        return []


@dataclass
class Compiled:
    """A rule base ready for durable-rules: definitions, features, member lists, phases."""

    base: RuleBase
    rules: list[CompiledRule]
    features: dict[str, list[Feature]] = field(default_factory=dict)  # by fact type
    members: dict[str, set[str]] = field(default_factory=dict)  # fact type -> list fields
    used_fields: dict[str, set[str]] = field(default_factory=dict)  # asserted type -> fields
    phases: dict[str, int] = field(default_factory=dict)  # asserted base type -> phase
    consumed_conclusions: set[str] = field(default_factory=set)  # conclusion types rules bind
    digest: str = ""
    plans: dict[str, object] = field(default_factory=dict)  # per fact type, see normalize._plan

    def ruleset(self, make_action: Callable[[CompiledRule], Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for index, compiled in enumerate(self.rules):
            definition = compiled.definition()
            definition["run"] = make_action(compiled)
            out[f"r{index:04d}"] = definition
        return out

    def match_bounds(
        self, facts: list[dict[str, Any]], limit: int, rules: set[int] | None = None
    ) -> dict[int, int]:
        """For each rule, a bound on how many matches (partial ones included) durable-rules could
        keep for these facts: per positive fact condition, the facts of its type, or, when it is
        joined with ``same_as`` or ``contains_ref``, the most facts sharing one value of the
        joined field; conclusions count as one. Where that exceeds ``limit``, only the facts
        that pass the condition's own equality tests are counted. ``rules``: only those (by
        index)."""
        by_type: dict[str, list[dict[str, Any]]] = {}
        for fact in facts:
            by_type.setdefault(str(fact.get(TYPE)), []).append(fact)

        groups: dict[tuple[str, str], int] = {}  # (type, field) -> largest group, unrefined

        def bound(rule: CompiledRule, refine: bool) -> int:
            total = 1
            for pattern in rule.positives:
                if pattern.kind != "fact":
                    continue
                candidates = by_type.get(pattern.asserted_type, [])
                joined = _equality_join(rule.rule, pattern.position)
                if refine:
                    expression = pattern.solo_expression
                    candidates = [f for f in candidates if _may_pass(expression, f)]
                if joined is None:
                    factor = len(candidates)
                elif refine:
                    factor = _largest_group(candidates, joined)
                else:
                    key = (pattern.asserted_type, joined)
                    if key not in groups:
                        groups[key] = _largest_group(candidates, joined)
                    factor = groups[key]
                total *= factor
                if total == 0:
                    return 0
            return total

        bounds: dict[int, int] = {}
        for rule in self.rules:
            if rules is not None and rule.index not in rules:
                continue
            bounds[rule.index] = bound(rule, False)
            if bounds[rule.index] > limit:
                bounds[rule.index] = bound(rule, True)
        return bounds

    def probes(self, make_action: Callable[[str, CompiledRule, list[str]], Any]) -> dict[str, Any]:
        """Rules that tell WHY NOT: for each rule, each prefix of its positive patterns, each
        positive pattern alone without joins, and each absent pattern turned positive."""
        out: dict[str, Any] = {}
        for compiled in self.rules:
            out.update(compiled.probes(make_action))
        return out


@dataclass(frozen=True)
class Refusal:
    """Why the engine cannot evaluate a rule that the rule files' checks accept, as a catalogue
    text (``reason``, shown in the reader's language)."""

    rule: Rule
    reason: Context


def compile_rule_base(base: RuleBase) -> Compiled:
    """The rule base compiled; raises RuleFileError, each refused rule located at its
    conditions, when the engine cannot evaluate it (see ``refusals``)."""
    compiled = Compiled(base=base, rules=[])
    for rule in base.rules:
        if rule.status != "deprecated":  # kept for listing only
            add_rule(compiled, rule)
    refused = refusals(compiled)
    if refused:
        raise RuleFileError([_refusal_problem(base, r.rule, r.reason) for r in refused])
    compiled.digest = hashlib.sha256(
        json.dumps([r.definition() for r in compiled.rules], sort_keys=True).encode()
    ).hexdigest()
    return compiled


def add_rule(compiled: Compiled, rule: Rule) -> None:
    """Translate one rule into ``compiled``. A rule the loader's checks refuse (a join to an
    alias nothing binds, ``contains_ref`` under ``not``) may raise KeyError or ValueError, having
    added features for it: ``compile_rule_base`` is only given rules those checks accept."""
    compiled_rule = _compile_rule(compiled, rule)
    compiled_rule.index = len(compiled.rules)
    compiled.rules.append(compiled_rule)


def refusals(compiled: Compiled) -> list[Refusal]:
    """Finish ``compiled`` (derived fields, regex groups, phases) and give every reason the engine
    cannot evaluate its rules: a fixed table of durable-rules a rule would overflow, bindings that
    could grow as a cross product, a regular expression RE2 cannot run, absence tests no order of
    assertion can decide. The loader refuses a rule base with any; ``kbdoctor rules lint`` reports
    each (engine/lint/checks/engine_limits.py), so that what lint passes, ``evaluate`` runs."""
    base = compiled.base
    refused: list[Refusal] = []
    for compiled_rule in compiled.rules:
        rule = compiled_rule.rule
        reasons = [_reason(limit) for limit in compiled_rule.engine_limits()]
        reasons.extend(_cross_product(rule))
        for pattern in _regexes(rule):  # the schema refuses these; checked again as it is cheap
            try:
                compile_regex(pattern)
            except RegexError as exc:
                reasons.append(Context(exc.key, **exc.params))
        refused.extend(Refusal(rule, reason) for reason in reasons)
    for fact_type in base.derive:
        compiled.used_fields.setdefault(fact_type, set()).update(base.derive[fact_type])
    _group_regexes(compiled)
    try:
        compiled.phases = _phases(compiled)
    except _OrderError as exc:
        refused.append(Refusal(exc.rule, Context("error.rules_unorderable")))
    return refused


# Positive conditions of a rule that are not joined to an earlier one (same_as or contains_ref):
# each multiplies the matches durable-rules keeps in memory by the number of facts of its type (six
# bindings of a hundred facts each reached 14.7 GB). Two cover "a symptom and a fact" rules.
MAX_UNJOINED = 2


def _cross_product(rule: Rule) -> list[Context]:
    """Why the rule's matches could grow as a cross product of its bindings (empty: they cannot)."""
    unjoined = 0
    for condition in rule.when:
        if isinstance(condition, Absent):
            continue
        tests = condition.where.tests.values()
        if unjoined == 0 or not any(t.operator in ("same_as", "contains_ref") for t in tests):
            unjoined += 1
    if unjoined <= MAX_UNJOINED:
        return []
    return [Context("error.limit_unjoined", count=unjoined, most=MAX_UNJOINED)]


def _largest_group(facts: list[dict[str, Any]], field_name: str) -> int:
    """The most facts sharing one value of a field."""
    counts: dict[str, int] = {}
    for fact in facts:
        if field_name in fact:
            value = json.dumps(fact[field_name], sort_keys=True)
            counts[value] = counts.get(value, 0) + 1
    return max(counts.values(), default=0)


def _may_pass(expression: Any, fact: dict[str, Any]) -> bool:
    """Whether a fact may pass a compiled expression: equality with a constant is decided (as
    durable-rules decides it, ``88`` equal to ``"88"``), everything else is assumed to pass."""
    if not isinstance(expression, dict) or len(expression) != 1:
        return True
    ((name, value),) = expression.items()
    if name == "$and":
        return all(_may_pass(item, fact) for item in value)
    if name == "$or":
        return any(_may_pass(item, fact) for item in value)
    if name.startswith("$") or isinstance(value, (dict, list)):
        return True
    if name not in fact:
        return False
    actual = fact[name]
    return bool(actual == value or str(actual) == str(value))


def _equality_join(rule: Rule, position: int) -> str | None:
    """The field a condition joins on by equality with an earlier binding (``kbd_item`` for
    ``contains_ref``), or None."""
    condition = rule.when[position]
    if isinstance(condition, Absent):
        return None
    for name, test in condition.where.tests.items():
        if test.operator == "contains_ref":
            return ITEM
        if test.operator == "same_as":
            return name
    return None


def _group_regexes(compiled: Compiled) -> None:
    """Give each regex feature the patterns tested on the same field, matched in one pass."""
    for fact_type, features in compiled.features.items():
        lists: dict[str, list[str]] = {}
        for feature in features:
            if feature.kind == "regex":
                lists.setdefault(feature.field, []).append(feature.argument)
        groups = {field_name: tuple(patterns) for field_name, patterns in lists.items()}
        compiled.features[fact_type] = [
            dataclasses.replace(f, group=groups[f.field]) if f.kind == "regex" else f
            for f in features
        ]


def _regexes(rule: Rule) -> list[str]:
    """The regular expressions a rule's conditions use."""
    found: list[str] = []

    def visit(where: Where) -> None:
        for test in where.tests.values():
            if test.operator in ("matches", "not_matches"):
                found.append(str(test.value))
        for sub in [*(where.all or []), *(where.any or []), *([where.not_] if where.not_ else [])]:
            visit(sub)

    for condition in rule.when:
        visit((condition.absent if isinstance(condition, Absent) else condition).where)
    return found


def _reason(limit: str) -> Context:
    """A limit of the engine as a catalogue text (durable_backend words each in its own)."""
    if isinstance(limit, Context):
        return limit
    return Context("error.rules_engine_limit", detail=limit)


def _refusal_problem(base: RuleBase, rule: Rule, reason: Context) -> Problem:
    """A refused rule, located at its conditions (the rule file is read again: this only happens
    for a rule being refused)."""
    pack = base.rule_pack[rule.id]
    line = column = None
    try:
        from kbdoctor.engine.yamlio import EventLocator

        index = next(i for i, r in enumerate(pack.rules) if r.id == rule.id)
        content = Path(pack.file).read_text(encoding="utf-8-sig")
        line, column = EventLocator(content).position(("rules", index, "when"))
    except Exception:  # a position is a courtesy; the file and the rule id are always given
        pass
    context = Context("lint.context.rule", rule=rule.id)
    return Problem(pack.file, line, column, reason.key, dict(reason.params), context)


def _compile_rule(compiled: Compiled, rule: Rule) -> CompiledRule:
    patterns: list[CompiledPattern] = []
    kinds: dict[str, tuple[str, str]] = {}  # bind -> (kind, target)
    for position, condition in enumerate(rule.when):
        negated = isinstance(condition, Absent)
        pattern = condition.absent if isinstance(condition, Absent) else condition
        asserted = (
            pattern.target
            if pattern.kind == "fact"
            else conclusion_type(pattern.kind, pattern.target)
        )
        member_field = _contains_ref_field(pattern.where)
        if member_field is not None:
            compiled.members.setdefault(pattern.target, set()).add(member_field)
            asserted = member_type(pattern.target, member_field)
        if pattern.kind != "fact":
            compiled.consumed_conclusions.add(asserted)
        context = _Context(compiled, pattern, asserted, kinds)
        tests = context.where(pattern.where, joins=True)
        solo = context.where(pattern.where, joins=False)
        alias = None if negated else alias_of(pattern.bind or f"anon{position}")
        patterns.append(
            CompiledPattern(
                position=position,
                alias=alias,
                bind=pattern.bind,
                kind=pattern.kind,
                target=pattern.target,
                asserted_type=asserted,
                negated=negated,
                expression=_and([{TYPE: asserted}, *tests]),
                solo_expression=_and([{TYPE: asserted}, *solo]),
            )
        )
        if not negated and pattern.bind:
            kinds[pattern.bind] = (pattern.kind, asserted)
    return CompiledRule(rule, patterns)


def _and(parts: list[dict[str, Any]]) -> dict[str, Any]:
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _contains_ref_field(where: Where) -> str | None:
    for name, test in where.tests.items():
        if test.operator == "contains_ref":
            return name
    return None


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


def negate(where: Where) -> Where:
    """``not`` pushed down to the tests (De Morgan, each operator replaced by its inverse)."""
    parts: list[Where] = [
        Where.model_validate({name: _invert(test)}) for name, test in where.tests.items()
    ]
    parts.extend(negate(w) for w in where.all or [])
    if where.any:
        parts.append(Where.model_validate({"all": [negate(w) for w in where.any]}))
    if where.not_ is not None:
        parts.append(where.not_)
    if len(parts) == 1:
        return parts[0]
    return Where.model_validate({"any": parts})


def _invert(test: FieldTest) -> dict[str, Any]:
    op = test.operator
    if op == "exists":
        return {"exists": not test.value}
    if op == "contains_ref":
        raise ValueError("contains_ref cannot be negated")
    return {_INVERSE[op]: test.value}


class _Context:
    def __init__(
        self, compiled: Compiled, pattern: Pattern, asserted: str, kinds: dict[str, tuple[str, str]]
    ) -> None:
        self.compiled = compiled
        self.pattern = pattern
        self.asserted = asserted
        self.kinds = kinds

    def use(self, field_name: str, asserted: str | None = None) -> None:
        target = asserted or self.asserted
        self.compiled.used_fields.setdefault(target, set()).add(field_name)
        if "[" in target and field_name not in (ITEM,):
            # a member fact carries its parent's fields: the parent must have them too
            self.compiled.used_fields.setdefault(target.split("[", 1)[0], set()).add(field_name)

    def kind(self, field_name: str) -> FieldKind | None:
        if self.pattern.kind != "fact" or field_name in self.compiled.base.derive.get(
            self.pattern.target, {}
        ):
            definition = self.compiled.base.conclusion_def(self.pattern.kind, self.pattern.target)
            value_kind = None
            if definition is not None:
                value_kind = (
                    definition.subject
                    if field_name == "subject"
                    else definition.values.get(field_name)
                )
            return {"host": FieldKind.HOST, "account": FieldKind.ACCOUNT, "spn": FieldKind.SPN}.get(
                value_kind or ""
            )
        return field_kind(self.pattern.target, field_name)

    def literal(self, field_name: str, value: Any) -> Any:
        kind = self.kind(field_name)
        if not isinstance(value, str):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return matchable_number(value)
            return value
        if kind is FieldKind.HOST:
            return host_name(value)
        if kind is FieldKind.ACCOUNT:
            return account_name(value)
        if kind is FieldKind.SPN:
            return spn_name(value)
        return value

    def operand(self, field_name: str, value: Any, *, listed: bool = False) -> tuple[str, Any]:
        """The field a literal is compared with, and the literal as that field spells it.

        A host field holds the host's key, its FQDN when the facts know one; a rule's short name
        (``EX01``) is therefore compared with the key's first label, so that it names the same
        machine for every operator (``eq``, ``ne``, ``in``, ``not_in``, ``contains``, ...): a
        negation that compared it with the FQDN would state that EX01 is not EX01. ``listed``:
        the field is a list of hosts."""
        if isinstance(value, str) and self.kind(field_name) is FieldKind.HOST:
            literal = host_name(value)
            if "." not in literal:
                return self.feature(field_name, "shorts" if listed else "short", ""), literal
            return field_name, literal
        return field_name, self.literal(field_name, value)

    def unlike(self, field_name: str, value: Any, *, listed: bool = False) -> dict[str, Any]:
        """A test that holds when the field certainly does not name ``value`` (``ne``, each name
        of ``not_in``; ``listed``: no host of the list is it, ``not_contains``).

        An FQDN (``EX01.corp.example.com``) and a host the facts know by its short name only
        (``EX01``, no FQDN anywhere) may be one machine or two: which domain EX01 is in is not
        in the facts. Neither ``eq`` nor ``ne`` holds then; a negation that held would state as
        a fact what nobody observed."""
        if isinstance(value, str) and self.kind(field_name) is FieldKind.HOST:
            literal = host_name(value)
            if "." in literal:
                return {self.feature(field_name, "may_be", literal): 0}
        if listed:
            field, literal = self.operand(field_name, value, listed=True)
            return {self.feature(field, "has", str(literal)): 0}
        return {"$neq": dict([self.operand(field_name, value)])}

    def feature(self, field_name: str, kind: str, argument: str) -> str:
        digest = hashlib.sha1(f"{field_name}\0{kind}\0{argument}".encode()).hexdigest()[:10]
        name = f"kbd_{kind}_{digest}"
        features = self.compiled.features.setdefault(self.pattern.target, [])
        if all(f.name != name for f in features):
            features.append(Feature(name, self.pattern.target, field_name, kind, argument))
        self.use(name)
        return name

    def ref(self, reference: str) -> dict[str, str]:
        alias, sub = reference.split(".", 1)
        _, asserted = self.kinds[alias]
        self.use(sub, asserted)
        return {alias_of(alias): sub}

    def where(self, where: Where, *, joins: bool) -> list[dict[str, Any]]:
        parts: list[dict[str, Any]] = []
        for name, test in where.tests.items():
            compiled = self.test(name, test, joins=joins)
            if compiled is not None:
                parts.append(compiled)
        for sub in where.all or []:
            parts.extend(self.where(sub, joins=joins))
        if where.any:
            branches = [
                _and(self.where(sub, joins=joins) or [{"$ex": {TYPE: 1}}]) for sub in where.any
            ]
            parts.append({"$or": branches} if len(branches) > 1 else branches[0])
        if where.not_ is not None:
            parts.extend(self.where(negate(where.not_), joins=joins))
        return parts

    def test(self, name: str, test: FieldTest, *, joins: bool) -> dict[str, Any] | None:
        op, value = test.operator, test.value
        if op in ("same_as", "differs_from", "contains_ref") and not joins:
            return None
        if op == "contains_ref":
            self.use(ITEM)
            return {ITEM: self.ref(str(value))}
        self.use(name)
        if op == "exists":
            return {"$ex" if value else "$nex": {name: 1}}
        if op == "same_as":
            return {name: self.ref(str(value))}
        if op == "differs_from":
            return {"$neq": {name: self.ref(str(value))}}
        if op in ("matches", "not_matches"):
            feature = self.feature(name, "regex", str(value))
            return {feature: 1 if op == "matches" else 0}
        if op == "contains":
            field_name, literal = self.operand(name, value, listed=True)
            return {"$iany": {field_name: {"$i": literal}}}
        if op == "not_contains":
            return self.unlike(name, value, listed=True)
        if op == "eq":
            field_name, literal = self.operand(name, value)
            return {field_name: literal}
        if op == "ne":
            return self.unlike(name, value)
        comparisons = {"lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}
        if op in comparisons:
            return {comparisons[op]: {name: matchable_number(value)}}
        if op == "in":
            branches = [dict([self.operand(name, v)]) for v in value]
            return {"$or": branches} if len(branches) > 1 else branches[0]
        if op == "not_in":
            parts = [self.unlike(name, v) for v in value]
            return {"$and": parts} if len(parts) > 1 else parts[0]
        bound = matchable_number(value)
        if op == "abs_gt":
            return {"$or": [{"$gt": {name: bound}}, {"$lt": {name: -bound}}]}
        if op == "abs_ge":
            return {"$or": [{"$gte": {name: bound}}, {"$lte": {name: -bound}}]}
        if op == "abs_lt":
            return {"$and": [{"$lt": {name: bound}}, {"$gt": {name: -bound}}]}
        if op == "abs_le":
            return {"$and": [{"$lte": {name: bound}}, {"$gte": {name: -bound}}]}
        raise AssertionError(f"operator {op} not compiled")


class _OrderError(Exception):
    def __init__(self, rule: Rule) -> None:
        super().__init__(rule.id)
        self.rule = rule


def _phases(compiled: Compiled) -> dict[str, int]:
    """Phase of every asserted base type: for each rule with an absence test, each positive base
    type not negated by that rule must come after every type it negates. Conclusions are asserted
    after all base facts, so they need no phase."""
    edges: dict[str, set[str]] = {}
    for rule in compiled.rules:
        negated = {p.asserted_type for p in rule.negatives}
        if not negated:
            continue
        later = {p.asserted_type for p in rule.positives if p.kind == "fact"} - negated
        has_conclusion = any(p.kind != "fact" for p in rule.positives)
        if not later and not has_conclusion:
            raise _OrderError(rule.rule)
        for n in negated:
            edges.setdefault(n, set()).update(later)
    phase: dict[str, int] = {}
    visiting: set[str] = set()

    def depth(node: str, owner: Rule) -> int:
        if node in phase:
            return phase[node]
        if node in visiting:
            raise _OrderError(owner)
        visiting.add(node)
        predecessors = [n for n, after in edges.items() if node in after]
        value = 1 + max((depth(n, owner) for n in predecessors), default=-1)
        visiting.discard(node)
        phase[node] = value
        return value

    for rule in compiled.rules:
        for p in rule.patterns:
            if p.kind == "fact":
                depth(p.asserted_type, rule.rule)
    return phase
