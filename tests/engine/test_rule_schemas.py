"""The JSON Schema of rule files marks, as a rule is typed, a fact type that does not exist and
a field its fact type does not have; it is generated from the fact models and the packs' derived
fields, so a field added to a model is known to it at once. Every shipped rule file and the
README's rules satisfy it."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs shipped
import pytest
from kbdoctor.engine.facts import COMPUTED_FIELDS, FACT_TYPES, fact_fields
from kbdoctor.engine.rule_files import bundled_rule_files
from kbdoctor.engine.rule_schemas import derived_fields, rules_json_schema
from kbdoctor.engine.yamlio import load_yaml_data

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = rules_json_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def _pack(condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "kbdoctor": "rules/1",
        "pack": "site",
        "rules": [
            {
                "id": "site.r",
                "title": {"en": "r", "pl": "r"},
                "when": [condition],
                "conclude": {"finding": "f", "cf": 0.5, "subject": "{q.server}"},
                "explain": {"en": "r", "pl": "r"},
            }
        ],
    }


def _valid(condition: dict[str, Any]) -> bool:
    return bool(VALIDATOR.is_valid(_pack(condition)))


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_a_fact_type_that_does_not_exist_is_marked() -> None:
    assert _valid({"bind": "q", "fact": "queue", "where": {"message_count": {"gt": 500}}})
    assert not _valid({"bind": "q", "fact": "queu"})


def test_a_field_its_fact_type_does_not_have_is_marked_even_inside_all_any_not() -> None:
    assert not _valid({"fact": "queue", "where": {"message_cont": {"gt": 500}}})
    assert not _valid({"fact": "queue", "where": {"any": [{"message_cont": 1}]}})
    assert not _valid({"fact": "queue", "where": {"not": {"offset_s": 1}}})  # clock_offset's
    assert _valid(
        {"fact": "queue", "where": {"all": [{"message_count": 1}], "not": {"server": "x"}}}
    )
    assert not _valid({"absent": {"fact": "queue", "where": {"message_cont": 1}}})


def test_each_fact_type_offers_its_fields_the_computed_ones_and_the_derived_ones() -> None:
    derived = derived_fields()
    for fact in FACT_TYPES:
        offered = set(SCHEMA["$defs"][f"Where_{fact}"]["properties"])
        expected = {*fact_fields(fact), *COMPUTED_FIELDS.get(fact, {}), *derived.get(fact, {})}
        assert offered == expected | {"all", "any", "not"}, fact
    assert "spn_smtpsvc_fqdn" in derived["exchange_server"]
    assert _valid({"fact": "exchange_server", "where": {"spn_smtpsvc_fqdn": {"exists": True}}})


def test_the_fields_a_given_pack_derives_are_known_too(tmp_path: Path) -> None:
    pack = tmp_path / "site.yaml"
    pack.write_text(
        "kbdoctor: rules/1\npack: site\nextends: [kb979174]\n"
        "derive: {queue: {peer_fqdn: '{peer_host}.contoso.com'}}\n",
        encoding="utf-8",
    )
    condition = {"fact": "queue", "where": {"peer_fqdn": {"exists": True}}}
    assert not _valid(condition)
    schema = rules_json_schema(derived_fields([str(pack)]))
    assert jsonschema.Draft202012Validator(schema).is_valid(_pack(condition))


def test_a_condition_on_a_conclusion_tests_any_of_its_values() -> None:
    assert _valid({"bind": "f", "finding": "unreliable_time_source", "where": {"source": "x"}})


@pytest.mark.parametrize("path", bundled_rule_files(), ids=lambda p: Path(p).name)
def test_every_shipped_rule_file_satisfies_it(path: str) -> None:
    VALIDATOR.validate(load_yaml_data(Path(path).read_text(encoding="utf-8")))


def test_a_typo_in_a_shipped_rule_is_marked() -> None:
    data = load_yaml_data((ROOT / "kb_rules" / "kb979174.yaml").read_text(encoding="utf-8"))
    broken = copy.deepcopy(data)
    broken["rules"][0]["when"][0]["where"] = {"last_eror": {"matches": "454"}}
    assert not VALIDATOR.is_valid(broken)


@pytest.mark.parametrize("readme", ["README.md", "README.pl.md"])
def test_the_readmes_rule_example_satisfies_it(readme: str) -> None:
    text = (ROOT / readme).read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    rules = [load_yaml_data(b) for b in blocks if b.startswith("- id: ")]
    assert rules
    for listed in rules:
        pack = {"kbdoctor": "rules/1", "pack": "readme", "rules": listed}
        VALIDATOR.validate(pack)


def test_number_bounds_are_written_as_json_schema_knows_them() -> None:
    """A bound pydantic writes under its own name (``ge``) is ignored by editors and
    validators; as ``minimum`` an editor flags ``abs_gt: -5`` and ``cf: 7`` as they are typed."""
    schema = rules_json_schema()
    test = schema["$defs"]["FieldTest"]["properties"]["abs_gt"]["anyOf"][0]
    assert test == {"type": "number", "minimum": 0}
    text = json.dumps(schema)
    assert '"ge": 0' not in text
    assert '"le": 1' not in text
