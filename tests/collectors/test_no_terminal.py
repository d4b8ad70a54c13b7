"""The collectors never talk to a terminal: they return facts and results, raise typed errors,
and take callables where they must ask (a user, a password). Printing, prompting and reading
standard input is the command line's (``kbdoctor/``) or the TUI's, so a collector serves both
and a script alike. Read from the source with ``ast``, so that a new ``print`` anywhere in the
package fails here."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "collectors"

CALLS = frozenset({"print", "input", "breakpoint"})
MODULES = frozenset({"getpass", "readline", "termios", "tty"})
STREAMS = frozenset({"stdin", "stdout", "stderr", "__stdin__", "__stdout__", "__stderr__"})


def terminal_uses(source: str, name: str) -> list[str]:
    """Each place in ``source`` that prints, prompts or touches a standard stream, as
    ``name:line: what``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, name)):
        what: str | None = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            what = f"{node.func.id}()" if node.func.id in CALLS else None
        elif isinstance(node, ast.Import):
            used = [a.name for a in node.names if a.name.split(".")[0] in MODULES]
            what = f"import {', '.join(used)}" if used else None
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.split(".")[0] in MODULES:
                what = f"from {module} import"
            elif module == "sys" and any(a.name in STREAMS for a in node.names):
                what = "from sys import a standard stream"
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in STREAMS
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
        ):
            what = f"sys.{node.attr}"
        if what is not None:
            found.append(f"{name}:{getattr(node, 'lineno', 0)}: {what}")
    return found


def test_no_collector_prints_prompts_or_reads_a_terminal() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 20  # the package is where it is said to be
    found = [
        use
        for path in files
        for use in terminal_uses(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert found == []


def test_each_way_of_talking_to_a_terminal_is_found() -> None:
    source = "\n".join(
        [
            "import getpass, sys",
            "from sys import stderr",
            "print('x', file=sys.stderr)",
            "name = input('user: ')",
            "sys.stdout.write('x')",
            "secret = getpass.getpass()",
            "stream.write('fine: a stream the caller gave')",
            "run(stdin=DEVNULL)",
        ]
    )
    assert sorted(terminal_uses(source, "m.py")) == [
        "m.py:1: import getpass",
        "m.py:2: from sys import a standard stream",
        "m.py:3: print()",
        "m.py:3: sys.stderr",
        "m.py:4: input()",
        "m.py:5: sys.stdout",
    ]
