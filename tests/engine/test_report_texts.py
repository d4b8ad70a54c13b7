"""A report's texts are bounded (issue 10, item 1: "so a report line cannot grow without bound"):
a text for people filled from a rule template is cut at the limit on characters per text
(``KBDOCTOR_MAX_STRING``) and says how much was left out, in the reader's language; a command
is never cut (cut short it is another command): one over the limit is left out, and its step
says so. Subjects and values are never cut (tests/engine/test_chaining_text_limit.py)."""

from __future__ import annotations

import pytest
from kbdoctor.engine.evaluate import Evaluator
from kbdoctor.engine.facts import Queue
from kbdoctor.engine.i18n import Lang
from kbdoctor.engine.report import Report
from kbdoctor.engine.report_building import build_report
from kbdoctor.engine.report_texts import ReportTexts, fill_within
from kbdoctor.engine.rulebase import parse_rule_texts

LIMIT = 1000
ERROR = "E" * 400  # one value within the limit; three of them are not

PACK = """kbdoctor: rules/1
pack: long
causes:
  c1:
    title: {en: C, pl: C}
    description: {en: C, pl: C}
    kb_steps: [1]
    assessed_by: [queue]
    remediation:
      - text: {en: "Read {err}|{err}|{err}", pl: "Przeczytaj {err}|{err}|{err}"}
        command: "echo {err} {err} {err}"
      - text: {en: "Short {host}", pl: "Krótko {host}"}
        command: "echo {host}"
      - text: {en: "Somewhere", pl: "Gdzieś"}
        command: "echo here"
        run_on: "{err}{err}{err}"
recommendations:
  r1:
    title: {en: R, pl: R}
    text: {en: "Note {err}{err}{err}", pl: "Uwaga {err}{err}{err}"}
    steps:
      - text: {en: "Run it", pl: "Uruchom"}
        command: "echo {err}{err}{err}"
rules:
  - id: r1
    title: {en: R, pl: R}
    when:
      - bind: q
        fact: queue
    conclude:
      cause: c1
      cf: 0.9
      subject: "{q.server}"
      values: {host: "{q.server}", err: "{q.last_error}"}
    explain: {en: "{q.last_error}{q.last_error}{q.last_error}", pl: "{q.last_error}"}
  - id: rec
    title: {en: R, pl: R}
    when:
      - bind: q
        fact: queue
    conclude:
      recommendation: r1
      cf: 0.9
      subject: "{q.server}"
      values: {err: "{q.last_error}"}
    explain: {en: "{q.last_error}{q.last_error}{q.last_error}", pl: "{q.last_error}"}
"""


def _report(monkeypatch: pytest.MonkeyPatch, lang: Lang = "en") -> Report:
    monkeypatch.setenv("KBDOCTOR_MAX_STRING", str(LIMIT))
    base = parse_rule_texts([("long.yaml", PACK)])
    queue = Queue(server="EX01", identity="EX01\\3", next_hop="x", status="Retry", last_error=ERROR)
    run = Evaluator(base).run([queue])
    return build_report(run, lang=lang, explain=True, files=["f.yaml"], environment={})


def test_an_explanation_longer_than_the_limit_is_cut_and_says_how_much_is_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    [cause] = [c for c in _report(monkeypatch).causes if c.cause == "c1"]
    [firing] = cause.evidence
    assert firing.text == ERROR * 2 + "E" * 200 + "… [200 more characters left out]"


def test_a_step_text_is_cut_and_its_command_left_out_never_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    [cause] = [c for c in _report(monkeypatch).causes if c.cause == "c1"]
    long, short, elsewhere = cause.remediation
    whole = f"Read {ERROR}|{ERROR}|{ERROR}"
    assert long.text == (
        whole[:LIMIT]
        + f"… [{len(whole) - LIMIT} more characters left out]"
        + f" (the command is left out: it would be {len(ERROR) * 3 + 7} characters long, more"
        f" than the {LIMIT} characters a text may have; limit KBDOCTOR_MAX_STRING)"
    )
    assert long.command is None
    assert (short.text, short.command) == ("Short EX01", "echo EX01")
    assert (elsewhere.run_on, elsewhere.command) == (None, None)
    assert elsewhere.text == (
        "Somewhere (the machine this step runs on and its command are left out: the machine's"
        f" name would be {len(ERROR) * 3} characters long, more than the {LIMIT} characters a"
        " text may have; limit KBDOCTOR_MAX_STRING)"
    )


