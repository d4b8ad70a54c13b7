"""Files that are plainly not command output, told apart before any reader sees them.

A folder a customer sends holds more than outputs: scripts, the notes of the ticket, screenshots,
archives; a folder an engineer points kbdoctor at by mistake may hold source code. Readers that
were given such files found "their" format in comments and docstrings (a ``.py`` file holding a
sample of ``setspn -X`` became a duplicate search, its folder's name a host). So the importer sets
these files aside, and says so in one summary line, before reading:

* source code and configuration, by extension (``.py``, ``.js``, ``.toml``, ``.yaml``...) or by
  content (a ``#!`` line, a Python module's ``import`` and ``def`` lines);
* binaries other than an ``.evtx`` log, by their magic number or their NUL bytes;
* HTML pages are not set aside here: the text they show is read (a ``w32tm /monitor`` copied from
  a web page), and a page in which no reader finds output is reported as a page without output.

Windows commands print none of these, so nothing a reader could use is lost.
"""

from __future__ import annotations

import html
import re
from pathlib import PurePath
from typing import Literal

NotOutput = Literal["source", "binary", "web_page"]

SOURCE_EXTENSIONS = frozenset(
    {
        ".py",
        ".pyi",
        ".pyc",
        ".pyo",
        ".pyd",
        ".ipynb",
        ".js",
        ".mjs",
        ".cjs",
        ".ts",
        ".tsx",
        ".jsx",
        ".java",
        ".kt",
        ".scala",
        ".go",
        ".rs",
        ".c",
        ".h",
        ".cc",
        ".cpp",
        ".hpp",
        ".cs",
        ".vb",
        ".fs",
        ".swift",
        ".rb",
        ".php",
        ".pl",
        ".pm",
        ".lua",
        ".r",
        ".sh",
        ".bash",
        ".zsh",
        ".fish",
        ".bat",
        ".cmd",
        ".ps1",
        ".psm1",
        ".psd1",
        ".vbs",
        ".toml",
        ".cfg",
        ".ini",
        ".lock",
        ".yaml",
        ".yml",
        ".css",
        ".tcss",
        ".scss",
        ".sln",
        ".csproj",
        ".vcxproj",
        ".gradle",
        ".mk",
        ".cmake",
    }
)
SOURCE_NAMES = frozenset({"makefile", "dockerfile", "jenkinsfile", "gemfile", "rakefile"})

# Magic numbers of files that are never command output (an .evtx log starts with ElfFile\0 and
# is read; it is not listed here). Binaries with NUL bytes near their start are caught without
# this list; these are the ones whose first kilobytes may hold none.
_BINARY_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"%PDF-",
    b"\x1f\x8b\x08",
    b"7z\xbc\xaf",
    b"Rar!\x1a",
    b"\xd0\xcf\x11\xe0",
    b"\x7fELF",
)

_PYTHON_LINE = re.compile(
    r"^(?:from\s+[\w.]+\s+import\s|import\s+[\w.]+(?:\s+as\s+\w+)?\s*$|(?:async\s+)?def\s+\w+\s*\("
    r"|class\s+\w+\s*[(:])"
)
_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


def kind_by_name_or_bytes(path: str, data: bytes) -> NotOutput | None:
    """``source`` or ``binary`` when the name or the first bytes say so; None otherwise."""
    name = PurePath(path).name.lower()
    if PurePath(name).suffix in SOURCE_EXTENSIONS or name in SOURCE_NAMES:
        return "source"
    if any(data.startswith(magic) for magic in _BINARY_MAGIC):
        return "binary"
    return None


def kind_by_text(text: str) -> NotOutput | None:
    """``source`` for a script or module whatever its name; None for anything else."""
    lines = [line for line in text.split("\n")[:400] if line.strip()]
    if not lines:
        return None
    if lines[0].startswith("#!"):
        return "source"
    code = sum(1 for line in lines if _PYTHON_LINE.match(line))
    return "source" if code >= 3 and code * 20 >= len(lines) else None


def is_html_page(text: str) -> bool:
    """A whole HTML document (not a paste that merely holds a tag or two)."""
    return _HTML_START.match(text[:4096]) is not None


_BLOCK_END = re.compile(
    r"<\s*(?:br\s*/?|/\s*(?:p|div|li|tr|h[1-6]|pre|table|blockquote|dd|dt)\s*)>|<\s*(?:p|div|li|tr)\b[^>]*>",
    re.I,
)
_HIDDEN = re.compile(r"<\s*(script|style|head)\b.*?<\s*/\s*\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^<>\n]{0,2000}>")


def html_text(page: str) -> str:
    """The text an HTML page shows: ``<br>`` and the ends of blocks end lines, scripts and
    styles go, tags go, entities (``&nbsp;``, ``&lt;``) become their characters and a no-break
    space a space. The page's own line breaks are kept, so that line numbers stay those of the
    file wherever the page has one line of output per line of source, as pages mostly have."""
    text = _HIDDEN.sub(lambda m: "\n" * m.group(0).count("\n"), page)
    text = _BLOCK_END.sub(_line_end, text)
    text = _TAG.sub("", text)
    text = html.unescape(text).replace("\u00a0", " ")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _line_end(match: re.Match[str]) -> str:
    """A line break for a ``<br>`` or the end of a block, unless the source breaks the line
    there itself (then the break would add a line the file does not have)."""
    following = match.string[match.end() : match.end() + 1]
    return "" if following in ("\n", "") else "\n"
