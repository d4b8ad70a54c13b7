"""A file of nothing but lines that could each start or continue a wrapped distinguished name
(``CN=a,`` twenty thousand times) is turned down as quickly as any other foreign file: setspn -L's
reader tries every line as the start of a header whose DN a console broke after a comma, and
joining forwards from each line read the rest of the run again for every line of it (10,000
lines took three minutes, 20,000 far longer). Each run here gets the CPU seconds the fixed
reader needs many times over and a small part of what the quadratic one needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.bounded import assert_refused, kbdoctor

LINES = 20_000
CPU_SECONDS = 20


@pytest.mark.parametrize(
    ("line", "last_line"),
    [
        # every line continues the one before it, and none ends a header
        ("CN=a,", ""),
        # a domain component is not turned down as a header's start the way CN= and OU= are
        ("DC=a,", ""),
        # every line's header ends with a colon, but none names an account (CN= or OU=)
        ("DC=a,", "DC=com:"),
    ],
    ids=["cn-run", "dc-run", "dc-run-ending-in-a-colon"],
)
def test_a_run_of_dn_fragments_is_refused_as_no_known_format(
    tmp_path: Path, line: str, last_line: str
) -> None:
    path = tmp_path / "fragments.txt"
    path.write_text(f"{line}\n" * LINES + last_line, encoding="utf-8")
    result = kbdoctor("collect", "--import", str(path), cpu=CPU_SECONDS)
    assert_refused(result, f"{path}: not a format kbdoctor reads")


def test_a_header_wrapped_over_the_whole_file_is_still_joined_whole(tmp_path: Path) -> None:
    """The join has no length limit, so the header and its SPN are read as before, whatever
    the bound on how often a run is walked (its DN, 100,000 characters, is over the default
    limit on characters per text, which collect applies to what it writes: raised here)."""
    path = tmp_path / "long-header.txt"
    path.write_text(
        "Registered ServicePrincipalNames for CN=EX01,\n"
        + "OU=a,\n" * LINES
        + "DC=corp,DC=com:\n"
        + "        SMTPSVC/EX01\n",
        encoding="utf-8",
    )
    result = kbdoctor(
        *("collect", "--import", str(path), "--limit", "string=200000", "--format", "json"),
        cpu=CPU_SECONDS,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"{path}: setspn-L lines 1-{LINES + 3}: 1 fact(s)" in result.stderr
    assert '"CN=EX01,' + "OU=a," * LINES + 'DC=corp,DC=com"' in result.stdout
