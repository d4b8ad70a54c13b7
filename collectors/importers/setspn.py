"""``setspn -L <account>``, ``setspn -Q <spn>`` and ``setspn -X [-F]`` (setspn.exe, any language).

setspn's labels are localised, so these readers go by structure: a distinguished name followed by
indented SPNs is an account's listing; an unindented SPN followed by indented DNs is a duplicate
group; the closing line of ``-X`` is the one line with a single number and the word SPN::

    C:\\>setspn -L EX01
    Registered ServicePrincipalNames for CN=EX01,OU=Servers,DC=corp,DC=example,DC=com:
            SMTPSVC/EX01
            SMTPSVC/ex01.corp.example.com

    C:\\>setspn -Q SMTPSVC/ex01
    Checking domain DC=corp,DC=example,DC=com
    CN=EX01,OU=Servers,DC=corp,DC=example,DC=com
            SMTPSVC/EX01

    Existing SPN found!

    C:\\>setspn -X
    Processing entry 0
    SMTPSVC/ex01.corp.example.com is registered on these accounts:
            CN=EX01,OU=Servers,DC=corp,DC=example,DC=com
            CN=EX02,OU=Servers,DC=corp,DC=example,DC=com

    found 1 group of duplicate SPNs.

On Polish Windows the same lines read ``Przetwarzanie wpisu 0`` and ``znaleziono 0 grup
zduplikowanych nazw SPN.``. ``-Q`` prints every SPN of each account it finds, so its blocks are
complete listings as well.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kbdoctor.collectors.importers.base import (
    ImportWarning,
    Material,
    ReaderBase,
    ReadResult,
    source_for,
    warning,
)
from kbdoctor.collectors.localized import Language, lowered, words
from kbdoctor.collectors.segments import command_of, prompt_command
from kbdoctor.engine.facts import CheckRun, SpnDuplicate, SpnListing, SpnQuery

_DN_START = re.compile(r"(?:CN|OU)=", re.IGNORECASE)
_DN_CONTINUATION = re.compile(r"^(?:CN|OU|DC)=", re.IGNORECASE)
_SPN = re.compile(r"^[A-Za-z][\w.-]*/\S+$")
_COUNT_LINE = re.compile(r"^\D*?(\d+)\D*$")
_SPN_WORD = re.compile(r"(?<![A-Za-z])SPNs?(?![A-Za-z])", re.IGNORECASE)


@dataclass(frozen=True)
class SetspnLabels:
    """The words of setspn's output the readers look for (lower case); everything else is read
    by structure (DNs, SPNs, indentation, the one number of the closing line)."""

    # a word of the ``Checking forest DC=...`` line of ``-X -F`` (matched inside the line)
    forest: tuple[str, ...]
    # the label of ``Processing entry 7`` of ``-X``, before its number
    progress: tuple[str, ...]


LABELS: Mapping[str, Language[SetspnLabels]] = {
    # en: public samples with their origin (tests/data/importers/SOURCES-setspn-w32tm-tnc-klist.md)
    "en": Language(
        SetspnLabels(forest=("forest",), progress=("processing entry",)),
        sources=(
            "tests/data/importers/setspn/setspn_X_none_domain_and_forest_en.txt",
            "tests/data/importers/setspn/kb979174_setspn_X_none_en.txt",
        ),
    ),
    # pl: fixtures written from the real English structure with Polish labels (no public
    # Polish capture found); their tests rely on the words. "las " had no source and was
    # dropped ("lasu" is the word of "Sprawdzanie lasu DC=...").
    "pl": Language(
        SetspnLabels(forest=("lasu",), progress=("przetwarzanie wpisu",)),
        sources=(
            "tests/data/importers/setspn/setspn_X_F_duplicate_pl.txt",
            "tests/data/importers/setspn/setspn_X_none_pl.cp852.txt",
        ),
    ),
    # es: a real setspn -L capture ("Valores de ServicePrincipalName registrados para CN=...:"),
    # read by its structure alone; no Spanish -X capture was found, so neither the forest line
    # nor the progress label is known
    "es": Language(
        SetspnLabels(forest=(), progress=()),
        sources=("tests/data/importers/real/setspn/list_svc_sql_kerberoasting_lab_es.txt",),
        gaps=("forest", "progress"),
    ),
    # ru: a real setspn -q capture ("Проверка домена DC=...", "Такое SPN не найдено."), read by
    # its structure and its command line; no Russian -X capture was found
    "ru": Language(
        SetspnLabels(forest=(), progress=()),
        sources=("tests/data/importers/real/setspn/query_http_not_found_winrm_ru.txt",),
        gaps=("forest", "progress"),
    ),
}
# No Italian setspn capture was found (searched the code, issues and pages corpora): Italian
# output is read by its structure alone.
# German "gesamtstruktur" and French "forêt"/"foret" were listed before without any source and
# no capture of them was found: dropped. A forest-wide run in those languages is then read as
# scope "domain" (which a forest-wide search covers) unless the typed command carries -F.

_FOREST_WORDS = tuple(word.lower() for word in words(LABELS, "forest"))
PROGRESS_LABELS = lowered(LABELS, "progress")
_SETSPN = re.compile(r"^\s*setspn(?:\.exe)?\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Line:
    index: int
    text: str

    @property
    def indented(self) -> bool:
        return self.text[:1] in (" ", "\t")

    @property
    def body(self) -> str:
        return self.text.strip()


def _lines(material: Material) -> list[_Line]:
    return [_Line(i, t) for i, t in enumerate(material.lines())]


def _setspn_switch(material: Material) -> str | None:
    command = command_of(material)
    if not command or not _SETSPN.match(command):
        return None
    for word in command.split()[1:]:
        if word[:1] in "-/" and len(word) == 2:
            return word[1].upper() if word[1].upper() in "LQX" else None
    return "L" if len(command.split()) == 2 else None


def _dn_in(text: str) -> str | None:
    """The DN a header line names (``... for CN=EX01,...,DC=com:``), as printed."""
    match = _DN_START.search(text)
    if match is None:
        return None
    return text[match.start() :].rstrip().rstrip(":").rstrip() or None


def _continues(lines: list[_Line], pos: int) -> bool:
    """Whether the header on line ``pos`` goes on at the next line: a console broke its DN after
    a comma, and the next line is unindented and starts the DN's next component."""
    return (
        lines[pos].body.endswith(",")
        and pos + 1 < len(lines)
        and not lines[pos + 1].indented
        and _DN_CONTINUATION.match(lines[pos + 1].body) is not None
    )


