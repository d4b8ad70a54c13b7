"""The user's cache of rule files already read: a rule file's pack, found again by the SHA-256
of its text, so that an unchanged file is not parsed as YAML anew.

An entry is data, never code: the pack as the plain data a rule file holds (JSON), named by the
SHA-256 of the rule file's text and naming it again inside. It is validated on load by the same
pydantic models as a rule file (:meth:`RulePackModel.model_validate`), so an entry can only ever
give a pack that a rule file could have given: every check the models make (numbers, regular
expressions, references, one operator per test) holds for it. Anything that fails - an old
pickle, a damaged or planted file, an entry for another text - is ignored and replaced.

What validation cannot tell is whether a well-formed entry is the pack of *this* text: only
parsing the text again can, and that is all the cache saves (the YAML parse; the models' own
validation is paid either way). The cache is therefore exactly as trustworthy as the folder
that holds it (``$XDG_CACHE_HOME/kbdoctor/rules``, the user's own); ``KBDOCTOR_NO_CACHE=1``
turns it off.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from kbdoctor.engine.atomic import write_atomic
from kbdoctor.engine.factio import load_json_data, read_text_limited
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.rules_model import RulePackModel, Where
from pydantic import BaseModel

_CACHE_FORMAT = "kbdoctor-rule-cache/4"


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


def source_data(value: Any) -> Any:
    """A validated model as the plain data of a rule file that gives it: only the fields that
    were written, under the names a rule file uses (``in``, ``not``), a ``where`` as written
    (its field tests beside ``all``/``any``/``not``). Validating this data gives the model back."""
    if isinstance(value, Where):
        out: dict[str, Any] = {name: source_data(test) for name, test in value.tests.items()}
        for name in ("all", "any", "not_"):
            if name in value.model_fields_set:
                out[name.rstrip("_")] = source_data(getattr(value, name))
        return out
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return {
            fields[name].alias or name: source_data(getattr(value, name))
            for name in sorted(value.model_fields_set)
        }
    if isinstance(value, dict):
        return {str(key): source_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [source_data(item) for item in value]
    return value


def cached_model(digest: str, limits: Limits) -> RulePackModel | None:
    """The pack of a rule file whose text has this SHA-256, from the cache, validated; or None."""
    path = _cache_file(digest)
    if path is None:
        return None
    try:
        entry = load_json_data(read_text_limited(str(path), limits), limits)
        if (
            not isinstance(entry, dict)
            or entry.get("format") != _CACHE_FORMAT
            or entry.get("sha256") != digest
            or not isinstance(entry.get("pack"), dict)
        ):
            return None
        return RulePackModel.model_validate(entry["pack"])
    except Exception:  # missing, damaged, foreign or not a valid pack: only costs a parse
        return None


def store_model(digest: str, model: RulePackModel) -> None:
    path = _cache_file(digest)
    if path is None:
        return
    try:
        entry = {"format": _CACHE_FORMAT, "sha256": digest, "pack": source_data(model)}
        text = json.dumps(entry, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return  # a value JSON cannot hold: this file is simply not cached
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
    except OSError:
        return  # a read-only home only costs speed
