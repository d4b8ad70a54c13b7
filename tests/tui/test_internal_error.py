"""A defect in a worker (loading, a diagnosis) is said on screen: the application never stays on
"Loading rules and facts..." for a failure it did not foresee."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.diagnosis import Diagnoser
from kbdoctor.tui.i18n import t

from .conftest import flat, screen_text


def _broken(_self: Diagnoser) -> None:
    raise RuntimeError("an unforeseen state")


@pytest.mark.parametrize("lang", ["en", "pl"])
async def test_a_loading_that_fails_unforeseen_is_said(
    make_app: Callable[..., KbdoctorApp], monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setattr(Diagnoser, "load", _broken)
    app = make_app(lang=lang)
    said = t("tui.internal_error", lang, error="RuntimeError: an unforeseen state")  # type: ignore[arg-type]
    async with app.run_test(size=(140, 40)) as pilot:
        for _ in range(500):  # no diagnosis will come to wait for: wait for the sign
            await pilot.pause(0.02)
            if said in " ".join(n.message for n in app._notifications):
                break
        assert said in " ".join(n.message for n in app._notifications)
        await pilot.pause()
        assert flat(said[:60]) in flat(screen_text(app))
