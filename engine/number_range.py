"""The numbers kbdoctor can compare, as the fact and rule readers refuse the rest.

Every number a rule compares is compared as a float (the facts' canonical readings, the engine's
tests), so an integer beyond a float's range (about ±1.8e308, 309 digits) is not one kbdoctor
can compare: it failed deep in the engine with a traceback. The digits are counted before an
integer is made, because making one costs time that grows with the square of its length (Python
refuses past 4,300 digits, with a message about ``sys.set_int_max_str_digits``). A float beyond
the range reads as infinity, which the fact and rule models refuse by their field's name.
"""

from __future__ import annotations

import sys
from typing import Any

MAX_MAGNITUDE = sys.float_info.max
# The digits of the largest float's whole part: a whole number with more is out of range.
MAX_DIGITS = len(str(int(MAX_MAGNITUDE)))

# How much of a number a message quotes: the start and the end of a long one.
_QUOTED = 24


class OutOfRange(ValueError):
    """A number beyond what kbdoctor can compare: a catalogue key and its parameters, which
    the reader of the file places at the number's line and column, and the number's text."""

    def __init__(self, key: str, literal: str, /, **params: Any) -> None:
        self.key = key
        self.literal = literal
        self.params = params
        super().__init__(key)


def whole_number(literal: str) -> int:
    """A decimal integer's text as an int, refusing one beyond the range before it is made."""
    check_digits(literal)
    return checked(literal, int(literal))


def check_digits(literal: str) -> None:
    """Refuse a decimal integer's text with more digits than any number in the range has (a
    hexadecimal, octal or binary one is made in linear time, and checked once it is made)."""
    digits = len(literal.lstrip("+-").replace("_", "").lstrip("0"))
    if digits > MAX_DIGITS:
        raise OutOfRange("error.number_digits", literal, digits=digits)


def checked(literal: str, value: int) -> int:
    """``value``, read from ``literal``, unless it is beyond the range (a hexadecimal integer
    is made before it can be measured). A float beyond it reads as infinity, which the fact and
    rule models refuse by their field's name, as they refuse NaN."""
    if abs(value) > MAX_MAGNITUDE:
        raise OutOfRange("error.number_range", literal, number=quoted(literal))
    return value


def quoted(literal: str) -> str:
    """A number's text as a message shows it: a long one by its start and end."""
    if len(literal) <= 2 * _QUOTED:
        return literal
    return f"{literal[:_QUOTED]}…{literal[-_QUOTED:]}"
