"""Rule test files, version 1 (``kbdoctor: rules-test/1``): what support staff write beside their
rules, in a folder ``tests/`` next to the rule files.

Each test gives facts (inline as in a fact file, from a fact file, or from a folder of saved
command outputs read by the importer) and what the report must say: rules that fire or stay
silent, causes with their status, confidence range and scope, causes that must not be concluded,
findings, recommendations and failing paths. A test marked ``known_gap`` is run and reported but
does not fail the run: it records what the rules get wrong today, and says so when it passes.
"""

from __future__ import annotations

from typing import Literal

from kbdoctor.engine.facts import Fact
from pydantic import BaseModel, ConfigDict, Field, model_validator

Status = Literal["diagnosed", "possible", "ruled_out", "no_evidence", "not_assessed"]
Scope = Literal["failing_path", "latent", "unknown"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Range(_Model):
    """A closed range of confidence, from -1 to 1: evidence against a cause (ruled out) is
    negative, and only a range can tell -0.8 from -0.3."""

    min: float = Field(0.0, ge=-1, le=1)
    max: float = Field(1.0, ge=-1, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError("min is above max")
        return self


class CauseExpectation(_Model):
    status: Status | list[Status] | None = Field(
        None, description="the status the cause must have (or one of a list)"
    )
    confidence: Range | None = None
    scope: Scope | None = Field(None, description="failing_path, latent or unknown")

    @property
    def statuses(self) -> list[Status]:
        if self.status is None:
            return []
        return self.status if isinstance(self.status, list) else [self.status]


class ConfidenceExpectation(_Model):
    confidence: Range = Field(
        description="the range the confidence of its most believed subject must lie in"
    )


class PathExpectation(_Model):
    """A failing path; a side left out matches any machine (or none known)."""

    sender: str | None = Field(None, description="the sender; any when left out")
    receiver: str | None = Field(None, description="the receiver; any when left out")

    @model_validator(mode="after")
    def _names_a_side(self) -> PathExpectation:
        if self.sender is None and self.receiver is None:
            raise ValueError("a failing path names its sender, its receiver or both")
        return self


class Expectation(_Model):
    fires: list[str] = Field(default_factory=list, description="rules that must fire")
    silent: list[str] = Field(default_factory=list, description="rules that must not fire")
    causes: dict[str, CauseExpectation] = Field(default_factory=dict)
    not_concluded: list[str] = Field(
        default_factory=list,
        description="causes no rule may conclude: their status is ruled_out, no_evidence or "
        "not_assessed",
    )
    diagnoses: list[str] | None = Field(
        None, description="exactly these causes are diagnosed, in this order"
    )
    symptoms: dict[str, ConfidenceExpectation] = Field(
        default_factory=dict, description="symptoms the report holds, with their confidence"
    )
    findings: list[str] | dict[str, ConfidenceExpectation] = Field(
        default_factory=list,
        description="findings the report holds (a mapping: with their confidence)",
    )
    not_findings: list[str] = Field(
        default_factory=list, description="findings the report must not hold"
    )
    recommendations: list[str] | None = Field(
        None, description="exactly these recommendations are made ([] for none)"
    )
    failing_paths: list[PathExpectation] | None = Field(
        None, description="exactly these failing paths are marked ([] for none), in any order"
    )


class RuleTest(_Model):
    name: str = Field(min_length=1)
    facts: list[Fact] | None = Field(None, description="facts as in a facts/1 file")
    fact_file: str | None = Field(None, description="a fact file, relative to this test file")
    outputs: str | None = Field(
        None,
        description="a folder (or file) of saved command outputs, relative to this test file, "
        "read by the importer as 'kbdoctor collect --import' reads it",
    )
    expect: Expectation
    known_gap: str | None = Field(
        None, description="why the rules get this wrong today: reported, does not fail the run"
    )

    @model_validator(mode="after")
    def _some_facts(self) -> RuleTest:
        if self.facts is None and self.fact_file is None and self.outputs is None:
            raise ValueError("a test gives facts, fact_file or outputs")
        return self


class RuleTestFile(_Model):
    kbdoctor: Literal["rules-test/1"]
    rules: list[str] = Field(
        default_factory=list,
        description="rule files or folders the tests run against, relative to this file "
        "(default: the rule files of the folder above)",
    )
    tests: list[RuleTest] = Field(min_length=1)
