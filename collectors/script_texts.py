"""The texts of the PowerShell collection script (``kbdoctor collect --script``) and of the
option that writes it, in the language of ``--lang``.

The script's comments and the notes it writes when it skips a step are read by the customer who
runs it. They are in the collectors' catalogues under ``collect.script.``; what this module adds
is the guard that they end up inside a PowerShell file: every one must be a single line without
control characters, which :func:`script_text` checks, so that no text (in any language) can
break the script's syntax.
"""

from __future__ import annotations

from typing import Any

from kbdoctor.collectors.messages import message
from kbdoctor.engine.i18n import Lang


def script_text(key: str, lang: Lang, **values: Any) -> str:
    """The text of ``key`` in ``lang``, with its placeholders filled; one line, always."""
    text = message(f"script.{key}", lang, **values)
    if any(ord(c) < 32 or c in "\u2028\u2029\x85" for c in text):
        raise ValueError(f"script text {key!r} must be one line without control characters")
    return text
