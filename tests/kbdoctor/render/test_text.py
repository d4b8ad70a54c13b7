"""The text report names the rule and, when several packs are loaded, its pack wherever it lists a
conclusion's evidence (--explain): for causes, diagnosed or not, and for findings; with the
shipped pack alone it names the rule only, as the JSON leaves ``pack`` out."""

from __future__ import annotations

from kbdoctor.render.text import render_text

from .conftest import MakeReport


def _section(rendered: str, heading: str) -> list[str]:
    lines = rendered.splitlines()
    start = lines.index(heading) + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start:end]


def test_a_finding_s_evidence_names_its_rule_and_pack(make_report: MakeReport) -> None:
    rendered = render_text(make_report(packs=True, explain=True), explain=True)
    findings = _section(rendered, "Findings")
    assert findings[0] == "  0.75  Long skew [EX02]"
    assert findings[1] == "        - EX02 is far off (0.50, contoso.long-skew, pack contoso)"
    assert findings[2].startswith("            clock of EX02 vs DC01: +391.700 s")


def test_a_cause_not_diagnosed_names_the_pack_that_set_its_cf(make_report: MakeReport) -> None:
    rendered = render_text(make_report(packs=True, explain=True), explain=True)
    assert (
        "      - EX02 is +391.7 s from DC01: more than the 300 s Kerberos allows "
        "(0.30, time.skew.between-parties, pack kb979174, cf 0.30 set by contoso)"
    ) in rendered.splitlines()


def test_in_polish_too(make_report: MakeReport) -> None:
    rendered = render_text(make_report(packs=True, explain=True, lang="pl"), explain=True)
    assert "        - EX02 jest daleko (0.50, contoso.long-skew, pakiet contoso)" in rendered


def test_without_explain_a_finding_is_one_line(make_report: MakeReport) -> None:
    rendered = render_text(make_report(packs=True, explain=False))
    assert _section(rendered, "Findings") == ["  0.75  Long skew [EX02]"]


def test_with_the_shipped_pack_alone_the_rule_is_named_without_a_pack(
    make_report: MakeReport,
) -> None:
    rendered = render_text(make_report(packs=False, explain=True), explain=True)
    assert "(0.90, time.skew.between-parties)" in rendered
    assert "pack" not in rendered
