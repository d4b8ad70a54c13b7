"""What the case desk's views look like (Sources, the live collection form, the collection
request) at the smallest supported terminal and a common large one, in both languages. The
time a source was read is fixed, so that the pictures do not change with the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from kbdoctor.tui.app import KbdoctorApp

from .test_snapshots import LANGS, SIZES, after

MakeApp = Callable[..., KbdoctorApp]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "kbdoctor.tui.sources.now", lambda: datetime(2026, 11, 28, 9, 15, tzinfo=UTC)
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
class TestCaseDesk:
    def test_sources(
        self, snap_compare: Any, make_app: MakeApp, lang: str, size: tuple[int, int]
    ) -> None:
        assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=after("s"))

    def test_live_form(
        self, snap_compare: Any, make_app: MakeApp, lang: str, size: tuple[int, int]
    ) -> None:
        assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=after("g"))

    def test_collection_request(
        self, snap_compare: Any, make_app: MakeApp, lang: str, size: tuple[int, int]
    ) -> None:
        assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=after("a"))
