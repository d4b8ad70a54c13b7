"""The report as Markdown, for pasting into a ticket: tables for the ranking, fenced commands.
Every conclusion's evidence names its rule and the rule's pack (when several packs are loaded), the
way the text report and the JSON do: a ticket must say whose rule made the claim."""

from __future__ import annotations

from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.presentation import source_text
from kbdoctor.engine.report import Firing, Report
from kbdoctor.render.common import (
    expired_line,
    inputs_line,
    path_line,
    percent,
    rule_ref,
    suppressed_line,
)
from kbdoctor.render.disagreeing import disagreeing_heading, disagreeing_why, no_source, readings
from kbdoctor.render.partial import no_symptoms, partial_heading, partial_lines


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def _evidence(firings: list[Firing], lang: Lang, indent: str = "") -> list[str]:
    """HOW: each firing with its contribution, its rule (and pack) and the facts it used."""
    out: list[str] = []
    for firing in firings:
        contribution = percent(firing.contribution)
        out.append(f"{indent}- {_cell(firing.text)} ({contribution}, `{rule_ref(firing, lang)}`)")
        for fact in firing.facts:
            where = source_text(fact.source)
            shown = f" — `{where}`" if where else ""  # an empty code span shows as two backticks
            out.append(f"{indent}  - {_cell(fact.summary)}{shown}")
    return out


def _partial(report: Report) -> list[str]:
    """First, when the diagnosis is partial: a ticket's reader must not take a missing
    conclusion for evidence. Every unfinished rule is listed."""
    if report.budget is None:
        return []
    why, seconds, heading = partial_lines(report)
    out = [f"## {partial_heading(report)}", "", f"**{_cell(why)}**", "", f"{seconds}", ""]
    out += [heading, ""]
    out += [f"- `{rule}`" for rule in report.budget.unfinished_rules]
    return [*out, ""]


def _disagreeing(report: Report) -> list[str]:
    """After the diagnosis that may rest on one of them: readings of one moment that disagree,
    the one used first and those set aside nested under it, each with where it was read."""
    if not report.disagreeing_readings:
        return []
    lang = report.lang
    out = [f"## {disagreeing_heading(lang)}", "", _cell(disagreeing_why(lang)), ""]
    for entry in report.disagreeing_readings:
        for number, reading in enumerate(readings(entry, lang)):
            lead = "- " if number == 0 else "  - "
            where = f"`{reading.where}`" if reading.where else f"_{no_source(lang)}_"
            out.append(f"{lead}{reading.label}: {_cell(reading.text)} — {where}")
    return [*out, ""]


def render_markdown(report: Report) -> str:
    lang = report.lang
    out: list[str] = [f"# {text('report.title', lang)}", "", inputs_line(report), ""]
    out += _partial(report)
    out += [f"## {text('report.symptoms', lang)}", ""]
    if report.symptoms:
        for symptom in report.symptoms:
            subjects = ", ".join(s.subject for s in symptom.subjects)
            out.append(f"- **{symptom.title}** ({percent(symptom.confidence)}): {subjects}")
    else:
        out.append(no_symptoms(report))
    if report.failing_paths:
        out += ["", f"## {text('report.failing_paths', lang)}", ""]
        out += [f"- {_cell(path_line(path, lang))}" for path in report.failing_paths]
    if report.findings:
        out += ["", f"## {text('report.findings', lang)}", ""]
        for finding in report.findings:
            out.append(f"- **{finding.title}** ({percent(finding.confidence)}): {finding.subject}")
            if finding.suppressed is not None:
                out.append(f"  _{_cell(suppressed_line(finding.suppressed, lang))}_")
            out += _evidence(finding.evidence, lang, "  ")
            for number, step in enumerate(finding.remediation, start=1):
                out.append(f"  {number}. {step.text}")
                if step.command:
                    out += ["", "     ```", f"     {step.command}", "     ```"]
    out += ["", f"## {text('report.diagnoses', lang)}", ""]
    if not report.diagnoses:
        out.append(text("report.no_diagnosis", lang))
    for cause in report.diagnoses:
        latent = f" ({text('report.latent', lang)})" if cause.scope == "latent" else ""
        out += [f"### {cause.title} — {percent(cause.confidence)}{latent}", ""]
        out.append(
            f"`{cause.cause}` · {cause.kb or ''}" + (f" · <{cause.url}>" if cause.url else "")
        )
        if cause.suppressed is not None:
            out += ["", f"_{_cell(suppressed_line(cause.suppressed, lang))}_"]
        out += ["", cause.description, ""]
        if cause.remediation:
            out += [f"**{text('report.remediation', lang)}**", ""]
            for number, step in enumerate(cause.remediation, start=1):
                out.append(f"{number}. {step.text}")
                if step.command:
                    out += ["", "   ```", f"   {step.command}", "   ```"]
            out.append("")
        out += [f"**{text('report.evidence', lang)}**", ""]
        out += _evidence(cause.evidence, lang)
        out.append("")
    out += _disagreeing(report)
    out += [
        f"## {text('report.causes', lang)}",
        "",
        f"| {text('report.column.cause', lang)} | {text('report.confidence', lang)} | "
        f"{text('report.column.status', lang)} | KB |",
        "|---|---|---|---|",
    ]
    for cause in report.causes:
        status = text("status." + cause.status, lang)
        if cause.suppressed is not None:
            status += f" ({text('report.suppressed_short', lang)})"
        out.append(
            f"| `{cause.cause}` {_cell(cause.title)} | {percent(cause.confidence)} | "
            f"{status} | {_cell(cause.kb or '')} |"
        )
    for cause in report.causes:
        # the evidence of the causes not diagnosed, with --explain (as the text report shows it)
        if report.explained and cause.evidence and cause.status != "diagnosed":
            out += ["", f"**{text('report.evidence', lang)}: `{cause.cause}`**", ""]
            out += _evidence(cause.evidence, lang)
        if cause.why_not:
            out += ["", f"**{text('report.why_not', lang)}: `{cause.cause}`**", ""]
            for miss in cause.why_not:
                out.append(f"- `{miss.rule}`: {_cell(miss.text)}")
    if report.not_assessed:
        out += ["", f"## {text('report.not_assessed', lang)}", ""]
        for cause in report.causes:
            if cause.status == "not_assessed":
                out.append(f"- `{cause.cause}` {cause.title}")
                for collect in cause.collect:
                    command = f": `{collect.command}`" if collect.command else ""
                    out.append(f"  - {collect.text}{command}")
    if report.expired_suppressions:
        out += ["", f"## {text('report.expired_suppressions', lang)}", ""]
        out += [f"- {_cell(expired_line(n, lang))}" for n in report.expired_suppressions]
    if report.recommendations:
        out += ["", f"## {text('report.recommendations', lang)}", ""]
        for rec in report.recommendations:
            out += [f"### {rec.title}", "", rec.text, "", f"_{rec.reason}_", ""]
            for number, step in enumerate(rec.steps, start=1):
                out.append(f"{number}. {step.text}")
                if step.command:
                    out += ["", "   ```", f"   {step.command}", "   ```"]
    return "\n".join(out) + "\n"