class _WrappedHeaders:
    """The header starting on each line with its wrapped DN joined, found in one backward pass.

    The readers try every line as the start of a header. Joining forwards from each one read the
    rest of a run of ``CN=a,`` lines once per line of it and copied the growing text each time:
    a 10,000-line file of them took three minutes to turn down. Here each line's last line, and
    whether its header names a DN anywhere, are known from the next line's, so asking about a
    header costs the same for every line, and only :meth:`text` reads its lines.
    """

    def __init__(self, lines: list[_Line]) -> None:
        self._lines = lines
        self._last = list(range(len(lines)))
        self._names_dn = [False] * len(lines)
        for pos in range(len(lines) - 1, -1, -1):
            names_dn = _DN_START.search(lines[pos].body) is not None
            if _continues(lines, pos):
                self._last[pos] = self._last[pos + 1]
                names_dn = names_dn or self._names_dn[pos + 1]
            self._names_dn[pos] = names_dn

    def last(self, pos: int) -> int:
        """The index of the header's last line."""
        return self._last[pos]

    def ends_with_colon(self, pos: int) -> bool:
        """Whether the header ends like setspn -L's ``... for CN=EX01,...,DC=com:``."""
        return self._lines[self._last[pos]].body.endswith(":")

    def names_dn(self, pos: int) -> bool:
        """Whether :func:`_dn_in` finds a DN in the header. Lines are joined only after a
        comma, which is no part of ``CN=`` or ``OU=``, so no DN start spans two lines."""
        return self._names_dn[pos]

    def account(self, pos: int) -> str | None:
        """The DN of a ``... for CN=EX01,...,DC=com:`` header starting on line ``pos``."""
        if not (self.ends_with_colon(pos) and self.names_dn(pos)):
            return None
        return _dn_in(self.text(pos))

    def text(self, pos: int) -> str:
        """The header as printed before the console wrapped it."""
        return "".join(self._lines[i].body for i in range(pos, self._last[pos] + 1))


