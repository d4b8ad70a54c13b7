"""How the reasoning tree writes a firing's contribution to its cause."""

from __future__ import annotations

import pytest
from kbdoctor.tui.widgets.reasoning import contribution_text


@pytest.mark.parametrize(
    ("value", "shown", "style"),
    [(0.9, "+0.90", "green"), (-0.2, "-0.20", "red"), (0.0, "+0.00", "green")],
)
def test_a_contribution_is_signed_once(value: float, shown: str, style: str) -> None:
    text = contribution_text(value)
    assert text.plain.strip() == shown
    assert str(text.style) == style
