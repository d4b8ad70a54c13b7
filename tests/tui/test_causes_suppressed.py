"""The cause list shows a diagnosis the site accepted as suppressed, with who accepted it, until
when and why; it stays in the list, in its place. An expired suppression is signed above the
causes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kbdoctor.engine.suppressions import load_suppressions
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.widgets.diagnosis import DiagnosisPane
from kbdoctor.tui.widgets.expired_suppressions import ExpiredSuppressionsLine
from kbdoctor.tui.widgets.reasoning import ReasoningTree

from .conftest import flat, screen_text, settle

ACCEPTED = """\
kbdoctor: suppressions/1
suppressions:
  - cause: time_sync
    reason: clocks are being replaced in change 4711
    accepted_by: j.kowalski
    expires: 2999-01-31
"""


async def test_a_suppressed_cause_is_marked_in_the_cause_list(
    make_app: Callable[..., KbdoctorApp], tmp_path: Path
) -> None:
    (tmp_path / "accepted.yaml").write_text(ACCEPTED, encoding="utf-8")
    loaded = load_suppressions(str(tmp_path / "accepted.yaml"))
    assert not isinstance(loaded, list)
    app = make_app(suppressions=loaded.entries)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.report is not None
        time_sync = next(c for c in app.report.causes if c.cause == "time_sync")
        assert time_sync.status == "diagnosed"
        shown = " ".join(screen_text(app).replace("│", " ").split())  # the prompt wraps
        assert "0.90 diagnosed · step 1 · suppressed: j.kowalski until 2999-01-31" in shown


async def test_a_suppressed_cause_shows_why_it_was_accepted(
    make_app: Callable[..., KbdoctorApp], tmp_path: Path
) -> None:
    """In the cause list the reason, and in its reasoning who, until when, why and where."""
    (tmp_path / "accepted.yaml").write_text(ACCEPTED, encoding="utf-8")
    loaded = load_suppressions(str(tmp_path / "accepted.yaml"))
    assert not isinstance(loaded, list)
    app = make_app(suppressions=loaded.entries, lang="pl")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one(DiagnosisPane).select_cause("time_sync")
        await pilot.pause()
        shown = flat(screen_text(app))
        assert flat("powód: clocks are being replaced in change 4711") in shown
        tree = app.screen.query_one(ReasoningTree)
        lines = [str(node.label) for node in tree.root.children]
        where = tmp_path / "accepted.yaml"
        assert (
            "Wyciszone: zaakceptował(a) j.kowalski do 2999-01-31: clocks are being replaced in "
            f"change 4711 ({where}:3)"
        ) in lines
        assert flat("Wyciszone: zaakceptował(a) j.kowalski do 2999-01-31") in shown


EXPIRED = """\
kbdoctor: suppressions/1
suppressions:
  - cause: time_sync
    reason: clocks are being replaced in change 4711
    accepted_by: j.kowalski
    expires: 2000-01-31
"""


async def test_an_expired_suppression_is_signed_above_the_causes(
    make_app: Callable[..., KbdoctorApp], tmp_path: Path
) -> None:
    """The command line's warning is printed before the application covers the terminal: the
    application says it where the causes are read, and the cause counts again."""
    (tmp_path / "accepted.yaml").write_text(EXPIRED, encoding="utf-8")
    loaded = load_suppressions(str(tmp_path / "accepted.yaml"))
    assert not isinstance(loaded, list)
    app = make_app(suppressions=loaded.entries)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        sign = app.screen.query_one("#expired-suppressions", ExpiredSuppressionsLine)
        assert sign.display
        assert str(sign.render()) == (
            "1 expired suppression(s), ignored (renew or remove them): "
            f"{tmp_path / 'accepted.yaml'}:3 cause time_sync (until 2000-01-31, j.kowalski)"
        )
        assert flat("1 expired suppression(s), ignored") in flat(screen_text(app))
        assert "suppressed:" not in screen_text(app)


async def test_without_an_expired_suppression_there_is_no_sign(
    make_app: Callable[..., KbdoctorApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#expired-suppressions", ExpiredSuppressionsLine).display
