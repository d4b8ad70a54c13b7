"""Reading and writing fact files (YAML or JSON, same structure), with the location of every error.

JSON goes through the standard library, which is fast; YAML through ruamel.yaml, which rejects
duplicate keys and knows the line and column of every node. When a JSON file fails validation it
is parsed once more by ruamel.yaml (JSON is YAML) only to find where the failing element is, so
that valid files never pay for positions.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from kbdoctor.engine.errors import Context, FactFileError, InputRefused, Problem
from kbdoctor.engine.facts import FACT_FILE_ADAPTER, FACT_TYPES, Fact, FactFile
from kbdoctor.engine.limits import ENV_VARS, Limits
from kbdoctor.engine.number_range import OutOfRange, whole_number
from kbdoctor.engine.yamlio import (
    EventLocator,
    YamlLocator,
    item_position,
    load_yaml,
    load_yaml_data,
    yaml_error_problem,
)
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


def parse_fact_text(
    content: str, name: str, limits: Limits | None = None, facts_before: int = 0
) -> FactFile:
    """One fact file's text, validated; raises FactFileError naming every problem. ``limits``
    (default: from the environment) bound depth, text length and the number of facts, counting
    ``facts_before`` facts already read in the same run."""
    try:
        return _parse_fact_text(content, name, limits or Limits.from_env(), facts_before)
    except RecursionError:
        # The depth limit's ceiling (MAX_DEPTH_CEILING) keeps every parser within Python's
        # stack; should a caller's own frames leave less room than that, the file is still
        # refused by name instead of ending the program with a traceback.
        raise FactFileError([Problem(name, None, None, "error.limit_depth_parser")]) from None


def _parse_fact_text(content: str, name: str, limits: Limits, facts_before: int) -> FactFile:
    stripped = content.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")):
        text = content.lstrip("\ufeff")
        try:
            data = load_json_data(text, limits)
        except InputRefused as exc:
            raise FactFileError([exc.problem(name)]) from None
        except json.JSONDecodeError as exc:
            raise FactFileError(
                [Problem(name, exc.lineno, exc.colno, "error.json_syntax", {"detail": exc.msg})]
            ) from None
        _check_fact_count(data, content, name, limits, facts_before)
        try:
            # the data parsed above, not the text again: pydantic's own JSON parse (validate_json)
            # costs more than validating the parsed data (0.59 s against 0.47 s at 13,811 facts)
            return FACT_FILE_ADAPTER.validate_python(data)
        except ValidationError as exc:
            locator = _json_locator(content)
            raise FactFileError(validation_problems(exc, name, data, locator)) from None
    try:
        data = load_yaml_data(content, limits, max(limits.facts - facts_before, 0))
    except Exception as exc:  # ruamel raises many unrelated classes; each carries a mark
        raise FactFileError([yaml_error_problem(exc, name)]) from None
    if data is None:
        raise FactFileError([Problem(name, 1, 1, "error.fact_file_empty")])
    _check_fact_count(data, content, name, limits, facts_before)
    try:
        return FACT_FILE_ADAPTER.validate_python(data)
    except ValidationError as exc:
        # Only now are positions worth a second parse (of the parser's events only).
        locator = EventLocator(content, limits)
        raise FactFileError(validation_problems(exc, name, data, locator)) from None


def _check_fact_count(
    data: Any, content: str, name: str, limits: Limits, facts_before: int
) -> None:
    """The run's facts may not exceed ``limits.facts``; the error points at the first fact over."""
    facts = data.get("facts") if isinstance(data, dict) else None
    if not isinstance(facts, list) or facts_before + len(facts) <= limits.facts:
        return
    index = max(limits.facts - facts_before, 0)
    try:
        line, column = item_position(content, "facts", index)
    except Exception:  # the data was read; a position is only a courtesy
        line, column = None, None
    raise FactFileError(
        [
            Problem(
                name,
                line,
                column,
                "error.limit_facts",
                {"limit": limits.facts, "variable": ENV_VARS["facts"]},
            )
        ]
    )


