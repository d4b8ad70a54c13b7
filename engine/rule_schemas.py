"""JSON Schemas of rule files (``rules/1``) and of their test files (``rules-test/1``), generated
from the pydantic models, for editors: with the YAML language server, one comment line at the
top of a file (``# yaml-language-server: $schema=rules.schema.json``) completes and checks it as
it is typed.

The models read ``where`` through a validator that turns field names into tests; the schema
describes it as it is written: field names mapping to a test or a plain value, besides ``all``,
``any`` and ``not``. A field test holds exactly one operator. A condition's ``fact`` is one of the
fact types, and the field names of its ``where`` are those of that type (an ``if``/``then`` per
type): the fact model's fields, the fields the engine computes and those the packs derive. They
are read from the models (engine/facts.py) and the packs when the schema is written, so the schema
cannot fall behind them; a typo in a fact type or a field name is marked as it is typed. A
condition on a finding, symptom or cause tests the conclusion's values, which only the loaded
packs know: its ``where`` takes any field name (``kbdoctor rules lint`` checks them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kbdoctor.engine.facts import COMPUTED_FIELDS, FACT_TYPES, fact_fields
from kbdoctor.engine.json_schema import standard_bounds
from kbdoctor.engine.rules_model import RulePackModel
from kbdoctor.engine.ruletests.model import RuleTestFile

_SCALAR: list[dict[str, Any]] = [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]
_TEST = {"anyOf": [{"$ref": "#/$defs/FieldTest"}, *_SCALAR]}


def derived_fields(paths: Sequence[str] = ()) -> dict[str, dict[str, str]]:
    """Fact type -> field -> template of the fields the shipped packs derive, and the packs at
    ``paths`` (with those they extend). Raises RuleFileError for a pack that cannot be read."""
    from kbdoctor.engine.rule_files import bundled_rule_files
    from kbdoctor.engine.rulebase import load_rule_base

    out: dict[str, dict[str, str]] = {}
    for files in (bundled_rule_files(), *([list(paths)] if paths else [])):
        for fact_type, fields in load_rule_base(files).derive.items():
            out.setdefault(fact_type, {}).update(fields)
    return out


def _where(ref: str, fields: Mapping[str, str] | None) -> dict[str, Any]:
    """A ``where`` whose field names are ``fields`` (name -> description), or any name."""
    nested = {"$ref": ref}
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "all": {"type": "array", "items": nested},
            "any": {"type": "array", "items": nested},
            "not": nested,
        },
    }
    if fields is None:
        schema["additionalProperties"] = _TEST
    else:
        for name, description in fields.items():
            schema["properties"][name] = {**_TEST, "description": description}
        schema["additionalProperties"] = False
    return schema


def _fields_of(fact_type: str, derived: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """The field names a rule may test on a fact type, with what each is."""
    model = FACT_TYPES[fact_type]
    out = {name: model.model_fields[name].description or name for name in fact_fields(fact_type)}
    for name in COMPUTED_FIELDS.get(fact_type, {}):
        out[name] = "computed by the engine before matching"
    for name in derived.get(fact_type, ()):
        out[name] = "derived by a pack (derive)"
    return out


def rules_json_schema(derived: Mapping[str, Iterable[str]] | None = None) -> dict[str, Any]:
    """The schema of rule files; ``derived`` (fact type -> field names) defaults to the fields
    the shipped packs derive."""
    derived = derived_fields() if derived is None else derived
    schema = standard_bounds(RulePackModel.model_json_schema())
    defs = schema["$defs"]
    description = defs["Where"].get("description", "")
    defs["Where"] = {"description": description, **_where("#/$defs/Where", None)}
    types = sorted(FACT_TYPES)
    branches: list[dict[str, Any]] = []
    for fact_type in types:
        name = f"Where_{fact_type}"
        defs[name] = {
            "description": f"{description} Fields of a {fact_type} fact.",
            **_where(f"#/$defs/{name}", _fields_of(fact_type, derived)),
        }
        branches.append(
            {
                "if": {"properties": {"fact": {"const": fact_type}}, "required": ["fact"]},
                "then": {"properties": {"where": {"$ref": f"#/$defs/{name}"}}},
            }
        )
    pattern = defs["Pattern"]
    pattern["properties"]["fact"] = {"enum": types, "description": "the fact type to bind"}
    # the where of a fact condition is checked by its type's branch; of a conclusion, here
    pattern["properties"]["where"] = {"type": "object"}
    branches.append(
        {
            "if": {"required": ["fact"]},
            "else": {"properties": {"where": {"$ref": "#/$defs/Where"}}},
        }
    )
    pattern["allOf"] = branches
    schema["properties"]["derive"]["propertyNames"] = {"enum": types}
    defs["FieldTest"]["minProperties"] = 1
    defs["FieldTest"]["maxProperties"] = 1
    schema["title"] = "kbdoctor rule file (rules/1)"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def tests_json_schema() -> dict[str, Any]:
    schema = standard_bounds(RuleTestFile.model_json_schema())
    schema["title"] = "kbdoctor rule test file (rules-test/1)"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
