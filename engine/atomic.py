"""Atomic file writes: a reader never sees half a report or half a fact file."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from kbdoctor.engine.probe import probe

# Temporary files being written, so that an interrupted run (Ctrl-C ends the process at once, see
# kbdoctor/cli.py) can remove them instead of leaving ``.name.*.tmp`` beside the target.
_PENDING: set[str] = set()


def resolve_target(path: str | Path) -> Path:
    """Where writing ``path`` must go: a symbolic link is followed (to the end of a chain, even a
    dangling one), so that the link stays a link and its target gets the new content. A path that
    cannot be looked at, or whose links run in a loop, is returned as given (:func:`why_unwritable`
    says why)."""
    target = Path(path)
    if probe(target, follow=False).kind == "link" and link_loop(target) is None:
        return Path(os.path.realpath(target))
    return target


def link_loop(path: str | Path) -> OSError | None:
    """The error of a path whose symbolic links run in a loop (``a -> b -> a``, itself or a
    folder on its way), naming the path as given; None for any other path. :func:`probe` sees
    nothing there and ``os.path.realpath`` gives up silently, so without this check a write
    would replace the link with a regular file."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))
    except ValueError:  # a NUL byte: named nothing, and the write says so
        pass
    return None


def _special(path: str | Path) -> bool:
    """Whether ``path`` (followed if a link) exists and is neither a regular file nor a folder."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def why_unwritable(path: str | Path) -> OSError | None:
    """Why ``path`` cannot be written, known before any work is done: it is a folder, its links
    run in a loop, its folder does not exist, cannot be searched or cannot be written to. None
    when nothing is known against it (the write itself still reports anything else)."""
    loop = link_loop(path)
    if loop is not None:
        return loop
    if _special(path):
        return (
            None if os.access(path, os.W_OK) else OSError(errno.EACCES, os.strerror(errno.EACCES))
        )
    target = resolve_target(path)
    folder = target.parent if str(target.parent) else Path(".")
    seen, around = probe(target), probe(folder)
    code = None
    if seen.error is not None or around.error is not None:
        error = seen.error or around.error
        code = error.errno if error is not None and error.errno else errno.EACCES
    elif seen.kind == "folder":
        code = errno.EISDIR
    elif around.kind != "folder":
        code = errno.ENOENT if around.kind == "missing" else errno.ENOTDIR
    elif not os.access(folder, os.W_OK | os.X_OK):
        code = errno.EACCES
    return None if code is None else OSError(code, os.strerror(code), str(path))


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder and an
    ``os.replace``, so that an interrupted write leaves the old file (or none), never a part.
    A symbolic link is followed. Raises OSError (IsADirectoryError for a folder, ELOOP for links
    that run in a loop, both before anything is written)."""
    loop = link_loop(path)
    if loop is not None:
        raise loop
    if _special(path):
        # a device, a pipe or a terminal (-o /dev/stdout, /dev/null, a FIFO): written in place;
        # replacing it would put a regular file where /dev/null was
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        return
    target = resolve_target(path)
    seen = probe(target)
    if seen.error is not None:
        raise seen.error
    if seen.kind == "folder":
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    _PENDING.add(tmp)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if seen.exists:
            os.chmod(tmp, os.stat(target).st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        _PENDING.discard(tmp)


def make_folder(path: str | Path) -> None:
    """Create the folder ``path`` and its parents for files to be written into (``rules docs
    -o``, ``rules new -o``). Links that run in a loop are ELOOP naming the path: ``mkdir`` says
    "File exists" of them, which sends the user looking for a file."""
    loop = link_loop(path)
    if loop is not None:
        raise loop
    Path(path).mkdir(parents=True, exist_ok=True)


def remove_pending() -> None:
    """Remove the temporary files of writes still under way (called when the run is ended by a
    signal, from the signal handler: nothing here may raise)."""
    for tmp in list(_PENDING):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
