"""The user's configuration file: found where the platform keeps configuration, its paths read
relative to it, and a broken file refused with its line and column rather than ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbdoctor.engine.config import config_path, load_config
from kbdoctor.engine.errors import UsageError


@pytest.mark.parametrize(
    ("platform", "environ", "expected"),
    [
        ("linux", {"HOME": "/home/ann"}, "/home/ann/.config/kbdoctor/config.yaml"),
        ("linux", {"HOME": "/home/ann", "XDG_CONFIG_HOME": "/cfg"}, "/cfg/kbdoctor/config.yaml"),
        ("linux", {"HOME": "/h", "XDG_CONFIG_HOME": "rel"}, "/h/.config/kbdoctor/config.yaml"),
        ("darwin", {"HOME": "/h"}, "/h/Library/Application Support/kbdoctor/config.yaml"),
        ("win32", {"HOME": "/h", "APPDATA": "/appdata"}, "/appdata/kbdoctor/config.yaml"),
        ("linux", {"HOME": "/h", "KBDOCTOR_CONFIG": "/etc/kb.yaml"}, "/etc/kb.yaml"),
    ],
)
def test_the_file_is_where_the_platform_keeps_configuration(
    platform: str, environ: dict[str, str], expected: str
) -> None:
    assert config_path(environ, platform) == Path(expected)


def test_no_file_is_no_configuration(tmp_path: Path) -> None:
    config = load_config({"KBDOCTOR_CONFIG": str(tmp_path / "none.yaml")})
    assert (config.file, config.packs, config.suppressions) == (None, (), None)


def test_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "kbdoctor: config/1\npacks: [ours/, /srv/kb/theirs.yaml]\nsuppressions: accepted.yaml\n",
        encoding="utf-8",
    )
    config = load_config({"KBDOCTOR_CONFIG": str(path)})
    assert config.packs == (str(tmp_path / "ours"), "/srv/kb/theirs.yaml")
    assert config.suppressions == str(tmp_path / "accepted.yaml")


def test_a_broken_file_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("kbdoctor: config/1\npacks: [ours/]\nsupressions: accepted.yaml\n", "utf-8")
    with pytest.raises(UsageError) as caught:
        load_config({"KBDOCTOR_CONFIG": str(path)})
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column) == (str(path), 3, 1)
