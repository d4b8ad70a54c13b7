"""The findings of the Diagnosis tab, in the cause list after the assessed causes: what the rules
noticed that is no cause of the 454 (a clock far from an outside source, a queue piling up), with
the rule and pack that concluded each and the site's suppressions that accepted them.

An organisation's pack often adds findings of its own, and its suppressions accept them; a
finding the screen did not show could be neither checked nor seen accepted. One entry per finding
(not per subject: a finding about every server of a large site would push the causes away),
naming its first subjects, then the rules that concluded it, then each suppression that covers
some of its subjects with who accepted it, until when and why. The entries scroll with the
causes, so they never take the room of the causes on a small terminal.
"""

from __future__ import annotations

from kbdoctor.engine.report import FindingReport, Report, SuppressionNote
from kbdoctor.tui.i18n import Lang, t
from rich.text import Text

from kbdoctor.render.common import rule_ref

MAX_SUBJECTS_IN_LINE = 6


def finding_prompts(report: Report, lang: Lang) -> list[Text]:
    """One prompt per finding (its subjects together), in the report's order."""
    groups: dict[str, list[FindingReport]] = {}
    for finding in report.findings:
        groups.setdefault(finding.id, []).append(finding)
    return [_prompt(group, lang) for group in groups.values()]


def _subjects(subjects: list[str], lang: Lang) -> str:
    shown = ", ".join(subjects[:MAX_SUBJECTS_IN_LINE])
    if len(subjects) > MAX_SUBJECTS_IN_LINE:
        more = len(subjects) - MAX_SUBJECTS_IN_LINE
        shown += " " + t("tui.reasoning.subjects_more", lang, count=more)
    return shown


def _prompt(group: list[FindingReport], lang: Lang) -> Text:
    text = Text()
    text.append("! ", style="bold yellow")
    text.append(group[0].title, style="bold yellow")
    text.append(f"  {max(f.confidence for f in group):.2f}", style="bold")
    text.append(f"  {_subjects([f.subject for f in group], lang)}")
    rules = dict.fromkeys(rule_ref(firing, lang) for f in group for firing in f.evidence)
    if rules:
        text.append("\n" + t("tui.findings.rules", lang, rules="; ".join(rules)))
    accepted: dict[SuppressionNote, list[str]] = {}
    for finding in group:
        if finding.suppressed is not None:
            accepted.setdefault(finding.suppressed, []).append(finding.subject)
    for note, covered in accepted.items():
        line = t(
            "tui.findings.suppressed",
            lang,
            subjects=_subjects(covered, lang),
            by=note.accepted_by,
            until=note.expires,
            reason=note.reason,
        )
        text.append("\n" + line, style="italic cyan")
    return text
