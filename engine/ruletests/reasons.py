"""The reasoning a failed expectation shows, as lines for people: HOW (the firings of the rules
that concluded something) and WHY NOT (for each rule that could have concluded it, the first
thing that stopped it). Lines are only made for a run made with ``explain``, the one
``kbdoctor rules test`` makes again once a test has failed."""

from __future__ import annotations

from collections.abc import Iterable

from kbdoctor.engine.evaluate import Run
from kbdoctor.engine.evidence import Evidence
from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.report import (
    DIAGNOSIS_THRESHOLD,
    CauseReport,
    Firing,
    Miss,
    RecommendationReport,
    Report,
)
from kbdoctor.engine.rules_model import RecommendationWhen
from kbdoctor.engine.why_not import WhyNot, rule_reasoning

# the values of a symptom's conclusion that place it on a failing path (engine/paths.py)
PATH_VALUES = frozenset({"sender", "receiver", "sender_ip", "receiver_ip"})

Lines = tuple[str, ...]


def _how(firings: Iterable[Firing], lang: Lang) -> list[str]:
    return [
        text("ruletest.how", lang, text=f"{f.rule}: {f.text}", subject=f.subject) for f in firings
    ]


def _why_not(misses: Iterable[Miss], lang: Lang) -> list[str]:
    return [text("ruletest.why_not", lang, text=f"{m.rule}: {m.text}") for m in misses]


class Reasons:
    """HOW and WHY NOT of one run and its report; no lines when the run was not explained."""

    def __init__(self, run: Run, report: Report, lang: Lang, *, explain: bool) -> None:
        self.run = run
        self.report = report
        self.lang = lang
        self.explain = explain
        self._why: WhyNot | None = None

    def _why_not_of(self) -> WhyNot:
        if self._why is None:
            self._why = WhyNot(self.run, self.lang, Evidence(self.run, self.lang))
        return self._why

    def rule(self, rule: str) -> Lines:
        """How a rule fired, or why it did not."""
        if not self.explain:
            return ()
        firings, miss = rule_reasoning(self.run, rule, self.lang)
        lines = [text("ruletest.how", self.lang, text=f.text, subject=f.subject) for f in firings]
        if miss is not None:
            lines.append(text("ruletest.why_not", self.lang, text=miss.text))
        return tuple(lines)

    def cause(self, cause: CauseReport) -> Lines:
        """The evidence a cause has, and the near misses of the rules that could conclude it."""
        if not self.explain:
            return ()
        return (*_how(cause.evidence, self.lang), *_why_not(cause.why_not, self.lang))

    def finding(self, ident: str) -> Lines:
        """The firings behind a finding the report holds, or why no rule concluded it."""
        if not self.explain:
            return ()
        held = [f for f in self.report.findings if f.id == ident]
        if held:
            return tuple(_how((e for f in held for e in f.evidence), self.lang))
        return tuple(_why_not(self._why_not_of().misses("finding", ident), self.lang))

    def symptom(self, ident: str) -> Lines:
        """The firings behind a symptom the report holds, or why no rule concluded it."""
        if not self.explain:
            return ()
        held = [s for s in self.report.symptoms if s.id == ident]
        if held:
            return tuple(_how((e for s in held for e in s.evidence), self.lang))
        return tuple(_why_not(self._why_not_of().misses("symptom", ident), self.lang))

    def recommendation(self, ident: str) -> Lines:
        """Why a recommendation was made, or why no rule concluded it."""
        if not self.explain:
            return ()
        made: list[RecommendationReport] = [r for r in self.report.recommendations if r.id == ident]
        if made:
            return tuple(text("ruletest.how", self.lang, subject=r.id, text=r.reason) for r in made)
        lines = _why_not(self._why_not_of().misses("recommendation", ident), self.lang)
        when = self.run.compiled.base.recommendations[ident].when
        if when is not None:
            lines.append(text("ruletest.why_not", self.lang, text=self._when(ident, when)))
        return tuple(lines)

    def _when(self, ident: str, when: RecommendationWhen) -> str:
        """Why a recommendation made on the report's conclusions was not made: none of its
        symptoms is present, or a cause (not a latent one) is too certain for it."""
        present = {s.id for s in self.report.symptoms if s.confidence >= DIAGNOSIS_THRESHOLD}
        if not present & set(when.symptoms_any):
            key, params = "ruletest.when_no_symptom", {"symptoms": ", ".join(when.symptoms_any)}
        else:
            cause = max(
                (c for c in self.report.causes if c.scope != "latent"),
                key=lambda c: c.confidence,
                default=None,
            )
            key = "ruletest.when_cause"
            params = {
                "cause": cause.cause if cause else "-",
                "confidence": f"{cause.confidence if cause else 0.0:g}",
                "threshold": f"{when.no_cause_at_least:g}",
            }
        return f"{ident}: " + text(key, self.lang, **params)

    def path_rules(self, rules: Iterable[str]) -> Lines:
        """How the rules that marked failing paths fired."""
        if not self.explain:
            return ()
        lines: list[str] = []
        for rule in sorted(set(rules)):
            lines.extend(_how(rule_reasoning(self.run, rule, self.lang)[0], self.lang))
        return tuple(lines)

    def path_misses(self) -> Lines:
        """Why each rule that can mark a failing path and did not fire stayed silent."""
        if not self.explain:
            return ()
        fired = {r.rule_index for r in self.run.firings}
        why = self._why_not_of()
        return tuple(
            _why_not(
                (
                    why.probe(compiled)
                    for compiled in self.run.compiled.rules
                    if compiled.rule.conclude.kind == "symptom"
                    and PATH_VALUES & set(compiled.rule.conclude.values)
                    and compiled.index not in fired
                ),
                self.lang,
            )
        )
