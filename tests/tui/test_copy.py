"""Copying a command says what happened - a clipboard tool took it, or OSC 52 was only sent to
the terminal - and always shows the text, selected, with a way to write it to a file."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.clipboard import Tool, copy_with_tool, reachable_tools
from kbdoctor.tui.screens.copied import CopiedScreen
from kbdoctor.tui.screens.save import SaveScreen
from kbdoctor.tui.widgets.remediation import RemediationView
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from .conftest import settle

MakeApp = Callable[..., KbdoctorApp]
SIZE = (120, 40)


def fake_tool(folder: Path, name: str, status: int) -> Path:
    """A clipboard tool that keeps what it is given in ``<name>.got`` and exits with ``status``."""
    got = folder / f"{name}.got"
    script = folder / name
    script.write_text(f"#!/bin/sh\n/bin/cat > '{got}'\nexit {status}\n")
    script.chmod(0o755)
    return got


def test_a_tool_that_takes_the_text_is_named(tmp_path: Path) -> None:
    got = fake_tool(tmp_path, "xclip", 0)
    env = {"PATH": str(tmp_path), "DISPLAY": ":0"}
    assert copy_with_tool("w32tm /resync", env=env) == "xclip"
    assert got.read_text() == "w32tm /resync"


def test_a_tool_that_fails_is_not_believed_and_the_next_is_tried(tmp_path: Path) -> None:
    fake_tool(tmp_path, "xclip", 1)
    got = fake_tool(tmp_path, "xsel", 0)
    env = {"PATH": str(tmp_path), "DISPLAY": ":0"}
    assert copy_with_tool("setspn -L EX01", env=env) == "xsel"
    assert got.read_text() == "setspn -L EX01"


def test_no_tool_copies_when_every_tool_fails(tmp_path: Path) -> None:
    fake_tool(tmp_path, "xclip", 1)
    assert copy_with_tool("x", env={"PATH": str(tmp_path), "DISPLAY": ":0"}) is None


def test_an_x_tool_without_a_display_is_not_reachable(tmp_path: Path) -> None:
    fake_tool(tmp_path, "xclip", 0)
    fake_tool(tmp_path, "pbcopy", 0)
    found = reachable_tools(env={"PATH": str(tmp_path)})
    assert [t.name for t in found] == ["pbcopy"]
    assert reachable_tools((Tool(("wl-copy",), "WAYLAND_DISPLAY"),), {"PATH": ""}) == []


async def _copied(pilot: Pilot[None], key: str) -> CopiedScreen:
    app = pilot.app
    assert isinstance(app, KbdoctorApp)
    app.main.select_cause("time_sync")
    await pilot.press("f", key)
    for _ in range(200):
        await pilot.pause(0.02)
        if isinstance(app.screen, CopiedScreen):
            return app.screen
    raise AssertionError("the copy dialog did not open")


@pytest.fixture
def no_clipboard(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A machine with no clipboard tool and no display."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    return empty


async def test_without_a_clipboard_tool_the_copy_says_osc52_was_sent_not_copied(
    make_app: MakeApp, no_clipboard: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await _copied(pilot, "c")
        command = app.main.query_one(RemediationView).selected_command()
        assert command
        assert app.clipboard == command  # what Textual sent as OSC 52
        how = str(screen.query_one("#copied-how").render())
        assert "sent to the terminal (OSC 52)" in how
        assert "Copied" not in how
        area = screen.query_one("#copied-text", TextArea)
        assert area.text == command
        assert area.selected_text == command  # shown selected, to copy with the terminal


async def test_with_a_clipboard_tool_the_copy_names_it(
    make_app: MakeApp, no_clipboard: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    got = fake_tool(no_clipboard, "xclip", 0)
    monkeypatch.setenv("DISPLAY", ":0")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await _copied(pilot, "c")
        command = app.main.query_one(RemediationView).selected_command()
        assert got.read_text() == command
        how = str(screen.query_one("#copied-how").render())
        assert how == "Copied to the system clipboard with xclip."


async def test_copy_all_copies_every_command_and_writes_them_to_a_file(
    make_app: MakeApp, no_clipboard: Path, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await _copied(pilot, "C")
        commands = app.main.query_one(RemediationView).commands()
        assert len(commands) > 1
        assert screen.query_one("#copied-text", TextArea).text == "\n".join(commands)
        assert app.clipboard == "\n".join(commands)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveScreen)
        target = tmp_path / "commands.txt"
        app.screen.query_one("#save-path", Input).value = str(target)
        await pilot.press("enter")
        await asyncio.sleep(0)
        await pilot.pause()
        assert target.read_text() == "\n".join(commands) + "\n"
        assert any(f"Written: {target}" in n.message for n in app._notifications)


async def test_the_copy_dialog_speaks_polish(make_app: MakeApp, no_clipboard: Path) -> None:
    app = make_app(lang="pl")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await _copied(pilot, "c")
        how = str(screen.query_one("#copied-how").render())
        assert "wysłano do terminala (OSC 52)" in how
