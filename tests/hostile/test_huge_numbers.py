"""An integer of 5,000 digits in a fact file (issue 10, "strict numbers"): from JSON it was a
traceback (exit 1, which says "cause diagnosed") and the TUI hung on loading; from YAML, exit 2
with Python's own English text about ``sys.set_int_max_str_digits()``, whatever the language.
Now exit 2 from every reader, at the number's line and column, in the reader's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.bounded import assert_refused, kbdoctor

DIGITS = "1" * 5000
JSON = (
    '{"kbdoctor": "facts/1", "facts": [{"type": "clock_offset", "host": "EX01", '
    f'"reference": "DC01", "offset_s": {DIGITS}}}]}}\n'
)
YAML = (
    "kbdoctor: facts/1\nfacts:\n"
    f"  - {{type: clock_offset, host: EX01, reference: DC01, offset_s: {DIGITS}}}\n"
)
EN = "a number of 5000 digits is beyond what kbdoctor can compare (at most about ±1.8e308"
PL = "liczba o 5000 cyfrach wykracza poza zakres, który kbdoctor umie porównać"


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [("j.json", JSON, ":1:109: "), ("y.yaml", YAML, ":3:65: ")],
    ids=["json", "yaml"],
)
def test_a_5000_digit_integer_is_refused_at_its_place(
    tmp_path: Path, name: str, text: str, where: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert_refused(kbdoctor("evaluate", str(path)), f"{path}{where}{EN}")
    assert_refused(kbdoctor("evaluate", "-", stdin=text), f"<stdin>{where}{EN}")
    result = kbdoctor("evaluate", "--lang", "pl", str(path))
    assert_refused(result, f"{path}{where}{PL}")
    assert "set_int_max_str_digits" not in result.stderr
