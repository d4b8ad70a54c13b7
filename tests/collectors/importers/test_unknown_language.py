"""Outputs from a Windows whose display language kbdoctor has no words for (issue 9, item 3).

Every English fixture of every reader (``tests/data/importers``, real captures included) is
"translated" into a language nobody knows: each natural-language word becomes a made-up word of
a fixed alphabet (Latin, Cyrillic or CJK-like), the same word always the same made-up word, as a
real translation would have it. What a translation leaves alone stays: command lines, host and
domain names, SPNs, GUIDs, addresses, numbers, dates, switches, acronyms (NTP, TCP, PDC). Lines
are never added or removed.

The trust property: every fact read from the translated text is a fact read from the original
(same type, same hosts, offsets, ports, states, accounts, SPNs and names, same lines; a free-text
field such as a message may only be the original's with words translated, and an optional field
may be left unread). Unknown labels may lose facts - each loss must come with a warning at the
fact's lines or about the whole material ("nothing found", "not a format kbdoctor reads") - but
they must never make a wrong one. Also kept as a translation keeps them: program names (klist
prints "klist failed with" in every language), identifiers (LsaCallAuthenticationPackage), JSON
property names, and PowerShell's True, False and null, which no culture changes.

What each reader still reads by structure alone: the original facts of the English fixtures read
back from their translation (seed 0), by the reader that read them. The table is checked by
``test_what_each_reader_reads_by_structure_alone``; a reader that learns to read more by
structure updates its row.

.. code-block:: text

    reader                            facts  latin  cyrillic  cjk
    eventlog-details                       5      1         1    1
    eventlog-list                          5      0         0    0
    eventlog-xml                          11     11        11   11
    exchange-queue                         5      1         1    1
    exchange-receive-connector             5      0         0    0
    exchange-receive-connector-clixml      2      2         2    2
    exchange-receive-connector-json        3      2         2    2
    exchange-server                        3      3         3    1
    klist                                  4      4         4    4
    nltest-dclist                         18     18        18   18
    nltest-dsgetdc                         3      3         2    2
    portqry                               15      0         0    0
    repadmin-replsummary                   6      6         6    6
    repadmin-showrepl                     14     14        14   14
    repadmin-showrepl-csv                 21     21        21   21
    setspn-L                               3      3         3    3
    setspn-Q                               6      6         6    6
    setspn-X                               5      1         1    1
    test-netconnection                     7      7         7    7
    w32tm-monitor                         14     14        14   14
    w32tm-peers                            1      1         1    1
    w32tm-status                           3      3         3    3
    w32tm-stripchart                       3      3         3    3

Format-List property names (``Message``, ``Status``, ``Name``) are translated too, though
PowerShell never translates them: the rows of the PowerShell readers (eventlog-list, exchange-*)
are the least they read. portqry keeps nothing: its states (LISTENING, FILTERED) are words.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kbdoctor.collectors.importers.base import ImportWarning
from kbdoctor.collectors.importers.registry import all_readers
from kbdoctor.collectors.importing import ImportResult, import_file
from kbdoctor.collectors.segments import prompt_command
from kbdoctor.engine.facts import (
    ClockOffset,
    Fact,
    KerberosError,
    Source,
    SpnListing,
    field_kind,
)
from ruamel.yaml import YAML

from tests.collectors.importers.fixtures import DATA, text_without_header

# The made-up languages: an alphabet each, and whether a word keeps its length (CJK-like words
# are shorter, as Chinese and Japanese words are, so columns and paddings shift)
ALPHABETS: dict[str, tuple[str, bool]] = {
    "latin": ("bdfgklmnprstvzaeiou", True),
    "cyrillic": ("бвгджзклмнпрстфхцчшщаеиоуыэюя", True),
    "cjk": ("".join(chr(c) for c in range(0x4E00, 0x4E00 + 400, 7)), False),
}
_WORD = re.compile(r"[^\W\d_]+")
# a token that is a word of a sentence: letters only (a hyphenated word too), with the
# punctuation of a sentence around it; anything holding digits, dots, slashes, backslashes,
# '=', '@', '$', '<', '_' or brackets is a name, an address, a number or markup, and stays
_SENTENCE_WORD = re.compile(
    r"^(?P<lead>[\"'`“”„«»‚‘’(]*)(?P<core>[^\W\d_]+(?:[-'’][^\W\d_]+)*)"
    r"(?P<trail>[\"'`“”,;:()!?.。、…]*)$"
)
_ACRONYM = re.compile(r"^[A-Z]{2,4}$")  # NTP, TCP, UDP, PDC, KDC, LDAP, AM, PM: not translated
# an identifier (LsaCallAuthenticationPackage, GetTicket, MSExchangeTransport): not translated
_IDENTIFIER = re.compile(r"[a-z][A-Z]")
# the programs whose output the readers read (klist prints "klist failed with ..." in every
# language), and the values of .NET booleans, which PowerShell prints as True and False in every
# culture: no translation changes them
_INVARIANT = frozenset(
    {reader.command.split()[0].lower() for reader in all_readers()} | {"true", "false", "null"}
)
_JSON_KEY = re.compile(r'^"[^"]+":$')  # "Enabled": a property's name, which stays English
_DATE_WORDS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
})


@dataclass(frozen=True)
class Translation:
    """A made-up language: its alphabet, whether words keep their length, and a seed."""

    script: str
    seed: int
    # how much longer (or shorter) a word is than the English one: German words are longer,
    # CJK words shorter; None for the script's own (same length, or half for CJK-like)
    stretch: float | None = None

    def word(self, word: str) -> str:
        """The made-up word for ``word``: the same for the same word (any case), its case kept."""
        alphabet, same_length = ALPHABETS[self.script]
        digest = hashlib.blake2b(f"{self.seed}:{word.lower()}".encode(), digest_size=32).digest()
        stretch = self.stretch if self.stretch is not None else (1.0 if same_length else 0.5)
        length = max(1, round(len(word) * stretch))
        made = "".join(alphabet[digest[i % len(digest)] % len(alphabet)] for i in range(length))
        if word.isupper():
            return made.upper()
        if word[:1].isupper():
            return made[:1].upper() + made[1:]
        return made

    def token(self, token: str, kept: frozenset[str]) -> str:
        match = _SENTENCE_WORD.match(token)
        if match is None or _JSON_KEY.match(token):
            return token
        parts = re.split(r"([-'’])", match.group("core"))
        made = [
            part if not _WORD.fullmatch(part) or self._stays(part, kept) else self.word(part)
            for part in parts
        ] if match.group("core").lower() not in kept else parts
        return match.group("lead") + "".join(made) + match.group("trail")

    @staticmethod
    def _stays(word: str, kept: frozenset[str]) -> bool:
        lowered = word.lower()
        return bool(_ACRONYM.match(word) or _IDENTIFIER.search(word)) or (
            lowered in kept or lowered in _DATE_WORDS or lowered in _INVARIANT
        )

    def text(self, text: str, kept: frozenset[str]) -> str:
        """``text`` translated word by word, every line where it was, command lines untouched."""
        lines = text.split("\n")
        out = [
            line if prompt_command(line) is not None
            else re.sub(r"\S+", lambda m: self.token(m.group(0), kept), line)
            for line in lines
        ]
        assert len(out) == len(lines)
        return "\n".join(out)


def _english_fixtures() -> list[Path]:
    return sorted(
        p for p in DATA.rglob("*")
        if p.is_file() and re.search(r"_en[._]", p.name) and ".expect." not in p.name
        and p.suffix != ".evtx"
    )


def _host_of(path: Path) -> str | None:
    expect = path.with_name(path.name.removesuffix(".txt") + ".expect.yaml")
    if not expect.exists():
        return "EX01"
    data = YAML(typ="safe", pure=True).load(expect.read_text(encoding="utf-8"))
    host = data.get("host") if isinstance(data, dict) else None
    return str(host) if host else None


def _import(name: str, text: str, host: str | None) -> ImportResult:
    """``text`` imported as ``kbdoctor collect`` imports a file called ``name`` (a folder whose
    name is no machine's, so that no host comes from it)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "no host" / name
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        result = ImportResult()
        import_file(path, host, result)
    return result


def _names_in(value: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(value)}


# fields that hold names (of a site, a queue, a connector, an event source, a naming context):
# a translation keeps them, as it keeps hosts, accounts and SPNs
_NAME_FIELDS = frozenset({"site", "scope", "naming_context", "identity", "next_hop", "name",
                          "source", "log"})
# fields whose values come from a fixed set or are codes: never the output's own words
_FIXED_FIELDS = frozenset({"type", "state", "protocol", "check", "code"})


def _kept_words(text: str, facts: list[Fact], host: str | None) -> frozenset[str]:
    """What a translation leaves alone, in lower case: every host, account, SPN and name the
    original facts hold (each word of it whole, ``default-first-site-name``, and each of its
    alphabetic runs), the host given, the parts of every dotted name or address in the text,
    and the words of every command line."""
    kept: set[str] = _names_in(host or "")
    for fact in facts:
        for name in type(fact).model_fields:
            if field_kind(fact.type, name) is None and name not in _NAME_FIELDS:
                continue
            value = getattr(fact, name)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str):
                    kept |= {word.lower() for word in item.split()}
                    kept |= _names_in(item) if field_kind(fact.type, name) else set()
    for line in text.split("\n"):
        if prompt_command(line) is not None:
            kept |= _names_in(line)
            continue
        for token in line.split():
            if re.search(r"\w[.\\@/:]\w", token) and "://" not in token:
                kept |= _names_in(token)
    return frozenset(kept)


