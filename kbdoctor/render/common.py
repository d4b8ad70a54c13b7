"""What the text and Markdown renderers share: the order of sections and small formatting."""

from __future__ import annotations

from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.report import FailingPathReport, Report


def bar(confidence: float, width: int = 20) -> str:
    """A confidence bar for terminals and tickets: filled for support, empty otherwise."""
    filled = round(max(0.0, min(1.0, confidence)) * width)
    return "█" * filled + "░" * (width - filled)


def percent(confidence: float) -> str:
    return f"{confidence:+.2f}" if confidence < 0 else f"{confidence:.2f}"


def inputs_line(report: Report) -> str:
    lang = report.lang
    packs = ", ".join(f"{p.pack} {p.version or ''}".strip() for p in report.inputs.rule_packs)
    files = ", ".join(report.inputs.files) or "-"
    return text("report.inputs", lang, facts=report.inputs.facts, files=files, packs=packs)


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
