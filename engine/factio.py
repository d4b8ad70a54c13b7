"""Reading and writing fact files (YAML or JSON, same structure), with the location of every error.

JSON goes through the standard library, which is fast; YAML through ruamel.yaml, which rejects
duplicate keys and knows the line and column of every node. When a JSON file fails validation it
is parsed once more by ruamel.yaml (JSON is YAML) only to find where the failing element is, so
that valid files never pay for positions.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from kbdoctor.engine.errors import FactFileError, Problem
from kbdoctor.engine.facts import FACT_FILE_ADAPTER, FACT_TYPES, Fact, FactFile
from kbdoctor.engine.yamlio import YamlLocator, load_yaml, load_yaml_data, yaml_error_problem
from pydantic import ValidationError

STDIN = "-"


@dataclass
class FactSet:
    """The facts of one or more fact files, merged in the order given."""

    facts: list[Fact] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)
    collected_at: datetime | None = None

    def extend(self, other: FactFile, name: str) -> None:
        self.facts.extend(other.facts)
        self.files.append(name)
        if other.environment:
            for key, value in other.environment.items():
                self.environment.setdefault(key, value)
        if other.collected_at and (
            self.collected_at is None or other.collected_at > self.collected_at
        ):
            self.collected_at = other.collected_at


def parse_fact_text(content: str, name: str) -> FactFile:
    """One fact file's text, validated; raises FactFileError naming every problem."""
    stripped = content.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")):
        text = content.lstrip("\ufeff")
        try:
            # pydantic parses and validates JSON in one pass, in Rust: large fact files load fast
            return FACT_FILE_ADAPTER.validate_json(text)
        except ValidationError:
            pass  # parsed again below, only to say where the problem is
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FactFileError(
                [Problem(name, exc.lineno, exc.colno, "error.json_syntax", {"detail": exc.msg})]
            ) from None
        try:
            return FACT_FILE_ADAPTER.validate_python(data)
        except ValidationError as exc:
            locator = _json_locator(content)
            raise FactFileError(validation_problems(exc, name, data, locator)) from None
    try:
        data = load_yaml_data(content)
    except Exception as exc:  # ruamel raises many unrelated classes; each carries a mark
        raise FactFileError([yaml_error_problem(exc, name)]) from None
    if data is None:
        raise FactFileError([Problem(name, 1, 1, "error.fact_file_empty")])
    try:
        return FACT_FILE_ADAPTER.validate_python(data)
    except ValidationError as exc:
        # Only now are positions worth a second, slower parse.
        located, locator = load_yaml(content)
        raise FactFileError(validation_problems(exc, name, located, locator)) from None


def _json_locator(content: str) -> YamlLocator | None:
    try:
        return load_yaml(content)[1]
    except Exception:  # a JSON file ruamel cannot read still gets its errors, without positions
        return None


def load_fact_files(paths: Sequence[str], stdin: io.TextIOBase | Any = None) -> FactSet:
    """Load and merge fact files; ``-`` reads standard input. Every file is read before any error
    is raised, so one run reports the problems of all of them."""
    merged = FactSet()
    problems: list[Problem] = []
    for path in paths:
        name = "<stdin>" if path == STDIN else path
        try:
            if path == STDIN:
                import sys

                content = (stdin or sys.stdin).read()
            else:
                content = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            problems.append(Problem(name, None, None, "error.cannot_read", {"detail": detail}))
            continue
        try:
            merged.extend(parse_fact_text(content, name), name)
        except FactFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise FactFileError(problems)
    return merged


def validation_problems(
    exc: ValidationError, name: str, data: Any, locator: YamlLocator | None
) -> list[Problem]:
    """pydantic's errors turned into located, translatable problems."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        data_path = _data_path(loc, data)
        line, column = locator.position(data_path) if locator else (None, None)
        context = None
        if len(data_path) >= 2 and data_path[0] == "facts" and isinstance(data_path[1], int):
            fact = data["facts"][data_path[1]] if isinstance(data, dict) else None
            fact_type = fact.get("type") if isinstance(fact, dict) else None
            context = f"fact {data_path[1] + 1}" + (f" ({fact_type})" if fact_type else "")
        named = [p for p in loc if isinstance(p, str) and p not in _UNION_TAGS and "[" not in p]
        field_path = ".".join(named[1:] if named[:1] == ["facts"] else named) or None
        ctx = {k: _plain(v) for k, v in (error.get("ctx") or {}).items()}
        problems.append(
            Problem(
                name,
                line,
                column,
                f"pydantic.{error['type']}",
                {
                    "field": field_path or ".".join(map(str, data_path)),
                    "detail": error["msg"],
                    **ctx,
                },
                context,
            )
        )
    return problems


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """pydantic's error location without the union tags it inserts (``clock_offset``,
    ``list[str]``), as a path into the loaded data."""
    path: list[Any] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part in _ALIASES:
            alias = next((a for a in _ALIASES[part] if a in node), None)
            if alias is not None:
                path.append(alias)
                node = node[alias]
        # anything else is a union tag or a missing key: the error stays on the parent node,
        # and the message names the field
    return tuple(path)


_ALIASES = {"provenance": ("source", "origin")}
# Names pydantic puts into error locations that are not keys of the data: the discriminator's tag
# (a fact type) and validator wrappers.
_UNION_TAGS = frozenset(FACT_TYPES) | {"function-after", "function-before"}


def dump_fact_file(fact_file: FactFile, fmt: Literal["yaml", "json"] = "yaml") -> str:
    """Serialise a fact file the way other tools should write it: aliases (``source``/``origin``),
    no empty optional fields, stable key order."""
    data = fact_file.model_dump(mode="json", by_alias=True, exclude_none=True)
    data = {"kbdoctor": data.pop("kbdoctor"), **data}
    data["facts"] = [_fact_first(f) for f in data["facts"]]
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    from kbdoctor.engine.yamlio import dump_yaml

    return dump_yaml(data)


def _fact_first(fact: dict[str, Any]) -> dict[str, Any]:
    """``type`` first and provenance last, which is how people read a fact."""
    ordered = {"type": fact["type"]}
    for key, value in fact.items():
        if key not in ("type", "source", "origin", "observed_at") or (
            key == "source" and isinstance(value, str)
        ):
            ordered[key] = value
    for key in ("observed_at", "origin"):
        if key in fact:
            ordered[key] = fact[key]
    if isinstance(fact.get("source"), dict):
        ordered["source"] = fact["source"]
    return ordered
