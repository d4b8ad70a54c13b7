"""How much input kbdoctor accepts: bytes per file, nesting depth, facts per run, characters per
text field. Input beyond a limit is refused with the file, the line and the limit's name (never
truncated, never expanded), so that a hostile or broken file costs a message, not the machine.

Every limit is raised the same way, by an environment variable (documented in the README), so that
``evaluate``, ``collect``, ``rules`` and the TUI all obey one setting::

    KBDOCTOR_MAX_FILE_BYTES=200000000 kbdoctor collect --import big-logs/ -o facts.yaml

or, for one run, by the option that stands for it: ``--limit file-bytes=200000000``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kbdoctor.engine.errors import Problem, UsageError

# The highest nesting depth a setting may ask for: what every reader of kbdoctor is proven to
# read (tests/hostile/test_depth_ceiling.py reads fact and rule files this deep through each
# parser). ruamel's round-trip loader, which locates the problems of a fact file, recurses about
# four Python frames per level and reaches Python's recursion limit (1,000 frames) near 250
# levels; the rest is headroom for the callers' own frames (the TUI's included).
MAX_DEPTH_CEILING = 150


@dataclass(frozen=True)
class Limits:
    """The limits of one run; ``Limits.from_env()`` reads the environment."""

    file_bytes: int = 64 * 1024 * 1024  # bytes per file read (fact, rule and imported files)
    depth: int = 64  # nested mappings and lists in a YAML or JSON document
    facts: int = 100_000  # facts per run, all fact files together
    string_chars: int = 65_536  # characters in one text (a YAML scalar or a JSON string)
    # rules per run, all rule files together: what tests/hostile/test_rule_scale.py proves the
    # engine evaluates (1,000 rules, 100 on one fact type, on 100 servers in seconds)
    rules: int = 1_000

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, named: Mapping[str, str] | None = None
    ) -> Limits:
        """The defaults, each replaced by its environment variable when it is set. A value that
        is not a positive whole number, or a depth above MAX_DEPTH_CEILING, raises UsageError
        naming the variable, or what ``named`` says the user wrote for it (an option)."""
        env = os.environ if environ is None else environ
        names = named or {}
        values: dict[str, int] = {}
        problems: list[Problem] = []
        for attribute, variable in ENV_VARS.items():
            raw = env.get(variable)
            if raw is None or not raw.strip():
                continue
            try:
                value = int(raw.strip().replace("_", ""))
            except ValueError:
                value = 0
            source = names.get(variable, variable)
            if value < 1:
                problems.append(Problem(source, None, None, "error.limit_env", {"value": raw}))
                continue
            if attribute == "depth" and value > MAX_DEPTH_CEILING:
                problems.append(
                    Problem(
                        source,
                        None,
                        None,
                        "error.limit_depth_ceiling",
                        {"value": raw, "ceiling": MAX_DEPTH_CEILING},
                    )
                )
                continue
            values[attribute] = value
        if problems:
            raise UsageError(problems)
        return cls(**values)


# The environment variable of each limit, which is also the name error messages give it.
ENV_VARS: dict[str, str] = {
    "file_bytes": "KBDOCTOR_MAX_FILE_BYTES",
    "depth": "KBDOCTOR_MAX_DEPTH",
    "facts": "KBDOCTOR_MAX_FACTS",
    "string_chars": "KBDOCTOR_MAX_STRING",
    "rules": "KBDOCTOR_MAX_RULES",
}


# The name of each limit in ``--limit NAME=VALUE`` (evaluate, collect, rules, tui).
OPTION_NAMES: dict[str, str] = {
    "file-bytes": "file_bytes",
    "depth": "depth",
    "facts": "facts",
    "string": "string_chars",
    "rules": "rules",
}


def limit_settings(options: Sequence[str]) -> dict[str, str]:
    """The environment variables that ``--limit NAME=VALUE`` options stand for. An option is the
    same as its variable for one run, and wins over it (as options win over the environment in
    Unix tools); one mechanism, so that every part of kbdoctor that reads input obeys it. A bad
    name or value raises UsageError naming the option as it was written."""
    settings: dict[str, str] = {}
    written: dict[str, str] = {}  # variable -> the option that set it, to name in a refusal
    problems: list[Problem] = []
    for option in options:
        name, _, value = option.partition("=")
        attribute = OPTION_NAMES.get(name.strip().lower())
        if attribute is None or not value.strip():
            known = ", ".join(OPTION_NAMES)
            problems.append(
                Problem(
                    "--limit", None, None, "error.limit_option", {"value": option, "known": known}
                )
            )
            continue
        settings[ENV_VARS[attribute]] = value.strip()
        written[ENV_VARS[attribute]] = f"--limit {option}"
    if problems:
        raise UsageError(problems)
    Limits.from_env(settings, named=written)  # the values are checked as the variables' are
    return settings
