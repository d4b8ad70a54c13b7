"""The scheduling of diagnoses (tui/evaluations.py): a reopened case with what-if changes is
diagnosed and shown first, and the facts as loaded (the baseline its "(was ...)" marks compare
with) are diagnosed after, under the same ticket, so the first paint does not wait for two
evaluations; meanwhile no baseline of other material is shown."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from kbdoctor.engine.facts import ClockOffset, SpnListing
from kbdoctor.tui.case import case_of, dump_case
from kbdoctor.tui.launch import create_app
from kbdoctor.tui.messages import BaselineReady, ReportReady
from kbdoctor.tui.session import Session
from textual.message import Message

from .conftest import settle

SKEW = ClockOffset(host="EX01", reference="DC01", offset_s=312.0)
SPNS = SpnListing(account="EX01$", spns=["SMTP/EX01"])


async def test_a_reopened_case_is_shown_before_its_facts_as_loaded_are_diagnosed(
    tmp_path: Path,
) -> None:
    session = Session()
    session.add([SKEW, SPNS], "incident.yaml")
    session.disable(0)  # the skew disabled: the diagnosis differs from the facts as loaded
    saved = tmp_path / "case.yaml"
    saved.write_text(dump_case(case_of(session, {}, [], saved_at=datetime.now(UTC))))

    app = create_app([str(saved)], lang="en", watch_rules=False)
    posted: list[Message] = []
    post = app.post_message

    def recording(message: Message) -> bool:
        if isinstance(message, (ReportReady, BaselineReady)):
            posted.append(message)
        return post(message)

    app.post_message = recording  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first, then = posted[0], posted[1]
        assert isinstance(first, ReportReady)
        assert first.baseline is None
        assert first.baseline_pending
        assert not first.report.explained
        assert isinstance(then, BaselineReady)
        assert then.ticket == first.ticket
        assert app.baseline is then.baseline  # kept for the marks once it arrived
        loaded = app.diagnoser.evaluate(
            app.session.loaded_facts(),
            lang="en",
            files=list(app.session.files),
            environment=dict(app.session.environment),
            explain=False,
        )
        assert [(c.cause, c.status, c.confidence) for c in then.baseline.causes] == [
            (c.cause, c.status, c.confidence) for c in loaded.causes
        ]
        assert [(c.cause, c.status) for c in then.baseline.causes] != [
            (c.cause, c.status) for c in first.report.causes
        ]
        assert app.report is not None
        assert app.report.explained  # the WHY-NOT followed


async def test_a_what_if_edit_is_followed_on_the_kept_session_and_explained_from_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The diagnosis keeps its durable-rules session, so an edit asserts and retracts only the
    facts it changed (engine/incremental.py), and its explanation probes the same run; both
    reports are those a new evaluator gives for the same facts."""
    from kbdoctor.engine.evaluate import Evaluator

    from bench.generate import generate_organisation

    organisation = tmp_path / "org.json"
    organisation.write_text(json.dumps(generate_organisation(12)), encoding="utf-8")
    app = create_app([str(organisation)], lang="en", watch_rules=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        evaluator = app.diagnoser._evaluator
        assert evaluator is not None
        key = next(e.key for e in app.session.entries() if e.fact.type == "clock_offset")
        paths: list[str] = []
        run = evaluator.run

        def recording(*args: Any, **kwargs: Any) -> Any:
            result = run(*args, **kwargs)
            paths.append(evaluator.last_path)
            return result

        monkeypatch.setattr(evaluator, "run", recording)
        app.session.toggle(key)
        app._changed(key)
        await settle(pilot)
        # the diagnosis (followed) and its explanation (the diagnosis' run, probed); the facts
        # as loaded need no run: their diagnosis is the one shown before the edit
        assert paths == ["incremental", "reused"], paths
        assert app.report is not None
        assert app.report.explained
        fresh = Evaluator(app.diagnoser.rule_base).evaluate(
            app.session.effective_facts(),
            lang="en",
            files=list(app.session.files),
            environment=dict(app.session.environment),
            explain=True,
            suppressions=app.diagnoser.suppressions,
        )
        assert app.report.model_dump_json() == fresh.model_dump_json()
