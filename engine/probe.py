"""What a path on the user's side is - a file, a folder, a link, nothing - or why that cannot be
known, without an exception.

Python 3.11's ``Path.exists()``, ``is_file()``, ``is_dir()`` and ``is_symlink()`` raise
PermissionError when a folder on the way cannot be searched (mode 700 of another user), and
``os.path.exists()`` answers False, which hides the reason. Every look at a path the user gave
(``-o``, ``--import``, ``--rules``, a folder's entries) goes through :func:`probe`, so that the
caller can name the path and the reason in a message instead of a traceback or a silent skip.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["missing", "file", "folder", "link", "other", "unknown"]

# What stat says when nothing is there: a name that does not exist, a file where a folder was
# expected on the way, a chain of links that never ends (pathlib answers False to all three).
_ABSENT = frozenset({errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.EBADF})


@dataclass(frozen=True)
class Probe:
    """``kind`` of the path; ``error`` (set only when ``kind`` is "unknown") says why it could
    not be looked at, with the path as its filename."""

    kind: Kind
    error: OSError | None = None

    @property
    def exists(self) -> bool:
        return self.kind not in ("missing", "unknown")


def probe(path: str | os.PathLike[str], *, follow: bool = True) -> Probe:
    """Look at ``path``; ``follow=False`` sees a symbolic link as "link" instead of its target."""
    try:
        mode = os.stat(path).st_mode if follow else os.lstat(path).st_mode
    except OSError as error:
        if error.errno in _ABSENT:
            return Probe("missing")
        if error.filename is None:
            error.filename = os.fspath(path)
        return Probe("unknown", error)
    except ValueError:  # a name with a NUL byte names nothing
        return Probe("missing")
    if stat.S_ISLNK(mode):
        return Probe("link")
    if stat.S_ISDIR(mode):
        return Probe("folder")
    return Probe("file") if stat.S_ISREG(mode) else Probe("other")


def list_folder(path: str | os.PathLike[str]) -> list[Path] | OSError:
    """The entries of a folder, sorted by name, or the error that kept it from being listed."""
    try:
        return sorted(Path(path) / name for name in os.listdir(path))
    except OSError as error:
        if error.filename is None:
            error.filename = os.fspath(path)
        return error