def _next_non_blank(lines: list[_Line]) -> list[_Line | None]:
    """For each line, the first non-blank line after it: one backward pass, so that looking
    past a header costs the same for every line (a search from each header would read the
    rest of the file once per line, and an event-log export has hundreds of thousands)."""
    after: list[_Line | None] = [None] * len(lines)
    following: _Line | None = None
    for pos in range(len(lines) - 1, -1, -1):
        after[pos] = following
        if lines[pos].body:
            following = lines[pos]
    return after


def _is_count_line(text: str) -> int | None:
    """The number of ``found 1 group of duplicate SPNs.`` in any language: a sentence with one
    number and the word SPN(s), ending with its full stop, naming no SPN and no DN."""
    body = text.strip()
    if (
        not _SPN_WORD.search(body)
        or not body.endswith((".", "\u3002"))
        or "/" in body
        or "=" in body
        or ":" in body
    ):
        return None
    match = _COUNT_LINE.match(body)
    return int(match.group(1)) if match else None


def _is_group_header(lines: list[_Line], pos: int) -> bool:
    """``SMTPSVC/ex01 is registered on these accounts:`` followed by an indented DN."""
    line = lines[pos]
    if line.indented or not line.body.endswith(":"):
        return False
    first = line.body.split()[0].rstrip(":")
    return (
        _SPN.match(first) is not None
        and pos + 1 < len(lines)
        and lines[pos + 1].indented
        and _DN_START.match(lines[pos + 1].body) is not None
    )


def _is_progress_line(lines: list[_Line], pos: int) -> bool:
    """``Checking domain DC=corp,DC=com`` / ``Processing entry 0`` (``Przetwarzanie wpisu 0``):
    a line naming a domain by its DN, or the localised "processing entry" label of
    :data:`PROGRESS_LABELS` and a number (a phrase ending in a number alone is too common)."""
    line = lines[pos]
    if line.indented or not line.body:
        return False
    if re.search(r"\bDC=[^,\s]+", line.body, re.IGNORECASE) and not line.body.endswith(":"):
        return not _SPN.match(line.body.split()[0])
    match = re.match(r"^(?P<label>[^\d/=:]+?)\s+\d+$", line.body)
    return match is not None and match.group("label").lower() in PROGRESS_LABELS


def _duplicates_evidence(lines: list[_Line]) -> bool:
    """Whether ``lines`` show a ``setspn -X`` run: its closing count line after a progress line
    or a duplicate group (a count line alone is too common a sentence to be evidence)."""
    seen_run = False
    for pos, line in enumerate(lines):
        if line.indented or not line.body:
            continue
        if _is_count_line(line.body) is not None and seen_run:
            return True
        if _is_group_header(lines, pos) or _is_progress_line(lines, pos):
            seen_run = True
    return False


def _is_command_line(text: str) -> bool:
    return prompt_command(text) is not None


class SetspnListReader(ReaderBase):
    r"""The SPNs registered on one account.

    Example (a real capture)::

        C:\Users\stephanie>setspn -L web04
        Registered ServicePrincipalNames for CN=web04,CN=Computers,DC=corp,DC=com:
                HOST/web04.corp.com
                HOST/web04

    Facts: spn_listing
    """

    program = "setspn"
    name = "setspn-L"
    command = "setspn -L EX01 > setspn-L-EX01.txt"

    def _sniff(self, material: Material) -> bool:
        switch = _setspn_switch(material)
        if switch is not None:
            return switch == "L"
        lines = _lines(material)
        after = _next_non_blank(lines)
        headers = _WrappedHeaders(lines)
        for pos, line in enumerate(lines):
            if line.indented or _is_command_line(line.text) or not line.body:
                continue
            following = after[headers.last(pos)]
            if (
                headers.ends_with_colon(pos)
                and headers.names_dn(pos)
                # the header's first three characters are the line's: a line that goes on
                # ends with a comma, which is no part of "CN=" or "OU="
                and not re.match(r"^(?:CN|OU)=", line.body, re.IGNORECASE)
                and (
                    # the SPNs of the account, or none: an account without SPNs prints its
                    # header alone
                    (following is not None and following.indented and _SPN.match(following.body))
                    or following is None
                )
                # last, as the one test that joins the header's lines: it turns down only a
                # line starting with an SPN, which no continuation line ("CN=", "OU=", "DC=")
                # is, so a run of wrapped lines is joined from its first line alone
                and not _SPN.match(headers.text(pos).split()[0])
            ):
                return True
        return False

    def _read(self, material: Material, result: ReadResult) -> None:
        lines = _lines(material)
        headers = _WrappedHeaders(lines)
        pos = 0
        while pos < len(lines):
            line = lines[pos]
            if not line.body or _is_command_line(line.text):
                pos += 1
                continue
            if line.indented:
                result.warnings.append(_skipped(material, line, "setspn.spn_outside_account"))
                pos += 1
                continue
            # joined only when it names an account, whose lines are then read past
            account, last = headers.account(pos), headers.last(pos)
            if account is None:
                result.warnings.append(_skipped(material, line, "setspn.not_list_line"))
                pos += 1
                continue
            spns, end = _indented_block(lines, last + 1)
            result.facts.append(
                SpnListing(
                    account=account,
                    spns=[s.body for s in spns],
                    provenance=source_for(self, material, pos, end, command=command_of(material)),
                )
            )
            for bad in spns:
                if not _SPN.match(bad.body):
                    result.warnings.append(_skipped(material, bad, "setspn.not_spn_shaped"))
            pos = end + 1
        if not result.facts and not result.warnings:
            result.warnings.append(warning(material, 0, "setspn.list_without_account"))
        return


