"""A ``derive`` template that does not parse or names a field its fact type does not have: the
derived field would be computed wrong for every fact."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.engine.facts import COMPUTED_FIELDS, FACT_TYPES, fact_fields
from kbdoctor.engine.lint.model import Check, Reporter, per_pack
from kbdoctor.engine.templates import TemplateError, placeholders

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase, RulePack


def check(base: RuleBase, pack: RulePack, out: Reporter) -> None:
    for fact_type, templates in pack.model.derive.items():
        if fact_type not in FACT_TYPES:
            continue  # unknown-fact-type says so
        for field_name, template in templates.items():
            path = ("derive", fact_type, field_name)
            try:
                used = placeholders(template)
            except TemplateError as exc:
                out.add(path, exc.key, None, **exc.params)
                continue
            for name, sub in used:
                if sub is not None or (
                    name not in fact_fields(fact_type)
                    and name not in COMPUTED_FIELDS.get(fact_type, {})
                ):
                    out.add(
                        path,
                        "error.rules_derive_field",
                        None,
                        field=name if sub is None else f"{name}.{sub}",
                        type=fact_type,
                    )


CHECK = Check("derive-template", "error", per_pack(check), loader=True)
