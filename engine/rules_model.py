"""Rule files, version 1 (``kbdoctor: rules/1``): what support staff write.

Rules are data, never code. A rule binds facts (or conclusions of other rules) by type, tests their
fields with a closed set of operators, may require the absence of a fact, and concludes a symptom,
finding, cause or recommendation with a certainty factor and a bilingual explanation. Placeholders
``{alias.field}`` are filled from bound facts; nothing in a rule file is ever executed.

Field tests (the value of a field name in ``where``)::

    offset_s: {abs_gt: 300}          comparisons: eq ne lt le gt ge, abs_gt abs_ge abs_lt abs_le
    state: {in: [closed, filtered]}  membership: in, not_in (a literal scalar means eq)
    last_error: {matches: '454 4\\.7\\.0'}   RE2 regular expressions: matches, not_matches
    spns: {contains: smtpsvc/x}      list membership: contains, not_contains, contains_ref
    fqdn: {exists: true}
    host: {same_as: srv.name}        joins with an earlier binding: same_as, differs_from
    spns: {contains_ref: srv.spn_smtpsvc_fqdn}

and ``where`` itself may be ``{all: [...]}``, ``{any: [...]}`` or ``{not: {...}}``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from kbdoctor.engine.facts import Number, WholeNumber
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError


class _Model(BaseModel):
    # defer_build: the validators are built on first use, not at import, so the commands that
    # read no rule file (collect, schema) do not pay for them.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(_Model):
    """A text every user can read: English and Polish, both required (``RULE_LANGS``)."""

    en: str = Field(min_length=1)
    pl: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The text in ``lang``; English in a language rule files do not carry (German: the
        program's own texts have German catalogues, a rule's texts do not)."""
        return self.pl if lang == "pl" else self.en


REF = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
IDENT = r"^[a-z][a-z0-9_]*$"
RULE_ID = r"^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$"

# Numbers in rule files are those of fact files (engine/facts.py, one definition): finite, never
# true or false, so that a test against NaN (false for every value) or a cf of `true` (1.0) is
# refused at its line and column instead of silently ruling a cause out or in. A boolean is
# still a value to compare with (`pdc: true`), as a boolean.
Scalar = str | int | Number | bool


class FieldTest(_Model):
    """The operators a field may be tested with; exactly one per test."""

    eq: Scalar | None = None
    ne: Scalar | None = None
    lt: Number | None = None
    le: Number | None = None
    gt: Number | None = None
    ge: Number | None = None
    abs_gt: Number | None = Field(None, ge=0)
    abs_ge: Number | None = Field(None, ge=0)
    abs_lt: Number | None = Field(None, ge=0)
    abs_le: Number | None = Field(None, ge=0)
    in_: list[Scalar] | None = Field(None, alias="in", min_length=1)
    not_in: list[Scalar] | None = Field(None, min_length=1)
    matches: str | None = None
    not_matches: str | None = None
    contains: Scalar | None = None
    not_contains: Scalar | None = None
    contains_ref: str | None = None
    exists: bool | None = None
    same_as: str | None = None
    differs_from: str | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> FieldTest:
        given = list(self.model_fields_set)
        if len(given) != 1:
            raise ValueError(f"a field test has exactly one operator, got {len(given)}: {given}")
        return self

    @field_validator("matches", "not_matches", mode="before")
    @classmethod
    def _regex(cls, value: Any, info: ValidationInfo) -> Any:
        """Rule regexes run on RE2 (engine/safe_regex.py): linear time, no lookaround. A pattern
        refused is told as "'matches' of field last_error" in the reader's language (the
        catalogue's ``pydantic.regex_*``), not as pydantic's path and its English "Value error"."""
        if not isinstance(value, str):
            return value  # None, or not text: the field's type says so
        from kbdoctor.engine.safe_regex import RegexError, compile_regex

        try:
            compile_regex(value)
        except RegexError as exc:
            name = value.field if isinstance(value, _NamedPattern) else None
            if name is None:  # a test validated on its own, outside a ``where``
                raise ValueError(str(exc)) from None
            context = {"operator": info.field_name, "name": name, **exc.params}
            raise PydanticCustomError(exc.key.removeprefix("error."), str(exc), context) from None
        return str(value)

    @field_validator("contains_ref", "same_as", "differs_from")
    @classmethod
    def _ref(cls, value: str | None) -> str | None:
        if value is not None and not REF.match(value):
            raise ValueError("expected a reference alias.field, for example srv.name")
        return value

    @property
    def operator(self) -> str:
        name = next(iter(self.model_fields_set))
        return "in" if name == "in_" else name

    @property
    def value(self) -> Any:
        name = next(iter(self.model_fields_set))
        return getattr(self, name)


