"""YAML through ruamel.yaml: plain Python data out, plus a locator that knows where each node was.

Both fact files and rule files are read here, so that every error everywhere carries a line and a
column, and duplicate keys are rejected rather than silently overwritten.
"""

from __future__ import annotations

import io
from typing import Any

from kbdoctor.engine.errors import InputRefused, Problem
from kbdoctor.engine.limits import ENV_VARS, Limits
from kbdoctor.engine.number_range import OutOfRange, check_digits, checked
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import SafeRepresenter
from ruamel.yaml.resolver import implicit_resolvers


class YamlLocator:
    """Finds the (1-based) line and column of a path of keys and indexes in a loaded document."""

    def __init__(self, root: Any) -> None:
        self._root = root

    def position(self, path: tuple[Any, ...]) -> tuple[int | None, int | None]:
        """Where the deepest existing node of ``path`` is: a key's position for mappings, an
        item's for sequences (so a missing field is reported at the fact that lacks it)."""
        node = self._root
        line: int | None = None
        column: int | None = None
        if isinstance(node, (CommentedMap, CommentedSeq)):
            line, column = node.lc.line + 1, node.lc.col + 1
        for part in path:
            if isinstance(node, CommentedMap) and part in node:
                try:
                    key_line, key_col = node.lc.key(part)
                except (KeyError, TypeError):
                    break
                line, column = key_line + 1, key_col + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                try:
                    item_line, item_col = node.lc.item(part)
                except (KeyError, TypeError):
                    break
                line, column = item_line + 1, item_col + 1
                node = node[part]
            else:
                break
        return line, column


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            str(k) if not isinstance(k, (int, float, bool)) else k: _plain(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def load_yaml_data(content: str, limits: Limits | None = None, max_facts: int | None = None) -> Any:
    """Parse one YAML document into plain data, fast and bounded: ruamel's C parser gives the
    events, and this module builds the data from them without recursion, refusing (with the line
    and column) aliases, nesting deeper than ``limits.depth``, texts longer than
    ``limits.string_chars``, keys given twice, keys that are not scalars and tags it does not know.
    Refused input raises InputRefused; a syntax error raises ruamel's error, which has a mark.
    Positions are not kept; callers that report a validation error parse again with
    ``load_yaml``. ``max_facts``: the list under the top-level key ``facts`` may hold that many
    items; the next one is refused where it starts (``limits.facts`` names the limit), so that
    an oversized fact file stops being read at once."""
    return _EventBuilder(limits or Limits.from_env(), max_facts).build(content)


_CORE = "tag:yaml.org,2002:"
# YAML 1.2 core schema, as ruamel resolves it, by first character; ruamel's own resolver checks
# the document's version at every scalar, which made it most of the time of a large fact file.
_IMPLICIT: dict[str, list[tuple[str, Any]]] = {}  # regexps: ruamel compiles them lazily
_RESOLVED = ("bool", "float", "int", "null", "timestamp")
for _versions, _tag, _regexp, _first in implicit_resolvers:
    if (1, 2) in _versions and _tag.rsplit(":", 1)[1] in _RESOLVED:
        for _char in _first:
            _IMPLICIT.setdefault(_char, []).append((_tag, _regexp))
_SCALAR_TAGS = frozenset(
    _CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp", "binary")
)


class _EventBuilder:
    """Plain data from parser events: an explicit stack instead of recursion, so that no depth of
    nesting reaches C's or Python's stack before the limit refuses it."""

    def __init__(self, limits: Limits, max_facts: int | None = None) -> None:
        self._limits = limits
        self._max_facts = max_facts
        yaml = YAML(typ="safe")
        self._yaml = yaml
        self._constructor = yaml.constructor

    def build(self, content: str) -> Any:
        limits = self._limits
        stack: list[Any] = []  # open collections: list, or [dict, pending key, key mark, marks]
        root: Any = None
        documents = 0
        facts: list[Any] | None = None  # the top-level facts list, when it is being counted
        for event in self._yaml.parse(content):
            kind = type(event)
            if facts is not None and stack and stack[-1] is facts and kind is not SequenceEndEvent:
                self._count_fact(facts, event)
            if kind is ScalarEvent:
                value = self._scalar(event)
                self._add(stack, value, event)
                if not stack:
                    root = value
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if len(stack) >= limits.depth:
                    raise _refused(
                        event, "error.limit_depth", limit=limits.depth, variable=ENV_VARS["depth"]
                    )
                if event.tag is not None and event.tag not in (_CORE + "map", _CORE + "seq"):
                    raise _refused(event, "error.yaml_tag", tag=str(event.tag))
                if kind is MappingStartEvent:
                    stack.append(_Mapping())
                else:
                    opened: list[Any] = []
                    if self._max_facts is not None and len(stack) == 1:
                        top = stack[0]
                        if isinstance(top, _Mapping) and top.has_key and top.key == "facts":
                            facts = opened
                    stack.append(opened)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                done = stack.pop()
                value = done.data if isinstance(done, _Mapping) else done
                self._add(stack, value, event)
                if not stack:
                    root = value
            elif kind is AliasEvent:
                raise _refused(event, "error.yaml_alias", alias=str(event.anchor))
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _refused(event, "error.yaml_documents")
        return root

    def _count_fact(self, facts: list[Any], event: Any) -> None:
        """``event`` starts one more item of the facts list: refuse it past ``max_facts``."""
        if self._max_facts is not None and len(facts) >= self._max_facts:
            raise _refused(
                event,
                "error.limit_facts",
                limit=self._limits.facts,
                variable=ENV_VARS["facts"],
            )

    def _add(self, stack: list[Any], value: Any, event: Any) -> None:
        if not stack:
            return
        top = stack[-1]
        if type(top) is list:
            top.append(value)
            return
        if top.has_key:
            top.data[top.key] = value
            top.has_key = False
            return
        if isinstance(value, (dict, list)):
            raise _refused(event, "error.yaml_complex_key")
        if not isinstance(value, str) and not isinstance(value, (int, float, bool)):
            value = str(value)  # a date or null as a key: its text, like _plain
        if value in top.data:
            raise _refused(event, "error.duplicate_key", key=str(value))
        top.key = value
        top.has_key = True

    def _scalar(self, event: ScalarEvent) -> Any:
        value: str = event.value
        if len(value) > self._limits.string_chars:
            raise _refused(
                event,
                "error.limit_string",
                limit=self._limits.string_chars,
                variable=ENV_VARS["string_chars"],
            )
        tag = event.tag
        if tag is None:
            if event.style is not None and event.style != "":
                return value  # quoted or block scalar: text
            for candidate, regexp in _IMPLICIT.get(value[:1], ()):
                if regexp.match(value):
                    tag = candidate
                    break
            else:
                return value
        elif tag == "!":
            return value
        tag = str(tag)
        if tag == _CORE + "str":
            return value
        if tag not in _SCALAR_TAGS:
            raise _refused(event, "error.yaml_tag", tag=tag)
        node = ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        try:
            if tag != _CORE + "int":
                return self._constructor.yaml_constructors[tag](self._constructor, node)
            if value.lstrip("+-")[:2].lower() not in ("0x", "0o", "0b"):
                check_digits(value)  # before ruamel makes an int of them
            return checked(value, self._constructor.yaml_constructors[tag](self._constructor, node))
        except OutOfRange as exc:
            raise _refused(event, exc.key, **exc.params) from None
        except (ValueError, TypeError, YAMLError) as exc:
            raise _refused(event, "error.yaml_value", tag=tag, detail=str(exc)) from None


class _Where:
    """A node's position (1-based) and, for a collection, its children's: keys' positions for a
    mapping (``keys``), items' for a sequence (``items``)."""

    __slots__ = ("column", "items", "keys", "line")

    def __init__(self, mark: Any) -> None:
        self.line: int = mark.line + 1
        self.column: int = mark.column + 1
        self.keys: dict[Any, tuple[_Where, _Where | None]] | None = None
        self.items: list[_Where] | None = None


class EventLocator(YamlLocator):
    """Positions from the C parser's events, as ``load_yaml``'s round-trip tree gives them (a
    key's mark for a mapping, an item's for a sequence), at a fraction of its cost: the
    round-trip loader is pure Python, and took most of a minute to place one problem in a pack of
    5,000 rules. Keys are resolved as ``load_yaml_data`` resolves them, so paths built from the
    data find their nodes."""

    def __init__(self, content: str, limits: Limits | None = None) -> None:
        super().__init__(None)
        self._tree = _PositionBuilder(limits or Limits.from_env()).positions(content)

    def position(self, path: tuple[Any, ...]) -> tuple[int | None, int | None]:
        node = self._tree
        if node is None:
            return None, None
        line: int | None = None
        column: int | None = None
        if node.keys is not None or node.items is not None:
            line, column = node.line, node.column
        for part in path:
            if node is None:
                break
            if node.keys is not None and part in node.keys:
                key, value = node.keys[part]
                line, column = key.line, key.column
                node = value
            elif node.items is not None and isinstance(part, int) and 0 <= part < len(node.items):
                node = node.items[part]
                line, column = node.line, node.column
            else:
                break
        return line, column


class _PositionBuilder(_EventBuilder):
    """The position tree of a document already read by ``load_yaml_data`` (so bounded)."""

    def positions(self, content: str) -> _Where | None:
        stack: list[tuple[_Where, list[Any]]] = []  # open collection, [pending key, key mark]
        root: _Where | None = None
        for event in self._yaml.parse(content):
            kind = type(event)
            if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
                where = _Where(event.start_mark)
                if kind is MappingStartEvent:
                    where.keys = {}
                elif kind is SequenceStartEvent:
                    where.items = []
                if stack:
                    parent, pending = stack[-1]
                    if parent.items is not None:
                        parent.items.append(where)
                    elif pending:
                        assert parent.keys is not None
                        parent.keys[pending[0]] = (pending[1], where)
                        pending.clear()
                    else:
                        key = self._scalar(event) if kind is ScalarEvent else None
                        if key is not None and not isinstance(key, (str, int, float, bool)):
                            key = str(key)
                        pending.extend((key, where))
                        if kind is not ScalarEvent:  # a complex key: refused when read
                            stack.append((where, []))
                        continue
                elif root is None:
                    root = where
                if kind is not ScalarEvent:
                    stack.append((where, []))
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
        return root


class _Mapping:
    __slots__ = ("data", "has_key", "key")

    def __init__(self) -> None:
        self.data: dict[Any, Any] = {}
        self.key: Any = None
        self.has_key = False


def _refused(event: Any, message: str, **params: Any) -> InputRefused:
    mark = event.start_mark
    return InputRefused(message, mark.line + 1, mark.column + 1, **params)


def item_position(content: str, key: str, index: int) -> tuple[int | None, int | None]:
    """Where item ``index`` of the list under the top-level ``key`` starts (1-based), read from
    parser events only (nothing is built, so a very large file costs little)."""
    depth = 0
    in_list = False
    expect_key = False
    pending: str | None = None
    count = 0
    yaml = YAML(typ="safe")
    for event in yaml.parse(content):
        kind = type(event)
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            if in_list and depth == 2:
                if count == index:
                    return event.start_mark.line + 1, event.start_mark.column + 1
                count += 1
            if depth == 1 and pending == key and kind is SequenceStartEvent:
                in_list = True
            depth += 1
            expect_key = kind is MappingStartEvent and depth == 1
            pending = None
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            depth -= 1
            if depth == 1:
                if in_list:
                    return None, None
                expect_key = True
        elif kind is ScalarEvent:
            if in_list and depth == 2:
                if count == index:
                    return event.start_mark.line + 1, event.start_mark.column + 1
                count += 1
            elif depth == 1:
                pending = event.value if expect_key else None
                expect_key = not expect_key
    return None, None


def check_yaml(content: str, limits: Limits | None = None) -> None:
    """Refuse what ``load_yaml_data`` refuses (aliases, depth, long texts, duplicate keys)
    before a slower, recursive loader (``load_yaml``, which keeps positions) sees the text."""
    load_yaml_data(content, limits)


def load_yaml(content: str, limits: Limits | None = None) -> tuple[Any, YamlLocator]:
    """Parse one YAML (or JSON) document, keeping every node's position. Raises ruamel's errors,
    which carry a problem mark, or InputRefused: the text is first checked by the bounded
    ``load_yaml_data``, because this loader recurses and expands aliases."""
    load_yaml_data(content, limits)
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    root = yaml.load(content)
    return _plain(root), YamlLocator(root)


def yaml_error_problem(exc: Exception, name: str) -> Problem:
    """A ruamel error (``problem_mark`` is 0-based) or a refusal as a located problem."""
    if isinstance(exc, InputRefused):
        return exc.problem(name)
    if isinstance(exc, RecursionError):  # only reachable past a raised depth limit
        return Problem(name, None, None, "error.limit_depth_parser")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        return Problem(
            name, mark.line + 1, mark.column + 1, "error.yaml_syntax", {"detail": detail}
        )
    return Problem(name, None, None, "error.yaml_syntax", {"detail": detail})


# Characters YAML reads as a line break: a text holding one is written double-quoted, each as an
# escape on one line, rather than folded over several lines that a reader has to put together.
_BREAKS = frozenset("\n\r\x85\u2028\u2029")


def _text(representer: Any, value: str) -> Any:
    style = '"' if not _BREAKS.isdisjoint(value) else None
    return representer.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Representer(SafeRepresenter):
    """ruamel's safe representer, texts with line breaks double-quoted (its own class, so that
    no other YAML writer in the process is changed)."""


_Representer.add_representer(str, _text)


def dump_yaml(data: Any) -> str:
    """Plain data as block YAML, keys in the order given (people read ``type`` first). An
    object met twice is written out twice: the loader refuses anchors and aliases.

    Written by libyaml's emitter (ruamel.yaml.clib), not ruamel's pure-Python one: that one
    wrote NEL (U+0085) raw inside quotes, where a reader folds it into a space, so an event
    message holding one came back changed; libyaml escapes it. It is also three to
    four times faster on a large import."""
    yaml = YAML(typ="safe", pure=False)
    yaml.Representer = _Representer
    yaml.default_flow_style = False  # before the representer is made, which reads it
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.representer.ignore_aliases = lambda _data: True
    yaml.representer.sort_base_mapping_type_on_output = False
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
