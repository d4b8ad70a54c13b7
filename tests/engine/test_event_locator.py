"""Positions found from parser events are the positions the round-trip loader gives, for every
node of real files: a problem in a large pack is placed in a moment, and placed where it was."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kbdoctor.engine.yamlio import EventLocator, load_yaml
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
FILES = [
    REPO / "kb_rules" / "kb979174.yaml",
    *sorted((REPO / "kb_rules" / "tests").glob("*.yaml")),
    *sorted((REPO / "examples").glob("*.yaml")),
]


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*prefix, index))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_node_of_a_real_file_is_where_the_round_trip_loader_puts_it(path: Path) -> None:
    content = path.read_text(encoding="utf-8")
    data, round_trip = load_yaml(content)
    events = EventLocator(content)
    for where in _paths(data):
        assert events.position(where) == round_trip.position(where), where
    # a path past the document stops at its deepest node, as the round-trip locator does
    assert events.position(("no such key", 3)) == round_trip.position(("no such key", 3))


_scalars = st.one_of(st.integers(-5, 5), st.booleans(), st.none(), st.text("ab -'\"", max_size=4))
_documents = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.one_of(st.text("abc", min_size=1, max_size=3), st.integers(0, 3)), inner, max_size=3
        ),
    ),
    max_leaves=12,
)


@pytest.mark.fuzz
@settings(max_examples=150, deadline=None)
@given(_documents, st.booleans())
def test_generated_documents_place_every_node_alike(document: Any, flow: bool) -> None:
    # (":" and "#" are left out of the texts: ruamel's own dumper writes ":a" in flow style as
    # YAML its parser refuses)
    yaml = YAML()
    yaml.default_flow_style = flow
    out = io.StringIO()
    yaml.dump({"root": document}, out)
    content = out.getvalue()
    data, round_trip = load_yaml(content)
    events = EventLocator(content)
    for where in _paths(data):
        assert events.position(where) == round_trip.position(where), (content, where)
