"""What to do next, written out for the machines of this organisation: the steps of a fix (each
command with the server, DC and path of a believed subject filled in) and the steps of a
collection (once per Exchange server or DC the facts know, the parties of failing paths first).

A step never names a machine or value the facts do not give: such a step is left out rather
than shown with a guess in it.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from kbdoctor.engine.evaluate import Conclusion, ConclusionKey, Run
from kbdoctor.engine.i18n import Lang
from kbdoctor.engine.paths import FailingPath, Organisation, place
from kbdoctor.engine.report import Collect, Command
from kbdoctor.engine.report_texts import ReportTexts, fill_within
from kbdoctor.engine.rules_model import Collect as RuleCollect
from kbdoctor.engine.rules_model import Step
from kbdoctor.engine.subjects import unknown
from kbdoctor.engine.templates import placeholders, render

# More rows than this in one collection step would bury the ticket: a 500-server organisation
# without a failing path gets the first ones (in name order).
COLLECT_LIMIT = 24


class Steps:
    """The steps of one run's report, in one language."""

    def __init__(self, run: Run, lang: Lang, org: Organisation, paths: list[FailingPath]) -> None:
        self.run = run
        self.lang = lang
        self.org = org
        self.paths = paths
        self.texts = ReportTexts(lang)

    def collect_steps(self, step: RuleCollect) -> list[Collect]:
        """A collection step written out for the machines of this organisation."""
        if step.for_each is None:
            return [
                Collect(
                    facts=step.facts,
                    text=step.text.get(self.lang),
                    command=step.command,
                    shell=step.shell,
                )
            ]
        rows = self._machines(step.for_each)
        if not rows:
            if step.fallback is None:
                return []
            return [
                Collect(
                    facts=step.facts,
                    text=step.fallback.text.get(self.lang),
                    command=step.fallback.command,
                    shell=step.fallback.shell,
                )
            ]
        out = []
        for values in rows:
            shown = self.texts.step(step.text.get(self.lang), step.command, values)
            out.append(
                Collect(
                    facts=step.facts,
                    text=shown.text,
                    command=shown.command,
                    run_on=values.get("server") or values.get("dc"),
                    shell=step.shell,
                )
            )
        return out

    def _machines(self, kind: str) -> list[dict[str, str]]:
        """The Exchange servers and DCs to collect from: the parties of the failing paths when
        the symptoms name them, else every one the facts know; at most ``COLLECT_LIMIT`` rows."""
        org = self.org
        on_path = {h for p in self.paths for h in (p.sender, p.receiver) if h}
        path_dcs = {dc for p in self.paths for dc in p.dcs}
        servers = sorted(on_path & set(org.exchange)) or sorted(org.exchange)
        dcs = sorted(path_dcs) or sorted(org.dcs)
        server_rows = [
            {"server": org.names.get(s, s), "server_fqdn": org.fqdn.get(s, s)}
            for s in servers[:COLLECT_LIMIT]
        ]
        dc_rows = [
            {"dc": org.fqdn.get(d, org.names.get(d, d)), "dc_name": org.names.get(d, d)}
            for d in dcs[:COLLECT_LIMIT]
        ]
        if kind == "server":
            return server_rows
        if kind == "dc":
            return dc_rows
        # only the rows shown are made: every server with every DC of an organisation of
        # thousands is millions of rows (seconds of a report's time, for a list cut at the limit)
        pairs = ({**s, **d} for s in server_rows for d in dc_rows)
        return list(islice(pairs, COLLECT_LIMIT))

    def remediation(
        self, steps: list[Step], assessed: list[tuple[ConclusionKey, float]]
    ) -> list[Command]:
        """The steps of a fix, for the machines of this organisation: each step once per
        distinct text and command, in the order the cause lists them, the subjects on a failing
        path first. Steps that name a machine the facts do not know are left out."""
        out: list[Command] = []
        seen: set[tuple[str, str, str | None, str]] = set()
        org_values = {"pdc": self.org.pdc}
        # the failing paths each subject lies on: a fix is proven on those
        on_paths = {
            key: self._path_values(self.run.conclusions[key].locators)
            for key, cf in assessed
            if cf > 0
        }
        for step in steps:
            if step.when == "pdc_known" and not self.org.pdc:
                continue
            if step.when == "pdc_unknown" and self.org.pdc:
                continue
            for key, cf in assessed:
                if cf <= 0:
                    continue
                conclusion = self.run.conclusions[key]
                path_values = on_paths[key]
                if step.when == "path_known" and not path_values:
                    continue
                for record in conclusion.firings:
                    rule = self.run.compiled.rules[record.rule_index].rule
                    if rule.conclude.cf <= 0:
                        continue
                    bindings = self.run.bindings(record)
                    values: dict[str, Any] = {
                        "subject": conclusion.subject,
                        **conclusion.parts,
                        **{n: render(t, bindings) for n, t in rule.conclude.values.items()},
                        "org": org_values,
                    }
                    for path in path_values or [{}]:
                        self._add_step(out, seen, step, {**values, "path": path}, conclusion)
        return out

    def _path_values(self, locators: tuple[tuple[str | None, str], ...]) -> list[dict[str, str]]:
        out = []
        for path in self.paths:
            if path.sender is None or path.receiver is None:
                continue
            if place(locators, [path], self.org) is not True:
                continue
            out.append(
                {
                    "sender": path.sender_name or path.sender,
                    "receiver": path.receiver_name or path.receiver,
                    "receiver_fqdn": self.org.fqdn.get(path.receiver, path.receiver),
                }
            )
        return out

    def _add_step(
        self,
        out: list[Command],
        seen: set[tuple[str, str, str | None, str]],
        step: Step,
        values: dict[str, Any],
        conclusion: Conclusion,
    ) -> None:
        used = [
            template
            for template in (step.run_on, step.command, step.text.en)
            if template is not None
        ]
        if any(unknown(_lookup(values, name, sub)) for t in used for name, sub in placeholders(t)):
            return  # a step that would name a machine or value the facts do not give
        run_on = None
        machine = None
        if step.run_on is not None:
            machine = fill_within(step.run_on, values, self.texts.limit)
            run_on = machine.text.strip() if machine.whole else None
            if (
                run_on is not None
                and step.not_on_pdc
                and self.org.pdc_key == self.run.registry.key(run_on)
            ):
                return
        shown = self.texts.step(step.text.get(self.lang), step.command, values, machine)
        if shown.key in seen:
            return
        seen.add(shown.key)
        out.append(
            Command(
                text=shown.text,
                command=shown.command,
                subject=conclusion.subject,
                run_on=run_on,
                shell=step.shell,
            )
        )


def _lookup(values: dict[str, Any], name: str, sub: str | None) -> Any:
    value = values.get(name)
    if sub is not None:
        return value.get(sub) if isinstance(value, dict) else None
    return value
