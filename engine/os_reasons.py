"""The reason the operating system gives for a failed file operation, in the reader's language.

``OSError.strerror`` is the C library's English text (the program never sets ``LC_MESSAGES``),
and every message that reports one keeps it as its ``detail`` parameter as it came: logs, import
reports and problems stored for later say the same in every language, and a message made in one
language can be shown in another (the TUI's language switch). When a message is *rendered*, a
``detail`` that is the system's text of one of the errors people meet with files is shown in the
message's language, from the engine's catalogue; any other reason stays as the system gave it,
because a reason made up from an error number the catalogue does not know would be a guess.
"""

from __future__ import annotations

import errno
import os
from typing import Any

from kbdoctor.engine.i18n import ENGINE, Lang, lookup

REASON_KEYS: dict[int, str] = {
    errno.EACCES: "error.os.eacces",
    errno.ENOENT: "error.os.enoent",
    errno.EISDIR: "error.os.eisdir",
    errno.ENOTDIR: "error.os.enotdir",
    errno.ENOSPC: "error.os.enospc",
    errno.EROFS: "error.os.erofs",
    errno.ELOOP: "error.os.eloop",
    errno.EEXIST: "error.os.eexist",
}
"""The errors whose reasons read in the user's language: the catalogue key of each. The English
catalogue holds the system's own text, so that English output is what it always was."""

_BY_SYSTEM_TEXT: dict[str, str] = {os.strerror(code): key for code, key in REASON_KEYS.items()}

DETAIL = "detail"
"""The parameter that carries an error's reason in every message that reports one."""


def reason(detail: str, lang: Lang) -> str:
    """``detail`` in ``lang`` when it is the system's text of an error of :data:`REASON_KEYS`,
    else ``detail`` unchanged."""
    key = _BY_SYSTEM_TEXT.get(detail)
    if key is None:
        return detail
    return lookup(ENGINE, key, lang) or detail


def with_reason_in(params: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """``params`` with their ``detail`` in ``lang`` (see :func:`reason`); the same mapping when
    there is nothing to translate, which is nearly always."""
    detail = params.get(DETAIL)
    if not isinstance(detail, str) or detail not in _BY_SYSTEM_TEXT:
        return params
    return {**params, DETAIL: reason(detail, lang)}
