"""The texts the importer and ``kbdoctor collect`` show, in English and Polish.

They are kept here, next to the code that uses them, rather than in the engine's catalogues,
so that the collector family can be changed without touching the engine; a test checks that
both languages have every key and the same placeholders. What the readers say about material
they could not read lives in :mod:`kbdoctor.collectors.warning_messages`; :func:`message` looks
up both, so that an ``ImportWarning`` of the framework and one of a reader render alike.
"""

from __future__ import annotations

from typing import Any

from kbdoctor.collectors.warning_messages import WARNINGS
from kbdoctor.engine.i18n import Lang

MESSAGES: dict[str, dict[Lang, str]] = {
    "host_from_option": {
        "en": "the output does not name the machine it ran on; used {host} (from --host)",
        "pl": "wynik nie podaje maszyny, na której go uzyskano; przyjęto {host} (z opcji --host)",
    },
    "host_from_folder": {
        "en": "the output does not name the machine it ran on; used {host} (the name of the "
        "folder the file is in)",
        "pl": "wynik nie podaje maszyny, na której go uzyskano; przyjęto {host} (nazwa folderu, "
        "w którym leży plik)",
    },
    "unrecognised_file": {
        "en": "not a format kbdoctor reads. Known formats:\n{formats}",
        "pl": "to nie jest format, który kbdoctor czyta. Znane formaty:\n{formats}",
    },
    "unrecognised_segment": {
        "en": "lines {first}-{last}{command}: not a format kbdoctor reads (skipped)",
        "pl": "wiersze {first}-{last}{command}: to nie jest format, który kbdoctor czyta "
        "(pominięto)",
    },
    "binary_file": {
        "en": "binary file that no reader recognises. Known formats:\n{formats}",
        "pl": "plik binarny, którego żaden czytnik nie rozpoznaje. Znane formaty:\n{formats}",
    },
    "cannot_read": {
        "en": "cannot be read: {detail}",
        "pl": "nie można odczytać: {detail}",
    },
    "no_such_path": {
        "en": "no such file or folder",
        "pl": "nie ma takiego pliku ani folderu",
    },
    "reader_failed": {
        "en": "reader {reader} failed on this material ({detail}); nothing read from it",
        "pl": "czytnik {reader} zawiódł na tym materiale ({detail}); nic z niego nie odczytano",
    },
    "summary": {
        "en": "{facts} fact(s) from {files} file(s); {warnings} warning(s), {unrecognised} "
        "unrecognised",
        "pl": "faktów: {facts} z plików: {files}; ostrzeżeń: {warnings}, nierozpoznanych: "
        "{unrecognised}",
    },
    "append_invalid": {
        "en": "cannot extend {file}: it is not a valid fact file",
        "pl": "nie można rozszerzyć {file}: to nie jest poprawny plik faktów",
    },
    "append_needs_file": {
        "en": "--append needs -o FACTS (a file to extend)",
        "pl": "--append wymaga -o FAKTY (pliku do rozszerzenia)",
    },
    "nothing_imported": {
        "en": "nothing could be read from the material given",
        "pl": "z podanego materiału nie udało się nic odczytać",
    },
    "no_import": {
        "en": "give at least one --import PATH",
        "pl": "podaj co najmniej jedno --import ŚCIEŻKA",
    },
    "write_failed": {
        "en": "cannot write {file}: {detail}",
        "pl": "nie można zapisać {file}: {detail}",
    },
    "help_description": {
        "en": "Read saved output of Windows and Exchange commands and write a fact file.",
        "pl": "Czyta zapisane wyniki poleceń Windows i Exchange i zapisuje plik faktów.",
    },
    "help_import": {
        "en": "a file or folder (read recursively) of saved command output; repeatable",
        "pl": "plik lub folder (czytany rekurencyjnie) z zapisanymi wynikami poleceń; "
        "można powtarzać",
    },
    "help_output": {
        "en": "the fact file to write (default: standard output; - is standard output)",
        "pl": "plik faktów do zapisania (domyślnie: standardowe wyjście; - to standardowe "
        "wyjście)",
    },
    "help_append": {
        "en": "extend an existing fact file, leaving out facts it already holds",
        "pl": "rozszerz istniejący plik faktów, pomijając fakty, które już zawiera",
    },
    "help_host": {
        "en": "the machine the outputs were collected on, for outputs that do not name it "
        "(w32tm /stripchart, Test-NetConnection, klist); default: the folder's name",
        "pl": "maszyna, na której zebrano wyniki, dla wyników, które jej nie podają "
        "(w32tm /stripchart, Test-NetConnection, klist); domyślnie: nazwa folderu",
    },
    "help_format": {
        "en": "yaml or json (default: by the output's extension, else yaml)",
        "pl": "yaml lub json (domyślnie: według rozszerzenia pliku wyjściowego, inaczej yaml)",
    },
    "help_lang": {
        "en": "language of the messages: en or pl (default: from LANG)",
        "pl": "język komunikatów: en lub pl (domyślnie: z LANG)",
    },
    "help_epilog": {
        "en": "Run these on the servers and domain controllers (cmd or PowerShell) and save "
        "each output to its own file; put the files of one machine in a folder named after "
        "it, or give --host. Any encoding Windows writes is fine (PowerShell's UTF-16, cmd's "
        "code page), and so is a whole console session pasted into one file.",
        "pl": "Uruchom te polecenia na serwerach i kontrolerach domeny (cmd lub PowerShell) i "
        "zapisz wynik każdego do osobnego pliku; pliki jednej maszyny umieść w folderze "
        "nazwanym jak ona albo podaj --host. Każde kodowanie, które zapisuje Windows, jest "
        "dobre (UTF-16 PowerShella, strona kodowa cmd), podobnie cała sesja konsoli wklejona "
        "do jednego pliku.",
    },
    "help_formats_heading": {
        "en": "Formats read (name: command to run):",
        "pl": "Czytane formaty (nazwa: polecenie do uruchomienia):",
    },
    "help_examples_heading": {
        "en": "Examples:",
        "pl": "Przykłady:",
    },
}


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def message(key: str, lang: Lang = "en", /, **params: Any) -> str:
    """The text of ``key`` in ``lang`` (English when missing), with its placeholders filled."""
    texts = MESSAGES.get(key) or WARNINGS.get(key)
    if texts is None:
        return key
    template = texts.get(lang) or texts["en"]
    return template.format_map(_Params(params))
