"""Rule regular expressions cannot explode (issue 10, item 2): they run on RE2, in time linear in
the text; what RE2 cannot run is refused when the rule file is loaded, with its location. Cases
that would never end on a backtracking engine run from the command line under resource limits:
tests/hostile/test_regex_bounds.py."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from kbdoctor.engine.compiler import compile_rule_base
from kbdoctor.engine.errors import RuleFileError
from kbdoctor.engine.i18n import Lang
from kbdoctor.engine.i18n import text as catalogue_text
from kbdoctor.engine.rulebase import parse_rule_texts
from kbdoctor.engine.safe_regex import MAX_MATCH_CHARS, RegexError, compile_regex, search

REPO = Path(__file__).resolve().parents[2]

HEADER = """kbdoctor: rules/1
pack: regex
causes:
  c1:
    title: {en: C, pl: C}
    description: {en: C, pl: C}
    kb_steps: [1]
    assessed_by: [queue]
    remediation:
      - text: {en: "fix {host}", pl: "napraw {host}"}
rules:
  - id: r1
    title: {en: R, pl: R}
    when:
      - bind: q
        fact: queue
        where:
          last_error: {matches: 'PATTERN'}
    conclude: {cause: c1, cf: 0.5, subject: "{q.server}", values: {host: "{q.server}"}}
    explain: {en: x, pl: x}
"""


def _run_python(code: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        check=False,
    )


def _problems(pattern: str) -> list[str]:
    with pytest.raises(RuleFileError) as caught:
        compile_rule_base(parse_rule_texts([("r.yaml", HEADER.replace("PATTERN", pattern))]))
    return [p.render("en") for p in caught.value.problems]


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        ("(?i)^default (?!frontend)", "'(?!' (lookahead or lookbehind)"),
        ("(?<=x)y", "'(?<=' (lookahead or lookbehind)"),
        ("(?=a)a", "'(?=' (lookahead or lookbehind)"),
        (r"(a)\1", r"'\1' (backreference)"),
        ("(?P<x>a)(?P=x)", "'(?P=' (backreference)"),
    ],
)
def test_lookaround_and_backreferences_are_refused_at_load(pattern: str, what: str) -> None:
    problems = _problems(pattern)  # pydantic also reports the condition as no absence test
    assert problems[0].startswith("r.yaml:18:24: ")
    assert what in problems[0]
    assert "RE2" in problems[0]


def test_an_invalid_pattern_is_refused_with_re2s_reason() -> None:
    problems = _problems("(unclosed")
    assert "invalid regular expression (RE2 syntax): missing ): (unclosed" in problems[0]


def test_refusal_prints_nothing_on_standard_error() -> None:
    done = _run_python(
        """
        from kbdoctor.engine.safe_regex import RegexError, compile_regex
        try:
            compile_regex("(?!x)")
        except RegexError:
            pass
        """,
        timeout=60,
    )
    assert done.returncode == 0
    assert done.stderr == ""


EVENT_1035 = r"(?is)(IllegalMessage|UnexpectedExchangeAuthBlob\w*).*ExchangeAuth"


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"^\w+$", "żółw"),
        (r"^[\w-]+$", "Zürich-Nord"),
        (r"^\d+$", "٣٤"),
        (r"^\s$", "\u00a0"),
        (r"^\W", "ż"),
        (r"^\D", "٣"),
        (r"^\S", " "),
        (r"end\Z", "the end"),
        (r"(?i)ŻÓŁW", "żółw"),
        (r"[]a]", "]"),
        (r"[^]a]", "b"),
        (r"\[x\]", "[x]"),
        (EVENT_1035, "IllegalMessage\nAuth"),
        (EVENT_1035, "Illegalmessage\nExchangeAuth"),
        (EVENT_1035, "UnexpectedExchangeAuthBlobCheckForClockSkew: ExchangeAuth"),
        (r"454[ .\"]*4\.7\.0", 'responded with: "454 4.7.0 Temporary'),
    ],
)  # fmt: skip
def test_patterns_mean_what_they_mean_in_python(pattern: str, text: str) -> None:
    assert search(pattern, text) == (re.search(pattern, text) is not None)


def test_long_texts_are_matched_within_a_bound() -> None:
    text = "x" * MAX_MATCH_CHARS + "needle"
    assert not search("needle", text)
    assert search("needle", "x" * (MAX_MATCH_CHARS - 6) + "needle")


def test_compile_regex_raises_regex_error() -> None:
    with pytest.raises(RegexError):
        compile_regex("a{2,1}")


def test_patterns_of_one_field_matched_at_once_agree_with_each_alone() -> None:
    from kbdoctor.engine.safe_regex import search_in_group

    patterns = (
        r"(?i)^MSExchangeTransport$",
        EVENT_1035,
        r"454[ .\"]*4\.7\.0",
        r"^\w+$",
        r"(?i)^default ",
        r"",
    )
    texts = [
        "msexchangetransport",
        "IllegalMessage\nExchangeAuth",
        'said "454 4.7.0"',
        "żółw",
        "Default Frontend EX01",
        "",
        "x" * (MAX_MATCH_CHARS + 5),
    ]
    for text in texts:
        for pattern in patterns:
            alone = search(pattern, text)
            assert search_in_group(patterns, pattern, text) == alone, (pattern, text)


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "r.yaml:18:24: 'matches' of field last_error: '(?=' (lookahead or lookbehind) is"),
        ("pl", "r.yaml:18:24: 'matches' pola last_error: '(?=' (lookahead lub lookbehind) nie"),
        ("de", "r.yaml:18:24: 'matches' des Feldes last_error: '(?=' (Lookahead oder Lookbehind)"),
    ],
)
def test_a_refusal_names_the_field_in_the_reader_s_language(lang: Lang, message: str) -> None:
    """Not pydantic's path (rules.when.where.tests...) nor its English 'Value error,'."""
    with pytest.raises(RuleFileError) as caught:
        parse_rule_texts([("r.yaml", HEADER.replace("PATTERN", "(?=a)b"))])
    rendered = caught.value.problems[0].render(lang)
    assert rendered.startswith(message)
    assert "Value error" not in rendered
    assert "rules.when" not in rendered


def test_a_refusal_is_a_message_key_and_its_parameters() -> None:
    with pytest.raises(RegexError) as caught:
        compile_regex(r"(a)\1")
    assert (caught.value.key, caught.value.params) == (
        "error.regex_backreference",
        {"construct": r"\1"},
    )
    assert str(caught.value) == catalogue_text("error.regex_backreference", "en", construct=r"\1")
