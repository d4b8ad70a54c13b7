"""Every reader's title (and the one command that is a menu path) reads in English and Polish, in
``collect --help`` and in the list of known formats of "no reader recognises this file"."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest
from kbdoctor.collectors.command import EXAMPLES, add_collect_parser, help_text, run_collect
from kbdoctor.collectors.importers.registry import all_readers, known_formats
from kbdoctor.collectors.importing import import_paths
from kbdoctor.collectors.messages import MESSAGES, READER_TEXTS

_FIELDS = ("title", "command")


def test_every_registered_reader_has_its_title_in_english_and_polish() -> None:
    for reader in all_readers():
        texts = READER_TEXTS.get(f"reader.{reader.name}.title")
        assert texts is not None, reader.name
        assert set(texts) == {"en", "pl"}, reader.name
        assert texts["pl"].strip(), reader.name
        assert texts["pl"] != texts["en"], reader.name


def test_the_english_catalogue_text_is_the_readers_own() -> None:
    readers = {reader.name: reader for reader in all_readers()}
    for key, texts in READER_TEXTS.items():
        family, name, what = key.split(".")
        assert family == "reader", key
        assert name in readers, f"{key}: no registered reader {name}"
        assert what in _FIELDS, key
        assert texts["en"] == getattr(readers[name], what), key


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
        if note is not None:
            assert MESSAGES[note]["en"].startswith("# "), note
            assert MESSAGES[note]["pl"] in polish
            assert MESSAGES[note]["en"] not in polish
    assert any(note is not None for _, note in EXAMPLES)