class SetspnQueryReader(ReaderBase):
    r"""The accounts holding one SPN (none: ``No such SPN found.``).

    Example::

        C:\>setspn -Q SMTPSVC/ex01.corp.example.com
        Checking domain DC=corp,DC=example,DC=com
        CN=EX01,OU=Exchange Servers,DC=corp,DC=example,DC=com
                SMTPSVC/EX01
                SMTPSVC/ex01.corp.example.com

        Existing SPN found!

    Facts: spn_listing, spn_query
    """

    program = "setspn"
    name = "setspn-Q"
    command = "setspn -Q SMTPSVC/ex01.corp.example.com > setspn-Q-smtpsvc-ex01.txt"

    def _sniff(self, material: Material) -> bool:
        switch = _setspn_switch(material)
        if switch is not None:
            return switch == "Q"
        lines = _lines(material)
        for pos, line in enumerate(lines[:-1]):
            if (
                not line.indented
                and re.match(r"^CN=", line.body, re.IGNORECASE)
                and not line.body.endswith(":")
                and lines[pos + 1].indented
                and _SPN.match(lines[pos + 1].body)
            ):
                return True
        return any(t.body.lower() in ("no such spn found.", "existing spn found!") for t in lines)

    def _read(self, material: Material, result: ReadResult) -> None:
        lines = _lines(material)
        command = command_of(material)
        accounts: list[str] = []
        verdict: _Line | None = None
        pos = 0
        while pos < len(lines):
            line = lines[pos]
            if not line.body or _is_command_line(line.text):
                pos += 1
                continue
            if not line.indented and re.match(r"^CN=", line.body, re.IGNORECASE):
                spns, end = _indented_block(lines, pos + 1)
                accounts.append(line.body)
                result.facts.append(
                    SpnListing(
                        account=line.body,
                        spns=[s.body for s in spns],
                        provenance=source_for(self, material, pos, end, command=command),
                    )
                )
                pos = end + 1
                continue
            if (
                not line.indented
                and _DN_START.search(line.body) is None
                and pos > 0
                and (line.body.endswith(("!", ".")))
            ):
                verdict = line  # "Existing SPN found!" / "No such SPN found." in any language
            elif not (not line.indented and re.search(r"\bDC=", line.body, re.IGNORECASE)):
                result.warnings.append(_skipped(material, line, "setspn.not_query_line"))
            pos += 1
        spn = _queried_spn(command)
        if verdict is None and not accounts:
            result.warnings.append(warning(material, 0, "setspn.query_without_result"))
            return
        if spn is None:
            result.warnings.append(warning(material, 0, "setspn.queried_spn_missing"))
            return
        last = verdict.index if verdict is not None else len(lines) - 1
        result.facts.append(
            SpnQuery(
                spn=spn,
                accounts=accounts,
                provenance=source_for(self, material, 0, last, command=command),
            )
        )
        return


def _queried_spn(command: str | None) -> str | None:
    if not command:
        return None
    words = command.split()
    for index, word in enumerate(words[:-1]):
        if word.lower() in ("-q", "/q"):
            spn = words[index + 1].strip("\"'")
            return None if "*" in spn or not _SPN.match(spn) else spn
    return None


