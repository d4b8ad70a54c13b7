"""The user's cache of validated rule files: a rule file's model, found again by the SHA-256 of
its text, so that an unchanged file is not validated anew.

The user's cache holds, per rule file, its validated model written out as JSON data, never code:
every mapping names its model class, which must be one of the rule models (nothing else can be
built), and the entry must name the SHA-256 of the rule file's text and the shape of the models
it was written for. Anything else found there (an old pickle, a damaged or planted file, an
entry of older models) is ignored and replaced. Read back without validation: that, and not
the YAML parse, is what the cache saves (building the validators is most of it).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from kbdoctor.engine import rules_model
from kbdoctor.engine.atomic import write_atomic
from kbdoctor.engine.factio import load_json_data, read_text_limited
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.rules_model import RulePackModel
from pydantic import BaseModel

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
def models_shape() -> str:
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


def cached_model(digest: str, limits: Limits) -> RulePackModel | None:
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
            or entry.get("models") != models_shape()
        ):
            return None
        model = _decode(entry.get("model"))
    except Exception:  # missing, damaged or foreign: only costs a parse
        return None
    return model if isinstance(model, RulePackModel) else None


def store_model(digest: str, model: RulePackModel) -> None:
    path = _cache_file(digest)
    if path is None:
        return
    try:
        entry = {
            "format": _CACHE_FORMAT,
            "sha256": digest,
            "models": models_shape(),
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
