"""Which line of a text an offset falls on, for readers that find records by regular expression
over a whole file and must still say on which line each record starts.

Counting the newlines before each record anew (``text.count("\\n", 0, start)``) made reading a
log quadratic in its size: a thousand events took seconds, forty thousand most of ten minutes.
The newlines' offsets are found once and each lookup is a bisection.
"""

from __future__ import annotations

import bisect
import re

_NEWLINE = re.compile("\n")


class LineIndex:
    def __init__(self, text: str) -> None:
        self._newlines = [m.start() for m in _NEWLINE.finditer(text)]

    def index_at(self, offset: int) -> int:
        """The 0-based line index of the character at ``offset``: the newlines before it."""
        return bisect.bisect_left(self._newlines, offset)
