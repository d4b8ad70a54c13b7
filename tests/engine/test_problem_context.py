"""A problem says what was being read (``rule time.skew``) in the reader's language, on the
screen and in JSON; the context stays a string whose text is English, for code that shows it
as it is."""

from __future__ import annotations

import copy
import pickle

from kbdoctor.engine.errors import Context, Problem

RULE = Context("lint.context.rule", rule="time.skew")
PROBLEM = Problem("kb.yaml", 9, 5, "error.rules_unbound", {"ref": "x.host"}, RULE)


def test_a_problem_names_what_was_read_in_the_language_asked_for() -> None:
    english, polish = PROBLEM.render("en"), PROBLEM.render("pl")
    assert english.startswith("kb.yaml:9:5: rule time.skew: ")
    assert polish.startswith("kb.yaml:9:5: reguła time.skew: ")
    assert english.removeprefix("kb.yaml:9:5: rule time.skew: ") != polish.removeprefix(
        "kb.yaml:9:5: reguła time.skew: "
    )


def test_json_gives_context_and_message_in_the_language_asked_for() -> None:
    english, polish = PROBLEM.to_dict("en"), PROBLEM.to_dict("pl")
    assert (english["context"], polish["context"]) == ("rule time.skew", "reguła time.skew")
    assert english["message"] == PROBLEM.render("en").split(": ", 3)[-1]
    assert polish["message"] == PROBLEM.render("pl").split(": ", 3)[-1]
    assert english["key"] == polish["key"] == "error.rules_unbound"


def test_a_plain_context_is_shown_as_it_is() -> None:
    plain = Problem("f.yaml", 3, None, "error.rules_unbound", {"ref": "x"}, "fact 3 (queue)")
    assert plain.render("pl").startswith("f.yaml:3: fact 3 (queue): ")
    assert plain.to_dict("pl")["context"] == "fact 3 (queue)"


def test_the_context_is_its_english_text_and_survives_a_copy_and_pickling() -> None:
    assert RULE == "rule time.skew"
    for made in (copy.deepcopy(RULE), pickle.loads(pickle.dumps(RULE))):
        assert isinstance(made, Context)
        assert (made, made.in_lang("pl")) == ("rule time.skew", "reguła time.skew")