class _NamedPattern(str):
    """A ``matches`` pattern that knows the name of the field it tests (``where`` gives it), so
    that a refusal can name the field: a test's validator does not see its key."""

    field: str

    def __new__(cls, pattern: str, field: str) -> _NamedPattern:
        made = super().__new__(cls, pattern)
        made.field = field
        return made


def _named_patterns(name: str, test: Any) -> Any:
    if not isinstance(test, dict):
        return test
    return {
        operator: _NamedPattern(value, name)
        if operator in ("matches", "not_matches") and isinstance(value, str)
        else value
        for operator, value in test.items()
    }


class Where(_Model):
    """A boolean combination of field tests. A plain mapping is the AND of its fields."""

    tests: dict[str, FieldTest] = Field(default_factory=dict)
    all: list[Where] | None = None
    any: list[Where] | None = None
    not_: Where | None = Field(None, alias="not")

    @model_validator(mode="before")
    @classmethod
    def _shape(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        logical = {k: v for k, v in data.items() if k in ("all", "any", "not")}
        tests = {k: v for k, v in data.items() if k not in ("all", "any", "not")}
        out: dict[str, Any] = dict(logical)
        out["tests"] = {
            name: (_named_patterns(name, value) if isinstance(value, dict) else {"eq": value})
            for name, value in tests.items()
        }
        return out


class Pattern(_Model):
    """One condition of a rule: bind a fact of a type (or a conclusion) that passes ``where``."""

    bind: str | None = Field(None, pattern=IDENT)
    fact: str | None = None
    finding: str | None = None
    symptom: str | None = None
    cause: str | None = None
    where: Where = Field(default_factory=Where)

    @model_validator(mode="after")
    def _one_kind(self) -> Pattern:
        kinds = [k for k in ("fact", "finding", "symptom", "cause") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a condition names exactly one of fact, finding, symptom or cause")
        return self

    @property
    def kind(self) -> Literal["fact", "finding", "symptom", "cause"]:
        for k in ("fact", "finding", "symptom", "cause"):
            if getattr(self, k) is not None:
                return k
        raise AssertionError("validated")

    @property
    def target(self) -> str:
        value = getattr(self, self.kind)
        assert isinstance(value, str)
        return value


class Absent(_Model):
    """No fact of this type passes ``where`` (negation). Only base facts can be absent."""

    absent: Pattern


Condition = Annotated[Pattern | Absent, Field(union_mode="left_to_right")]


class Conclusion(_Model):
    symptom: str | None = None
    finding: str | None = None
    cause: str | None = None
    recommendation: str | None = None
    cf: Number = Field(ge=-1.0, le=1.0)
    subject: str | dict[str, str] = Field(
        description="template naming what the conclusion is about; for a cause whose subject has "
        'parts, one template per part (a part written "*" is not known)'
    )
    values: dict[str, str] = Field(
        default_factory=dict, description="templates the cause's remediation and chained rules use"
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Conclusion:
        kinds = [k for k in ("symptom", "finding", "cause", "recommendation") if getattr(self, k)]
        if len(kinds) != 1:
            raise ValueError(
                "a conclusion names exactly one of symptom, finding, cause, recommendation"
            )
        return self

    @property
    def kind(self) -> Literal["symptom", "finding", "cause", "recommendation"]:
        for k in ("symptom", "finding", "cause", "recommendation"):
            if getattr(self, k):
                return k
        raise AssertionError("validated")

    @property
    def target(self) -> str:
        value = getattr(self, self.kind)
        assert isinstance(value, str)
        return value


class Rule(_Model):
    id: str = Field(pattern=RULE_ID)
    title: Text
    status: Literal["experimental", "stable", "deprecated"] = "experimental"
    version: WholeNumber = Field(1, ge=1)
    kb_step: WholeNumber | None = Field(
        None, ge=1, description="the step of the KB article the rule checks"
    )
    references: list[str] = Field(default_factory=list)
    when: list[Condition] = Field(min_length=1)
    conclude: Conclusion
    explain: Text


class Step(_Model):
    """One step of a fix. Besides the conclusion's values, its templates may use what the facts
    say about the organisation (``{org.pdc}``, the PDC emulator) and about the failing path
    (``{path.sender}``, ``{path.receiver}``, ``{path.receiver_fqdn}``)."""

    text: Text
    command: str | None = None
    run_on: str | None = Field(
        None,
        description="template naming the machine the step runs on; the step is left out when it "
        "names no known machine",
    )
    when: Literal["pdc_known", "pdc_unknown", "path_known"] | None = Field(
        None,
        description="the step applies only when the facts name the PDC emulator (or not), "
        "or a failing path",
    )
    not_on_pdc: bool = Field(False, description="left out where run_on is the PDC emulator")
    shell: Literal["cmd", "powershell", "ems"] | None = Field(
        None,
        description="where the command runs: cmd (also runs in Windows PowerShell), powershell "
        "(Windows PowerShell 5.1), ems (Exchange Management Shell)",
    )

    @field_validator("command")
    @classmethod
    def _one_command(cls, value: str | None) -> str | None:
        # '&&' and '||' chain commands in cmd.exe but are a syntax error in Windows PowerShell 5.1,
        # the shell an Exchange administrator pastes into: one step, one command.
        if value is not None and ("&&" in value or "||" in value):
            raise ValueError("one command per step: '&&' and '||' fail in Windows PowerShell 5.1")
        return value

    @model_validator(mode="after")
    def _runs_in_both_shells(self) -> Step:
        # A command marked cmd is pasted into cmd.exe and into Windows PowerShell 5.1 alike.
        # Outside double quotes, PowerShell turns '88,464' into two arguments, ends the command
        # at ';' (cmd does not), and reads '&' as its call operator.
        if self.shell == "cmd" and self.command is not None:
            bare = "".join(self.command.split('"')[::2])
            found = sorted({c for c in ",;&" if c in bare})
            if found:
                raise ValueError(
                    f"a cmd command must run as written in Windows PowerShell 5.1 too: quote "
                    f"the argument holding {' '.join(repr(c) for c in found)}"
                )
        return self


class Collect(_Model):
    """How to collect facts that would assess a cause. With ``for_each``, the step is written
    out for the machines the facts know (those of the failing paths first), with ``{server}``,
    ``{server_fqdn}``, ``{dc}`` (FQDN when known) and ``{dc_name}``; ``fallback`` is used when
    the facts name no such machine, so that every command runs as written."""

    facts: list[str] = Field(min_length=1)
    text: Text
    command: str | None = None
    for_each: Literal["server", "dc", "server_dc"] | None = None
    fallback: Step | None = None
    shell: Literal["cmd", "powershell", "ems"] | None = None


SubjectKind = Literal["host", "account", "spn", "text"]
PartKind = Literal["host", "account", "spn", "text", "number"]
UNKNOWN_PART = "*"


class SubjectDef(_Model):
    """What one piece of evidence about a cause is about, in as many parts as the hypothesis has.

    Certainty factors combine per subject, so the subject must be as fine as what the evidence
    observed: "UDP 88 from EX01 to DC01 is filtered" and "TCP 88 from EX01 to DC02 is open" are
    about two paths, and the second must not weaken belief in the first. Declaring the parts here
    lets the rule loader refuse a rule that speaks about a coarser subject than its cause's."""

    parts: dict[str, PartKind] = Field(min_length=1)
    text: str = Field(min_length=1, description="how the subject is shown: a template over parts")
    locate: list[str] | dict[str, Literal["party", "sender", "receiver"]] = Field(
        default_factory=list,
        description="host, account or SPN parts that place the subject on a failing path: each "
        "must be a party of one path (its sender, its receiver or a DC they use), or, where a "
        "role is given, that end of the path (an SPN matters on the receiver of a ticket)",
    )
    unordered: bool = Field(
        False, description="the parts are a set (a pair of clocks): their order does not count"
    )

    @property
    def roles(self) -> dict[str, str]:
        """Each locating part with the role it must play on a failing path."""
        if isinstance(self.locate, dict):
            return dict(self.locate)
        return dict.fromkeys(self.locate, "party")

    @model_validator(mode="after")
    def _consistent(self) -> SubjectDef:
        for name in self.locate:
            if name not in self.parts:
                raise ValueError(f"locate names {name!r}, which is not a part")
            if self.parts[name] not in ("host", "account", "spn"):
                raise ValueError(f"locate part {name!r} must be a host, account or spn")
        for name in re.findall(r"\{([a-z][a-z0-9_]*)", self.text):
            if name not in self.parts:
                raise ValueError(f"text uses {{{name}}}, which is not a part")
        if self.unordered and len({self.parts[n] for n in self.parts}) != 1:
            raise ValueError("unordered parts must all be of one kind")
        return self


class CauseDef(_Model):
    title: Text
    description: Text
    kb_steps: list[WholeNumber] = Field(min_length=1)
    url: str | None = None
    assessed_by: list[str] = Field(min_length=1, description="fact types that speak to the cause")
    subject: SubjectKind | SubjectDef = "host"
    collect: list[Collect] = Field(default_factory=list)
    remediation: list[Step] = Field(min_length=1)


class ConclusionDef(_Model):
    """A symptom or finding: what it is called, and the kinds of its values (for joins). A
    finding that is a risk of its own (not the cause of the symptom) may say how to fix it."""

    title: Text
    description: Text | None = None
    subject: Literal["host", "account", "spn", "text"] = "host"
    values: dict[str, Literal["host", "account", "spn", "text", "number"]] = Field(
        default_factory=dict
    )
    remediation: list[Step] = Field(default_factory=list)


class RecommendationWhen(_Model):
    """When a recommendation applies, judged on the evaluated conclusions (not on facts)."""

    symptoms_any: list[str] = Field(min_length=1)
    no_cause_at_least: Number = Field(0.5, ge=0, le=1)


class RecommendationDef(_Model):
    title: Text
    text: Text
    kb_steps: list[WholeNumber] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)
    when: RecommendationWhen | None = None


class KbRef(_Model):
    article: str
    title: Text | None = None
    url: str | None = None


class RuleOverride(_Model):
    """What a later pack changes in a rule an earlier pack wrote, without copying its file: the
    rule is disabled, or its certainty factor is set. Exactly one of the two."""

    disabled: bool = False
    cf: Number | None = Field(None, ge=-1.0, le=1.0)
    reason: Text | None = Field(None, description="why the organisation changes the rule")

    @model_validator(mode="after")
    def _one_change(self) -> RuleOverride:
        if self.disabled == (self.cf is not None):
            raise ValueError("an override either disables the rule (disabled: true) or sets cf")
        return self


PACK_ID = r"^[a-z0-9][a-z0-9_.-]*$"


class RulePackModel(_Model):
    kbdoctor: Literal["rules/1"]
    pack: str = Field(pattern=PACK_ID)
    extends: list[Annotated[str, Field(pattern=PACK_ID)]] = Field(
        default_factory=list,
        description="packs this one builds on (their causes, findings and rules): loaded before "
        "it; a shipped pack named here is loaded even when not given",
    )
    overrides: dict[str, RuleOverride] = Field(
        default_factory=dict,
        description="rule id -> a change to a rule of an earlier pack: disabled, or its cf",
    )
    version: str | None = None
    title: Text | None = None
    kb: KbRef | None = None
    derive: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="fact type -> field -> template, computed before matching"
    )
    symptoms: dict[str, ConclusionDef] = Field(default_factory=dict)
    findings: dict[str, ConclusionDef] = Field(default_factory=dict)
    causes: dict[str, CauseDef] = Field(default_factory=dict)
    recommendations: dict[str, RecommendationDef] = Field(default_factory=dict)
    rules: list[Rule] = Field(default_factory=list)
    verify: list[Step] = Field(
        default_factory=list,
        description="steps that end every fix of the pack's causes: the check that it worked",
    )
