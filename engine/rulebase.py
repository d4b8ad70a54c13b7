"""Loading rule files into one validated rule base, reporting every problem of every file at once.

Validation has two layers, like pySigma's: the pydantic models check each file's shape, then
cross-checks (``_check_pack``) catch what only the whole rule base can tell: unknown fact types and
fields, references to aliases not yet bound, undefined causes, remediation placeholders that a
concluding rule does not provide, and absence tests over derived conclusions (which durable-rules
cannot negate reliably).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from kbdoctor.engine import rules_model
from kbdoctor.engine.atomic import write_atomic
from kbdoctor.engine.errors import InputRefused, Problem, RuleFileError
from kbdoctor.engine.factio import (
    display_path,
    load_json_data,
    read_text_limited,
    validation_problems,
)
from kbdoctor.engine.facts import COMPUTED_FIELDS, FACT_TYPES, fact_fields
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.rules_model import (
    REF,
    Absent,
    CauseDef,
    ConclusionDef,
    Pattern,
    RecommendationDef,
    Rule,
    RulePackModel,
    SubjectDef,
    Where,
)
from kbdoctor.engine.subjects import subject_problems
from kbdoctor.engine.templates import TemplateError, placeholders
from kbdoctor.engine.yamlio import YamlLocator, load_yaml, load_yaml_data, yaml_error_problem
from pydantic import BaseModel, ValidationError

CONCLUSION_KINDS = ("symptom", "finding", "cause", "recommendation")
CONCLUSION_FIELDS = ("subject",)


@dataclass(frozen=True)
class RulePack:
    file: str
    sha256: str
    model: RulePackModel

    @property
    def pack(self) -> str:
        return self.model.pack

    @property
    def rules(self) -> list[Rule]:
        return self.model.rules


@dataclass
class RuleBase:
    """All loaded packs, merged: definitions by id, rules in file order."""

    packs: list[RulePack] = field(default_factory=list)
    symptoms: dict[str, ConclusionDef] = field(default_factory=dict)
    findings: dict[str, ConclusionDef] = field(default_factory=dict)
    causes: dict[str, CauseDef] = field(default_factory=dict)
    recommendations: dict[str, RecommendationDef] = field(default_factory=dict)
    derive: dict[str, dict[str, str]] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    rule_pack: dict[str, RulePack] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        return hashlib.sha256("".join(p.sha256 for p in self.packs).encode()).hexdigest()

    def conclusion_def(self, kind: str, ident: str) -> ConclusionDef | None:
        table: dict[str, ConclusionDef] = {"symptom": self.symptoms, "finding": self.findings}.get(
            kind, {}
        )
        return table.get(ident)


def bundled_rule_files() -> list[str]:
    """The KB 979174 rule files shipped with kbdoctor."""
    folder = resources.files("kbdoctor.kb_rules")
    return sorted(
        str(entry) for entry in folder.iterdir() if entry.name.endswith((".yaml", ".yml"))
    )


def expand_rule_paths(paths: Sequence[str]) -> list[str]:
    """Files as given; folders replaced by their *.yaml/*.yml files in name order."""
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(str(p) for p in sorted(path.iterdir()) if p.suffix in (".yaml", ".yml"))
        else:
            out.append(raw)
    return out


_CACHE: dict[tuple[str, ...], tuple[tuple[str, ...], RuleBase]] = {}


def load_rule_base(paths: Sequence[str] | None = None, limits: Limits | None = None) -> RuleBase:
    """Load rule files (None: the bundled knowledge base). Raises RuleFileError listing every
    problem found in every file. Each file is bounded like a fact file (``limits``, default from
    the environment): bytes, nesting depth, text length; YAML aliases are refused."""
    limits = limits or Limits.from_env()
    files = bundled_rule_files() if paths is None else expand_rule_paths(paths)
    problems: list[Problem] = []
    texts: list[tuple[str, str]] = []
    for name in files:
        shown = display_path(name)
        try:
            texts.append((shown, read_text_limited(name, limits)))
        except InputRefused as exc:
            problems.append(exc.problem(shown))
        except (OSError, UnicodeDecodeError) as exc:
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            problems.append(Problem(shown, None, None, "error.cannot_read", {"detail": detail}))
    if problems:
        raise RuleFileError(problems)
    digests = tuple(hashlib.sha256(t.encode()).hexdigest() for _, t in texts)
    key = tuple(files)
    cached = _CACHE.get(key)
    if cached and cached[0] == digests:
        return cached[1]
    base = parse_rule_texts(texts, limits)
    _CACHE[key] = (digests, base)
    return base


# The user's cache holds, per rule file, its validated model written out as JSON data, never code:
# every mapping names its model class, which must be one of the rule models (nothing else can be
# built), and the entry must name the SHA-256 of the rule file's text and the shape of the models
# it was written for. Anything else found there (an old pickle, a damaged or planted file, an
# entry of older models) is ignored and replaced. Read back without validation: that, and not
# the YAML parse, is what the cache saves (building the validators is most of it).
_CACHE_FORMAT = "kbdoctor-rule-cache/3"


def _cache_dir() -> Path | None:
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if os.environ.get("KBDOCTOR_NO_CACHE"):
        return None
    return Path(root) / "kbdoctor" / "rules"


def _cache_file(digest: str) -> Path | None:
    folder = _cache_dir()
    if folder is None:
        return None
    return folder / f"{digest}.json"


@functools.cache
def _models() -> dict[str, type[BaseModel]]:
    """The rule models by class name: the only things a cache entry can build."""
    return {
        name: value
        for name, value in vars(rules_model).items()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == rules_model.__name__
    }


@functools.cache
def _models_shape() -> str:
    """A fingerprint of the rule models' fields: an entry written for other models is not read."""
    shape = {
        name: {field: str(info.annotation) for field, info in model.model_fields.items()}
        for name, model in sorted(_models().items())
    }
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()


class _NotAModel(Exception):
    """A cache entry that does not describe rule models."""


def _encode(value: Any) -> Any:
    if isinstance(value, BaseModel):
        # only the fields that were given: which ones were is part of a model (a field test's
        # operator is the one field set), and model_construct restores it from the keys
        out: dict[str, Any] = {"__model": type(value).__name__}
        for name in sorted(value.model_fields_set):
            out[name] = _encode(getattr(value, name))
        return out
    if isinstance(value, dict):
        return {"__dict": {str(k): _encode(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise _NotAModel(type(value).__name__)


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"__dict"} and isinstance(value["__dict"], dict):
        return {k: _decode(v) for k, v in value["__dict"].items()}
    name = value.get("__model")
    model = _models().get(name) if isinstance(name, str) else None
    if model is None:
        raise _NotAModel(str(value.get("__model")))
    fields = {k: v for k, v in value.items() if k != "__model"}
    if not set(fields) <= set(model.model_fields):
        raise _NotAModel(model.__name__)
    return model.model_construct(**{k: _decode(v) for k, v in fields.items()})


def _cached_model(digest: str, limits: Limits) -> RulePackModel | None:
    """The model of a rule file whose text has this SHA-256, from the cache, or None."""
    path = _cache_file(digest)
    if path is None:
        return None
    try:
        entry = load_json_data(read_text_limited(str(path), limits), limits)
        if (
            not isinstance(entry, dict)
            or entry.get("format") != _CACHE_FORMAT
            or entry.get("sha256") != digest
            or entry.get("models") != _models_shape()
        ):
            return None
        model = _decode(entry.get("model"))
    except Exception:  # missing, damaged or foreign: only costs a parse
        return None
    return model if isinstance(model, RulePackModel) else None


def _store_model(digest: str, model: RulePackModel) -> None:
    path = _cache_file(digest)
    if path is None:
        return
    try:
        entry = {
            "format": _CACHE_FORMAT,
            "sha256": digest,
            "models": _models_shape(),
            "model": _encode(model),
        }
        text = json.dumps(entry, ensure_ascii=False, allow_nan=False)
    except (_NotAModel, ValueError):
        return  # a value JSON cannot hold: this file is simply not cached
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
    except OSError:
        return  # a read-only home only costs speed


def parse_rule_texts(texts: Sequence[tuple[str, str]], limits: Limits | None = None) -> RuleBase:
    limits = limits or Limits.from_env()
    base = RuleBase()
    problems: list[Problem] = []
    located: list[tuple[RulePack, YamlLocator]] = []
    for name, content in texts:
        digest = hashlib.sha256(content.encode()).hexdigest()
        # positions are found only if a problem needs one: the loader that keeps them is slow
        locator: YamlLocator = _LazyLocator(content, limits)
        model = _cached_model(digest, limits)
        if model is None:
            try:
                data = load_yaml_data(content, limits)
            except Exception as exc:  # ruamel's errors have no common base beyond Exception
                problems.append(yaml_error_problem(exc, name))
                continue
            if not isinstance(data, dict):
                problems.append(Problem(name, 1, 1, "error.rules_not_mapping"))
                continue
            try:
                model = RulePackModel.model_validate(data)
            except ValidationError as exc:
                problems.extend(validation_problems(exc, name, data, locator))
                continue
            fresh = True
        else:
            fresh = False
        pack = RulePack(name, digest, model)
        located.append((pack, locator))
        pack_problems = _register(base, pack, locator)
        problems.extend(pack_problems)
        if fresh and not pack_problems:
            _store_model(digest, model)
    for pack, locator in located:
        problems.extend(_check_pack(base, pack, locator))
    if problems:
        raise RuleFileError(problems)
    return base


class _LazyLocator(YamlLocator):
    """Positions in a rule file, parsed only if a problem needs one."""

    def __init__(self, content: str, limits: Limits) -> None:
        super().__init__(None)
        self._content = content
        self._limits = limits
        self._loaded = False

    def position(self, path: tuple[Any, ...]) -> tuple[int | None, int | None]:
        if not self._loaded:
            self._loaded = True
            try:
                self._root = load_yaml(self._content, self._limits)[1]._root
            except Exception:  # the file was valid when cached; a position is only a courtesy
                self._root = None
        return super().position(path)


def _register(base: RuleBase, pack: RulePack, locator: YamlLocator) -> list[Problem]:
    """Merge one pack's definitions and rules into the base; duplicate ids are problems."""
    problems: list[Problem] = []
    name, model = pack.file, pack.model
    base.packs.append(pack)
    for kind, target, source in (
        ("symptom", base.symptoms, model.symptoms),
        ("finding", base.findings, model.findings),
        ("cause", base.causes, model.causes),
        ("recommendation", base.recommendations, model.recommendations),
    ):
        for ident, definition in source.items():
            if ident in target:
                line, col = locator.position((kind + "s", ident))
                problems.append(Problem(name, line, col, "error.rules_duplicate_id", {"id": ident}))
            target[ident] = definition  # type: ignore[assignment]
    for fact_type, templates in model.derive.items():
        base.derive.setdefault(fact_type, {}).update(templates)
    for index, rule in enumerate(model.rules):
        if rule.id in base.rule_pack:
            line, col = locator.position(("rules", index, "id"))
            problems.append(Problem(name, line, col, "error.rules_duplicate_id", {"id": rule.id}))
        base.rule_pack[rule.id] = pack
        base.rules.append(rule)
    return problems


# --- cross-checks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldInfo:
    is_list: bool
    is_number: bool


def field_info(base: RuleBase, kind: str, target: str, name: str) -> FieldInfo | None:
    """What a field of a fact type (with derived fields) or of a conclusion is, or None."""
    if kind == "fact":
        if name in base.derive.get(target, {}):
            return FieldInfo(False, False)
        if name in COMPUTED_FIELDS.get(target, {}):
            return FieldInfo(False, COMPUTED_FIELDS[target][name])
        if name not in fact_fields(target):
            return None
        annotation = FACT_TYPES[target].model_fields[name].annotation
        return FieldInfo(_is_list(annotation), _is_number(annotation))
    if name in CONCLUSION_FIELDS:
        return FieldInfo(False, False)
    if kind == "cause":
        return None
    definition = base.conclusion_def(kind, target)
    if definition is None or name not in definition.values:
        return None
    return FieldInfo(False, definition.values[name] == "number")


def _args(annotation: Any) -> tuple[Any, ...]:
    """The types a field may hold, without None and without Annotated's metadata (the strict
    ``Number`` of a fact field is a float)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return tuple(_bare(a) for a in typing.get_args(annotation) if a is not type(None))
    return (_bare(annotation),)


def _bare(annotation: Any) -> Any:
    if typing.get_origin(annotation) is typing.Annotated:
        return typing.get_args(annotation)[0]
    return annotation


def _is_list(annotation: Any) -> bool:
    return any(typing.get_origin(a) is list for a in _args(annotation))


def _is_number(annotation: Any) -> bool:
    return any(a in (int, float) for a in _args(annotation))


_NUMERIC_OPS = {"lt", "le", "gt", "ge", "abs_gt", "abs_ge", "abs_lt", "abs_le"}
_LIST_OPS = {"contains", "not_contains", "contains_ref"}


def _check_pack(base: RuleBase, pack: RulePack, locator: YamlLocator) -> list[Problem]:
    problems: list[Problem] = []

    def add(path: tuple[Any, ...], key: str, context: str | None = None, **params: Any) -> None:
        line, col = locator.position(path)
        problems.append(Problem(pack.file, line, col, key, params, context))

    model = pack.model
    for fact_type, templates in model.derive.items():
        if fact_type not in FACT_TYPES:
            add(("derive", fact_type), "error.rules_unknown_fact_type", None, type=fact_type)
            continue
        for field_name, template in templates.items():
            try:
                used = placeholders(template)
            except TemplateError as exc:
                add(
                    ("derive", fact_type, field_name), "error.rules_template", None, detail=str(exc)
                )
                continue
            for name, sub in used:
                if sub is not None or (
                    name not in fact_fields(fact_type)
                    and name not in COMPUTED_FIELDS.get(fact_type, {})
                ):
                    add(
                        ("derive", fact_type, field_name),
                        "error.rules_derive_field",
                        None,
                        field=name if sub is None else f"{name}.{sub}",
                        type=fact_type,
                    )
    for ident, cause in model.causes.items():
        for fact_type in cause.assessed_by:
            if fact_type not in FACT_TYPES:
                add(
                    ("causes", ident, "assessed_by"),
                    "error.rules_unknown_fact_type",
                    None,
                    type=fact_type,
                )
    for index, rule in enumerate(model.rules):
        context = f"rule {rule.id}"
        bound: dict[str, Pattern] = {}
        for position, condition in enumerate(rule.when):
            path: tuple[Any, ...] = ("rules", index, "when", position)
            pattern = condition.absent if isinstance(condition, Absent) else condition
            if isinstance(condition, Absent):
                path = (*path, "absent")
                if pattern.kind != "fact":
                    add(path, "error.rules_absent_derived", context)
                    continue
            if pattern.kind == "fact" and pattern.target not in FACT_TYPES:
                add((*path, "fact"), "error.rules_unknown_fact_type", context, type=pattern.target)
                continue
            if pattern.kind != "fact" and not _defined(base, pattern.kind, pattern.target):
                add(
                    (*path, pattern.kind),
                    "error.rules_undefined",
                    context,
                    kind=pattern.kind,
                    id=pattern.target,
                )
                continue
            _check_where(base, pattern, pattern.where, bound, (*path, "where"), add, context)
            if isinstance(condition, Pattern) and condition.bind:
                if condition.bind in bound:
                    add((*path, "bind"), "error.rules_duplicate_bind", context, bind=condition.bind)
                bound[condition.bind] = condition
        conclusion = rule.conclude
        cpath = ("rules", index, "conclude")
        if not _defined(base, conclusion.kind, conclusion.target):
            add(
                (*cpath, conclusion.kind),
                "error.rules_undefined",
                context,
                kind=conclusion.kind,
                id=conclusion.target,
            )
        subject = conclusion.subject
        templates = {
            **(
                {"subject": subject}
                if isinstance(subject, str)
                else {f"subject.{n}": t for n, t in subject.items()}
            ),
            **conclusion.values,
        }
        if conclusion.kind == "cause" and conclusion.target in base.causes:
            declared = base.causes[conclusion.target].subject
            for key, params in subject_problems(
                rule, declared if isinstance(declared, SubjectDef) else None
            ):
                add((*cpath, "subject"), key, context, **params)
        elif not isinstance(subject, str):
            add((*cpath, "subject"), "error.rules_subject_not_parts", context)
        for key, template in [
            *templates.items(),
            ("explain.en", rule.explain.en),
            ("explain.pl", rule.explain.pl),
        ]:
            _check_template(
                base,
                template,
                bound,
                cpath if "." not in key else ("rules", index, "explain"),
                add,
                context,
            )
        needed: set[str] = set()
        if conclusion.kind == "cause" and conclusion.target in base.causes:
            for step in base.causes[conclusion.target].remediation:
                for template in (step.text.en, step.text.pl, step.command or "", step.run_on or ""):
                    needed.update(n for n, sub in _safe_placeholders(template) if sub is None)
        if conclusion.kind == "finding" and conclusion.target in base.findings:
            needed.update(base.findings[conclusion.target].values)
        if conclusion.kind == "symptom" and conclusion.target in base.symptoms:
            needed.update(base.symptoms[conclusion.target].values)
        parts = set(subject) if not isinstance(subject, str) else set()
        missing = sorted(needed - set(conclusion.values) - {"subject"} - parts)
        if missing:
            add(cpath, "error.rules_missing_values", context, names=", ".join(missing))
    return problems


def _defined(base: RuleBase, kind: str, ident: str) -> bool:
    """Whether a symptom, finding, cause or recommendation of that id is defined."""
    tables: dict[str, dict[str, Any]] = {
        "symptom": base.symptoms,
        "finding": base.findings,
        "cause": base.causes,
        "recommendation": base.recommendations,
    }
    return ident in tables[kind]


def _safe_placeholders(template: str) -> list[tuple[str, str | None]]:
    try:
        return placeholders(template)
    except TemplateError:
        return []


def _check_template(
    base: RuleBase,
    template: str,
    bound: dict[str, Pattern],
    path: tuple[Any, ...],
    add: Any,
    context: str,
) -> None:
    try:
        used = placeholders(template)
    except TemplateError as exc:
        add(path, "error.rules_template", context, detail=str(exc))
        return
    for name, sub in used:
        if sub is None:
            add(path, "error.rules_template_ref", context, ref=name)
            continue
        pattern = bound.get(name)
        if pattern is None:
            add(path, "error.rules_unbound", context, ref=f"{name}.{sub}")
        elif sub != "id" and field_info(base, pattern.kind, pattern.target, sub) is None:
            add(path, "error.rules_unknown_field", context, field=sub, type=pattern.target)


def _check_where(
    base: RuleBase,
    pattern: Pattern,
    where: Where,
    bound: dict[str, Pattern],
    path: tuple[Any, ...],
    add: Any,
    context: str,
) -> None:
    refs_in_pattern = 0
    for name, test in where.tests.items():
        info = field_info(base, pattern.kind, pattern.target, name)
        fpath = (*path, name)
        if info is None:
            add(fpath, "error.rules_unknown_field", context, field=name, type=pattern.target)
            continue
        op = test.operator
        if op in _NUMERIC_OPS and not info.is_number:
            add(fpath, "error.rules_op_type", context, op=op, field=name, expected="number")
        if op in _LIST_OPS and not info.is_list:
            add(fpath, "error.rules_op_type", context, op=op, field=name, expected="list")
        if op in ("same_as", "differs_from", "contains_ref"):
            ref = str(test.value)
            assert REF.match(ref)
            alias, sub = ref.split(".", 1)
            other = bound.get(alias)
            if other is None:
                add(fpath, "error.rules_unbound", context, ref=ref)
            elif sub != "id" and field_info(base, other.kind, other.target, sub) is None:
                add(fpath, "error.rules_unknown_field", context, field=sub, type=other.target)
            if op == "contains_ref":
                refs_in_pattern += 1
    for sub_where in [
        *(where.all or []),
        *(where.any or []),
        *([where.not_] if where.not_ else []),
    ]:
        if any(t.operator == "contains_ref" for t in sub_where.tests.values()):
            add(path, "error.rules_contains_ref_nested", context)
        _check_where(base, pattern, sub_where, bound, path, add, context)
    if refs_in_pattern > 1:
        add(path, "error.rules_contains_ref_twice", context)
