"""Files that are plainly not command output are set aside unread, in one summary line; folder
names become hosts only when they are spelled like a machine's name (issue 9)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from kbdoctor.collectors.importing import import_paths
from kbdoctor.collectors.material_kind import html_text, is_html_page, kind_by_text

from tests.collectors.importers.fixtures import DATA

REPO = Path(__file__).resolve().parents[2]


def test_a_folder_of_python_source_gives_no_fact_and_one_summary_line(tmp_path: Path) -> None:
    """The case of the issue: a folder of the readers' own source, whose docstrings hold
    samples of setspn -X, klist and Test-NetConnection output."""
    folder = tmp_path / "importers"
    shutil.copytree(REPO / "collectors" / "importers", folder)
    result = import_paths([str(tmp_path)])
    assert result.facts == []
    assert result.warnings == []
    [summary] = result.unrecognised
    assert summary.key == "skipped_not_output"
    assert "importers" in summary.file


def test_python_source_saved_as_txt_is_known_by_its_content(tmp_path: Path) -> None:
    source = (REPO / "collectors" / "importers" / "setspn.py").read_text(encoding="utf-8")
    (tmp_path / "EX01").mkdir()
    (tmp_path / "EX01" / "setspn.txt").write_text(source, encoding="utf-8")
    result = import_paths([str(tmp_path)])
    assert result.facts == []
    assert [w.key for w in result.unrecognised] == ["skipped_not_output"]


def test_the_repository_itself_yields_no_fact() -> None:
    paths = [
        REPO / name
        for name in (
            "collectors",
            "engine",
            "kb_rules",
            "tui",
            "kbdoctor",
            "README.md",
            "README.pl.md",
            "pyproject.toml",
        )
    ]
    # the rule tests' own command outputs are real material, on purpose: everything else is not
    outputs = REPO / "kb_rules" / "tests" / "outputs"
    paths = [p for p in paths if p.name != "kb_rules"]
    paths += [p for p in (REPO / "kb_rules").iterdir() if p.name != "tests"]
    paths += [p for p in (REPO / "kb_rules" / "tests").iterdir() if p != outputs]
    result = import_paths([str(p) for p in paths if p.exists()])
    assert result.facts == []


def test_a_web_page_without_output_is_set_aside_and_one_with_output_is_read(
    tmp_path: Path,
) -> None:
    (tmp_path / "DC01").mkdir()
    (tmp_path / "DC01" / "article.html").write_text(
        "<!DOCTYPE html><html><body><p>How to fix time sync</p></body></html>\n"
    )
    monitor = (DATA / "w32tm" / "w32tm_monitor_en.txt").read_text(encoding="utf-8")
    page = (
        "<!DOCTYPE html>\n<html><body><pre>\n"
        + "\n".join(
            line.replace("    ", "&nbsp;&nbsp;&nbsp;&nbsp;").replace(
                "PDC.example.com", "<span>PDC.example.com</span>"
            )
            for line in monitor.split("\n")[1:]
        )
        + "\n</pre></body></html>\n"
    )
    (tmp_path / "DC01" / "forum.html").write_text(page, encoding="utf-8")
    result = import_paths([str(tmp_path)])
    names = {getattr(f, "name", None) for f in result.facts}
    assert {"PDC.example.com", "DC1.example.com", "DC2.example.com"} <= names
    [summary] = result.unrecognised
    assert "article.html" in summary.render("en")
    assert "forum.html" not in summary.render("en")


def test_html_text_keeps_the_lines_of_the_page() -> None:
    page = "<html><body>\nDC1[10.0.0.1:123]:<br>\n&nbsp;&nbsp;NTP: +0.1s offset from <b>DC1</b>\n"
    assert is_html_page(page)
    assert html_text(page).split("\n")[1:3] == [
        "DC1[10.0.0.1:123]:",
        "  NTP: +0.1s offset from DC1",
    ]


@pytest.mark.parametrize(
    ("folder", "host"),
    [("EX01", "EX01"), ("dc-02", "dc-02"), ("eventlog", None), ("samples", None)],
)
def test_a_folder_name_is_a_host_only_when_spelled_like_one(
    tmp_path: Path, folder: str, host: str | None
) -> None:
    (tmp_path / folder).mkdir()
    shutil.copy(DATA / "w32tm" / "w32tm_stripchart_errors_en.txt", tmp_path / folder / "s.txt")
    result = import_paths([str(tmp_path)])
    assert [getattr(f, "reference", None) for f in result.facts] == ([host] if host else [])


def test_command_output_is_not_taken_for_source() -> None:
    for path in sorted(DATA.rglob("*.txt")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        assert kind_by_text(text) is None, path
