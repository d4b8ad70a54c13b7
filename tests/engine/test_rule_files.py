"""Which rule files a run reads: folders stand for their YAML files in name order, files as
given; a file that cannot be read or is over a limit is a problem named after it, never a crash,
and every such problem is reported together."""

from __future__ import annotations

from pathlib import Path

from kbdoctor.engine.limits import Limits
from kbdoctor.engine.rule_files import (
    bundled_rule_files,
    expand_rule_paths,
    read_rule_files,
    shipped_packs,
)


def test_a_folder_stands_for_its_yaml_files_in_name_order(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yml", "notes.txt"):
        (tmp_path / name).write_text("kbdoctor: rules/1\n", encoding="utf-8")
    single = tmp_path / "elsewhere.yaml"
    assert expand_rule_paths([str(tmp_path), str(single)]) == [
        str(tmp_path / "a.yml"),
        str(tmp_path / "b.yaml"),
        str(single),
    ]


def test_the_shipped_pack_is_found_by_its_id() -> None:
    assert Path(shipped_packs()["kb979174"]).name == "kb979174.yaml"
    assert shipped_packs()["kb979174"] in bundled_rule_files()


def test_every_unreadable_or_oversized_file_is_one_problem(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("kbdoctor: rules/1\n", encoding="utf-8")
    big = tmp_path / "big.yaml"
    big.write_text("#" * 200, encoding="utf-8")
    missing = tmp_path / "missing.yaml"
    texts, problems = read_rule_files([str(good), str(big), str(missing)], Limits(file_bytes=100))
    assert [text for _, text in texts] == ["kbdoctor: rules/1\n"]
    assert [(Path(p.file).name, p.key) for p in problems] == [
        ("big.yaml", "error.limit_file_bytes"),
        ("missing.yaml", "error.cannot_read"),
    ]
