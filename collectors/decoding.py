"""Bytes as they arrive from a customer, turned into text a reader can parse.

Windows tools write whatever the console had: ``setspn -L EX01 > out.txt`` in ``cmd`` gives OEM
code page bytes (CP852 on Polish Windows, CP850 on German), ``w32tm ... > out.txt`` in Windows
PowerShell 5 gives UTF-16 LE with a BOM, PowerShell 7 gives UTF-8 without one, and mail clients
sometimes strip the BOM of UTF-16. None of them says which. This module decides by content: BOM,
then the NUL-byte pattern of UTF-16, then strict UTF-8, and last the OEM/ANSI code page whose
decoding yields letters of one real language. Line ends become ``\\n``.

Binary material (an ``.evtx`` log starts with ``ElfFile\\0``) has no text; its reader takes the
bytes.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

EVTX_MAGIC = b"ElfFile\x00"

# Letters that are normal in the languages whose Windows consoles kbdoctor meets. A candidate code
# page scores by how many of the non-ASCII characters it yields belong to ONE language: Polish
# bytes read as CP850 give "ê", "Ñ", "½" - letters of no single language, plus symbols.
_LANGUAGE_LETTERS: dict[str, frozenset[str]] = {
    "pl": frozenset("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"),
    "de": frozenset("äöüßÄÖÜ"),
    "fr": frozenset("àâæçéèêëîïôœùûüÿÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ"),
    "cs": frozenset("áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ"),
    "es": frozenset("áéíñóúüÁÉÍÑÓÚÜ¿¡"),
}
_NEUTRAL = frozenset("\u00a0\u00b0\u00b5\u00a7")  # no-break space, degree, micro, section

_HOME_PAGES: dict[str, tuple[str, ...]] = {
    "pl": ("cp852", "cp1250"),
    "cs": ("cp852", "cp1250"),
    "de": ("cp850", "cp1252"),
    "fr": ("cp850", "cp1252"),
    "es": ("cp850", "cp1252"),
}

# Order decides ties: the OEM pages first because console redirection writes them.
OEM_CANDIDATES: tuple[str, ...] = ("cp852", "cp850", "cp1250", "cp1252")


@dataclass(frozen=True)
class Decoded:
    """Text (None for binary material) and the encoding that was recognised, which is reported
    when something in the file cannot be read, so that a wrong guess is visible."""

    text: str | None
    encoding: str


def decode_bytes(data: bytes) -> Decoded:
    """The text of ``data`` with LF line ends, or None text for binary material."""
    if data.startswith(EVTX_MAGIC):
        return Decoded(None, "binary:evtx")
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_normalise(data[3:].decode("utf-8", errors="replace")), "utf-8-sig")
    if data.startswith(codecs.BOM_UTF16_LE):
        return Decoded(_normalise(_utf16(data[2:], "utf-16-le")), "utf-16-le")
    if data.startswith(codecs.BOM_UTF16_BE):
        return Decoded(_normalise(_utf16(data[2:], "utf-16-be")), "utf-16-be")
    bomless = _bomless_utf16(data)
    if bomless is not None:
        return Decoded(_normalise(_utf16(data, bomless)), bomless)
    if b"\x00" in data:
        return Decoded(None, "binary")
    try:
        return Decoded(_normalise(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    encoding = guess_code_page(data)
    return Decoded(_normalise(data.decode(encoding, errors="replace")), encoding)


def guess_code_page(data: bytes) -> str:
    """The OEM or ANSI code page under which ``data`` reads as one language's letters."""
    best, best_score = OEM_CANDIDATES[0], (-(10**9), 0)
    for encoding in OEM_CANDIDATES:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        points, language = _plausibility(text)
        # CP850 and CP852 share the German umlauts; the language decides which page it was.
        score = (points, 1 if encoding in _HOME_PAGES.get(language, ()) else 0)
        if score > best_score:
            best, best_score = encoding, score
    return best


def _plausibility(text: str) -> tuple[int, str]:
    """How well ``text`` reads as one language, and which: letters of that language count one,
    other non-ASCII characters count minus two."""
    foreign = [
        # an upper-case letter right after a lower-case one ("PrÚcision") is no language's
        "\ufffd" if c.isupper() and i and text[i - 1].islower() else c
        for i, c in enumerate(text)
        if ord(c) > 0x7F and c not in _NEUTRAL
    ]
    best, best_language = -2 * len(foreign), ""
    for language, letters in _LANGUAGE_LETTERS.items():
        hits = sum(1 for c in foreign if c in letters)
        points = hits - (len(foreign) - hits) * 2
        if points > best:
            best, best_language = points, language
    return best, best_language


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: mostly ASCII text has a NUL in every other byte."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nul = sum(1 for i in range(0, pairs * 2, 2) if sample[i] == 0)
    odd_nul = sum(1 for i in range(1, pairs * 2, 2) if sample[i] == 0)
    if odd_nul >= pairs * 0.6 and even_nul <= pairs * 0.1:
        return "utf-16-le"
    if even_nul >= pairs * 0.6 and odd_nul <= pairs * 0.1:
        return "utf-16-be"
    return None


def _utf16(data: bytes, encoding: str) -> str:
    return data[: len(data) - len(data) % 2].decode(encoding, errors="replace")


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.lstrip("\ufeff").replace("\x00", "")
