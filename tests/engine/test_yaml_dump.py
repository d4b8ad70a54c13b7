"""What kbdoctor writes as YAML (fact files from ``collect``, a saved case, a scaffold) reads back
as exactly what was written: an event message is evidence, and a character changed on the way
is a fact the customer never sent."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.yamlio import dump_yaml, load_yaml_data


def _round_trip(data: Any) -> Any:
    return load_yaml_data(dump_yaml(data), Limits())


def test_a_next_line_character_survives() -> None:
    """NEL (U+0085) was written raw inside quotes, and read back as a space."""
    message = "Inbound authentication failed\x85for Receive connector Default EX02"
    assert _round_trip({"message": message}) == {"message": message}


def test_texts_with_line_breaks_are_one_double_quoted_line_each() -> None:
    written = dump_yaml({"message": "first\nsecond", "other": "x\u2028y", "plain": "EX01"})
    assert written == 'message: "first\\nsecond"\nother: "x\\Ly"\nplain: EX01\n'


def test_keys_keep_their_order_and_lists_are_blocks() -> None:
    written = dump_yaml({"type": "time_status", "host": "DC01", "peers": ["DC02", "EX01"]})
    assert written == "type: time_status\nhost: DC01\npeers:\n- DC02\n- EX01\n"


_SCALARS = st.one_of(
    st.text(),
    st.sampled_from(["", " ", "yes", "no", "null", "~", "1e3", "0x1F", "---", "a: b", "# c"]),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(min_size=1), st.one_of(_SCALARS, st.lists(_SCALARS, max_size=4))))
def test_any_plain_data_reads_back_as_written(data: dict[str, Any]) -> None:
    assert _round_trip({"facts": [data]}) == {"facts": [data]}
