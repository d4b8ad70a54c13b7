"""What the text and Markdown renderers share: the order of sections and small formatting."""

from __future__ import annotations

from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.report import (
    FailingPathReport,
    Firing,
    Report,
    RulePackInfo,
    SuppressionNote,
)


def bar(confidence: float, width: int = 20) -> str:
    """A confidence bar for terminals and tickets: filled for support, empty otherwise."""
    filled = round(max(0.0, min(1.0, confidence)) * width)
    return "█" * filled + "░" * (width - filled)


def percent(confidence: float) -> str:
    return f"{confidence:+.2f}" if confidence < 0 else f"{confidence:.2f}"


def rule_ref(firing: Firing, lang: Lang) -> str:
    """The rule that fired, with the pack that wrote it and the pack that set its cf, when
    several packs were loaded (else the rule id alone, as before packs)."""
    out = firing.rule
    if firing.pack:
        out = text("report.rule_pack", lang, rule=out, pack=firing.pack)
    if firing.cf_set_by:
        cf = percent(firing.rule_cf)
        out += ", " + text("report.cf_set_by", lang, cf=cf, pack=firing.cf_set_by)
    return out


def _pack(info: RulePackInfo, lang: Lang) -> str:
    shown = f"{info.pack} {info.version or ''}".strip()
    listed = (("report.pack_disables", info.disabled), ("report.pack_changes", info.changed))
    changes = [text(key, lang, rules=", ".join(ids)) for key, ids in listed if ids]
    return f"{shown} ({'; '.join(changes)})" if changes else shown


def inputs_line(report: Report) -> str:
    lang = report.lang
    packs = ", ".join(_pack(p, lang) for p in report.inputs.rule_packs)
    files = ", ".join(report.inputs.files) or "-"
    return text("report.inputs", lang, facts=report.inputs.facts, files=files, packs=packs)


def suppressed_line(note: SuppressionNote, lang: Lang) -> str:
    """Why a diagnosis is shown as accepted: who accepted it, until when, why, and where."""
    where = f"{note.file}:{note.line}" if note.line else note.file
    return text(
        "report.suppressed",
        lang,
        by=note.accepted_by,
        until=note.expires,
        reason=note.reason,
        where=where,
    )


def expired_line(note: SuppressionNote, lang: Lang) -> str:
    where = f"{note.file}:{note.line}" if note.line else note.file
    return text(
        "report.suppression_expired",
        lang,
        kind=note.kind,
        id=note.id,
        until=note.expires,
        by=note.accepted_by,
        where=where,
    )


def path_line(path: FailingPathReport, lang: Lang) -> str:
    """``EX02 -> EX01 (DCs: dc01, dc02)``: a sender that cannot authenticate to a receiver."""
    unknown = text("report.path_unknown_end", lang)
    dcs = ", ".join(path.domain_controllers) or unknown
    return text(
        "report.path",
        lang,
        sender=path.sender or unknown,
        receiver=path.receiver or unknown,
        dcs=dcs,
    )
