"""The texts the importer and ``kbdoctor collect`` show, in English and Polish.

They are kept here, next to the code that uses them, rather than in the engine's catalogues,
so that the collector family can be changed without touching the engine; a test checks that
both languages have every key and the same placeholders. What the readers say about material
they could not read lives in :mod:`kbdoctor.collectors.warning_messages`; :func:`message` looks
up both, so that an ``ImportWarning`` of the framework and one of a reader render alike.

The readers' titles (and the one command that is a menu path, not a command line) are here too,
keyed ``reader.<reader name>.title``: a reader's own ``title`` is the English text its module
documents, and the list of known formats shown in help and in "no reader recognises this file" is
rendered from this catalogue in the reader's language. That list is filled in when a warning is
*rendered*, not when it is made, so that a warning made during import reads in whatever language
it is later shown in (``collect --lang``, the TUI's language switch).
"""

from __future__ import annotations

from collections.abc import Callable
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
    "unrecognised_line": {
        "en": "line {first}{command}: not a format kbdoctor reads (skipped)",
        "pl": "wiersz {first}{command}: to nie jest format, który kbdoctor czyta (pominięto)",
    },
    "skipped_not_output": {
        "en": "{count} file(s) skipped, not command output ({source} source code or "
        "configuration, {binary} binary, {web_page} web page(s) holding no output): {names}",
        "pl": "pominięto plików: {count}, to nie są wyniki poleceń (kod źródłowy lub "
        "konfiguracja: {source}, binarne: {binary}, strony WWW bez wyników: {web_page}): "
        "{names}",
    },
    "binary_file": {
        "en": "binary file that no reader recognises. Known formats:\n{formats}",
        "pl": "plik binarny, którego żaden czytnik nie rozpoznaje. Znane formaty:\n{formats}",
    },
    "cannot_read": {
        "en": "cannot be read: {detail}",
        "pl": "nie można odczytać: {detail}",
    },
    "too_large": {
        "en": "skipped: larger than {limit} bytes (limit {variable})",
        "pl": "pominięto: większy niż {limit} bajtów (limit {variable})",
    },
    "nothing_readable": {
        "en": "nothing could be read: no file given can be read",
        "pl": "nic nie dało się odczytać: żadnego z podanych plików nie można odczytać",
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
    "help_report": {
        "en": "also write, as JSON (import-report/1), what was read from each file: the reader "
        "of each block with its lines, the facts it read, what was skipped and why",
        "pl": "zapisz też jako JSON (import-report/1), co odczytano z każdego pliku: czytnik "
        "każdego bloku z jego wierszami, odczytane fakty, co pominięto i dlaczego",
    },
    "report_needs_import": {
        "en": "--report needs --import PATH (it tells what was read from imported files)",
        "pl": "--report wymaga --import ŚCIEŻKA (mówi, co odczytano z importowanych plików)",
    },
    "report_is_output": {
        "en": "--report and -o name the same file ({file})",
        "pl": "--report i -o wskazują ten sam plik ({file})",
    },
    "report_file": {
        "en": "{file}: {blocks}",
        "pl": "{file}: {blocks}",
    },
    "report_block": {
        "en": "{reader} lines {first}-{last}: {facts} fact(s)",
        "pl": "{reader} wiersze {first}-{last}: faktów: {facts}",
    },
    "report_block_line": {
        "en": "{reader} line {first}: {facts} fact(s)",
        "pl": "{reader} wiersz {first}: faktów: {facts}",
    },
    "report_block_whole": {
        "en": "{reader}: {facts} fact(s)",
        "pl": "{reader}: faktów: {facts}",
    },
    "report_block_unclaimed": {
        "en": "lines {first}-{last}: no reader",
        "pl": "wiersze {first}-{last}: żaden czytnik",
    },
    "report_block_unclaimed_line": {
        "en": "line {first}: no reader",
        "pl": "wiersz {first}: żaden czytnik",
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
    "help_help": {
        "en": "show this help (in the language of --lang) and exit",
        "pl": "pokaż tę pomoc (w języku z opcji --lang) i zakończ",
    },
    "help_example_folders": {
        "en": "# the outputs of two machines, each in a folder named after it:",
        "pl": "# wyniki dwóch maszyn, każdej w folderze nazwanym jak ona:",
    },
    "help_example_append": {
        "en": "# one more output from EX01, added to an existing fact file:",
        "pl": "# jeszcze jeden wynik z EX01, dopisany do istniejącego pliku faktów:",
    },
}

READER_TEXTS: dict[str, dict[Lang, str]] = {
    "reader.eventlog-details.title": {
        "en": "Event log records (Event Viewer: Copy details as text)",
        "pl": "Rekordy dziennika zdarzeń (Podgląd zdarzeń: Kopiuj szczegóły jako tekst)",
    },
    "reader.eventlog-details.command": {
        "en": "Event Viewer: select the event, Copy > Copy details as text",
        "pl": "Podgląd zdarzeń: zaznacz zdarzenie, Kopiuj > Kopiuj szczegóły jako tekst",
    },
    "reader.eventlog-evtx.title": {
        "en": "Event log file (.evtx)",
        "pl": "Plik dziennika zdarzeń (.evtx)",
    },
    "reader.eventlog-list.title": {
        "en": "Event log records (Get-WinEvent | Format-List)",
        "pl": "Rekordy dziennika zdarzeń (Get-WinEvent | Format-List)",
    },
    "reader.eventlog-xml.title": {
        "en": "Event log records (wevtutil qe /f:xml, Get-WinEvent ToXml)",
        "pl": "Rekordy dziennika zdarzeń (wevtutil qe /f:xml, Get-WinEvent ToXml)",
    },
    "reader.exchange-queue.title": {
        "en": "Get-Queue | Format-List: transport queues and their last error",
        "pl": "Get-Queue | Format-List: kolejki transportu i ich ostatni błąd",
    },
    "reader.exchange-queue-table.title": {
        "en": "Get-Queue (table): LastError cut short, Format-List needed",
        "pl": "Get-Queue (tabela): LastError jest ucięty, potrzebne Format-List",
    },
    "reader.exchange-receive-connector.title": {
        "en": "Get-ReceiveConnector | Format-List: authentication of receive connectors",
        "pl": "Get-ReceiveConnector | Format-List: uwierzytelnianie łączników odbierania",
    },
    "reader.exchange-receive-connector-clixml.title": {
        "en": "Get-ReceiveConnector | Export-Clixml: receive connectors, locale independent",
        "pl": "Get-ReceiveConnector | Export-Clixml: łączniki odbierania, niezależnie od "
        "ustawień regionalnych",
    },
    "reader.exchange-receive-connector-json.title": {
        "en": "Get-ReceiveConnector | ConvertTo-Json: receive connectors, locale independent",
        "pl": "Get-ReceiveConnector | ConvertTo-Json: łączniki odbierania, niezależnie od "
        "ustawień regionalnych",
    },
    "reader.exchange-server.title": {
        "en": "Get-ExchangeServer | Format-List: Exchange servers, sites and versions",
        "pl": "Get-ExchangeServer | Format-List: serwery Exchange, ich lokacje i wersje",
    },
    "reader.exchange-server-table.title": {
        "en": "Get-ExchangeServer (table): values cut short, Format-List needed",
        "pl": "Get-ExchangeServer (tabela): wartości są ucięte, potrzebne Format-List",
    },
    "reader.klist.title": {
        "en": "klist / klist get SPN: Kerberos tickets and the errors getting them",
        "pl": "klist / klist get SPN: bilety Kerberos i błędy przy ich uzyskiwaniu",
    },
    "reader.portqry.title": {
        "en": "portqry -n DC -e 88 -p both: whether TCP and UDP ports answer",
        "pl": "portqry -n DC -e 88 -p both: czy porty TCP i UDP odpowiadają",
    },
    "reader.nltest-dsgetdc.title": {
        "en": "nltest /dsgetdc:DOMAIN: the domain controller found, its site and flags",
        "pl": "nltest /dsgetdc:DOMENA: znaleziony kontroler domeny, jego lokacja i flagi",
    },
    "reader.nltest-dclist.title": {
        "en": "nltest /dclist:DOMAIN: the domain controllers of a domain and the PDC",
        "pl": "nltest /dclist:DOMENA: kontrolery domeny i emulator PDC",
    },
    "reader.repadmin-replsummary.title": {
        "en": "repadmin /replsummary: replication failures per source and destination DC",
        "pl": "repadmin /replsummary: błędy replikacji według źródłowego i docelowego "
        "kontrolera domeny",
    },
    "reader.repadmin-showrepl.title": {
        "en": "repadmin /showrepl: inbound replication of a domain controller",
        "pl": "repadmin /showrepl: replikacja przychodząca kontrolera domeny",
    },
    "reader.repadmin-showrepl-csv.title": {
        "en": "repadmin /showrepl * /csv: inbound replication of every DC",
        "pl": "repadmin /showrepl * /csv: replikacja przychodząca wszystkich kontrolerów domeny",
    },
    "reader.setspn-L.title": {
        "en": "setspn -L: SPNs registered on an account",
        "pl": "setspn -L: nazwy SPN zarejestrowane na koncie",
    },
    "reader.setspn-Q.title": {
        "en": "setspn -Q: which accounts hold an SPN",
        "pl": "setspn -Q: które konta mają daną nazwę SPN",
    },
    "reader.setspn-X.title": {
        "en": "setspn -X [-F]: SPNs registered on more than one account",
        "pl": "setspn -X [-F]: nazwy SPN zarejestrowane na więcej niż jednym koncie",
    },
    "reader.test-netconnection.title": {
        "en": "Test-NetConnection -Port: whether a TCP port answers",
        "pl": "Test-NetConnection -Port: czy port TCP odpowiada",
    },
    "reader.w32tm-monitor.title": {
        "en": "w32tm /monitor: domain controllers and their clock offsets",
        "pl": "w32tm /monitor: kontrolery domeny i przesunięcia ich zegarów",
    },
    "reader.w32tm-peers.title": {
        "en": "w32tm /query /peers: the time sources a machine polls",
        "pl": "w32tm /query /peers: źródła czasu, które odpytuje maszyna",
    },
    "reader.w32tm-status.title": {
        "en": "w32tm /query /status /verbose: a machine's time source and state",
        "pl": "w32tm /query /status /verbose: źródło czasu i stan usługi czasu maszyny",
    },
    "reader.w32tm-stripchart.title": {
        "en": "w32tm /stripchart: clock offset of a target from this machine",
        "pl": "w32tm /stripchart: przesunięcie zegara celu względem tej maszyny",
    },
}


def reader_text(name: str, what: str, lang: Lang, default: str) -> str:
    """A reader's ``title`` (or ``command``, where that is prose) in ``lang``; ``default`` (the
    reader's own English text) for a reader the catalogue does not know yet - a test makes sure
    that every registered reader is known."""
    texts = READER_TEXTS.get(f"reader.{name}.{what}")
    if texts is None:
        return default
    return texts.get(lang) or texts["en"]


def _known_formats(lang: Lang) -> str:
    # Imported here: the registry imports every reader, and the readers import this module.
    from kbdoctor.collectors.importers.registry import describe_formats, known_formats

    return describe_formats(known_formats(lang=lang))


DERIVED_PLACEHOLDERS: dict[str, Callable[[Lang], str]] = {"formats": _known_formats}
"""Placeholders a message may name without its caller giving them: computed in the language the
message is rendered in."""


class _Params(dict[str, Any]):
    def __init__(self, params: dict[str, Any], lang: Lang) -> None:
        super().__init__(params)
        self.lang = lang

    def __missing__(self, key: str) -> str:
        derived = DERIVED_PLACEHOLDERS.get(key)
        return derived(self.lang) if derived is not None else "{" + key + "}"


def message(key: str, lang: Lang = "en", /, **params: Any) -> str:
    """The text of ``key`` in ``lang`` (English when missing), with its placeholders filled."""
    texts = MESSAGES.get(key) or WARNINGS.get(key) or READER_TEXTS.get(key)
    if texts is None:
        return key
    template = texts.get(lang) or texts["en"]
    return template.format_map(_Params(params, lang))
