"""Each lint check, as a specification written in rule files: for every module of
``engine/lint/checks/`` (and for the schema), ``data/<module>/triggers/`` holds rule files that
the check faults, each problem announced on its line by a comment ``# expect: CHECK KEY col N``
(nothing else may be reported), and ``data/<module>/silent/`` near misses that no check faults.
A new check is one module and one such pair of folders."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections import Counter
from pathlib import Path

import pytest
from kbdoctor.engine.errors import RuleFileError
from kbdoctor.engine.i18n import text
from kbdoctor.engine.lint import checks
from kbdoctor.engine.lint.checks import CHECKS
from kbdoctor.engine.lint.run import SCHEMA, lint
from kbdoctor.engine.rulebase import parse_rule_texts

DATA = Path(__file__).parent / "data"
EXPECT = re.compile(r"#\s*expect:\s*(.+)$")
NOTE = re.compile(r"^(?P<check>[a-z-]+) (?P<key>[a-z_.]+) col (?P<column>\d+)$")

MODULES = sorted(m.name for m in pkgutil.iter_modules(checks.__path__))
FOLDERS = [*MODULES, SCHEMA]

# (file, line, column, check, message key)
Found = tuple[str, int, int, str, str]


def _check_name(folder: str) -> str:
    if folder == SCHEMA:
        return SCHEMA
    module = importlib.import_module(f"{checks.__name__}.{folder}")
    name: str = module.CHECK.name
    return name


def _expected(folder: Path) -> Counter[Found]:
    out: Counter[Found] = Counter()
    for path in sorted(folder.glob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = EXPECT.search(line)
            if match is None:
                continue
            for note in match.group(1).split(";"):
                parsed = NOTE.match(note.strip())
                assert parsed is not None, f"{path}:{number}: cannot read {note!r}"
                out[(str(path), number, int(parsed["column"]), parsed["check"], parsed["key"])] += 1
    return out


def _found(folder: Path) -> Counter[Found]:
    result = lint([str(folder)])
    assert not result.unreadable
    out: Counter[Found] = Counter()
    for p in result.problems:
        problem = p.problem
        assert problem.line is not None, p
        assert problem.column is not None, p
        out[(problem.file, problem.line, problem.column, p.check, problem.key)] += 1
    return out


def test_every_check_module_has_a_triggering_and_a_silent_folder() -> None:
    assert {_check_name(m) for m in MODULES} == {c.name for c in CHECKS}
    for folder in FOLDERS:
        for kind in ("triggers", "silent"):
            assert list((DATA / folder / kind).glob("*.yaml")), f"no rule file in {folder}/{kind}"


@pytest.mark.parametrize("folder", FOLDERS)
def test_the_triggering_files_get_exactly_the_problems_they_announce(folder: str) -> None:
    expected = _expected(DATA / folder / "triggers")
    assert _check_name(folder) in {check for _, _, _, check, _ in expected}
    assert all(count == 1 for count in expected.values()), "a problem is reported once"
    assert _found(DATA / folder / "triggers") == expected


@pytest.mark.parametrize("folder", FOLDERS)
def test_the_silent_files_get_no_problem(folder: str) -> None:
    assert _found(DATA / folder / "silent") == Counter()


def test_a_duplicate_id_names_where_it_was_first_given() -> None:
    folder = DATA / "duplicate_ids" / "triggers"
    first = (folder / "a.yaml").read_text(encoding="utf-8").splitlines().index("  drift:") + 1
    messages = [p.render("en") for p in lint([str(folder)]).problems]
    assert any(
        m.startswith(f"{folder / 'b.yaml'}:")
        and f"the id 'drift' is defined twice (first at {folder / 'a.yaml'}:{first}:3)" in m
        for m in messages
    ), messages


def test_a_yes_no_field_is_named_in_plain_words() -> None:
    params = {"field": "pdc", "value": "1"}
    assert "holds true or false" in text("lint.value_type_bool", "en", **params)
    assert "prawda lub fałsz" in text("lint.value_type_bool", "pl", **params)


def test_parts_for_a_finding_are_named_as_the_mistake_they_are() -> None:
    message = text("error.rules_subject_not_parts", "en")
    assert message.startswith("the subject is given as parts")


def test_the_loader_refuses_a_step_placeholder_at_the_step() -> None:
    path = DATA / "placeholders" / "triggers" / "pack.yaml"
    content = path.read_text(encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        parse_rule_texts([("pack.yaml", content)])
    line = next(i for i, t in enumerate(content.splitlines(), 1) if "{path.recevier}" in t)
    rendered = [p.render("en") for p in caught.value.problems]
    expected = f"pack.yaml:{line}:12: the pack's verify steps: {{path.recevier}}"
    assert any(r.startswith(expected) for r in rendered), rendered


def test_the_loader_names_only_the_meant_branch_of_a_condition() -> None:
    content = (DATA / SCHEMA / "triggers" / "pack.yaml").read_text(encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        parse_rule_texts([("pack.yaml", content)])
    fields = [str(p.params.get("field")) for p in caught.value.problems]
    assert "rules.when.where.tests.offset_s.abs_gt" in fields
    assert not [f for f in fields if "Absent" in f or "absent" in f or "Pattern" in f], fields
