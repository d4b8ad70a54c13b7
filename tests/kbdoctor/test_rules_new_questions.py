"""The questions of ``kbdoctor rules new`` at a terminal: an answer that cannot be used is
explained and asked again, in the user's language."""

from __future__ import annotations

import io

from kbdoctor.engine.rule_files import bundled_rule_files
from kbdoctor.engine.rulebase import load_rule_base

from kbdoctor.rules_new_questions import Answers, Asker, ask_missing


def test_at_a_terminal_a_wrong_answer_is_explained_and_asked_again() -> None:
    typed = io.StringIO(
        "Site.Rule\nsite.rule\nqueues\nqueue\nmessages=gt:5\nmessage_count=gt:5\n\n"
        "Drift\nexternal_time_drift\nnothing\nserver\nmessage_count\n\nT\nT\n1.5\n0.5\n\n"
    )
    out = io.StringIO()
    shipped = load_rule_base(bundled_rule_files()).findings
    answers = ask_missing(Answers(), shipped, Asker(typed, out, "en", terminal=True))
    said = out.getvalue()
    assert "RULE_ID: 'Site.Rule' is not a valid id" in said
    assert "unknown fact type 'queues'" in said
    assert "a queue fact has no field 'messages'; its fields: server, last_error" in said
    assert "--finding: 'Drift' is not a valid id" in said
    assert "cannot come from the field 'nothing' of a queue fact" in said
    assert "an answer is needed" in said
    assert "'1.5' is not a certainty factor" in said
    assert (answers.rule_id, answers.fact, answers.finding, answers.cf, answers.pack) == (
        "site.rule", "queue", "external_time_drift", 0.5, "local",
    )  # fmt: skip
    assert [c.field for c in answers.conditions] == ["message_count"]
    assert answers.values == {"reference": "server", "offset": "message_count"}