def _free_text(fact_type: str, name: str, value: Any) -> bool:
    """A field that holds the output's own words (a message, a status as printed), which a
    translation changes; every other field (hosts, accounts, SPNs, names, numbers, states,
    codes) must be the original's exactly."""
    if field_kind(fact_type, name) is not None or name in _FIXED_FIELDS:
        return False
    if isinstance(value, list):
        return all(isinstance(v, str) for v in value)
    return isinstance(value, str)


def _same_fact(read: Fact, original: Fact, translate: Callable[[str], str]) -> bool:
    """Whether ``read`` (from the translated text) says what ``original`` says or less: the same
    lines, the same value in every field, a free-text field translated, and an optional field
    not read (None) where the original has it. A list (the SPNs of an account, the peers of a
    clock) is complete or wrong, so it must be whole."""
    if read.type != original.type:
        return False
    mine, theirs = read.model_dump(mode="json"), original.model_dump(mode="json")
    where = ("line", "line_end", "reader", "command", "host", "inferred")
    if any((mine["provenance"] or {}).get(k) != (theirs["provenance"] or {}).get(k)
           for k in where):
        return False
    for name in type(read).model_fields:
        if name == "provenance":
            continue
        value, wanted = mine.get(name), theirs.get(name)
        if value == wanted or (value is None and not type(read).model_fields[name].is_required()):
            continue
        if not _free_text(read.type, name, wanted):
            return False
        if isinstance(wanted, list):
            if not isinstance(value, list) or len(value) != len(wanted):
                return False
            pairs = list(zip(value, wanted, strict=True))
        else:
            pairs = [(value, wanted)]
        if not all(_translated(str(v), str(w), translate) for v, w in pairs):
            return False
    return True


