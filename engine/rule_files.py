"""Which rule files a run reads, and their texts: the shipped pack, files and folders given,
each file read within the input limits.

Loading (:mod:`kbdoctor.engine.rulebase`) starts here; which packs load by default (the shipped
one and those of the user's configuration) is :mod:`kbdoctor.engine.packs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from kbdoctor.engine.errors import InputRefused, Problem
from kbdoctor.engine.factio import display_path, read_text_limited, unreadable_problem
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.probe import list_folder, probe


def bundled_rule_files() -> list[str]:
    """The KB 979174 rule files shipped with kbdoctor."""
    folder = resources.files("kbdoctor.kb_rules")
    return sorted(
        str(entry) for entry in folder.iterdir() if entry.name.endswith((".yaml", ".yml"))
    )


def shipped_packs() -> dict[str, str]:
    """The shipped rule files by pack id (a shipped file is named after its pack)."""
    return {Path(file).stem: file for file in bundled_rule_files()}


def expand_rule_paths(paths: Sequence[str]) -> list[str]:
    """Files as given; folders replaced by their *.yaml/*.yml files in name order. A folder that
    cannot be listed stays as given, so that reading it (:func:`read_rule_files`) says why."""
    out: list[str] = []
    for raw in paths:
        entries = list_folder(raw) if probe(raw).kind == "folder" else None
        if isinstance(entries, list):
            out.extend(str(p) for p in entries if p.suffix in (".yaml", ".yml"))
        else:
            out.append(raw)
    return out


def read_rule_files(
    files: Sequence[str], limits: Limits
) -> tuple[list[tuple[str, str]], list[Problem]]:
    """Each file's (shown name, text), and a problem for each file that cannot be read or is
    refused by a limit (bytes, encoding)."""
    problems: list[Problem] = []
    texts: list[tuple[str, str]] = []
    for name in files:
        shown = display_path(name)
        try:
            texts.append((shown, read_text_limited(name, limits)))
        except InputRefused as exc:
            problems.append(exc.problem(shown))
        except IsADirectoryError as exc:  # a folder left by expand_rule_paths: why not listed
            listed = list_folder(name)
            reason = listed if isinstance(listed, OSError) else exc
            problems.append(unreadable_problem(shown, reason))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(unreadable_problem(shown, exc))
    return texts, problems


def read_shipped_files(files: Sequence[str], limits: Limits) -> list[tuple[str, str]]:
    """Shipped rule files as (shown name, text); they are part of the package, so a failure to
    read one is a broken installation, raised as it is."""
    return [(display_path(name), read_text_limited(name, limits)) for name in files]
