"""Every collector message exists in English and Polish with the same placeholders."""

from __future__ import annotations

import string

from kbdoctor.collectors.messages import MESSAGES, message


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == {"en", "pl"}, key
        assert _fields(texts["en"]) == _fields(texts["pl"]), key


def test_message_fills_placeholders_and_falls_back_to_the_key() -> None:
    assert message("host_from_option", "pl", host="EX01").endswith("(z opcji --host)")
    assert message("no.such.key") == "no.such.key"
