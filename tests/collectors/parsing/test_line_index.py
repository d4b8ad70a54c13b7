"""An offset's line is what counting the newlines before it gives, however the text is made."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from kbdoctor.collectors.parsing.line_index import LineIndex


@given(st.text(alphabet="ab\n", max_size=60), st.data())
def test_a_line_is_found_by_offset_as_counting_newlines_finds_it(
    text: str, data: st.DataObject
) -> None:
    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert LineIndex(text).index_at(offset) == text.count("\n", 0, offset)
