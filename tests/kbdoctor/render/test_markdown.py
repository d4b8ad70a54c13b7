"""The Markdown report lists the evidence of findings (as it lists a diagnosis's) and, with
--explain, of the causes it does not diagnose, each firing with its rule and, when several packs
are loaded, the rule's pack and the pack that set its certainty factor."""

from __future__ import annotations

from kbdoctor.render.markdown import render_markdown

from .conftest import MakeReport


def _block(rendered: str, heading: str) -> list[str]:
    """The lines under a heading, to the next blank line after its first line."""
    lines = rendered.splitlines()
    start = lines.index(heading) + 1
    while not lines[start].strip():
        start += 1
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start:end]


def test_a_finding_s_evidence_names_its_rule_and_pack(make_report: MakeReport) -> None:
    rendered = render_markdown(make_report(packs=True, explain=False))
    findings = _block(rendered, "## Findings")
    assert findings[:3] == [
        "- **Long skew** (0.75): EX02",
        "  - EX02 is far off (0.50, `contoso.long-skew, pack contoso`)",
        "    - clock of EX02 vs DC01: +391.700 s",
    ]


def test_with_explain_a_cause_not_diagnosed_shows_its_evidence(make_report: MakeReport) -> None:
    rendered = render_markdown(make_report(packs=True, explain=True))
    evidence = _block(rendered, "**Evidence (how): `time_sync`**")
    assert evidence[0] == (
        "- EX02 is +391.7 s from DC01: more than the 300 s Kerberos allows (0.30, "
        "`time.skew.between-parties, pack kb979174, cf 0.30 set by contoso`)"
    )
    assert rendered.index("**Evidence (how): `time_sync`**") < rendered.index(
        "**Why not: `time_sync`**"
    )


def test_without_explain_only_the_diagnoses_and_findings_show_evidence(
    make_report: MakeReport,
) -> None:
    rendered = render_markdown(make_report(packs=True, explain=False))
    assert "**Evidence (how): `time_sync`**" not in rendered


def test_in_polish_too(make_report: MakeReport) -> None:
    rendered = render_markdown(make_report(packs=True, explain=True, lang="pl"))
    assert "**Dowody (jak): `time_sync`**" in rendered
    assert "  - EX02 jest daleko (0.50, `contoso.long-skew, pakiet contoso`)" in rendered


def test_with_the_shipped_pack_alone_the_rule_is_named_without_a_pack(
    make_report: MakeReport,
) -> None:
    rendered = render_markdown(make_report(packs=False, explain=True))
    assert "(0.90, `time.skew.between-parties`)" in rendered
    assert "pack" not in rendered