def _translated(value: str, original: str, translate: Callable[[str], str]) -> bool:
    """Whether ``value`` is ``original`` with some of its words translated: the same numbers
    and punctuation, each word the original's or its made-up word. Spacing may differ: a line
    that a translation made shorter or longer no longer ends at the console's width, so the
    reader joins lines with a space where the original's were cut mid-word, or without one."""
    parts = re.split(r"([^\W\d_]+)", original)
    pattern = "".join(
        f"(?:{re.escape(part)}|{re.escape(translate(part))})" if index % 2
        else re.escape(re.sub(r"\s+", "", part))
        for index, part in enumerate(parts)
    )
    return re.fullmatch(pattern, re.sub(r"\s+", "", value)) is not None


@dataclass
class Outcome:
    original: list[Fact]
    translated: ImportResult
    wrong: list[Fact]
    lost: list[Fact]


def translate_and_read(path: Path, translation: Translation) -> Outcome:
    text, host = text_without_header(path), _host_of(path)
    original = _import(path.name, text, host)
    kept = _kept_words(text, original.facts, host)
    translated = _import(path.name, translation.text(text, kept), host)

    def translate(word: str) -> str:
        return translation.word(word)

    wrong = [f for f in translated.facts
             if not any(_same_fact(f, o, translate) for o in original.facts)]
    lost = [o for o in original.facts
            if not any(_same_fact(f, o, translate) for f in translated.facts)]
    return Outcome(original.facts, translated, wrong, lost)


FIXTURES = _english_fixtures()