def load_json_data(text: str, limits: Limits) -> Any:
    """JSON as plain data, refusing what the standard library would accept silently or crash on:
    nesting deeper than ``limits.depth`` (checked before parsing), a key given twice (the last
    would win), NaN and Infinity (not JSON), texts longer than ``limits.string_chars``, numbers
    beyond what kbdoctor can compare (:mod:`kbdoctor.engine.number_range`: an integer of 5,000
    digits was a traceback). Raises InputRefused with the position, or json.JSONDecodeError."""
    _check_json_depth(text, limits)
    _check_json_strings(text, limits)
    try:
        return json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_constant=_no_constant,
            parse_int=whole_number,
        )
    except OutOfRange as exc:
        line, column = _json_position(text, _number_offset(text, exc.literal))
        raise InputRefused(exc.key, line, column, **exc.params) from None
    except _DuplicateKey as exc:
        raise _locate_duplicate(text, exc.key) from None
    except _NotANumber as exc:
        line, column = _json_position(text, _constant_offset(text, exc.constant))
        raise InputRefused("error.json_constant", line, column, constant=exc.constant) from None


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _NotANumber(Exception):
    def __init__(self, constant: str) -> None:
        self.constant = constant


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return data


def _no_constant(constant: str) -> Any:
    raise _NotANumber(constant)


def _locate_duplicate(text: str, key: str) -> InputRefused:
    try:
        load_yaml_data(text, Limits(string_chars=len(text) + 1))  # JSON is YAML: it has marks
    except InputRefused as exc:
        if exc.key == "error.duplicate_key":
            return exc
    except Exception:  # a JSON file ruamel cannot read: no position, same error
        pass
    return InputRefused("error.duplicate_key", None, None, key=key)


# A JSON string literal, or a bracket outside one.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_JSON_BRACKETS = re.compile(r"[^\[\]{}]+")
_JSON_INNERMOST = re.compile(r"\[\]|\{\}")


def _check_json_depth(text: str, limits: Limits) -> None:
    """Refuse JSON nested deeper than the limit before ``json.loads`` recurses into it. Fast
    filter: keep the brackets only and remove innermost pairs, ``depth`` times at most (brackets
    inside strings count too, so this can only over-estimate); only if brackets remain is the
    text scanned exactly, strings skipped, for the position where the limit is passed."""
    skeleton = _JSON_BRACKETS.sub("", text)
    for _ in range(limits.depth):
        reduced = _JSON_INNERMOST.sub("", skeleton)
        if not reduced or reduced == skeleton:
            skeleton = reduced
            break
        skeleton = reduced
    if not skeleton:
        return
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limits.depth:
                line, column = _json_position(text, match.start())
                raise InputRefused(
                    "error.limit_depth",
                    line,
                    column,
                    limit=limits.depth,
                    variable=ENV_VARS["depth"],
                )
        elif token in "]}":
            depth -= 1


def _check_json_strings(text: str, limits: Limits) -> None:
    """Refuse a JSON string longer than the limit. Fast filter: with escaped backslashes and
    quotes removed, the text after an opening quote up to the next quote is at least as long as
    the string it holds; the search tries only at quotes and stops at the next one (linear)."""
    if len(text) <= limits.string_chars:
        return
    unescaped = text.replace("\\\\", "").replace('\\"', "")
    if not re.search(f'"[^"]{{{limits.string_chars + 1}}}', unescaped):
        return
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if len(token) - 2 > limits.string_chars and len(json.loads(token)) > limits.string_chars:
            line, column = _json_position(text, match.start())
            raise InputRefused(
                "error.limit_string",
                line,
                column,
                limit=limits.string_chars,
                variable=ENV_VARS["string_chars"],
            )


def _constant_offset(text: str, constant: str) -> int | None:
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|' + re.escape(constant), text):
        if not match.group().startswith('"'):
            return match.start()
    return None


# A JSON string, or a number: the first number spelled as one refused is where the parser stopped.
_JSON_STRING_OR_NUMBER = re.compile(r'"(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*')


def _number_offset(text: str, literal: str) -> int | None:
    for match in _JSON_STRING_OR_NUMBER.finditer(text):
        if match.group() == literal:
            return match.start()
    return None


