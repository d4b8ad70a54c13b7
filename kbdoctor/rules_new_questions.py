"""The questions of ``kbdoctor rules new`` for what its flags leave out: one at a time, in the
user's language, on standard error, each answer read from standard input, whether a person types
it or a file is piped in (so that a test, or a colleague's recipe, can answer them).

A person at a terminal who gives an answer that cannot be used is told why and asked again. Piped
answers cannot be corrected: the first one that cannot be used ends the command with its reason
and its line of input, and so does input that ends before every question is answered."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO, TypeVar

from kbdoctor.engine.errors import Problem, UsageError
from kbdoctor.engine.facts import FACT_TYPES, fact_fields
from kbdoctor.engine.i18n import Lang, text
from kbdoctor.engine.rule_scaffold import (
    OPERATORS,
    Condition,
    check_condition,
    check_fact,
    check_id,
    parse_cf,
    parse_condition,
    subject_field,
    value_fields,
)
from kbdoctor.engine.rules_model import ConclusionDef

T = TypeVar("T")
INPUT = "<stdin>"


@dataclass
class Answers:
    """What the flags gave, completed by the answers."""

    rule_id: str | None = None
    fact: str | None = None
    conditions: list[Condition] = field(default_factory=list)
    finding: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    title_pl: str | None = None
    cf: float | None = None
    pack: str | None = None


class Asker:
    """Asks on ``out``, reads ``given``; ``terminal`` says whether a person can try again."""

    def __init__(self, given: TextIO, out: TextIO, lang: Lang, terminal: bool) -> None:
        self.given, self.out, self.lang, self.terminal = given, out, lang, terminal
        self.line = 0

    def say(self, key: str, **params: Any) -> None:
        print(text(key, self.lang, **params), file=self.out)

    def ask(self, key: str, read: Callable[[str], T], **params: Any) -> T:
        """The answer to the question ``key``, as ``read`` makes it of the line typed."""
        question = text(key, self.lang, **params)
        while True:
            self.out.write(question + " ")
            self.out.flush()
            answer = self.given.readline()
            if not answer:
                problem = Problem(INPUT, None, None, "scaffold.input_ended", {"question": question})
                raise UsageError([problem])
            self.line += 1
            if not self.terminal:  # a person reading the log sees each answer after its question
                self.out.write(answer if answer.endswith("\n") else answer + "\n")
            try:
                return read(answer.strip())
            except UsageError as exc:
                if not self.terminal:
                    raise UsageError(
                        [Problem(INPUT, self.line, None, p.key, p.params) for p in exc.problems]
                    ) from None
                print(exc.render(self.lang), file=self.out)


def _refuse(key: str, **params: Any) -> UsageError:
    return UsageError([Problem("kbdoctor rules new", None, None, key, params)])


def _not_empty(answer: str) -> str:
    if not answer:
        raise _refuse("scaffold.empty_answer")
    return answer


def _fact(answer: str) -> str:
    """A fact type by its name or by its number in the list shown."""
    names = sorted(FACT_TYPES)
    if answer.isdigit() and 1 <= int(answer) <= len(names):
        return names[int(answer) - 1]
    check_fact(answer)
    return answer


def ask_missing(answers: Answers, shipped: Mapping[str, ConclusionDef], asker: Asker) -> Answers:
    """``answers`` with every question the flags left open answered (cf and pack offer their
    defaults: an empty answer takes them)."""
    if answers.rule_id is None:
        answers.rule_id = asker.ask("scaffold.ask.rule_id", lambda a: check_id("rule", a))
    if answers.fact is None:
        for number, name in enumerate(sorted(FACT_TYPES), start=1):
            asker.say("scaffold.ask.fact_choice", number=number, fact=name,
                      words=text(f"docs.fact.{name}", asker.lang))  # fmt: skip
        answers.fact = asker.ask("scaffold.ask.fact", _fact)
    fact = answers.fact
    if not answers.conditions:
        asker.say("scaffold.ask.fields", fact=fact, fields=", ".join(fact_fields(fact)))
        while True:
            key = "scaffold.ask.condition_more" if answers.conditions else "scaffold.ask.condition"
            condition = asker.ask(key, lambda a: _condition(fact, a, bool(answers.conditions)),
                                  operators=" ".join(OPERATORS))  # fmt: skip
            if condition is None:
                break
            answers.conditions.append(condition)
    if answers.finding is None:
        known = ", ".join(sorted(shipped)) or "-"
        answers.finding = asker.ask(
            "scaffold.ask.finding", lambda a: _finding(fact, a, shipped), known=known
        )
    finding = answers.finding
    declared = shipped[finding].values if finding in shipped else {}
    for name, kind in declared.items():
        if name in answers.values or _derivable(fact, finding, name, kind):
            continue
        answers.values[name] = asker.ask(
            "scaffold.ask.value",
            functools.partial(_value, fact, finding, name, kind),
            value=name,
            finding=finding,
            fields=", ".join(fact_fields(fact)),
        )
    if answers.title is None:
        answers.title = asker.ask("scaffold.ask.title_en", _not_empty)
    if answers.title_pl is None:
        answers.title_pl = asker.ask("scaffold.ask.title_pl", _not_empty)
    if answers.cf is None:
        answers.cf = asker.ask("scaffold.ask.cf", lambda a: parse_cf(a) if a else 0.5)
    if answers.pack is None:
        answers.pack = asker.ask("scaffold.ask.pack", lambda a: check_id("pack", a or "local"))
    return answers


def _condition(fact: str, answer: str, have_one: bool) -> Condition | None:
    """A field test; an empty line ends the list once it holds one."""
    if not answer:
        if have_one:
            return None
        raise _refuse("scaffold.no_condition")
    return check_condition(fact, parse_condition(answer))


def _finding(fact: str, answer: str, shipped: Mapping[str, ConclusionDef]) -> str:
    """A finding id whose subject the fact can name."""
    check_id("finding", answer)
    subject_field(fact, shipped.get(answer), answer)
    return answer


def _derivable(fact: str, finding: str, name: str, kind: str) -> bool:
    try:
        value_fields(fact, finding, {name: kind}, {})
    except UsageError:
        return False
    return True


def _value(fact: str, finding: str, name: str, kind: str, answer: str) -> str:
    return value_fields(fact, finding, {name: kind}, {name: answer})[name]
