"""What the readers say about material they could not read, in English and Polish.

Readers do not write sentences: they give an ``ImportWarning`` a key of this catalogue and its
parameters, and whoever shows the warning renders it in the reader's language
(``kbdoctor collect --lang``, the TUI's language). The texts of all readers live here, in one
place, so that a translator sees every one of them and a test can check that both languages have
every key with the same placeholders and that every key a reader uses is here. Keys are
``family.what``; the family is the reader module's (or helper's) short name. Command names,
property names and fact types stay as Windows and facts/1 spell them, in both languages.
"""

from __future__ import annotations

from kbdoctor.engine.i18n import Lang

WARNINGS: dict[str, dict[Lang, str]] = {
    # Values placed by their shape (collectors/shapes.py), every reader
    "w32tm.tracking_name_unplaced": {
        "en": "the name of the tracked machine cannot be told from the words around it; its "
        "address {address} is used: {text}",
        "pl": "nie da się odróżnić nazwy śledzonej maszyny od otaczających ją słów; użyto jej "
        "adresu {address}: {text}",
    },
    "w32tm.tracking_unreadable": {
        "en": "neither the name nor the address of the tracked machine can be read: {text}",
        "pl": "nie da się odczytać ani nazwy, ani adresu śledzonej maszyny: {text}",
    },
    "w32tm.not_a_host": {
        "en": "skipped (not shaped like a host name or address): {text}",
        "pl": "pominięto (to nie ma postaci nazwy hosta ani adresu): {text}",
    },
    "setspn.no_duplicates_run": {
        "en": "no setspn -X run here (no progress line or duplicate group before a closing "
        "'found N group(s) of duplicate SPNs.' line): nothing read as a duplicate search",
        "pl": "to nie jest przebieg setspn -X (brak wiersza postępu lub grupy duplikatów przed "
        "wierszem końcowym 'found N group(s) of duplicate SPNs.'): nic nie odczytano jako "
        "wyszukiwania duplikatów",
    },
    "base.not_claimed": {
        "en": "not read by {reader}: the lines that make its format are not there",
        "pl": "czytnik {reader} tego nie odczytał: brak wierszy charakterystycznych dla jego "
        "formatu",
    },
    "base.read_failed": {
        "en": "{reader} stopped reading this material (a fault of the reader, please report it): "
        "{detail}",
        "pl": "czytnik {reader} przerwał odczyt tego materiału (błąd czytnika, prosimy go "
        "zgłosić): {detail}",
    },
    "base.nothing_found": {
        "en": "{reader} recognised this material but found nothing in it to read",
        "pl": "czytnik {reader} rozpoznał ten materiał, ale nie znalazł w nim niczego do "
        "odczytania",
    },
    "base.not_a_host": {
        "en": "{type} not kept: its {field} '{value}' is not shaped like a host name or address",
        "pl": "nie zachowano faktu {type}: jego pole {field} '{value}' nie ma postaci nazwy "
        "hosta ani adresu",
    },
    "klist.local_failure": {
        "en": "klist could not {call} (the local ticket cache, not a Kerberos exchange with a "
        "KDC): no kerberos_error fact",
        "pl": "klist nie wykonał {call} (lokalna pamięć biletów, nie wymiana Kerberos z KDC): "
        "fakt kerberos_error nie powstał",
    },
    "eventlog.time_unread": {
        "en": "the event's time '{text}' is not read: the day and the month cannot be told apart "
        "(or the layout is unknown); the event is kept without a time",
        "pl": "nie odczytano czasu zdarzenia '{text}': nie da się odróżnić dnia od miesiąca (lub "
        "układ daty jest nieznany); zdarzenie zachowano bez czasu",
    },
    "w32tm.reference_unplaced": {
        "en": "the machine the offset of {host} is measured from cannot be placed, no "
        "clock_offset fact: NTP: {text}",
        "pl": "nie da się ustalić, względem której maszyny zmierzono przesunięcie {host}; fakt "
        "clock_offset nie powstał: NTP: {text}",
    },
    # setspn -L / -Q / -X
    "setspn.spn_outside_account": {
        "en": "skipped (an SPN outside any account): {text}",
        "pl": "pominięto (SPN poza jakimkolwiek kontem): {text}",
    },
    "setspn.not_list_line": {
        "en": "skipped (not a setspn -L line): {text}",
        "pl": "pominięto (to nie jest wiersz wyniku setspn -L): {text}",
    },
    "setspn.not_spn_shaped": {
        "en": "kept in the listing, but not shaped like an SPN (service/host): {text}",
        "pl": "zachowano na liście, choć nie ma postaci SPN (usługa/host): {text}",
    },
    "setspn.list_without_account": {
        "en": "setspn -L output without an account line (... CN=...:)",
        "pl": "wynik setspn -L bez wiersza z kontem (... CN=...:)",
    },
    "setspn.not_query_line": {
        "en": "skipped (not a setspn -Q line): {text}",
        "pl": "pominięto (to nie jest wiersz wyniku setspn -Q): {text}",
    },
    "setspn.query_without_result": {
        "en": "setspn -Q output without a result line: truncated?",
        "pl": "wynik setspn -Q bez wiersza z rezultatem: czy nie jest ucięty?",
    },
    "setspn.queried_spn_missing": {
        "en": "the SPN that was queried is not in the material (paste the command line with "
        "the output); no spn_query fact",
        "pl": "w materiale brak SPN, o który pytano (wklej wiersz polecenia razem z wynikiem); "
        "fakt spn_query nie powstał",
    },
    "setspn.group_count_mismatch": {
        "en": "setspn reports {count} duplicate group(s), {read} were read",
        "pl": "setspn podaje liczbę grup zduplikowanych SPN: {count}, odczytano: {read}",
    },
    "setspn.group_too_small": {
        "en": "skipped (a duplicate group with fewer than two accounts): {text}",
        "pl": "pominięto (grupa duplikatów z mniej niż dwoma kontami): {text}",
    },
    "setspn.not_duplicates_line": {
        "en": "skipped (not a setspn -X line): {text}",
        "pl": "pominięto (to nie jest wiersz wyniku setspn -X): {text}",
    },
    "setspn.duplicates_truncated": {
        "en": "setspn -X output without its closing line (found N group(s) of duplicate SPNs): "
        "truncated, so no check_run fact for this part",
        "pl": "wynik setspn -X bez wiersza końcowego (found N group(s) of duplicate SPNs): jest "
        "ucięty, więc dla tej części nie powstał fakt check_run",
    },
    # w32tm /stripchart, /monitor, /query /status, /query /peers
    "w32tm.no_host": {
        "en": "{command} does not name the machine it ran on and no host is known: give --host "
        "NAME or put the file in a folder named after the machine",
        "pl": "{command} nie podaje maszyny, na której je uruchomiono, a host nie jest znany: "
        "podaj --host NAZWA albo umieść plik w folderze nazwanym jak ta maszyna",
    },
    "w32tm.not_stripchart_line": {
        "en": "skipped (not a stripchart line): {text}",
        "pl": "pominięto (to nie jest wiersz wyniku stripchart): {text}",
    },
    "w32tm.sample_without_offset": {
        "en": "sample skipped (no offset): {text}",
        "pl": "pominięto próbkę (brak przesunięcia): {text}",
    },
    "w32tm.stripchart_target_unknown": {
        "en": "no 'Tracking NAME [address:123].' line and no /computer: in the command: the "
        "target is unknown",
        "pl": "brak wiersza 'Tracking NAZWA [adres:123].' i brak /computer: w poleceniu: nie "
        "wiadomo, czyj zegar mierzono",
    },
    "w32tm.no_sample": {
        "en": "no sample of {target} could be read: no clock_offset fact",
        "pl": "nie udało się odczytać żadnej próbki dla {target}: fakt clock_offset nie powstał",
    },
    "w32tm.ntp_before_server": {
        "en": "an NTP line before any domain controller line",
        "pl": "wiersz NTP przed jakimkolwiek wierszem kontrolera domeny",
    },
    "w32tm.no_offset": {
        "en": "no clock offset for {host}: NTP: {text}",
        "pl": "brak przesunięcia zegara dla {host}: NTP: {text}",
    },
    "w32tm.status_without_source": {
        "en": "w32tm status block without its time source line (truncated?)",
        "pl": "blok stanu w32tm bez wiersza ze źródłem czasu (ucięty?)",
    },
    "w32tm.peer_count_mismatch": {
        "en": "w32tm lists {count} peer(s), {read} were read",
        "pl": "w32tm podaje liczbę partnerów (peers): {count}, odczytano: {read}",
    },
    # Test-NetConnection
    "tnc.not_tnc_line": {
        "en": "skipped (not a Test-NetConnection line): {text}",
        "pl": "pominięto (to nie jest wiersz wyniku Test-NetConnection): {text}",
    },
    "tnc.incomplete_block": {
        "en": "a Test-NetConnection block without ComputerName, a numeric RemotePort and "
        "TcpTestSucceeded True/False",
        "pl": "blok Test-NetConnection bez ComputerName, liczbowego RemotePort i "
        "TcpTestSucceeded True/False",
    },
    "tnc.bad_port": {
        "en": "RemotePort {port} is not a port number",
        "pl": "RemotePort {port} nie jest numerem portu",
    },
    "tnc.no_host": {
        "en": "Test-NetConnection does not name the machine it ran on: give --host NAME or put "
        "the file in a folder named after the machine",
        "pl": "Test-NetConnection nie podaje maszyny, na której je uruchomiono: podaj --host "
        "NAZWA albo umieść plik w folderze nazwanym jak ta maszyna",
    },
    # klist
    "klist.no_host": {
        "en": "klist does not name the machine it ran on: give --host NAME or put the file in a "
        "folder named after the machine; the Kerberos error was not read",
        "pl": "klist nie podaje maszyny, na której je uruchomiono: podaj --host NAZWA albo "
        "umieść plik w folderze nazwanym jak ta maszyna; błędu Kerberosa nie odczytano",
    },
    # Get-ExchangeServer
    "exchange_server.without_name": {
        "en": "Exchange server record without Name or Fqdn; skipped",
        "pl": "rekord serwera Exchange bez Name ani Fqdn; pominięto",
    },
    "exchange_server.table_output": {
        "en": "Get-ExchangeServer table: values are cut short; run "
        "'Get-ExchangeServer | Format-List' instead",
        "pl": "tabela Get-ExchangeServer: wartości są ucięte; uruchom zamiast tego "
        "'Get-ExchangeServer | Format-List'",
    },
    # Get-Queue / Get-Message
    "queue.no_server": {
        "en": "queue {queue}: no server in its Identity; give it with --host",
        "pl": "kolejka {queue}: w jej Identity nie ma serwera; podaj go w --host",
    },
    "queue.bad_count": {
        "en": "queue {queue}: MessageCount {count} is not a count",
        "pl": "kolejka {queue}: MessageCount {count} nie jest liczbą wiadomości",
    },
    "queue.message_without_server": {
        "en": "message in queue {queue}: no server named; give it with --host",
        "pl": "wiadomość w kolejce {queue}: nie podano serwera; podaj go w --host",
    },
    "queue.table_output": {
        "en": "Get-Queue/Get-Message table: LastError is cut short in a table; run "
        "'Get-Queue | Format-List' (or 'Get-Message | Format-List') instead",
        "pl": "tabela Get-Queue/Get-Message: w tabeli LastError jest ucięty; uruchom zamiast "
        "tego 'Get-Queue | Format-List' (albo 'Get-Message | Format-List')",
    },
    # Get-ReceiveConnector (Format-List, Export-Clixml, ConvertTo-Json)
    "receive_connector.without_name": {
        "en": "receive connector without Server/Identity/Name; skipped",
        "pl": "łącznik odbierania bez Server/Identity/Name; pominięto",
    },
    "receive_connector.auth_unreadable": {
        "en": "receive connector {connector}: AuthMechanism not readable",
        "pl": "łącznik odbierania {connector}: nie można odczytać AuthMechanism",
    },
    "receive_connector.unknown_flags": {
        "en": "receive connector {connector}: unknown {property} {values}",
        "pl": "łącznik odbierania {connector}: nieznane wartości {property}: {values}",
    },
    "receive_connector.bindings_cut": {
        "en": "Bindings cut short by $FormatEnumerationLimit (set it to -1 first)",
        "pl": "Bindings ucięte przez $FormatEnumerationLimit (najpierw ustaw go na -1)",
    },
    "receive_connector.json_unreadable": {
        "en": "JSON not read: {detail}",
        "pl": "nie odczytano JSON: {detail}",
    },
    # CLIXML (Export-Clixml), raised by the helper and passed on by the readers that use it
    "clixml.root_not_objs": {
        "en": "Clixml not read: the root element is <{tag}>, not <Objs>",
        "pl": "nie odczytano Clixml: element główny to <{tag}>, a nie <Objs>",
    },
    "clixml.doctype": {
        "en": "Clixml not read: document type declarations are refused",
        "pl": "nie odczytano Clixml: deklaracje typu dokumentu (DOCTYPE) są odrzucane",
    },
    "clixml.not_well_formed": {
        "en": "Clixml not read: not well-formed XML: {detail}",
        "pl": "nie odczytano Clixml: XML nie jest poprawnie zbudowany: {detail}",
    },
    "clixml.no_element": {
        "en": "Clixml not read: no XML element found",
        "pl": "nie odczytano Clixml: nie znaleziono żadnego elementu XML",
    },
    # repadmin /showrepl, /showrepl * /csv, /replsummary
    "repadmin.showrepl_partial": {
        "en": "repadmin /showrepl output is partial (no 'Site\\DC' header or a link cut short): "
        "its links are used, but it is no evidence that replication is healthy",
        "pl": "wynik repadmin /showrepl jest niepełny (brak nagłówka 'Site\\DC' albo ucięte "
        "połączenie): jego połączenia są użyte, ale nie dowodzi on, że replikacja działa",
    },
    "repadmin.link_without_attempt": {
        "en": "link from {source} has no 'Last attempt @' line; skipped",
        "pl": "połączenie od {source} nie ma wiersza 'Last attempt @'; pominięto",
    },
    "repadmin.link_without_destination": {
        "en": "link from {source}: the output does not name the DC it was run on; give it with "
        "--host",
        "pl": "połączenie od {source}: wynik nie podaje kontrolera domeny, na którym go "
        "uzyskano; podaj go w --host",
    },
    "repadmin.csv_reported": {
        "en": "repadmin reported: {text}",
        "pl": "repadmin zgłosił: {text}",
    },
    "repadmin.csv_field_count": {
        "en": "showrepl_INFO row has {count} fields, expected 10 or 11; skipped",
        "pl": "wiersz showrepl_INFO ma pól: {count}, oczekiwano 10 lub 11; pominięto",
    },
    "repadmin.csv_partial": {
        "en": "repadmin CSV is partial (no showrepl_COLUMNS header or unreadable rows): no "
        "evidence that replication is healthy",
        "pl": "CSV z repadmin jest niepełny (brak nagłówka showrepl_COLUMNS albo nieczytelne "
        "wiersze): nie dowodzi, że replikacja działa",
    },
    "repadmin.csv_row_without_destination": {
        "en": "showrepl_INFO row without a readable destination DC (give --host); skipped",
        "pl": "wiersz showrepl_INFO bez czytelnego docelowego kontrolera domeny (podaj --host); "
        "pominięto",
    },
    "repadmin.csv_row_unreadable": {
        "en": "showrepl_INFO row without readable fields; skipped",
        "pl": "wiersz showrepl_INFO bez czytelnych pól; pominięto",
    },
    "repadmin.dc_unreachable": {
        "en": "repadmin could not read replication data of {dc} (error {error}); run "
        "repadmin /showrepl on it",
        "pl": "repadmin nie mógł odczytać danych replikacji z {dc} (błąd {error}); uruchom na "
        "nim repadmin /showrepl",
    },
    "repadmin.summary_without_rows": {
        "en": "replication summary without rows (the collection failed or was cut short)",
        "pl": "podsumowanie replikacji bez wierszy (zbieranie danych nie powiodło się albo "
        "zostało przerwane)",
    },
    "repadmin.summary_ambiguous": {
        "en": "{sources} failing sources and {destinations} failing destinations: the summary "
        "does not say which replicates to which; run repadmin /showrepl * /csv for the links",
        "pl": "źródła z błędami: {sources}, cele z błędami: {destinations}; podsumowanie nie "
        "mówi, które replikuje do którego; połączenia poda repadmin /showrepl * /csv",
    },
    "repadmin.link_without_code": {
        "en": "failing link {source} -> {destination} without an error code; skipped",
        "pl": "połączenie z błędami {source} -> {destination} bez kodu błędu; pominięto",
    },
    # .evtx files
    "evtx.no_signature": {
        "en": "not an .evtx file (no ElfFile signature)",
        "pl": "to nie jest plik .evtx (brak sygnatury ElfFile)",
    },
    "evtx.no_chunk": {
        "en": "the .evtx file is truncated ({size} bytes, no chunk)",
        "pl": "plik .evtx jest ucięty (bajtów: {size}, brak bloku)",
    },
    "evtx.last_chunk_cut": {
        "en": "the .evtx file is truncated ({size} bytes): its last chunk is incomplete and "
        "records after the cut are lost",
        "pl": "plik .evtx jest ucięty (bajtów: {size}): jego ostatni blok jest niepełny, a "
        "rekordy za miejscem ucięcia przepadły",
    },
    "evtx.header_damaged": {
        "en": "the .evtx file header is damaged; reading the chunks",
        "pl": "nagłówek pliku .evtx jest uszkodzony; odczytywane są same bloki",
    },
    "evtx.header_unreadable": {
        "en": "the .evtx file header is damaged ({detail}); reading the chunks",
        "pl": "nagłówek pliku .evtx jest uszkodzony ({detail}); odczytywane są same bloki",
    },
    "evtx.chunk_checksum": {
        "en": "chunk {chunk}: checksum wrong, read anyway",
        "pl": "blok {chunk}: błędna suma kontrolna, mimo to odczytany",
    },
    "evtx.chunk_unreadable": {
        "en": "chunk {chunk} not readable: {detail}",
        "pl": "nie można odczytać bloku {chunk}: {detail}",
    },
    "evtx.chunk_without_signature": {
        "en": "chunk {chunk}: no chunk signature, skipped",
        "pl": "blok {chunk}: brak sygnatury bloku, pominięto",
    },
    "evtx.xml_unreadable": {
        "en": "chunk {chunk}, record {record}: XML not readable: {detail}",
        "pl": "blok {chunk}, rekord {record}: nie można odczytać XML: {detail}",
    },
    "evtx.no_event_id": {
        "en": "chunk {chunk}, record {record}: no provider or numeric EventID",
        "pl": "blok {chunk}, rekord {record}: brak dostawcy albo liczbowego EventID",
    },
    "evtx.records_cut": {
        "en": "chunk {chunk}, record {record}: records not readable after this point: {detail}",
        "pl": "blok {chunk}, rekord {record}: od tego miejsca rekordów nie da się odczytać: "
        "{detail}",
    },
    "evtx.record_damaged": {
        "en": "chunk {chunk}, record {record}: damaged record not read: {detail}",
        "pl": "blok {chunk}, rekord {record}: nie odczytano uszkodzonego rekordu: {detail}",
    },
    # portqry
    "portqry.no_host": {
        "en": "portqry does not name the machine it ran on and no host is known: give --host "
        "NAME or put the file in a folder named after the machine",
        "pl": "portqry nie podaje maszyny, na której go uruchomiono, a host nie jest znany: "
        "podaj --host NAZWA albo umieść plik w folderze nazwanym jak ta maszyna",
    },
    "portqry.no_target": {
        "en": "port result without its target (no 'Querying target system called:' line and no "
        "-n in the command line): not read",
        "pl": "wynik portu bez celu (brak wiersza 'Querying target system called:' i opcji -n "
        "w wierszu polecenia): nie odczytano",
    },
    "portqry.bad_host": {
        "en": "not shaped like a host name or address, not used: {text}",
        "pl": "to nie ma postaci nazwy hosta ani adresu, nie użyto: {text}",
    },
    "portqry.bad_port": {
        "en": "port {port} is not a port number (1-65535): not read",
        "pl": "{port} nie jest numerem portu (1-65535): nie odczytano",
    },
    "portqry.not_result_line": {
        "en": "skipped (looks like a port result but is not one portqry prints): {text}",
        "pl": "pominięto (wygląda na wynik portu, ale portqry takiego nie wypisuje): {text}",
    },
    "portqry.failed": {
        "en": "portqry reports an error: {text}",
        "pl": "portqry zgłasza błąd: {text}",
    },
    # nltest /dsgetdc: and /dclist:
    "nltest.bad_dc": {
        "en": "not shaped like a domain controller's name, not used: {text}",
        "pl": "to nie ma postaci nazwy kontrolera domeny, nie użyto: {text}",
    },
    "nltest.not_dclist_line": {
        "en": "skipped (not an nltest /dclist: line): {text}",
        "pl": "pominięto (to nie jest wiersz wyniku nltest /dclist:): {text}",
    },
    "nltest.not_a_dc": {
        "en": "{name} is listed without [DS] and without a site (Azure AD Kerberos is listed so): "
        "not kept as a domain controller",
        "pl": "{name} jest na liście bez [DS] i bez lokacji (tak wymieniany jest Azure AD "
        "Kerberos): nie zachowano jako kontrolera domeny",
    },
    "nltest.failed": {
        "en": "nltest reports an error: {text}",
        "pl": "nltest zgłasza błąd: {text}",
    },
    "nltest.kdc_not_kept": {
        "en": "{dc} is not flagged KDC (flags: {flags}); facts/1 has no field for the KDC flag, "
        "so this is not kept",
        "pl": "{dc} nie ma flagi KDC (flagi: {flags}); facts/1 nie ma pola na flagę KDC, więc "
        "tej informacji nie zachowano",
    },
    # event log records in any form (Get-WinEvent, Event Viewer text, wevtutil XML, .evtx)
    "eventlog.no_host": {
        "en": "event {event_id} of {provider} does not name its computer; give the host with "
        "--host",
        "pl": "zdarzenie {event_id} z {provider} nie podaje swojego komputera; podaj hosta w "
        "--host",
    },
    "eventlog.event_unreadable": {
        "en": "event {event_id} not read: {detail}",
        "pl": "nie odczytano zdarzenia {event_id}: {detail}",
    },
    "eventlog.others_skipped": {
        "en": "{skipped} events of other sources/ids skipped (kept: {kept}); only the events "
        "KB 979174's rules use are read",
        "pl": "pominięto zdarzenia innych źródeł lub identyfikatorów: {skipped} (zachowano: "
        "{kept}); czytane są tylko zdarzenia, których używają reguły KB 979174",
    },
    "eventlog.record_without_id": {
        "en": "event record without a provider or a numeric Id",
        "pl": "rekord zdarzenia bez dostawcy albo liczbowego Id",
    },
    "eventlog.provider_not_in_text": {
        "en": "event {event_id} without its provider (Select-Object left ProviderName out) and a "
        "message that does not make it certain: not read; add ProviderName to Select-Object",
        "pl": "zdarzenie {event_id} bez dostawcy (Select-Object pominęło ProviderName), a z treści "
        "komunikatu nie wynika on na pewno: nie odczytano; dodaj ProviderName do Select-Object",
    },
    "eventlog.text_without_id": {
        "en": "event text without an event id or a source",
        "pl": "tekst zdarzenia bez identyfikatora zdarzenia albo źródła",
    },
    "eventlog.xml_doctype": {
        "en": "XML with a DOCTYPE or entities is not read",
        "pl": "XML z DOCTYPE albo encjami nie jest odczytywany",
    },
    "eventlog.xml_damaged": {
        "en": "damaged event XML not read: {detail}",
        "pl": "nie odczytano uszkodzonego XML zdarzenia: {detail}",
    },
    "eventlog.xml_truncated": {
        "en": "truncated event XML at the end not read",
        "pl": "nie odczytano uciętego XML zdarzenia na końcu",
    },
    "eventlog.xml_without_id": {
        "en": "event XML without a provider or a numeric EventID",
        "pl": "XML zdarzenia bez dostawcy albo liczbowego EventID",
    },
}