class SetspnDuplicatesReader(ReaderBase):
    r"""Every SPN registered on more than one account, and one ``check_run`` per search.

    Example::

        PS C:\> setspn -X
        Checking domain DC=corp,DC=example,DC=com
        Processing entry 0
        SMTPSVC/ex01.corp.example.com is registered on these accounts:
                CN=EX01,OU=Exchange Servers,DC=corp,DC=example,DC=com
                CN=EX02,OU=Exchange Servers,DC=corp,DC=example,DC=com

        found 1 group of duplicate SPNs.

    Facts: spn_duplicate, check_run
    """

    program = "setspn"
    name = "setspn-X"
    command = "setspn -X -F > setspn-X-F.txt"

    def _sniff(self, material: Material) -> bool:
        switch = _setspn_switch(material)
        if switch is not None:
            return switch == "X"
        lines = _lines(material)
        return _duplicates_evidence(lines) and not any(
            t.body.lower().endswith("spn found.") for t in lines
        )

    def _read(self, material: Material, result: ReadResult) -> None:
        lines = _lines(material)
        command = command_of(material)
        if _setspn_switch(material) != "X" and not _duplicates_evidence(lines):
            result.warnings.append(warning(material, 0, "setspn.no_duplicates_run"))
            return
        forest_option = bool(command and re.search(r"\s[-/]f\b", command, re.IGNORECASE))
        forest = forest_option
        run_start, groups = 0, 0
        pos = 0
        while pos < len(lines):
            line = lines[pos]
            body = line.body
            if not body or _is_command_line(line.text):
                pos += 1
                continue
            lowered = body.lower()
            if not line.indented and any(w in lowered for w in _FOREST_WORDS):
                forest = True
            count = None if line.indented else _is_count_line(body)
            if count is not None:
                result.facts.append(
                    CheckRun(
                        check="spn_duplicates",
                        scope="forest" if forest else "domain",
                        found=count,
                        provenance=source_for(self, material, run_start, pos, command=command),
                    )
                )
                if count != groups:
                    result.warnings.append(
                        warning(
                            material, pos, "setspn.group_count_mismatch", count=count, read=groups
                        )
                    )
                run_start, groups, forest = pos + 1, 0, forest_option
                pos += 1
                continue
            first_word = body.split()[0]
            if not line.indented and body.endswith(":") and _SPN.match(first_word.rstrip(":")):
                members, end = _indented_block(lines, pos + 1)
                accounts = [m.body for m in members]
                groups += 1
                if len(accounts) >= 2:
                    result.facts.append(
                        SpnDuplicate(
                            spn=first_word.rstrip(":"),
                            accounts=accounts,
                            provenance=source_for(self, material, pos, end, command=command),
                        )
                    )
                else:
                    result.warnings.append(_skipped(material, line, "setspn.group_too_small"))
                pos = end + 1
                continue
            if not _is_known_x_line(line):
                result.warnings.append(_skipped(material, line, "setspn.not_duplicates_line"))
            pos += 1
        tail = [ln for ln in lines[run_start:] if ln.body and not _is_command_line(ln.text)]
        if tail:
            result.warnings.append(warning(material, tail[0].index, "setspn.duplicates_truncated"))
        return


def _is_known_x_line(line: _Line) -> bool:
    """Progress lines of any language: "Processing entry 7", "Checking domain DC=...",
    "Operation will be performed forestwide, it might take a while."."""
    body = line.body.lower()
    return not line.indented and (
        re.match(r"^\D+\s\d+$", body) is not None
        or "dc=" in body
        or any(w in body for w in _FOREST_WORDS)
    )


def _indented_block(lines: list[_Line], start: int) -> tuple[list[_Line], int]:
    """The indented lines from ``start`` on, and the index of the last one (``start - 1`` when
    there are none)."""
    block: list[_Line] = []
    end = start - 1
    pos = start
    while pos < len(lines) and lines[pos].indented and lines[pos].body:
        block.append(lines[pos])
        end = pos
        pos += 1
    return block, end


def _skipped(material: Material, line: _Line, key: str) -> ImportWarning:
    """A line left out; ``key``'s text says why and shows the line's start as ``{text}``."""
    return warning(material, line.index, key, text=line.body[:80])


READERS = (SetspnListReader(), SetspnQueryReader(), SetspnDuplicatesReader())
