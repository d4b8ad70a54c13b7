"""One module per check; ``CHECKS`` lists them in the order their problems are reported."""

from __future__ import annotations

from kbdoctor.engine.lint.checks import (
    absent_derived,
    bindings,
    derive_templates,
    duplicate_ids,
    engine_limits,
    fact_types,
    host_fqdns,
    never_fires,
    operator_types,
    override_conflicts,
    override_targets,
    placeholders,
    remediation_values,
    subjects,
    texts,
    unconcluded_causes,
    unconcluded_premises,
    undefined_ids,
    unknown_fields,
    untested_rules,
    value_types,
)
from kbdoctor.engine.lint.model import Check

CHECKS: tuple[Check, ...] = (
    duplicate_ids.CHECK,
    override_targets.CHECK,
    override_conflicts.CHECK,
    fact_types.CHECK,
    derive_templates.CHECK,
    undefined_ids.CHECK,
    absent_derived.CHECK,
    unknown_fields.CHECK,
    operator_types.CHECK,
    bindings.CHECK,
    engine_limits.CHECK,
    subjects.CHECK,
    placeholders.CHECK,
    remediation_values.CHECK,
    value_types.CHECK,
    host_fqdns.CHECK,
    never_fires.CHECK,
    unconcluded_premises.CHECK,
    unconcluded_causes.CHECK,
    texts.CHECK,
    untested_rules.CHECK,
)

LOADER_CHECKS: tuple[Check, ...] = tuple(c for c in CHECKS if c.loader)
