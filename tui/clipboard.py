"""Copying text to the system clipboard, and saying truthfully whether it happened.

A terminal application has two ways to reach a clipboard: a clipboard tool of the system
(``wl-copy`` on Wayland, ``xclip`` or ``xsel`` on X, ``pbcopy`` on macOS, ``clip.exe`` from WSL),
whose exit status says whether it took the text; and the OSC 52 escape sequence, which asks the
terminal to set the clipboard and gets no answer (tmux, ssh and many terminals drop it). So a
tool is tried first and its exit status believed; OSC 52 is only ever reported as *sent*. No
Textual here: the application sends OSC 52 itself and runs this in a worker (a tool that hangs
is given up after ``TIMEOUT_S``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

TIMEOUT_S = 3.0


@dataclass(frozen=True)
class Tool:
    """A clipboard tool: its command, and the environment variable that must be set for it to
    reach a clipboard (a display), if any."""

    argv: tuple[str, ...]
    needs: str | None = None

    @property
    def name(self) -> str:
        return self.argv[0]


TOOLS: tuple[Tool, ...] = (
    Tool(("wl-copy",), "WAYLAND_DISPLAY"),
    Tool(("xclip", "-selection", "clipboard"), "DISPLAY"),
    Tool(("xsel", "--clipboard", "--input"), "DISPLAY"),
    Tool(("pbcopy",)),
    Tool(("clip.exe",)),
)


def reachable_tools(
    tools: Sequence[Tool] = TOOLS, env: Mapping[str, str] | None = None
) -> list[Tool]:
    """The tools installed (on PATH) whose display, if they need one, is set."""
    environ = os.environ if env is None else env
    return [
        tool
        for tool in tools
        if (tool.needs is None or environ.get(tool.needs))
        and shutil.which(tool.name, path=environ.get("PATH"))
    ]


def copy_with_tool(
    text: str, tools: Sequence[Tool] = TOOLS, env: Mapping[str, str] | None = None
) -> str | None:
    """Give ``text`` to the first reachable tool that takes it (exit status 0); its name, or
    None when no tool is reachable or each one failed. The tools' output goes nowhere: ``xclip``
    and ``wl-copy`` leave a process behind to serve the clipboard, which would hold a pipe open
    and keep this call waiting."""
    for tool in reachable_tools(tools, env):
        path = shutil.which(tool.name, path=(os.environ if env is None else env).get("PATH"))
        if path is None:
            continue
        try:
            done = subprocess.run(
                [path, *tool.argv[1:]],
                input=text.encode("utf-8"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=TIMEOUT_S,
                env=None if env is None else dict(env),
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return tool.name
    return None
