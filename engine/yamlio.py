"""YAML through ruamel.yaml: plain Python data out, plus a locator that knows where each node was.

Both fact files and rule files are read here, so that every error everywhere carries a line and a
column, and duplicate keys are rejected rather than silently overwritten.
"""

from __future__ import annotations

import io
from typing import Any

from kbdoctor.engine.errors import Problem
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq


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


def load_yaml_data(content: str) -> Any:
    """Parse one YAML document into plain data, fast: ruamel's C parser when it is installed.
    Positions are not kept; callers that report an error parse again with ``load_yaml``."""
    yaml = YAML(typ="safe")
    yaml.allow_duplicate_keys = False
    return _plain(yaml.load(content))


def load_yaml(content: str) -> tuple[Any, YamlLocator]:
    """Parse one YAML (or JSON) document. Raises ruamel's errors, which carry a problem mark."""
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    root = yaml.load(content)
    return _plain(root), YamlLocator(root)


def yaml_error_problem(exc: Exception, name: str) -> Problem:
    """A ruamel error as a located problem (``problem_mark`` is 0-based)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        return Problem(
            name, mark.line + 1, mark.column + 1, "error.yaml_syntax", {"detail": detail}
        )
    return Problem(name, None, None, "error.yaml_syntax", {"detail": detail})


def dump_yaml(data: Any) -> str:
    """Plain data as block YAML, keys in the order given (people read ``type`` first)."""
    yaml = YAML(typ="rt", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
