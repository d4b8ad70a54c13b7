"""A defect kbdoctor did not foresee ends with one line and exit status 4, never a traceback and
never exit status 1, which scripts read as "a cause was diagnosed"."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbdoctor.engine import evaluate

from kbdoctor.cli import EXIT_INTERNAL, main

DEMO = str(Path(__file__).resolve().parents[2] / "examples" / "demo-incident.yaml")


def _broken(*_args: object, **_kwargs: object) -> object:
    raise RuntimeError("an unforeseen state\nwith a second line")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "kbdoctor failed on something it did not foresee"), ("pl", "kbdoctor zawiódł")],
)
def test_a_defect_is_one_line_and_exit_status_4(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str, expected: str
) -> None:
    monkeypatch.delenv("KBDOCTOR_DEBUG", raising=False)
    monkeypatch.setattr(evaluate.Evaluator, "evaluate", _broken)
    assert main(["evaluate", DEMO, "--lang", lang]) == EXIT_INTERNAL == 4
    err = capsys.readouterr().err
    assert expected in err
    assert "RuntimeError: an unforeseen state" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_kbdoctor_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KBDOCTOR_DEBUG", "1")
    monkeypatch.setattr(evaluate.Evaluator, "evaluate", _broken)
    with pytest.raises(RuntimeError, match="an unforeseen state"):
        main(["evaluate", DEMO])
