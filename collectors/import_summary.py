"""The import report on the terminal: one line per file a reader claimed something of.

``kbdoctor collect`` prints, on standard error, which reader read which lines of each file and
how many facts each produced (``EX01/session.txt: setspn-list lines 2-5: 3 fact(s); lines 7-9:
no reader``), so that the engineer can open the file at those lines and check. Files nothing
claimed and files set aside as not command output already have their own line (a warning with
the known formats, the one summary line of skipped files), so they are not repeated here; the
JSON report (``--report``) lists every file.
"""

from __future__ import annotations

from kbdoctor.collectors.import_report import BlockReport, ImportReport
from kbdoctor.collectors.messages import message
from kbdoctor.engine.i18n import Lang


def summary_lines(report: ImportReport, lang: Lang) -> list[str]:
    """One line per file read (status ``read``), its blocks in file order, in ``lang``."""
    return [
        message(
            "report_file",
            lang,
            file=file.path,
            blocks="; ".join(block_text(block, lang) for block in file.blocks),
        )
        for file in report.files
        if file.status == "read"
    ]


def block_text(block: BlockReport, lang: Lang) -> str:
    """``reader lines 2-5: 3 fact(s)``, or ``lines 7-9: no reader`` for a block nothing
    claimed; a single line is ``line 4``, binary material has no lines."""
    first, last = block.first_line, block.last_line
    if block.reader is None:
        key = "report_block_unclaimed_line" if first == last else "report_block_unclaimed"
        return message(key, lang, first=first, last=last)
    if first is None:
        return message("report_block_whole", lang, reader=block.reader, facts=len(block.facts))
    key = "report_block_line" if first == last else "report_block"
    return message(key, lang, reader=block.reader, first=first, last=last, facts=len(block.facts))
