"""A pasted console session is cut into the outputs of its commands."""

from __future__ import annotations

import pytest
from kbdoctor.collectors.importers.base import Material
from kbdoctor.collectors.segments import (
    CommandMaterial,
    command_argument,
    command_of,
    detect_wrap_width,
    prompt_command,
    split_segments,
    unwrap_console,
)


@pytest.mark.parametrize(
    ("line", "command"),
    [
        ("PS C:\\> setspn -L EX01", "setspn -L EX01"),
        ("PS C:\\Windows\\system32> w32tm /monitor", "w32tm /monitor"),
        ("[PS] C:\\Windows\\system32>Get-ExchangeServer | fl", "Get-ExchangeServer | fl"),
        ("C:\\Users\\stephanie>setspn -L web04", "setspn -L web04"),
        ("C:\\>", ""),
        ("setspn -Q HTTP/localhost", "setspn -Q HTTP/localhost"),
        ("SetSPN -x", "SetSPN -x"),
        ("klist get krbtgt", "klist get krbtgt"),
        ("Test-NetConnection DC01 -Port 88", "Test-NetConnection DC01 -Port 88"),
        # a prompt shortened to ">" in notes (the real Russian setspn -q paste of the corpus)
        ("> setspn -q http/somehost.somedomain.com", "setspn -q http/somehost.somedomain.com"),
        ("PS > setspn -L web01", "setspn -L web01"),
        ("PS > Get-Host | Select-Object Version", "Get-Host | Select-Object Version"),
    ],
)
def test_prompt_and_bare_command_lines_give_the_command(line: str, command: str) -> None:
    assert prompt_command(line) == command


@pytest.mark.parametrize(
    "line",
    [
        "Registered ServicePrincipalNames for CN=EX01,DC=corp:",
        "        SMTPSVC/EX01",
        "klist failed with 0xc000018b/-1073741429: The SAM database",
        "#0>     Client: webapp01$ @ CONTOSO.COM",
        "ComputerName     : dc01",
        "    NTP: +0.0000000s offset from PDC.example.com",
        # a quoted line or a shortened prompt that names no known command stays output
        "> The SPN was not found.",
        "PS > whoami",
    ],
)
def test_output_lines_are_not_commands(line: str) -> None:
    assert prompt_command(line) is None


def test_a_session_splits_at_each_prompt_with_line_numbers_of_the_file() -> None:
    text = "PS C:\\> setspn -L EX01\nheader:\n    SPN/x\nC:\\>w32tm /monitor\nDC01[1:123]:\n"
    segments = split_segments(text)
    assert [(s.command, s.first_line, s.text) for s in segments] == [
        ("setspn -L EX01", 2, "header:\n    SPN/x"),
        ("w32tm /monitor", 5, "DC01[1:123]:\n"),
    ]


def test_text_without_prompts_is_one_segment_without_command() -> None:
    assert split_segments("a\nb\n") == [split_segments("a\nb\n")[0]]
    assert split_segments("a\nb\n")[0].command is None


def test_a_trailing_empty_prompt_makes_no_segment() -> None:
    segments = split_segments("PS C:\\> klist\nCurrent LogonId is 0:0x3e7\nPS C:\\>\n")
    assert len(segments) == 1


def test_command_of_prefers_the_segment_command_then_the_first_line() -> None:
    cut = CommandMaterial("f", b"", "out", 2, None, command="setspn -L EX01")
    whole = Material("f", b"", "\nsetspn -Q HTTP/x\nNo such SPN found.", 1, None)
    plain = Material("f", b"", "No such SPN found.", 1, None)
    assert command_of(cut) == "setspn -L EX01"
    assert command_of(whole) == "setspn -Q HTTP/x"
    assert command_of(plain) is None


def test_command_argument_reads_colon_and_word_forms() -> None:
    assert command_argument("w32tm /stripchart /computer:DC01 /dataonly", "computer") == "DC01"
    assert command_argument("setspn -L EX01", "L") == "EX01"
    assert command_argument("setspn -L", "L") is None
    assert command_argument(None, "computer") is None


def test_console_wraps_at_a_detected_width_are_joined() -> None:
    first = "x" * 80
    lines = [first, "tail one", first, "tail two", "short"]
    assert detect_wrap_width(lines) == 80
    joined = unwrap_console(lines)
    assert [(j.first, j.last, j.text) for j in joined] == [
        (0, 1, first + "tail one"),
        (2, 3, first + "tail two"),
        (4, 4, "short"),
    ]


def test_short_lines_are_not_taken_for_wraps() -> None:
    assert detect_wrap_width(["abc", "abc", "d"]) is None
    assert [j.text for j in unwrap_console(["abc", "abc"])] == ["abc", "abc"]


def test_a_line_of_prose_naming_the_command_in_backticks_starts_its_output() -> None:
    text = (
        "Output from `repadmin /showrepl DC2`:\n```\nDC=corp,DC=com\n    Site\\DC1 via RPC\n"
        "```\n"
    )
    segments = split_segments(text)
    assert [s.command for s in segments] == ["repadmin /showrepl DC2"]
    assert segments[0].first_line == 2


def test_prose_with_backticks_that_name_no_command_is_output() -> None:
    assert prompt_command("Run `notepad` first:") is None
    assert prompt_command("The result of `setspn -X` was clean.") is None
