"""The terminal's size, when the terminal does not tell it.

A pseudo-terminal that nobody sized reports 0x0: ``script`` and ``expect`` make one, so do some CI
runners and a ``docker exec`` before its client sends the size. Rich then takes the screen to be
80x25 and Textual's driver 80x24, and Textual lays the screen out for one size, then the other,
and back, for ever: a busy loop before anything is drawn. Until the application has started,
both are told 80x24 through ``COLUMNS`` and ``LINES``, which both read first; the variables are
then taken back, so that a later resize of the terminal is followed again. A size the user set
in those variables is left alone.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field

ASSUMED = {"COLUMNS": "80", "LINES": "24"}


@dataclass
class AssumedSize:
    """The variables set for the start, to be taken back once the application has started."""

    added: dict[str, str] = field(default_factory=dict)

    def restore(self) -> None:
        for name, value in self.added.items():
            if os.environ.get(name) == value:
                del os.environ[name]
        self.added = {}


def assume_size_if_unknown() -> AssumedSize:
    """Set ``COLUMNS``/``LINES`` to 80x24 where neither they nor the terminal give a size."""
    columns, lines = shutil.get_terminal_size(fallback=(0, 0))
    unknown = {"COLUMNS": columns <= 0, "LINES": lines <= 0}
    added = {
        name: value
        for name, value in ASSUMED.items()
        if unknown[name] and name not in os.environ
    }
    os.environ.update(added)
    return AssumedSize(added)
