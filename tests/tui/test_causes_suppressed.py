"""The cause list shows a diagnosis the site accepted as suppressed, with who accepted it and
until when; it stays in the list, in its place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kbdoctor.engine.suppressions import load_suppressions
from kbdoctor.tui.app import KbdoctorApp

from .conftest import screen_text, settle

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