@pytest.mark.parametrize(
    "path", [pytest.param(p, id=str(p.relative_to(DATA))) for p in FIXTURES]
)
@pytest.mark.parametrize("script", sorted(ALPHABETS))
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    stretch=st.sampled_from([None, 0.5, 1.0, 1.6]),
)
def test_an_unknown_language_loses_facts_but_never_makes_a_wrong_one(
    path: Path, script: str, seed: int, stretch: float | None
) -> None:
    outcome = translate_and_read(path, Translation(script, seed, stretch))
    assert outcome.wrong == [], "\n".join(
        f"{f.model_dump(mode='json')}" for f in outcome.wrong
    )
    said = outcome.translated.warnings + outcome.translated.unrecognised
    silent = [f for f in outcome.lost if not any(_says_why(w, f) for w in said)]
    assert silent == [], "lost without a warning at their lines:\n" + "\n".join(
        f"{f.model_dump(mode='json', exclude={'provenance'})} at {_lines(f)}" for f in silent
    )


def _lines(fact: Fact) -> tuple[int, int]:
    first = fact.provenance.line if fact.provenance and fact.provenance.line else 0
    last = fact.provenance.line_end if fact.provenance and fact.provenance.line_end else first
    return first, last


def _says_why(said: ImportWarning, fact: Fact) -> bool:
    """Whether ``said`` accounts for the loss of ``fact``: a warning at one of its lines, a
    block not read that holds it, or a warning about the whole material ("nothing found", "not
    a format kbdoctor reads")."""
    first, last = _lines(fact)
    params = dict(said.params)
    if "first" in params and "last" in params:
        return int(params["first"]) <= last and first <= int(params["last"])
    return said.line is None or first <= said.line <= last


def _table_rows() -> list[str]:
    """The docstring's table as the readers give it today, one row a reader."""
    read: dict[str, int] = {}
    kept: dict[tuple[str, str], int] = {}
    for path in FIXTURES:
        for script in ALPHABETS:
            outcome = translate_and_read(path, Translation(script, 0))
            lost = {id(f) for f in outcome.lost}
            for fact in outcome.original:
                reader = fact.provenance.reader if fact.provenance else None
                assert reader is not None
                if script == "latin":
                    read[reader] = read.get(reader, 0) + 1
                if id(fact) not in lost:
                    kept[reader, script] = kept.get((reader, script), 0) + 1
    return [
        f"{reader:<33} {read[reader]:>6} {kept.get((reader, 'latin'), 0):>6}"
        f" {kept.get((reader, 'cyrillic'), 0):>9} {kept.get((reader, 'cjk'), 0):>4}"
        for reader in sorted(read)
    ]


def test_what_each_reader_reads_by_structure_alone() -> None:
    table = (__doc__ or "").split("    reader                            facts", 1)[1]
    documented = table.split("\n\n", 1)[0].split("\n")[1:]
    assert [" ".join(row.split()) for row in _table_rows()] == [
        " ".join(row.split()) for row in documented
    ], "\n".join(_table_rows())


def test_the_comparison_tells_a_translated_fact_from_a_wrong_one() -> None:
    """The property is only as good as its comparison: a message in made-up words and an
    optional field left unread pass, another host, another offset, another line or a shorter
    list of SPNs do not."""
    latin = Translation("latin", 0)
    kept = frozenset({"ex01"})

    def translate(word: str) -> str:
        return word if latin.text(word, kept) == word else latin.word(word)

    where = Source(reader="klist", file="f.txt", line=3)
    error = KerberosError(host="EX01", code="KRB_AP_ERR_SKEW", target="host/ex01",
                          message="Clock skew too great (0x25)", provenance=where)
    said = error.model_copy(update={"message": latin.text("Clock skew too great (0x25)", kept)})
    assert said.message != error.message
    assert _same_fact(said, error, translate)
    assert _same_fact(error.model_copy(update={"target": None}), error, translate)
    assert not _same_fact(error.model_copy(update={"host": "EX02"}), error, translate)
    assert not _same_fact(error.model_copy(update={"message": "Clock skew too great (0x26)"}),
                          error, translate)
    moved = error.model_copy(update={"provenance": where.model_copy(update={"line": 4})})
    assert not _same_fact(moved, error, translate)
    offset = ClockOffset(host="EX01", reference="dc01", offset_s=1.5, provenance=where)
    assert not _same_fact(offset.model_copy(update={"offset_s": -1.5}), offset, translate)
    listing = SpnListing(account="EX01$", spns=["HOST/EX01", "SMTPSVC/EX01"], provenance=where)
    assert not _same_fact(listing.model_copy(update={"spns": ["HOST/EX01"]}), listing, translate)
