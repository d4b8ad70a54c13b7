"""The report for a terminal: the diagnosis first, then what to do, then (with --explain) how each
conclusion (cause or finding) was reached, by which rule of which pack, and why the other causes
were not."""

from __future__ import annotations

from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.presentation import source_text
from kbdoctor.engine.report import CauseReport, Firing, Report
from kbdoctor.render.common import (
    bar,
    expired_line,
    inputs_line,
    path_line,
    percent,
    rule_ref,
    suppressed_line,
)
from kbdoctor.render.disagreeing import disagreeing_heading, disagreeing_why, no_source, readings
from kbdoctor.render.partial import no_symptoms, partial_heading, partial_lines


def render_text(report: Report, *, explain: bool = False) -> str:
    lang = report.lang
    out: list[str] = [text("report.title", lang), inputs_line(report), ""]
    out.extend(_partial(report))
    out.append(text("report.symptoms", lang))
    if report.symptoms:
        for symptom in report.symptoms:
            subjects = ", ".join(s.subject for s in symptom.subjects)
            out.append(f"  {percent(symptom.confidence)}  {symptom.title} [{subjects}]")
    else:
        out.append("  " + no_symptoms(report))
    if report.failing_paths:
        out.append("")
        out.append(text("report.failing_paths", lang))
        out.extend(f"  {path_line(path, lang)}" for path in report.failing_paths)
    if report.findings:
        out.append("")
        out.append(text("report.findings", lang))
        for finding in report.findings:
            out.append(f"  {percent(finding.confidence)}  {finding.title} [{finding.subject}]")
            if finding.suppressed is not None:
                out.append(f"        {suppressed_line(finding.suppressed, lang)}")
            if explain:  # HOW, as for causes: the rule that concluded it and its pack
                for firing in finding.evidence:
                    out.extend(_firing(firing, lang))
            for number, step in enumerate(finding.remediation, start=1):
                out.append(f"        {number}. {step.text}")
                if step.command:
                    out.append(f"           {step.command}")
    out.append("")
    out.append(text("report.diagnoses", lang))
    if not report.diagnoses:
        out.append("  " + text("report.no_diagnosis", lang))
    for cause in report.diagnoses:
        out.extend(_cause(cause, lang, explain))
    out.extend(_disagreeing(report))
    out.append("")
    out.append(text("report.causes", lang))
    for cause in report.causes:
        status = text(f"status.{cause.status}", lang)
        if cause.suppressed is not None:
            status += f" ({text('report.suppressed_short', lang)})"
        out.append(
            f"  {bar(cause.confidence, 10)} {percent(cause.confidence):>5}  "
            f"{cause.cause:<24} {status}"
        )
        if explain and cause.status != "diagnosed":
            for firing in cause.evidence:
                contribution = percent(firing.contribution)
                out.append(f"      - {firing.text} ({contribution}, {rule_ref(firing, lang)})")
            for miss in cause.why_not:
                out.append(f"      ? {miss.rule}: {miss.text}")
                for fact in miss.facts:
                    out.append(f"          {fact.summary}  [{source_text(fact.source)}]")
    if report.not_assessed:
        out.append("")
        out.append(text("report.not_assessed", lang))
        for cause in report.causes:
            if cause.status != "not_assessed":
                continue
            out.append(f"  {cause.cause}: {cause.title}")
            for collect in cause.collect:
                line = f"    {collect.text}"
                out.append(line + (f":  {collect.command}" if collect.command else ""))
    if report.expired_suppressions:
        out.append("")
        out.append(text("report.expired_suppressions", lang))
        out.extend(f"  {expired_line(note, lang)}" for note in report.expired_suppressions)
    if report.recommendations:
        out.append("")
        out.append(text("report.recommendations", lang))
        for rec in report.recommendations:
            out.append(f"  {rec.title} ({rec.reason})")
            out.append(f"    {rec.text}")
            for number, step in enumerate(rec.steps, start=1):
                out.append(f"    {number}. {step.text}")
                if step.command:
                    out.append(f"       {step.command}")
    return "\n".join(out) + "\n"


def _partial(report: Report) -> list[str]:
    """First, when the diagnosis is partial: everything below it is read in that light."""
    if report.budget is None:
        return []
    why, seconds, heading = partial_lines(report)
    out = [f"{partial_heading(report)}: {why}", f"  {seconds}", f"  {heading}"]
    out.extend(f"    {rule}" for rule in report.budget.unfinished_rules)
    return [*out, ""]


def _disagreeing(report: Report) -> list[str]:
    """Next to the diagnosis that may rest on one of them: readings of one moment that disagree,
    the one used first, each with where it was read."""
    if not report.disagreeing_readings:
        return []
    lang = report.lang
    out = ["", disagreeing_heading(lang), f"  {disagreeing_why(lang)}"]
    for entry in report.disagreeing_readings:
        for number, reading in enumerate(readings(entry, lang)):
            lead = "  - " if number == 0 else "    "
            where = reading.where or no_source(lang)
            out.append(f"{lead}{reading.label}: {reading.text}  [{where}]")
    return out


def _cause(cause: CauseReport, lang: Lang, explain: bool) -> list[str]:
    subjects = ", ".join(
        f"{s.subject} {percent(s.confidence)}" for s in cause.subjects if s.confidence > 0
    )
    latent = f" ({text('report.latent', lang)})" if cause.scope == "latent" else ""
    lines = [
        f"  {bar(cause.confidence)} {percent(cause.confidence)}  {cause.title}{latent}",
        f"      {cause.cause} | {cause.kb or ''} | {subjects}",
    ]
    if cause.suppressed is not None:
        lines.append(f"      {suppressed_line(cause.suppressed, lang)}")
    if cause.remediation:
        lines.append("      " + text("report.remediation", lang) + ":")
        for number, step in enumerate(cause.remediation, start=1):
            lines.append(f"        {number}. {step.text}")
            if step.command:
                lines.append(f"           {step.command}")
    if explain:
        lines.append("      " + text("report.evidence", lang) + ":")
        for firing in cause.evidence:
            lines.extend(_firing(firing, lang))
    return lines


def _firing(firing: Firing, lang: Lang) -> list[str]:
    contribution = percent(firing.contribution)
    lines = [f"        - {firing.text} ({contribution}, {rule_ref(firing, lang)})"]
    for premise in firing.premises:
        lines.append(
            f"            <= {premise.kind} {premise.id} {premise.subject} "
            f"({percent(premise.confidence)})"
        )
    for fact in firing.facts:
        lines.append(f"            {fact.summary}  [{source_text(fact.source)}]")
    return lines
