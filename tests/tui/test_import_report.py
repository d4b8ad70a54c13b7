"""After an import, the engineer opens the import report: per file the readers with their lines,
the facts each read, the blocks nothing read, the files skipped and why, the warnings with line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.screens.import_report import ImportReportScreen
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, Tree
from textual.widgets.tree import TreeNode

from .conftest import settle

MakeApp = Callable[..., KbdoctorApp]
SIZE = (120, 40)

SESSION = """\
PS C:\\> setspn -L EX01
Registered ServicePrincipalNames for CN=EX01,OU=Servers,DC=corp,DC=example,DC=com:
        SMTPSVC/EX01

C:\\Users\\admin>ipconfig
Windows IP Configuration

C:\\Users\\admin>w32tm /stripchart /computer:DC01 /dataonly /samples:2
Tracking DC01 [10.0.0.10:123].
Collecting 2 samples.
The current time is 11/28/2026 9:15:00 AM.
09:15:00, +421.5000000s
09:15:02, +421.5010000s
"""


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "EX01"
    folder.mkdir()
    (folder / "session.txt").write_text(SESSION, encoding="utf-8")
    (folder / "tool.py").write_text("import os\nimport sys\nimport re\n", encoding="utf-8")
    return folder


def _lines(node: TreeNode[None], depth: int = 0) -> list[str]:
    """The tree as text, one node a line, indented by depth, folded nodes' children too."""
    label = node.label
    lines = ["  " * depth + (label.plain if isinstance(label, Text) else label)]
    for child in node.children:
        lines.extend(_lines(child, depth + 1))
    return lines


async def _import(app: KbdoctorApp, pilot: Pilot[None], folder: Path) -> None:
    await pilot.press("i")
    app.screen.query_one("#pick-path", Input).value = str(folder)
    await pilot.press("ctrl+o")
    await pilot.press("a")  # add to the case: it already has a source
    await app.workers.wait_for_complete()
    await settle(pilot)


async def test_the_import_report_lists_readers_lines_facts_and_what_was_skipped(
    make_app: MakeApp, tmp_path: Path
) -> None:
    folder = _folder(tmp_path)
    session, tool = folder / "session.txt", folder / "tool.py"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _import(app, pilot, folder)
        messages = " ".join(n.message + (n.title or "") for n in app._notifications)
        assert "I shows what was read from each file" in messages
        await pilot.press("I")
        await pilot.pause()
        assert isinstance(app.screen, ImportReportScreen)
        tree = app.screen.query_one("#import-tree", Tree)
        assert tree.has_focus
        lines = _lines(tree.root)
        assert lines[0].startswith("2 file(s): 1 read, 0 not recognised, 1 not command output")
        start = lines.index(f"  {session}  read")
        assert lines[start + 1 : start + 8] == [
            "    setspn-L lines 2-3: 1 fact(s)  > setspn -L EX01",
            "      lines 2-3: spn_listing account=CN=EX01,OU=Servers,DC=corp,DC=example,DC=com "
            "spns=SMTPSVC/EX01",
            "    line 6: no reader  > ipconfig",
            "    w32tm-stripchart lines 9-13: 1 fact(s)  > w32tm /stripchart /computer:DC01 "
            "/dataonly /samples:2",
            "      lines 12-13: clock_offset observed_at=2026-11-28T09:15:00 host=DC01 "
            "reference=EX01 offset_s=421.5",
            "    line 6: line 6 (ipconfig): not a format kbdoctor reads (skipped)",
            "    line 9: the output does not name the machine it ran on; used EX01 (the name of "
            "the folder the file is in)",
        ]
        assert f"  {tool}  skipped, not command output: source code or configuration" in lines
        await pilot.press("escape")
        assert not isinstance(app.screen, ImportReportScreen)


async def test_the_report_follows_the_language_and_says_when_nothing_was_imported(
    make_app: MakeApp, tmp_path: Path
) -> None:
    folder = _folder(tmp_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("I")
        await pilot.pause()
        assert not isinstance(app.screen, ImportReportScreen)
        assert any("Nothing imported in this session yet" in n.message
                   for n in app._notifications)
        await _import(app, pilot, folder)
        await pilot.press("l")  # Polish, after the import made its report in English
        await settle(pilot)
        await pilot.press("I")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ImportReportScreen)
        lines = _lines(app.screen.query_one("#import-tree", Tree).root)
        text = "\n".join(lines)
        assert "setspn-L wiersze 2-3: faktów: 1" in text
        assert "wiersz 6 (ipconfig): to nie jest format, który kbdoctor czyta" in text
        assert "the output does not name" not in text
