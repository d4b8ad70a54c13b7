"""Text as people paste it, given back as the console printed it.

Outputs reach kbdoctor through web pages, chats and tickets, which dress them up::

    ```text                                  <- a Markdown fence ([CODE] on forums, <pre> on pages)
     -> klist failed with 0x8009030e/...     <- a decoration before every line
    ComputerName&nbsp;: <span>dc01</span>    <- HTML entities and tags
                                             <- a blank line after every line (chat clients)

:func:`clean_text` undoes what is certain and nothing else: fence and tag lines become blank
lines, entities their characters, inline HTML tags of a known set go (XML of event logs and
Clixml is left alone), a note after a line (``<-- the firewall``, ``// here``) goes, and a text
that has a blank line after every line loses those lines.
:func:`strip_decoration` takes off a prefix that every line of one command's output carries
(``-> ``, ``> ``, ``* ``, a Markdown bullet, the indentation of a page's box). Line numbers stay
those of the file: a line map gives the file line of every line that is kept.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

_FENCE = re.compile(
    r"^\s*(?:```+|~~~+)\s*[\w+#.-]*\s*$|^\s*\[/?(?:code|quote|pre)(?:=[^\]]*)?\]\s*$"
    r"|^\s*</?(?:pre|code)(?:\s[^<>]*)?>\s*$",
    re.IGNORECASE,
)
_INLINE_CODE_TAG = re.compile(r"\[/?(?:code|icode|pre)(?:=[^\]]*)?\]", re.IGNORECASE)
# HTML tags that style text on web pages; the tags of event XML and Clixml are not among them.
_HTML_TAG = re.compile(
    r"</?(?:span|b|i|u|em|strong|font|code|pre|br|a|p|div|td|tr|th|tbody|table|li|ul|ol|kbd|"
    r"samp|tt|mark|small|sup|sub)(?:\s[^<>]{0,500})?/?>",
    re.IGNORECASE,
)
_ENTITY = re.compile(r"&(?:nbsp|lt|gt|amp|quot|apos|#\d{1,6}|#x[0-9a-fA-F]{1,6});")
_BACKTICKED = re.compile(r"^(\s*)`([^`]+)`\s*$")
# a note an engineer added after a line of output: "TcpTestSucceeded : False   <-- the firewall"
_NOTE = re.compile(r"(?<=\S)\s+(?:<-+|<=+|\u2190|\u27f5)\s.*$|(?<=\S)\s{2,}//\s.*$")
_DECORATIONS = ("-> ", "=> ", "> ", "* ", "- ", "• ", "+ ")


def clean_text(text: str) -> tuple[str, list[int]]:
    """The text with the dress of web pages, chats and tickets taken off, and for every line of
    the result the 0-based index of its line in ``text``."""
    lines = text.split("\n")
    cleaned = [_clean_line(line) for line in lines]
    kept = _single_spaced(cleaned)
    return "\n".join(cleaned[i] for i in kept), kept


def _clean_line(line: str) -> str:
    if _FENCE.match(line):
        return ""
    if "&" in line:
        line = _ENTITY.sub(lambda m: html.unescape(m.group(0)), line)
    if "<" in line:
        line = _HTML_TAG.sub("", line)
    if "[" in line:
        line = _INLINE_CODE_TAG.sub("", line)
    line = line.replace("\u00a0", " ")
    if "<" in line or "/" in line or "\u2190" in line or "\u27f5" in line:
        line = _NOTE.sub("", line)
    backticked = _BACKTICKED.match(line)
    return backticked.expand(r"\1\2") if backticked else line


def _single_spaced(lines: Sequence[str]) -> list[int]:
    """The indices of the lines to keep: all of them, unless every line with text is followed by
    a blank line (at least four such lines and none followed by text), in which case the one blank
    line after each line goes and longer runs of blank lines keep one."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) < 4:
        return list(range(len(lines)))
    inner = filled[:-1]
    if any(not (i + 1 < len(lines) and not lines[i + 1].strip()) for i in inner):
        return list(range(len(lines)))
    kept: list[int] = []
    index = 0
    while index < len(lines):
        if lines[index].strip():
            kept.append(index)
            blanks = 0
            while index + 1 + blanks < len(lines) and not lines[index + 1 + blanks].strip():
                blanks += 1
            if blanks >= 2:
                kept.append(index + 2)  # a blank line the output had
            index += 1 + blanks
        else:
            kept.append(index)
            index += 1
    return kept


def strip_decoration(lines: Sequence[str]) -> list[str]:
    """``lines`` without a decoration every line with text carries: the same marker (``-> ``,
    ``> ``, a bullet) or, when the lines hold no unindented line at all, their common
    indentation (a box of a web page indents everything)."""
    filled = [line for line in lines if line.strip()]
    if len(filled) < 2:
        return list(lines)
    for marker in _DECORATIONS:
        bare = marker.strip()
        if all(line.lstrip().startswith(marker) or line.strip() == bare for line in filled):
            return [_unmark(line, bare) for line in lines]
    indent = min(len(line) - len(line.lstrip()) for line in filled)
    if indent >= 2 and len(filled) >= 3:
        return [line[indent:] if line.strip() else line for line in lines]
    return list(lines)


def _unmark(line: str, marker: str) -> str:
    if not line.strip():
        return line
    rest = line.lstrip()[len(marker) :]
    return rest[1:] if rest.startswith(" ") else rest
