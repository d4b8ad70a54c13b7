"""Loading rule files into one validated rule base, reporting every problem of every file at once.

Validation has two layers, like pySigma's: the pydantic models check each file's shape, then
the checks of :mod:`kbdoctor.engine.lint.checks` marked ``loader`` catch what only the whole rule
base can tell: unknown fact types and fields, references to aliases not yet bound, undefined
causes, remediation placeholders that a concluding rule does not provide, and absence tests over
derived conclusions (which durable-rules cannot negate reliably). ``kbdoctor rules lint`` runs the
same checks, and more, through :mod:`kbdoctor.engine.lint.run`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
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
from kbdoctor.engine.limits import ENV_VARS, Limits
from kbdoctor.engine.lint.checks import LOADER_CHECKS
from kbdoctor.engine.lint.model import Check, LintInput
from kbdoctor.engine.packs import apply_overrides, default_rule_files, extended_packs
from kbdoctor.engine.rules_model import (
    CauseDef,
    ConclusionDef,
    RecommendationDef,
    Rule,
    RulePackModel,
)
from kbdoctor.engine.yamlio import YamlLocator, load_yaml, load_yaml_data, yaml_error_problem
from pydantic import BaseModel, ValidationError

CONCLUSION_KINDS = ("symptom", "finding", "cause", "recommendation")


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
    rules: list[Rule] = field(default_factory=list)  # evaluated: without disabled rules
    rule_pack: dict[str, RulePack] = field(default_factory=dict)  # the pack that wrote each rule
    disabled: dict[str, str] = field(default_factory=dict)  # rule id -> the pack disabling it
    # rule id -> the pack that set its cf, and the cf its own pack gave it
    changed: dict[str, tuple[str, float]] = field(default_factory=dict)

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


def shipped_packs() -> dict[str, str]:
    """The shipped rule files by pack id (a shipped file is named after its pack)."""
    return {Path(file).stem: file for file in bundled_rule_files()}


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
    """Load rule files (None: the shipped pack and the packs of the user's configuration).
    Raises RuleFileError listing every problem found in every file. Each file is bounded like a
    fact file (``limits``, default from the environment): bytes, nesting depth, text length;
    YAML aliases are refused."""
    limits = limits or Limits.from_env()
    files = default_rule_files() if paths is None else expand_rule_paths(paths)
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
    located = _parse_packs(texts, limits, problems)
    extra = extended_packs([(p.pack, p.model.extends) for p, _ in located], shipped_packs())
    if extra:
        located = _parse_packs(_read_files(extra, limits), limits, problems) + located
    for pack, _ in located:
        _register(base, pack)
    apply_overrides(base)
    problems.extend(run_checks(LOADER_CHECKS, LintInput(base, located)))
    problems.extend(_over_rule_limit(located, limits))
    if problems:
        raise RuleFileError(problems)
    return base


def _parse_packs(
    texts: Sequence[tuple[str, str]], limits: Limits, problems: list[Problem]
) -> list[tuple[RulePack, YamlLocator]]:
    """Each text's pack with its positions (from the cache when the text was seen before); the
    problems of the texts that are not packs go to ``problems``."""
    located: list[tuple[RulePack, YamlLocator]] = []
    for name, content in texts:
        digest = hashlib.sha256(content.encode()).hexdigest()
        # positions are found only if a problem needs one: the loader that keeps them is slow
        locator: YamlLocator = _LazyLocator(content, limits)
        model = _cached_model(digest, limits)
        fresh = model is None
        if model is None:
            _, model, refused = read_pack(name, content, locator, limits)
            if model is None:
                problems.extend(refused)
                continue
        located.append((RulePack(name, digest, model), locator))
        if fresh:
            _store_model(digest, model)
    return located


def _read_files(files: Sequence[str], limits: Limits) -> list[tuple[str, str]]:
    """Shipped rule files as (shown name, text); they are part of the package, so a failure to
    read one is a broken installation, raised as it is."""
    return [(display_path(name), read_text_limited(name, limits)) for name in files]


def _over_rule_limit(located: list[tuple[RulePack, YamlLocator]], limits: Limits) -> list[Problem]:
    """Rules past ``limits.rules`` (all packs together): a problem at the first rule over, since
    the engine is proven only up to that many (and took minutes from about 5,000)."""
    seen = 0
    for pack, locator in located:
        if seen + len(pack.rules) > limits.rules:
            line, column = locator.position(("rules", limits.rules - seen))
            params = {"limit": limits.rules, "variable": ENV_VARS["rules"]}
            return [Problem(pack.file, line, column, "error.limit_rules", params)]
        seen += len(pack.rules)
    return []


def read_pack(
    name: str, content: str, locator: YamlLocator, limits: Limits
) -> tuple[Any, RulePackModel | None, list[Problem]]:
    """One rule file's plain data and model, or the problems of its YAML and of its shape (the
    schema check): every field pydantic refuses, each at its line and column."""
    try:
        data = load_yaml_data(content, limits)
    except Exception as exc:  # ruamel's errors have no common base beyond Exception
        return None, None, [yaml_error_problem(exc, name)]
    if not isinstance(data, dict):
        return data, None, [Problem(name, 1, 1, "error.rules_not_mapping")]
    try:
        return data, RulePackModel.model_validate(data), []
    except ValidationError as exc:
        return data, None, validation_problems(exc, name, data, locator)


def run_checks(checks: Sequence[Check], given: LintInput) -> list[Problem]:
    """The problems the checks find, check by check."""
    return [problem for check in checks for problem in check.run(given)]


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


def _register(base: RuleBase, pack: RulePack) -> None:
    """Merge one pack's definitions and rules into the base (a later id replaces an earlier one;
    the duplicate-ids check reports it)."""
    model = pack.model
    base.packs.append(pack)
    base.symptoms.update(model.symptoms)
    base.findings.update(model.findings)
    base.causes.update(model.causes)
    base.recommendations.update(model.recommendations)
    for fact_type, templates in model.derive.items():
        base.derive.setdefault(fact_type, {}).update(templates)
    for rule in model.rules:
        base.rule_pack[rule.id] = pack
        base.rules.append(rule)
