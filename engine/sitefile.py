"""Reading a small YAML file an administrator writes (the configuration, the suppressions) into
its pydantic model, with every problem at its line and column, as rule and fact files are read."""

from __future__ import annotations

from typing import TypeVar

from kbdoctor.engine.errors import InputRefused, Problem
from kbdoctor.engine.factio import display_path, read_text_limited, validation_problems
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.yamlio import YamlLocator, load_yaml, yaml_error_problem
from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)


def read_site_file(
    path: str, model: type[ModelT], limits: Limits | None = None
) -> tuple[ModelT, YamlLocator] | list[Problem]:
    """The file's model and the positions of its nodes, or the problems that stop it from being
    read (unreadable, not YAML, not the model's shape), each located."""
    limits = limits or Limits.from_env()
    name = display_path(path)
    try:
        content = read_text_limited(path, limits)
    except InputRefused as exc:
        return [exc.problem(name)]
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return [Problem(name, None, None, "error.cannot_read", {"detail": detail})]
    try:
        data, locator = load_yaml(content, limits)
    except Exception as exc:  # ruamel's errors have no common base beyond Exception
        return [yaml_error_problem(exc, name)]
    if not isinstance(data, dict):
        return [Problem(name, 1, 1, "error.site_not_mapping")]
    try:
        return model.model_validate(data), locator
    except ValidationError as exc:
        return validation_problems(exc, name, data, locator)