def test_a_recommendation_s_text_and_steps_are_bounded_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    [recommendation] = _report(monkeypatch).recommendations
    assert recommendation.text == f"Note {ERROR}{ERROR}" + "E" * 195 + (
        f"… [{len(ERROR) * 3 + 5 - LIMIT} more characters left out]"
    )
    [step] = recommendation.steps
    assert step.command is None
    assert step.text.startswith("Run it (the command is left out: it would be 1205 characters")
    # the reason joins the explanations behind it: one text, bounded as each is
    assert len(recommendation.reason) < LIMIT + 50
    assert recommendation.reason.endswith(" more characters left out]")


@pytest.mark.parametrize(
    ("lang", "marker", "note"),
    [
        (
            "pl",
            "… [pominięto jeszcze 1200 znaków]",
            "(polecenie pominięto: miałoby długość 2200, a dozwolona długość tekstu to 1000;"
            " limit KBDOCTOR_MAX_STRING)",
        ),
        (
            "de",
            "… [1200 weitere Zeichen ausgelassen]",
            "(der Befehl ist ausgelassen: er wäre 2200 Zeichen lang, mehr als die 1000 Zeichen,"
            " die ein Text haben darf; Grenze KBDOCTOR_MAX_STRING)",
        ),
    ],
)
def test_the_marks_are_in_the_reader_s_language(lang: Lang, marker: str, note: str) -> None:
    texts = ReportTexts(lang, LIMIT)
    values = {"err": "E" * 1100}
    assert texts.text("{err}{err}", values) == "E" * LIMIT + marker
    step = texts.step("x", "{err}{err}", values)
    assert (step.text, step.command) == (f"x {note}", None)


def test_polish_counts_take_their_plural_form() -> None:
    texts = ReportTexts("pl", 10)
    assert texts.text("{a}", {"a": "x" * 11}).endswith("[pominięto jeszcze 1 znak]")
    assert texts.text("{a}", {"a": "x" * 13}).endswith("[pominięto jeszcze 3 znaki]")
    assert texts.text("{a}", {"a": "x" * 22}).endswith("[pominięto jeszcze 12 znaków]")


def test_a_text_or_command_at_the_limit_is_whole() -> None:
    texts = ReportTexts("en", 10)
    assert texts.text("{a}!", {"a": "x" * 9}) == "xxxxxxxxx!"
    step = texts.step("{a}", "run {a}", {"a": "123456"})
    assert (step.text, step.command) == ("123456", "run 123456")


def test_two_steps_that_differ_only_past_the_limit_stay_two() -> None:
    """Steps are shown once per distinct text and command; two cut alike are not one."""
    texts = ReportTexts("en", 10)
    first = texts.step("{a}", "x", {"a": "y" * 20 + "1"})
    second = texts.step("{a}", "x", {"a": "y" * 20 + "2"})
    again = texts.step("{a}", "x", {"a": "y" * 20 + "1"})
    assert first.text == second.text
    assert first.key != second.key
    assert first.key == again.key
    one = texts.step("x", "{a}", {"a": "z" * 20 + "1"})
    other = texts.step("x", "{a}", {"a": "z" * 20 + "2"})
    assert (one.text, one.command) == (other.text, other.command)
    assert one.key != other.key


def test_a_filled_text_past_the_limit_keeps_only_the_limit() -> None:
    filled = fill_within("<{a}{b}>", {"a": "a" * 30, "b": "b" * 30}, 40)
    assert filled.text == "<" + "a" * 30 + "b" * 9
    assert (filled.left_out, filled.length, filled.whole) == (22, 62, False)
    assert fill_within("{a}", {"a": "abc"}, 40).digest == ""
