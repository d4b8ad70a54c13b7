"""Loaded material is set aside from the cyclic garbage collector while the application runs (a
full pass over a large case, about 270 ms at 1,000 servers, would land on a keystroke), and
given back to it when the application ends."""

from __future__ import annotations

import gc
from collections.abc import Callable

from kbdoctor.tui.app import KbdoctorApp

from .conftest import settle

MakeApp = Callable[..., KbdoctorApp]


async def test_loaded_facts_are_frozen_while_the_app_runs_and_released_after(
    make_app: MakeApp,
) -> None:
    gc.unfreeze()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(app.session) > 0
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
