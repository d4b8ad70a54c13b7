"""The templates of a pack's steps and what the engine fills each with. A fix's steps (a cause's
or a finding's remediation, and the pack's ``verify`` steps that end every fix) are written out by
:mod:`kbdoctor.engine.steps` with the conclusion's subject, its parts and values, ``{org.pdc}`` and
the failing path; a recommendation's texts by :mod:`kbdoctor.engine.report_building` with the
subject and values of the rule that concluded it (none when it applies through its symptoms); a
collection step only when it has ``for_each``, with the machine it is written out for. A
placeholder outside what its step is given makes the step vanish, shows ``?``, or is shown as
written: a support engineer reads a broken command."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from kbdoctor.engine.errors import Context
from kbdoctor.engine.rules_model import Collect, Step, SubjectDef

if TYPE_CHECKING:
    from kbdoctor.engine.lint.model import Refused
    from kbdoctor.engine.rulebase import RuleBase, RulePack

# what engine/steps.py gives every step of a fix besides the conclusion's own values
FIX_ALIASES = ("org.pdc", "path.sender", "path.receiver", "path.receiver_fqdn")
# what a collection step written out per machine is filled with (Steps._machines)
FOR_EACH: dict[str, tuple[str, ...]] = {
    "server": ("server", "server_fqdn"),
    "dc": ("dc", "dc_name"),
    "server_dc": ("server", "server_fqdn", "dc", "dc_name"),
}

# how a template is used: filled with ``names``, shown as written, or filled with nothing
Use = Literal["filled", "literal", "no_values"]


@dataclass(frozen=True)
class StepTemplate:
    path: tuple[Any, ...]
    template: str
    context: str
    use: Use
    # the ``name`` and ``alias.field`` placeholders it is filled with
    names: frozenset[str] = frozenset()
    # plain names not judged: the rules that would give them are not all known (none concludes
    # what the step belongs to, or one the schema refused does)
    open_values: bool = False
    # the conclusion (kind, id) whose rules give the step its plain names, if one does
    owner: tuple[str, str] | None = None


def values_by_conclusion(base: RuleBase) -> dict[tuple[str, str], set[str]]:
    """What the rules give each conclusion they conclude ((kind, id) -> subject parts and
    ``values``), computed once: a pack of 1,000 rules asks for every one of them."""
    out: dict[tuple[str, str], set[str]] = {}
    for rule in base.rules:
        conclusion = rule.conclude
        names = out.setdefault((conclusion.kind, conclusion.target), set())
        names.update(conclusion.values)
        if not isinstance(conclusion.subject, str):
            names.update(conclusion.subject)
    return out


def step_templates(base: RuleBase, pack: RulePack, refused: Refused) -> Iterator[StepTemplate]:
    """Every template of the pack's steps, with what fills it."""
    model = pack.model
    given = values_by_conclusion(base)
    for ident, cause in model.causes.items():
        names, concluded = _owned(given, refused, "cause", ident)
        if isinstance(cause.subject, SubjectDef):
            names.update(cause.subject.parts)
        context = Context("lint.context.cause", cause=ident)
        for index, step in enumerate(cause.remediation):
            path = ("causes", ident, "remediation", index)
            yield from _step(step, path, context, _fix(names), not concluded, ("cause", ident))
        for index, collect in enumerate(cause.collect):
            yield from _collect(collect, ("causes", ident, "collect", index), context)
    for ident, finding in model.findings.items():
        names, concluded = _owned(given, refused, "finding", ident)
        names.update(finding.values)
        for index, step in enumerate(finding.remediation):
            path = ("findings", ident, "remediation", index)
            owner = ("finding", ident)
            yield from _step(
                step,
                path,
                Context("lint.context.finding", finding=ident),
                _fix(names),
                not concluded,
                owner,
            )
    for ident, recommendation in model.recommendations.items():
        names, concluded = _owned(given, refused, "recommendation", ident)
        context = Context("lint.context.recommendation", recommendation=ident)
        templates: list[tuple[tuple[Any, ...], str]] = [
            (("recommendations", ident, "text", "en"), recommendation.text.en),
            (("recommendations", ident, "text", "pl"), recommendation.text.pl),
        ]
        for index, step in enumerate(recommendation.steps):
            path = ("recommendations", ident, "steps", index)
            templates.extend(
                (_field_path(path, key), template)
                for key, template in _fields(step)
                if key != "run_on"  # a recommendation's steps run where its text says
            )
        for path, template in templates:
            if recommendation.when is not None:
                yield StepTemplate(path, template, context, "no_values")
            else:
                owner = ("recommendation", ident)
                yield StepTemplate(
                    path, template, context, "filled", frozenset(names), not concluded, owner
                )
    if model.verify:
        names, concluded = _every_fix(base, given, refused)
        for index, step in enumerate(model.verify):
            yield from _step(
                step, ("verify", index), Context("lint.context.verify"), _fix(names), not concluded
            )


