"""The PowerShell collection script (``kbdoctor collect --script``), checked at the level of its
text: each reader's documented command runs for each known host, every name is a single-quoted
literal with its quotes doubled (so no name can become code), the pitfalls of Windows PowerShell
5.1 are avoided, and the comments and notes follow ``--lang``. PowerShell itself is not needed:
a small tokenizer of PowerShell's quoting rules reads the script."""

from __future__ import annotations

import pytest
from kbdoctor.collectors.importers.registry import all_readers
from kbdoctor.collectors.script import (
    STEPS,
    Known,
    Server,
    command_words,
    filled,
    known_names,
    ps_quote,
    reader_command,
    render_script,
)
from kbdoctor.engine.facts import DomainController, ExchangeServer, Fact

QUOTES = "'\u2018\u2019\u201a\u201b"  # PowerShell takes all of these for a single quote
DOUBLE = '"\u201c\u201d\u201e'


def tokens(script: str) -> tuple[list[str], str]:
    """The single-quoted literals of ``script`` (unescaped) and its code outside strings and
    comments. Raises AssertionError on a string or bracket left open."""
    literals: list[str] = []
    code: list[str] = []
    i, depth = 0, 0
    while i < len(script):
        c = script[i]
        if c == "#":
            while i < len(script) and script[i] not in "\r\n":
                i += 1
            continue
        if c in QUOTES:
            value, i = [], i + 1
            while True:
                assert i < len(script), "a single-quoted string is not closed"
                if script[i] in QUOTES:
                    if i + 1 < len(script) and script[i + 1] in QUOTES:
                        value.append(script[i])
                        i += 2
                        continue
                    i += 1
                    break
                value.append(script[i])
                i += 1
            literals.append("".join(value))
            code.append("''")
            continue
        if c in DOUBLE:
            i += 1
            while True:
                assert i < len(script), "a double-quoted string is not closed"
                if script[i] == "`":
                    i += 2
                    continue
                if script[i] in DOUBLE:
                    i += 1
                    break
                i += 1
            code.append('""')
            continue
        depth += (c in "({[") - (c in ")}]")
        assert depth >= 0, "a bracket is closed that was not opened"
        code.append(c)
        i += 1
    assert depth == 0, "a bracket is left open"
    return literals, "".join(code)


KNOWN = Known(
    "corp.example.com",
    ("DC01", "O'Brien-DC", "dc\u2019s.corp.example.com"),
    (Server("EX01", "ex01.corp.example.com"), Server("EX'; Remove-Item C:\\ -Recurse; '", None)),
)


def test_every_name_is_a_literal_with_its_quotes_doubled() -> None:
    script = render_script(KNOWN, "en")
    literals, code = tokens(script)
    assert (
        "$DomainControllers = @('DC01', 'O''Brien-DC', 'dc\u2019\u2019s.corp.example.com')"
        in script
    )
    assert {"O'Brien-DC", "dc\u2019s.corp.example.com", "EX'; Remove-Item C:\\ -Recurse; '"} <= set(
        literals
    )
    assert "Remove-Item" not in code  # the hostile name stayed a string


def test_ps_quote_doubles_every_kind_of_single_quote() -> None:
    for quote in QUOTES:
        assert ps_quote(f"a{quote}b") == f"'a{quote}{quote}b'"
        assert tokens(ps_quote(f"a{quote}b"))[0] == [f"a{quote}b"]


def test_each_reader_command_runs_for_each_known_host() -> None:
    script = render_script(KNOWN, "en")
    literals, code = tokens(script)
    for step in STEPS:
        words = command_words(step)
        assert f"# {step.reader}: {reader_command(step.reader)}" in script
        if step.kind == "native":
            assert f"-Program '{words[0]}'" in script
            assert all(w.split("{", 1)[0] in literals for w in words[1:] if w.split("{", 1)[0])
    # the loops run over the names given, and each host's values reach the commands
    assert "foreach ($dc in $DomainControllers)" in code
    assert "foreach ($ex in $ExchangeServers)" in code
    assert "('/computer:' + $dc)" in script  # w32tm /stripchart /computer:<each DC>
    assert "('SMTPSVC/' + $ex.Fqdn)" in script  # klist get and setspn -Q for each server
    assert "@('-L', ('' + $ex.Name))" in script  # setspn -L for each server
    for port in (88, 464, 389, 636, 3268, 53, 135, 445):
        assert f"@({port}, 'tcp')" in script
    assert "@(88, 'udp')" in script


def test_the_commands_are_the_readers_own() -> None:
    """One source of each command: a step's command, filled with the reader's example names,
    is the command the reader documents."""
    examples = {
        "dc": "DC01",
        "domain": "",
        "exchange": "EX01",
        "fqdn": "",
        "port": "88",
        "proto": "both",
    }
    names = {r.name for r in all_readers()}
    for step in STEPS:
        assert step.reader in names
        values = {**examples, **{p: t for t, p in step.tokens.items()}}
        assert filled(step, values) == reader_command(step.reader)


def test_powershell_5_1_pitfalls_are_avoided() -> None:
    script = render_script(KNOWN, "en")
    _, code = tokens(script)
    assert "&&" not in code
    assert "||" not in code
    assert "$ErrorActionPreference = 'Continue'" in script
    out_files = [line for line in script.splitlines() if "Out-File" in line]
    assert out_files
    assert all("-Encoding UTF8" in line for line in out_files)
    assert "Compress-Archive" in script
    assert script.startswith("\ufeff")  # 5.1 reads a script without a BOM as ANSI
    assert "\r\n" in script
    assert "\n" not in script.replace("\r\n", "")
    assert "if ($HaveExchange) { Save-KbdCmdlet -File 'queues.txt'" in script


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["# kbdoctor collection script", "'skipped: {0} is not installed on this machine'"]),
        ("pl", ["# Skrypt zbierania kbdoctor", "'pominięto: {0} nie jest zainstalowany"]),
    ],
)
def test_comments_and_notes_follow_the_language(lang: str, words: list[str]) -> None:
    script = render_script(KNOWN, lang)  # type: ignore[arg-type]
    for word in words:
        assert word in script


def test_names_come_from_options_and_from_a_fact_file() -> None:
    facts: list[Fact] = [
        DomainController(name="DC02", fqdn="dc02.corp.example.com"),
        ExchangeServer(name="EX02", fqdn="ex02.corp.example.com"),
        ExchangeServer(name="ex01"),
    ]
    known = known_names(None, ["DC01"], ["EX01"], facts)
    assert known.dcs == ("DC01", "dc02.corp.example.com")
    assert known.exchange == (Server("EX01", None), Server("EX02", "ex02.corp.example.com"))
    assert known.domain == "corp.example.com"  # the one suffix the FQDNs share
    with_domain = known_names("corp.example.com", [], ["EX03"])
    assert with_domain.exchange == (Server("EX03", "ex03.corp.example.com"),)
