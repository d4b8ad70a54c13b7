"""The collection request: for the causes nothing has assessed yet, one text the engineer sends
the customer - which commands, where to run them, how to save what they print - with this
organisation's domain controller and server names filled in, in English or Polish.

The commands are the collection script's (:mod:`kbdoctor.collectors.request_plan` cuts its one
list down to what the unassessed causes need), each written as one PowerShell line that saves
the output with the command line on its first line (``PS kbdoctor> ...``, as the script does) in
a folder named after the machine it ran on, so that ``kbdoctor collect --import`` reads the sent
folder the way it reads the script's. No Textual here: the screen shows and exports this text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kbdoctor.collectors.request_plan import MACHINE, RequestPlan, request_plan
from kbdoctor.collectors.script import PROMPT, Known, bad_name, known_names, ps_quote
from kbdoctor.engine.facts import Fact
from kbdoctor.engine.report import Report
from kbdoctor.tui.i18n import Lang, t

FOLDER = "kbdoctor"


@dataclass(frozen=True)
class CollectionRequest:
    """What to ask for: the causes (id, title), the facts they need, the names used."""

    causes: list[tuple[str, str]]
    fact_types: list[str]
    known: Known
    plan: RequestPlan


def build_request(report: Report, facts: Sequence[Fact]) -> CollectionRequest:
    """The request for ``report``'s causes not assessed, with the names ``facts`` give (a name
    that could not be carried safely into a command line is left out)."""
    causes = [(c.cause, c.title) for c in report.causes if c.status == "not_assessed"]
    wanted = sorted(
        {kind for c in report.causes if c.status == "not_assessed"
         for step in c.collect for kind in step.facts}
    )  # fmt: skip
    known = known_names(None, [], [], list(facts))
    known = Known(
        known.domain if known.domain and not bad_name(known.domain) else None,
        tuple(dc for dc in known.dcs if not bad_name(dc)),
        tuple(s for s in known.exchange if not bad_name(s.name) and not bad_name(s.fqdn or "")),
    )
    return CollectionRequest(causes, wanted, known, request_plan(known, wanted))


def command_line(command: str, file: str) -> str:
    """One PowerShell line: the command's output (errors included), after the command itself
    as a prompt line, saved as UTF-8 in this machine's folder."""
    path = f"{FOLDER}\\$env:COMPUTERNAME\\{file}"
    return (
        f"& {{ {ps_quote(PROMPT + command)}; {command} }} 2>&1 | "
        f'Out-File -Encoding UTF8 -FilePath "{path}"'
    )


def render_request(request: CollectionRequest, lang: Lang) -> str:
    """The request as plain text (to copy, or to write to a file)."""
    lines = [t("tui.request.heading", lang), ""]
    if not request.causes:
        lines.append(t("tui.request.nothing", lang))
        return "\n".join(lines) + "\n"
    lines.append(t("tui.request.causes", lang))
    lines += [f"  - {title} ({cause})" for cause, title in request.causes]
    lines.append(t("tui.request.facts", lang, facts=", ".join(request.fact_types)))
    lines.append("")
    servers = ", ".join(s.name for s in request.known.exchange)
    lines.append(
        t("tui.request.where", lang, servers=servers)
        if servers
        else t("tui.request.where_unknown", lang)
    )
    dcs = ", ".join(request.known.dcs)
    lines.append(t("tui.request.dcs", lang, dcs=dcs) if dcs else t("tui.request.dcs_unknown", lang))
    lines.append(t("tui.request.read_only", lang))
    lines.append(t("tui.request.how_to_save", lang, folder=FOLDER))
    if any(planned.reader == "portqry" for _, planned in request.plan.commands):
        lines.append(t("tui.request.portqry", lang))
    lines.append("")
    commands = request.plan.commands
    if commands:
        lines.append(f'New-Item -ItemType Directory -Force -Path "{FOLDER}\\$env:COMPUTERNAME"')
    for step, planned in commands:
        shell = "ems" if step.exchange else "powershell"
        lines.append(f"# {t(f'tui.request.shell.{shell}', lang)}: {planned.reader}")
        lines.append(command_line(planned.command, planned.path.removeprefix(MACHINE + "/")))
    lines.append("")
    lines.append(t("tui.request.send_back", lang, folder=FOLDER))
    if request.plan.uncovered:
        lines.append(t("tui.request.uncovered", lang, facts=", ".join(request.plan.uncovered)))
    return "\n".join(lines) + "\n"
