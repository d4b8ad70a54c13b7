"""The reader registry is the one source of each reader's title and command: the title in every
language from the catalogue (``collect.reader.<name>.title``), the command from the reader
(``Reader.command``; the one that is a menu path, from the catalogue), in ``collect --help`` and
in the list of known formats of "no reader recognises this file"."""

from __future__ import annotations

import argparse
import io
import re
from pathlib import Path

import pytest
from kbdoctor.collectors.importers.registry import all_readers, known_formats
from kbdoctor.collectors.importing import import_paths
from kbdoctor.collectors.messages import message
from kbdoctor.engine.i18n import COLLECTORS, LANGS

from kbdoctor.collect_command import EXAMPLES, add_collect_parser, help_text, run_collect

_READER_KEY = re.compile(r"collect\.reader\.(?P<name>[^.]+)\.(?P<what>title|command)")


def test_every_registered_reader_has_its_title_in_every_language() -> None:
    for lang in LANGS:
        titles = {f.name: f.title for f in known_formats(lang=lang)}
        for reader in all_readers():
            assert f"collect.reader.{reader.name}.title" in COLLECTORS.catalogue(lang), reader.name
            assert titles[reader.name].strip(), reader.name
    english, polish = known_formats(lang="en"), known_formats(lang="pl")
    assert all(e.title != p.title for e, p in zip(english, polish, strict=True))


def test_every_reader_text_of_the_catalogue_names_a_registered_reader() -> None:
    readers = {reader.name: reader for reader in all_readers()}
    for key in COLLECTORS.catalogue("en"):
        if key.startswith("collect.reader."):
            found = _READER_KEY.fullmatch(key)
            assert found is not None, key
            assert found["name"] in readers, f"{key}: no registered reader"
            if found["what"] == "command":
                # only a reader whose command is prose is shown from the catalogue
                assert getattr(readers[found["name"]], "command_is_prose", False), key


def test_a_prose_command_is_the_catalogues_english_text() -> None:
    prose = [r for r in all_readers() if getattr(r, "command_is_prose", False)]
    assert [r.name for r in prose] == ["eventlog-details"]
    assert prose[0].command == message("reader.eventlog-details.command", "en")


def test_known_formats_are_titled_in_the_language_asked_for() -> None:
    english = {f.name: f for f in known_formats()}
    polish = {f.name: f for f in known_formats(lang="pl")}
    assert english["setspn-L"].title == "setspn -L: SPNs registered on an account"
    assert polish["setspn-L"].title == "setspn -L: nazwy SPN zarejestrowane na koncie"
    assert polish["setspn-L"].command == english["setspn-L"].command
    assert polish["eventlog-details"].command.startswith("Podgląd zdarzeń:")


def test_an_unrecognised_file_lists_the_formats_in_the_language_it_is_shown_in(
    tmp_path: Path,
) -> None:
    (tmp_path / "notes.txt").write_text("Dear support, see attached.\n")
    [item] = import_paths([str(tmp_path)], lang="en").unrecognised
    polish, english = item.text("pl"), item.text("en")
    assert "setspn -L: nazwy SPN zarejestrowane na koncie: setspn -L EX01" in polish
    assert "SPNs registered on an account" not in polish
    assert "setspn -L: SPNs registered on an account: setspn -L EX01" in english
    assert "{formats}" not in polish + english


def test_a_binary_file_is_set_aside_in_one_summary_line_in_polish_too(tmp_path: Path) -> None:
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "shot.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    [item] = import_paths([str(tmp_path)]).unrecognised
    assert item.key == "skipped_not_output"
    assert "binarne: 2" in item.text("pl")
    assert "blob.bin, shot.png" in item.text("en")


def test_help_is_in_the_language_of_lang_even_when_given_after_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    parser = argparse.ArgumentParser(prog="kbdoctor")
    add_collect_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["collect", "--help", "--lang", "pl"])
    assert run_collect(args, stderr=io.StringIO()) == 0
    shown = capsys.readouterr().out
    assert "Czytane formaty" in shown
    assert "w32tm /monitor: kontrolery domeny i przesunięcia ich zegarów" in shown
    assert "Formats read" not in shown


def test_help_follows_lang_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "pl_PL.UTF-8")
    parser = argparse.ArgumentParser(prog="kbdoctor")
    sub = parser.add_subparsers(dest="command")
    add_collect_parser(sub)
    assert "łączniki odbierania" in sub.choices["collect"].format_help()


def test_example_comments_are_translated_and_commands_are_not() -> None:
    english, polish = help_text("en"), help_text("pl")
    for command, note in EXAMPLES:
        assert f"  {command}\n" in english + "\n"
        assert f"  {command}\n" in polish + "\n"
        assert message(note, "en").startswith("# "), note
        assert message(note, "pl") in polish
        assert message(note, "en") not in polish


def test_help_names_each_readers_command_once() -> None:
    shown = help_text("en")
    for reader in all_readers():
        if not getattr(reader, "command_is_prose", False):
            assert shown.count(f": {reader.command}\n") == 1, reader.name
    assert not any(command.startswith(("setspn", "w32tm")) for command, _ in EXAMPLES)


def test_help_reads_in_german_with_the_readers_commands_as_they_are() -> None:
    shown = help_text("de")
    assert "Gelesene Formate (Name: auszuführender Befehl):" in shown
    assert "setspn -L: auf einem Konto registrierte SPNs: setspn -L EX01" in shown
    assert "Ereignisanzeige: das Ereignis auswählen" in shown
    assert "# die Ausgaben zweier Maschinen" in shown