def _owned(
    given: dict[tuple[str, str], set[str]], refused: Refused, kind: str, ident: str
) -> tuple[set[str], bool]:
    concluded = (kind, ident) in given and (kind, ident) not in refused.concluded
    return {"subject", *given.get((kind, ident), set())}, concluded


def _every_fix(
    base: RuleBase, given: dict[tuple[str, str], set[str]], refused: Refused
) -> tuple[set[str], bool]:
    """What a ``verify`` step may use: it ends the fix of every cause, so a value some cause's
    rules give (the step is left out of the others' fixes, as a fix step naming a value the
    facts do not give is)."""
    names: set[str] = {"subject"}
    concluded = False
    for ident, cause in base.causes.items():
        if ("cause", ident) in given:
            concluded = True
            names.update(given[("cause", ident)])
            if isinstance(cause.subject, SubjectDef):
                names.update(cause.subject.parts)
    open_values = any(kind == "cause" for kind, _ in refused.concluded)
    return names, concluded and not open_values


def _fix(names: set[str]) -> frozenset[str]:
    # a value named org or path is replaced by the organisation's and the path's (steps.py)
    return frozenset(names - {"org", "path"}) | frozenset(FIX_ALIASES)


def _fields(step: Step) -> Iterator[tuple[str, str]]:
    yield "en", step.text.en
    yield "pl", step.text.pl
    if step.command is not None:
        yield "command", step.command
    if step.run_on is not None:
        yield "run_on", step.run_on


def _step(
    step: Step,
    path: tuple[Any, ...],
    context: str,
    names: frozenset[str],
    open_values: bool,
    owner: tuple[str, str] | None = None,
) -> Iterator[StepTemplate]:
    for key, template in _fields(step):
        where = _field_path(path, key)
        yield StepTemplate(where, template, context, "filled", names, open_values, owner)


def _field_path(path: tuple[Any, ...], key: str) -> tuple[Any, ...]:
    return (*path, "text", key) if key in ("en", "pl") else (*path, key)


def _collect(collect: Collect, path: tuple[Any, ...], context: str) -> Iterator[StepTemplate]:
    names = frozenset(FOR_EACH[collect.for_each]) if collect.for_each else frozenset()
    use: Use = "filled" if collect.for_each else "literal"
    yield StepTemplate((*path, "text", "en"), collect.text.en, context, use, names)
    yield StepTemplate((*path, "text", "pl"), collect.text.pl, context, use, names)
    if collect.command is not None:
        yield StepTemplate((*path, "command"), collect.command, context, use, names)
    if collect.fallback is not None:  # used when no machine is known: as written
        fallback = collect.fallback
        yield StepTemplate((*path, "fallback", "text", "en"), fallback.text.en, context, "literal")
        yield StepTemplate((*path, "fallback", "text", "pl"), fallback.text.pl, context, "literal")
        if fallback.command is not None:
            yield StepTemplate((*path, "fallback", "command"), fallback.command, context, "literal")
