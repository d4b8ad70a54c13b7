"""Shared helpers for driving the real application with Textual's Pilot."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.launch import create_app
from textual.pilot import Pilot

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "tui"
INCIDENT = DATA / "incident.yaml"


async def settle(pilot: Pilot[None], timeout: float = 120.0) -> None:
    """Wait until the application has a diagnosis, no worker is running, and a complete
    diagnosis has its explanation: the WHY-NOT is computed after the first paint (a worker
    started from ``call_after_refresh``), so "no worker running" alone can be seen in the gap
    before it starts, and a test measuring redraws then counts the explanation's. A diagnosis
    cut short (budget, cancel) is never explained again, so it is not waited for."""
    app = pilot.app
    assert isinstance(app, KbdoctorApp)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.02)
        busy = [w for w in app.workers if not w.is_finished]
        report = app.report
        if report is not None and not busy and (report.explained or report.budget is not None):
            await pilot.pause()
            return
    raise AssertionError("the application did not finish its work in time")


def screen_text(app: KbdoctorApp) -> str:
    """Everything the screen shows, as plain text lines (the SVG screenshot, unstyled)."""
    import html
    import re

    svg = app.export_screenshot()
    rows: dict[float, dict[int, str]] = {}
    pattern = r'<text class="[^"]*-r\d+" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>'
    for m in re.finditer(pattern, svg):
        row = rows.setdefault(float(m.group(2)), {})
        column = round(float(m.group(1)) / 12.2)
        for offset, char in enumerate(html.unescape(m.group(3)).replace("\xa0", " ")):
            row[column + offset] = char
    return "\n".join(
        "".join(row.get(i, " ") for i in range(max(row) + 1)).rstrip()
        for _, row in sorted(rows.items())
    )


def flat(text: str) -> str:
    """Text without white space, frames, guides or scroll bars: a value wrapped over several
    lines (or folded inside a word) reads as the value itself."""
    import re

    return re.sub(r"[\s\u2500-\u259f]", "", text)


async def dialog_text(pilot: Pilot[None]) -> str:
    """What the dialog on top shows inside its frame, scrolled through from top to bottom: the
    screen's own text, cropped to the dialog (the screen behind it stays out)."""
    from textual.containers import ScrollableContainer

    app = pilot.app
    assert isinstance(app, KbdoctorApp)
    dialog = app.screen.query_one("#dialog", ScrollableContainer)
    dialog.scroll_home(animate=False)
    await pilot.pause()
    lines: dict[int, str] = {}
    while True:
        region = dialog.scrollable_content_region
        shown = screen_text(app).splitlines()
        top = round(dialog.scroll_y)
        for row in range(region.height):
            y = region.y + row
            line = shown[y] if y < len(shown) else ""
            lines[top + row] = line[region.x : region.right]
        if dialog.scroll_y >= dialog.max_scroll_y:
            return "\n".join(lines[row] for row in sorted(lines))
        dialog.scroll_page_down(animate=False)
        await pilot.pause()


@pytest.fixture
def make_app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., KbdoctorApp]:
    """An application on the test incident (or the files given), run from the repository root
    so that file names on screen are the same on every machine."""
    monkeypatch.chdir(ROOT)

    def factory(*paths: str, lang: str = "en", **options: object) -> KbdoctorApp:
        files = list(paths) if paths else [str(INCIDENT.relative_to(ROOT))]
        options.setdefault("watch_rules", False)
        return create_app(files, lang=lang, **options)  # type: ignore[arg-type]

    return factory
