"""The user's configuration file: the organisation's rule packs, loaded after the shipped pack in
the order listed, and the site's suppressions file.

It lives where the platform keeps configuration (``$XDG_CONFIG_HOME/kbdoctor/config.yaml``,
else ``~/.config/...`` on Linux and other Unixes; ``~/Library/Application Support/kbdoctor/`` on
macOS; ``%APPDATA%\\kbdoctor\\`` on Windows), or where ``KBDOCTOR_CONFIG`` points. A missing file
is no configuration; a broken one is an error with its line and column, never ignored, since
ignoring it would silently drop an organisation's rules."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kbdoctor.engine.errors import UsageError
from kbdoctor.engine.probe import probe
from kbdoctor.engine.sitefile import read_site_file
from pydantic import BaseModel, ConfigDict, Field

CONFIG_ENV = "KBDOCTOR_CONFIG"
CONFIG_NAME = "config.yaml"


class ConfigModel(BaseModel):
    """``kbdoctor: config/1``. Relative paths are relative to the configuration file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kbdoctor: Literal["config/1"]
    packs: list[str] = Field(
        default_factory=list,
        description="rule files or folders of rule files, loaded after the shipped pack, in order",
    )
    suppressions: str | None = Field(None, description="the site's file of accepted findings")


@dataclass(frozen=True)
class Config:
    """The configuration with its paths made absolute."""

    file: str | None  # None: there is no configuration file
    packs: tuple[str, ...] = ()
    suppressions: str | None = None


def config_path(environ: Mapping[str, str] | None = None, platform: str | None = None) -> Path:
    """Where the configuration file is looked for, following the platform's conventions."""
    env = os.environ if environ is None else environ
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV])
    system = platform or sys.platform
    home = Path(env.get("HOME") or os.path.expanduser("~"))
    if system.startswith("win"):
        root = Path(env["APPDATA"]) if env.get("APPDATA") else home / "AppData" / "Roaming"
    elif system == "darwin":
        root = home / "Library" / "Application Support"
    else:
        given = env.get("XDG_CONFIG_HOME")
        root = Path(given) if given and os.path.isabs(given) else home / ".config"
    return root / "kbdoctor" / CONFIG_NAME


def load_config(environ: Mapping[str, str] | None = None) -> Config:
    """The user's configuration; raises UsageError naming file, line and column when the file
    exists but cannot be used."""
    path = config_path(environ)
    seen = probe(path)
    if seen.kind != "file" and seen.error is None:  # one that cannot be looked at: said on reading
        return Config(None)
    read = read_site_file(str(path), ConfigModel)
    if isinstance(read, list):
        raise UsageError(read)
    model, _ = read
    folder = path.parent
    return Config(
        str(path),
        tuple(str(folder / os.path.expanduser(p)) for p in model.packs),
        str(folder / os.path.expanduser(model.suppressions)) if model.suppressions else None,
    )
