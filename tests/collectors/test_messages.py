"""The collectors' texts come from their catalogues (``collectors/locales``) by stable key: the
key an import report writes is the one code names, the catalogue holds it under ``collect.``;
a placeholder the caller does not give (``{formats}``) is filled in the language shown."""

from __future__ import annotations

import re

from kbdoctor.collectors.messages import SECTION, catalogue_key, message, reader_title
from kbdoctor.engine.i18n import COLLECTORS, LANGS


def test_the_catalogue_key_is_the_stable_key_in_the_collectors_section() -> None:
    assert catalogue_key("w32tm.not_a_host") == "collect.w32tm.not_a_host"
    assert all(key.startswith(SECTION) for key in COLLECTORS.catalogue("en"))


def test_message_fills_placeholders_and_falls_back_to_the_key() -> None:
    assert message("host_from_option", "pl", host="EX01").endswith("(z opcji --host)")
    assert message("host_from_option", "de", host="EX01").endswith("(aus --host)")
    assert message("no.such.key") == "no.such.key"


def test_message_finds_reader_warnings_too() -> None:
    assert message("tnc.bad_port", "pl", port=70000) == "RemotePort 70000 nie jest numerem portu"
    assert message("tnc.bad_port", "en", port=70000) == "RemotePort 70000 is not a port number"
    assert message("tnc.bad_port", "de", port=70000) == "RemotePort 70000 ist keine Portnummer"


def test_the_known_formats_are_filled_in_the_language_the_message_is_shown_in() -> None:
    for lang in LANGS:
        shown = message("unrecognised_file", lang)
        assert "{formats}" not in shown
        assert f"setspn-L - {reader_title('setspn-L', lang)}: setspn -L EX01" in shown


def test_reader_warning_keys_name_their_family() -> None:
    families = {
        key.split(".")[1]
        for key in COLLECTORS.catalogue("en")
        if re.fullmatch(r"collect\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*", key)
    }
    assert {"w32tm", "setspn", "base", "tnc", "evtx", "script"} <= families
