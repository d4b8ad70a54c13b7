"""The valid part of a rule file the schema refused, so that one schema error does not hide
every other problem of the file: each rule, step or definition the schema refuses is left out
(and remembered, so that no check calls it undefined), the rest is judged by every check.

A rule is left out whole (its conditions bind the names its texts use, so half a rule would
report names it binds as unbound); so is a definition. Positions are those of the file as
written: the locator maps an item's index among the kept ones back to its index in the file.
"""

from __future__ import annotations

from typing import Any

from kbdoctor.engine.i18n import RULE_LANGS
from kbdoctor.engine.lint.model import Refused
from kbdoctor.engine.rules_model import RulePackModel
from kbdoctor.engine.yamlio import YamlLocator
from pydantic import ValidationError

# lists whose items are left out one by one, and mappings whose entries are, with their kind
_LISTS = ("rules", "verify", "extends")
_TABLES = {
    "symptoms": "symptom",
    "findings": "finding",
    "causes": "cause",
    "recommendations": "recommendation",
    "overrides": "override",
    "derive": "derive",
}
# what names the pack: without it there is no pack to judge
_REQUIRED = ("kbdoctor", "pack")
_ROUNDS = 5  # leaving items out cannot make others invalid; a bound against surprises


class KeptLocator(YamlLocator):
    """Positions in the file as written for paths into the kept items."""

    def __init__(self, inner: YamlLocator, kept: dict[str, list[int]]) -> None:
        super().__init__(None)
        self._inner = inner
        self._kept = kept

    def position(self, path: tuple[Any, ...]) -> tuple[int | None, int | None]:
        if len(path) > 1 and path[0] in self._kept and isinstance(path[1], int):
            indexes = self._kept[path[0]]
            if path[1] < len(indexes):
                path = (path[0], indexes[path[1]], *path[2:])
        return self._inner.position(path)


def salvage(
    data: dict[str, Any], locator: YamlLocator, refused: Refused
) -> tuple[RulePackModel, YamlLocator] | None:
    """The pack of the items the schema accepts, with its positions, or None when what names
    the pack is itself refused. What is left out is added to ``refused``."""
    data = _with_texts(data)
    dropped_items: dict[str, set[int]] = {key: set() for key in _LISTS}
    dropped_entries: dict[str, set[Any]] = {key: set() for key in _TABLES}
    dropped_fields: set[str] = set()
    for _ in range(_ROUNDS):
        kept = {
            key: [i for i in range(len(data[key])) if i not in dropped_items[key]]
            for key in _LISTS
            if isinstance(data.get(key), list)
        }
        pruned = _pruned(data, kept, dropped_entries, dropped_fields)
        try:
            model = RulePackModel.model_validate(pruned)
        except ValidationError as exc:
            changed = False
            for error in exc.errors(include_url=False):
                loc = tuple(error["loc"])
                if not loc or loc[0] in _REQUIRED:
                    return None
                top = loc[0]
                if top in kept and len(loc) > 1 and isinstance(loc[1], int):
                    index = kept[top][loc[1]]
                    changed |= index not in dropped_items[top]
                    dropped_items[top].add(index)
                elif top in _TABLES and len(loc) > 1:
                    changed |= loc[1] not in dropped_entries[top]
                    dropped_entries[top].add(loc[1])
                else:
                    changed |= str(top) not in dropped_fields
                    dropped_fields.add(str(top))
            if not changed:
                return None
            continue
        _remember(data, dropped_items, dropped_entries, refused)
        return model, KeptLocator(locator, kept)
    return None


def _with_texts(data: Any) -> Any:
    """The data with each text's missing or blank language filled from the other: the texts
    check names that problem in plain words, and a rule with one untranslated title is still
    worth judging."""
    if isinstance(data, dict):
        if data and set(data) <= set(RULE_LANGS):
            given = [v for v in data.values() if isinstance(v, str) and v.strip()]
            if given:
                return {lang: _text(data.get(lang), given[0]) for lang in RULE_LANGS}
        return {key: _with_texts(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_with_texts(value) for value in data]
    return data


def _text(value: Any, other: str) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return other
    return value  # a value of another kind stays, for the schema to refuse


def _pruned(
    data: dict[str, Any],
    kept: dict[str, list[int]],
    dropped_entries: dict[str, set[Any]],
    dropped_fields: set[str],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in dropped_fields:
            continue
        if key in kept:
            out[key] = [value[i] for i in kept[key]]
        elif key in _TABLES and isinstance(value, dict):
            out[key] = {k: v for k, v in value.items() if k not in dropped_entries[key]}
        else:
            out[key] = value
    return out


def _remember(
    data: dict[str, Any],
    dropped_items: dict[str, set[int]],
    dropped_entries: dict[str, set[Any]],
    refused: Refused,
) -> None:
    for key, entries in dropped_entries.items():
        refused.ids.update((_TABLES[key], str(ident)) for ident in entries)
    for index in dropped_items["rules"]:
        rule = data["rules"][index]
        if not isinstance(rule, dict):
            continue
        if isinstance(rule.get("id"), str):
            refused.ids.add(("rule", rule["id"]))
        conclusion = rule.get("conclude")
        if isinstance(conclusion, dict):
            for kind in ("symptom", "finding", "cause", "recommendation"):
                if isinstance(conclusion.get(kind), str):
                    refused.concluded.add((kind, conclusion[kind]))
