"""The message catalogues are dict literals: a key written twice would silently keep only its
last text, so every key must appear once."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest
from kbdoctor.collectors import messages, warning_messages


@pytest.mark.parametrize("module", [messages, warning_messages], ids=lambda m: m.__name__)
def test_no_catalogue_key_is_written_twice(module: object) -> None:
    tree = ast.parse(Path(str(getattr(module, "__file__", ""))).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = Counter(k.value for k in node.keys if isinstance(k, ast.Constant))
            assert [k for k, n in keys.items() if n > 1] == []
