"""``kbdoctor rules lint`` reports every refusal of the loader: whatever lint passes, ``kbdoctor
rules`` accepts and ``evaluate`` runs. Each refusal of the compiler (a fixed table of the inference
engine, a cross product of bindings, absence tests no order can decide) and the number of rules
per run is found by the loader's own function, at the same place, in the reader's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbdoctor.engine.compiler import compile_rule_base
from kbdoctor.engine.errors import Problem, RuleFileError
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.lint.run import lint
from kbdoctor.engine.rulebase import load_rule_base, parse_rule_texts

DATA = Path(__file__).parent / "data"
FOLDERS = sorted(p for p in DATA.glob("*/*") if p.is_dir())

# (file, line, column, key)
Place = tuple[str, int | None, int | None, str]


def _place(problem: Problem) -> Place:
    return (problem.file, problem.line, problem.column, problem.key)


def _refusals(folder: Path, limits: Limits | None = None) -> list[Problem]:
    """What the loader of ``kbdoctor rules`` and ``evaluate`` refuses in a folder."""
    try:
        compile_rule_base(load_rule_base([str(folder)], limits))
    except RuleFileError as exc:
        return list(exc.problems)
    return []


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_what_lint_passes_the_loader_accepts_and_what_the_loader_refuses_lint_reports(
    folder: Path,
) -> None:
    result = lint([str(folder)])
    errors = {_place(p.problem) for p in result.problems if p.severity == "error"}
    refused = _refusals(folder)
    if not errors and not result.unreadable:
        assert refused == [], [p.render("en") for p in refused]
    compiled = [p for p in refused if p.context is not None and p.key.startswith("error.")]
    assert {_place(p) for p in compiled} <= errors


def test_the_audited_rule_binding_17_facts_is_an_error_of_lint_at_its_conditions(
    tmp_path: Path,
) -> None:
    conditions = "".join(
        f"      - bind: o{i}\n        fact: clock_offset\n"
        f"        where: {{offset_s: {{gt: {i}}}, host: {{ne: X{i}}}}}\n"
        for i in range(17)
    )
    (tmp_path / "site.yaml").write_text(
        "kbdoctor: rules/1\npack: site\nextends: [kb979174]\n"
        "findings:\n  wide:\n    title: {en: Wide, pl: Szeroka}\n"
        "rules:\n  - id: site.wide\n    title: {en: W, pl: W}\n    when:\n"
        + conditions
        + '    conclude: {finding: wide, cf: 0.5, subject: "{o0.host}"}\n'
        "    explain: {en: x, pl: x}\n",
        encoding="utf-8",
    )
    refused = _refusals(tmp_path)
    found = [p for p in lint([str(tmp_path)]).problems if p.check == "engine-limits"]
    assert [_place(p.problem) for p in found] == [_place(p) for p in refused]
    assert [p.problem.key for p in found] == ["error.limit_bound_facts", "error.limit_unjoined"]
    assert all(p.problem.line == 10 and p.problem.column == 5 for p in found)
    polish = [p.render("pl") for p in found]
    assert "wiąże naraz 17 faktów" in polish[0]
    assert "niepołączonych z żadnym wcześniejszym: 17" in polish[1], polish[1]
    assert not any("not joined" in text for text in polish)


def test_more_rules_than_a_run_holds_with_the_packs_a_pack_extends_is_an_error_of_lint(
    tmp_path: Path,
) -> None:
    """The audited pack: 1,000 rules of its own and the 34 of kb979174 it extends. The same with
    a limit of 40: the pack's seventh rule is the 41st of the run."""
    rules = "".join(
        f"  - id: clock-{i}\n    title: {{en: R, pl: R}}\n    when:\n"
        "      - bind: o\n        fact: clock_offset\n        where: {offset_s: {abs_gt: 0.01}}\n"
        '    conclude: {finding: drift, cf: 0.5, subject: "{o.host}"}\n'
        "    explain: {en: x, pl: x}\n"
        for i in range(7)
    )
    (tmp_path / "scale.yaml").write_text(
        "kbdoctor: rules/1\npack: scale\nextends: [kb979174]\n"
        "findings:\n  drift:\n    title: {en: Drift, pl: Dryf}\nrules:\n" + rules,
        encoding="utf-8",
    )
    limits = Limits(rules=40)
    (refused,) = _refusals(tmp_path, limits)
    found = [p.problem for p in lint([str(tmp_path)], limits).problems]
    assert [_place(p) for p in found if p.key == "error.limit_rules"] == [_place(refused)]
    assert (refused.line, refused.column) == (8 + 6 * 8, 5)
    assert lint([str(tmp_path)], Limits(rules=41)).count("error") == 0


def test_a_rule_the_other_checks_refuse_is_left_to_them() -> None:
    """The compiler cannot translate a join to an alias nothing binds; lint reports the join."""
    content = (DATA / "bindings" / "triggers" / "pack.yaml").read_text(encoding="utf-8")
    with pytest.raises(RuleFileError):
        parse_rule_texts([("pack.yaml", content)])
    checks = {p.check for p in lint([str(DATA / "bindings" / "triggers")]).problems}
    assert "bindings" in checks
    assert "engine-limits" not in checks
