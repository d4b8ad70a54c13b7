"""JSON Schemas of rule files (``rules/1``) and of their test files (``rules-test/1``), generated
from the pydantic models, for editors: with the YAML language server, one comment line at the
top of a file (``# yaml-language-server: $schema=rules.schema.json``) completes and checks it as
it is typed.

The models read ``where`` through a validator that turns field names into tests; the schema
describes it as it is written: field names mapping to a test or a plain value, besides ``all``,
``any`` and ``not``. A field test holds exactly one operator.
"""

from __future__ import annotations

from typing import Any

from kbdoctor.engine.rules_model import RulePackModel
from kbdoctor.engine.ruletests.model import RuleTestFile

_SCALAR: list[dict[str, Any]] = [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]


def rules_json_schema() -> dict[str, Any]:
    schema = RulePackModel.model_json_schema()
    defs = schema["$defs"]
    where = {"$ref": "#/$defs/Where"}
    defs["Where"] = {
        "description": defs["Where"].get("description", ""),
        "type": "object",
        "properties": {
            "all": {"type": "array", "items": where},
            "any": {"type": "array", "items": where},
            "not": where,
        },
        "additionalProperties": {"anyOf": [{"$ref": "#/$defs/FieldTest"}, *_SCALAR]},
    }
    defs["FieldTest"]["minProperties"] = 1
    defs["FieldTest"]["maxProperties"] = 1
    schema["title"] = "kbdoctor rule file (rules/1)"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def tests_json_schema() -> dict[str, Any]:
    schema = RuleTestFile.model_json_schema()
    schema["title"] = "kbdoctor rule test file (rules-test/1)"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
