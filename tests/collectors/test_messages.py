"""Every collector message and every reader warning exists in English and Polish with the same
placeholders, and keys are unambiguous between the two catalogues."""

from __future__ import annotations

import re
import string

from kbdoctor.collectors.messages import MESSAGES, message
from kbdoctor.collectors.warning_messages import WARNINGS


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == {"en", "pl"}, key
        assert _fields(texts["en"]) == _fields(texts["pl"]), key


def test_every_reader_warning_has_both_languages_with_the_same_placeholders() -> None:
    for key, texts in WARNINGS.items():
        assert set(texts) == {"en", "pl"}, key
        assert texts["en"].strip(), key
        assert texts["pl"].strip(), key
        assert texts["en"] != texts["pl"], key
        assert _fields(texts["en"]) == _fields(texts["pl"]), key


def test_reader_warning_keys_name_their_family_and_differ_from_message_keys() -> None:
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*", key) for key in WARNINGS)
    assert set(WARNINGS).isdisjoint(MESSAGES)


def test_message_fills_placeholders_and_falls_back_to_the_key() -> None:
    assert message("host_from_option", "pl", host="EX01").endswith("(z opcji --host)")
    assert message("no.such.key") == "no.such.key"


def test_message_finds_reader_warnings_too() -> None:
    assert message("tnc.bad_port", "pl", port=70000) == "RemotePort 70000 nie jest numerem portu"
    assert message("tnc.bad_port", "en", port=70000) == "RemotePort 70000 is not a port number"
