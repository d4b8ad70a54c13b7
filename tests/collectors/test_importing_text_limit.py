"""What ``collect`` writes, ``evaluate`` reads: a fact with a text longer than the limit on
characters per text (a DN wrapped over a thousand lines, a megabyte event message) is not
imported, with a warning at its line, instead of making a fact file that ``evaluate`` refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbdoctor.collectors.importing import import_paths
from kbdoctor.engine.facts import SpnListing

from tests.hostile.bounded import kbdoctor

OU = "OU=" + "a" * 70 + ","


def _setspn(folder: Path, wrapped: int) -> Path:
    """``setspn -L EX01`` whose DN is wrapped over ``wrapped`` lines of 74 characters."""
    lines = ["Registered ServicePrincipalNames for CN=EX01,", *[OU] * wrapped]
    lines += ["DC=contoso,DC=local:", "        SMTPSVC/EX01", "        SMTPSVC/ex01.contoso.local"]
    path = folder / "setspn-L.txt"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_a_fact_with_a_text_over_the_limit_is_a_warning_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KBDOCTOR_MAX_STRING", "1000")
    result = import_paths([str(_setspn(tmp_path, 20))])
    assert not [f for f in result.facts if isinstance(f, SpnListing)]
    [warning] = [w for w in result.warnings if w.key == "text_too_long"]
    assert (warning.file, warning.line) == (str(tmp_path / "setspn-L.txt"), 1)
    assert warning.render("en").endswith(
        ":1: not imported: the account of this spn_listing fact is longer than 1000 characters "
        "(limit KBDOCTOR_MAX_STRING), more than a fact file may hold"
    )
    assert "pole account tego faktu spn_listing" in warning.render("pl")


def test_a_fact_within_the_limit_is_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KBDOCTOR_MAX_STRING", "2000")
    result = import_paths([str(_setspn(tmp_path, 20))])
    assert [f.account for f in result.facts if isinstance(f, SpnListing)]
    assert not [w for w in result.warnings if w.key == "text_too_long"]


@pytest.mark.parametrize("limit", [None, "200000"])
def test_what_collect_writes_evaluate_reads(tmp_path: Path, limit: str | None) -> None:
    """A 111 KB DN: collect wrote it and evaluate refused the file (exit 2) at the default
    limit; with the limit raised for both, both take it."""
    source = _setspn(tmp_path, 1500)
    facts = tmp_path / "facts.yaml"
    option = ["--limit", f"string={limit}"] if limit else []
    collected = kbdoctor("collect", "--import", str(source), *option, "-o", str(facts))
    assert collected.returncode == 0, collected.stderr
    assert ("not imported: the account" in collected.stderr) is (limit is None)
    evaluated = kbdoctor("evaluate", str(facts), *option)
    assert evaluated.returncode in (0, 1), evaluated.stderr
