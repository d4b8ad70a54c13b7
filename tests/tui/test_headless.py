"""The command line and the TUI's launcher never load Textual until the TUI runs."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_launcher_and_the_command_line_does_not_import_textual() -> None:
    code = (
        "import sys, kbdoctor.tui.launch, kbdoctor.cli\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


def test_the_app_factory_builds_without_a_terminal() -> None:
    from kbdoctor.tui.launch import create_app

    app = create_app([], lang="pl", demo=False, watch_rules=False)
    assert app.lang == "pl"