def _json_position(text: str, offset: int | None) -> tuple[int | None, int | None]:
    if offset is None:
        return None, None
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _json_locator(content: str) -> YamlLocator | None:
    try:
        return load_yaml(content, Limits(string_chars=len(content) + 1))[1]
    except Exception:  # a JSON file ruamel cannot read still gets its errors, without positions
        return None


def read_text_limited(path: str, limits: Limits, stdin: Any = None) -> str:
    """A file's text (UTF-8, BOM dropped), refusing more than ``limits.file_bytes`` bytes: only
    that many (plus one) are ever read, so ``/dev/zero`` or a huge file cost nothing. ``-`` reads
    standard input. Raises OSError, UnicodeDecodeError or InputRefused."""
    if path == STDIN:
        source = stdin if stdin is not None else sys.stdin
        buffer = getattr(source, "buffer", None)
        if buffer is None:  # a text stream (tests, the TUI): already decoded
            text = str(source.read(limits.file_bytes + 1))
            if len(text.encode("utf-8", "surrogatepass")) > limits.file_bytes:
                raise _too_big(limits)
            return text.removeprefix("\ufeff")
        data = buffer.read(limits.file_bytes + 1)
    else:
        if os.path.isdir(path):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        with open(path, "rb") as handle:
            data = handle.read(limits.file_bytes + 1)
    if len(data) > limits.file_bytes:
        raise _too_big(limits)
    return bytes(data).decode("utf-8-sig")


def _too_big(limits: Limits) -> InputRefused:
    return InputRefused(
        "error.limit_file_bytes",
        None,
        None,
        limit=limits.file_bytes,
        variable=ENV_VARS["file_bytes"],
    )


def load_fact_files(
    paths: Sequence[str], stdin: io.TextIOBase | Any = None, limits: Limits | None = None
) -> FactSet:
    """Load and merge fact files; ``-`` reads standard input. Every file is read before any error
    is raised, so one run reports the problems of all of them."""
    limits = limits or Limits.from_env()
    merged = FactSet()
    problems: list[Problem] = []
    for path in paths:
        name = "<stdin>" if path == STDIN else display_path(path)
        try:
            content = read_text_limited(path, limits, stdin)
        except InputRefused as exc:
            problems.append(exc.problem(name))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(unreadable_problem(name, exc))
            continue
        try:
            merged.extend(parse_fact_text(content, name, limits, len(merged.facts)), name)
        except FactFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise FactFileError(problems)
    return merged


def unreadable_problem(name: str, exc: OSError | UnicodeDecodeError) -> Problem:
    """Why the file ``name`` could not be read, as a problem: the system's reason, or for text
    that is not UTF-8 the line and column of the first byte that is not (a byte offset means
    nothing to the person who has to find it in an editor)."""
    if isinstance(exc, UnicodeDecodeError):
        data = bytes(exc.object)
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        return Problem(
            name,
            data.count(b"\n", 0, exc.start) + 1,
            column,
            "error.not_utf8",
            {"byte": f"0x{data[exc.start]:02x}"},
        )
    detail = exc.strerror or str(exc)
    return Problem(name, None, None, "error.cannot_read", {"detail": detail})


def display_path(path: str) -> str:
    """A path as it can be shown and written into a fact file: bytes that are not UTF-8 (a folder
    name from another system) appear as ``\\xNN`` escapes instead of breaking the output."""
    if not any("\udc80" <= char <= "\udcff" for char in path):
        return path
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace")


