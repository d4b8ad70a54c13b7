"""A folder whose name cannot be the name of the machine whose outputs it holds, and what is said
instead of the readers' "put the file in a folder named after the machine".

The README asks for the files of one machine in a folder named after it, and the importer takes
that name as the host of outputs that do not name their machine. A folder name that is not UTF-8
(an archive packed on a system with another code page) is no machine's name as it is spelled:
Windows keeps computer names as Unicode text and a host name is letters, digits and hyphens, so
bytes that are not UTF-8 are the name written in some other encoding, and reading them as one
would be a guess, a wrong host in every fact read with it. The name is therefore not used, and
the warning says so, naming the folder as it is shown everywhere (``\\xNN`` for such a byte):
"put the file in a folder named after the machine" would tell the user to do what they did.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kbdoctor.collectors.importers.base import ImportWarning
from kbdoctor.engine.factio import display_path

NO_HOST = ".no_host"
"""How every reader's key for "this output does not name the machine it ran on" ends
(``w32tm.no_host``, ``tnc.no_host``, ...): the readers write the warning, the importer knows why
no host was known."""

NOT_UTF8 = "host_folder_not_utf8"


def is_utf8(name: str) -> bool:
    """Whether ``name`` (as the file system gave it: bytes that are not UTF-8 are surrogate
    escapes) is UTF-8 text."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def folder_not_a_host(path: Path, host: str | None) -> str | None:
    """The name of the folder ``path`` is in, shown escaped, when the importer would have taken it
    as the host but it is not UTF-8; None when ``--host`` is given or the name is UTF-8 (a name
    like ``eventlog`` is not taken either, and "put the file in a folder named after the machine"
    is then the right advice)."""
    if host and host.strip():
        return None
    name = path.resolve().parent.name
    return None if is_utf8(name) else display_path(name)


def explained(
    warnings: Sequence[ImportWarning], folder: str | None, reader: str
) -> list[ImportWarning]:
    """``warnings`` of the reader ``reader``, each of its "no host" warnings said as what it is
    when ``folder`` (see :func:`folder_not_a_host`) was not taken as the host: at the same line,
    with the folder named and why."""
    if folder is None:
        return list(warnings)
    return [
        ImportWarning.at(w.file, w.line, NOT_UTF8, reader=reader, folder=folder)
        if w.key.endswith(NO_HOST)
        else w
        for w in warnings
    ]
