"""Every text exists in English and Polish with the same placeholders."""

from __future__ import annotations

import re

from kbdoctor.engine.i18n import catalogue, language_from_env, text
from kbdoctor.engine.rulebase import load_rule_base
from kbdoctor.engine.templates import placeholders

_FIELD = re.compile(r"(?<!\{)\{([a-z_]+)\}(?!\})")


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    en, pl = catalogue("en"), catalogue("pl")
    assert set(en) == set(pl)
    for key in en:
        assert set(_FIELD.findall(en[key])) == set(_FIELD.findall(pl[key])), key


def test_rule_texts_have_the_same_placeholders_in_both_languages() -> None:
    for rule in load_rule_base().rules:
        assert (
            placeholders(rule.explain.en)
            and sorted(placeholders(rule.explain.en)) == sorted(placeholders(rule.explain.pl))
        ) or not placeholders(rule.explain.pl), rule.id


def test_language_follows_the_environment() -> None:
    assert language_from_env({"LANG": "pl_PL.UTF-8"}) == "pl"
    assert language_from_env({"LANG": "pl_PL.UTF-8", "LC_ALL": "en_US.UTF-8"}) == "en"
    assert language_from_env({}) == "en"


def test_missing_key_falls_back_to_the_key() -> None:
    assert text("no.such.key", "pl") == "no.such.key"