def validation_problems(
    exc: ValidationError, name: str, data: Any, locator: YamlLocator | None
) -> list[Problem]:
    """pydantic's errors turned into located, translatable problems."""
    problems = []
    for error in _meant_branches(exc.errors(include_url=False), data):
        loc = tuple(error["loc"])
        data_path = error_path(loc, data)
        line, column = locator.position(data_path) if locator else (None, None)
        context = None
        if len(data_path) >= 2 and data_path[0] == "facts" and isinstance(data_path[1], int):
            fact = data["facts"][data_path[1]] if isinstance(data, dict) else None
            fact_type = fact.get("type") if isinstance(fact, dict) else None
            number = data_path[1] + 1
            context = (
                Context("fact.context.typed", number=number, type=fact_type)
                if fact_type
                else Context("fact.context.numbered", number=number)
            )
        tags = _tag_positions(loc, data)
        named = [
            p
            for i, p in enumerate(loc)
            if isinstance(p, str) and i not in tags and p not in _UNION_TAGS and "[" not in p
        ]
        field_path = ".".join(named[1:] if named[:1] == ["facts"] else named) or None
        ctx = {k: _plain(v) for k, v in (error.get("ctx") or {}).items()}
        problems.append(
            Problem(
                name,
                line,
                column,
                _key(error),
                {
                    "field": field_path or ".".join(map(str, data_path)),
                    "detail": error["msg"],
                    **ctx,
                },
                context,
            )
        )
    return problems


# Text that names no number but NaN or an infinity, as YAML reads ``NaN``, ``inf``, ``-Infinity``
# written without quotes (only ``.nan`` and ``.inf`` are YAML's numbers of those names).
_NOT_FINITE = re.compile(r"[+-]?\.?(nan|inf|infinity)", re.IGNORECASE)


def _key(error: Any) -> str:
    """The catalogue key of a pydantic error. Text where a number belongs is told as what it
    is: NaN or an infinity (spelled as YAML reads it as text) is not finite, a number in quotes
    (``"300"``) is to be written without them, and other text is simply not a number."""
    key = f"pydantic.{error['type']}"
    given = error.get("input")
    if key != "pydantic.number_not_text" or not isinstance(given, str):
        return key
    if _NOT_FINITE.fullmatch(given.strip()):
        return "pydantic.finite_number"
    try:
        float(given)
    except ValueError:
        try:
            int(given, 0)  # 0x1F, 0o17, 0b101: numbers too, written without quotes
        except ValueError:
            return "pydantic.number_not_word"
    return key


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def _meant_branches(errors: list[Any], data: Any) -> list[Any]:
    """Of a union no branch accepted (a rule's condition: a pattern or an absence test), only
    the errors of the branch the data was written for. pydantic reports every branch; the others
    complain of fields the author never meant to write ('absent' is required, 'bind' is
    unexpected). The meant branch is the one whose own fields fit the data's keys best (fewest
    missing and unexpected fields right under it); when branches fit alike, all are kept."""
    branches: dict[tuple[Any, ...], dict[Any, list[int]]] = {}
    for number, error in enumerate(errors):
        loc = tuple(error["loc"])
        for position in _tag_positions(loc, data):
            branch = branches.setdefault(loc[:position], {})
            branch.setdefault(loc[position], []).append(number)
    dropped: set[int] = set()
    for prefix, by_tag in branches.items():
        if len(by_tag) < 2:
            continue
        misfit = {
            tag: sum(
                1
                for n in numbers
                if errors[n]["type"] in ("missing", "extra_forbidden")
                and len(errors[n]["loc"]) == len(prefix) + 2
            )
            for tag, numbers in by_tag.items()
        }
        best = min(misfit.values())
        for tag, numbers in by_tag.items():
            if misfit[tag] > best:
                dropped.update(numbers)
    return [error for number, error in enumerate(errors) if number not in dropped]


def _tag_positions(loc: tuple[Any, ...], data: Any) -> set[int]:
    """Where ``loc`` names a branch of a union rather than a key of the data: a fact type, a
    model's class name (``Absent``) or a validator wrapper (``function-after[...]``)."""
    tags: set[int] = set()
    node = data
    for position, part in enumerate(loc):
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]
        elif isinstance(part, str) and (part in _UNION_TAGS or "[" in part or part[:1].isupper()):
            tags.add(position)
        elif isinstance(node, dict) and isinstance(part, str) and part in _ALIASES:
            alias = next((a for a in _ALIASES[part] if a in node), None)
            if alias is not None:
                node = node[alias]
    return tags


def error_path(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
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


def fact_data(fact: Fact) -> dict[str, Any]:
    """One fact as a fact file holds it (aliases, no empty fields, ``type`` first)."""
    return _fact_first(fact.model_dump(mode="json", by_alias=True, exclude_none=True))


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
