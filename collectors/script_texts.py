"""The texts of the PowerShell collection script (``kbdoctor collect --script``) and of the
option that writes it, in English and Polish.

The script's comments and the notes it writes when it skips a step are read by the customer who
runs it, so they follow ``--lang``. They are kept apart from :mod:`kbdoctor.collectors.messages`
because they end up inside a PowerShell file: every one is a single line without control
characters, which :func:`script_text` checks, so that no text can break the script's syntax.
"""

from __future__ import annotations

from typing import Any

from kbdoctor.engine.i18n import Lang

TEXTS: dict[str, dict[Lang, str]] = {
    "help_script": {
        "en": "write the PowerShell script a customer runs where kbdoctor cannot reach the "
        "directory (to -o, default standard output); it fills in the --domain, --dc and "
        "--exchange names and those of --known FACTS files",
        "pl": "zapisz skrypt PowerShell, który klient uruchamia tam, gdzie kbdoctor nie sięga do "
        "katalogu (do -o, domyślnie na standardowe wyjście); wstawia nazwy z --domain, --dc i "
        "--exchange oraz z plików faktów --known",
    },
    "help_known": {
        "en": "with --script: a fact file whose domain controllers and Exchange servers the "
        "script gathers from (repeatable)",
        "pl": "z --script: plik faktów, z którego kontrolerów domeny i serwerów Exchange skrypt "
        "zbiera dane (powtarzalne)",
    },
    "bad_name": {
        "en": "{option} {name!r}: not a machine name (it holds a quote or a control character)",
        "pl": "{option} {name!r}: to nie jest nazwa maszyny (zawiera cudzysłów lub znak sterujący)",
    },
    "script_only": {
        "en": "{option} is used with --script only",
        "pl": "{option} działa tylko z --script",
    },
    "script_not_with": {
        "en": "--script writes a script and collects nothing: it does not combine with {option}",
        "pl": "--script zapisuje skrypt i niczego nie zbiera: nie łączy się z {option}",
    },
    "written": {
        "en": "{file}: collection script for {dcs} domain controller(s) and {exchange} Exchange "
        "server(s); run it in PowerShell 5.1 or the Exchange Management Shell and send the zip",
        "pl": "{file}: skrypt zbierania dla kontrolerów domeny: {dcs} i serwerów Exchange: "
        "{exchange}; uruchom go w PowerShell 5.1 lub w Exchange Management Shell i odeślij zip",
    },
    # -- inside the script ------------------------------------------------------------------------
    "title": {
        "en": "kbdoctor collection script: gathers what kbdoctor needs to diagnose Exchange "
        "'454 4.7.0 Temporary authentication failure' (KB 979174).",
        "pl": "Skrypt zbierania kbdoctor: zbiera to, czego kbdoctor potrzebuje do diagnozy "
        "'454 4.7.0 Temporary authentication failure' w Exchange (KB 979174).",
    },
    "how_to_run": {
        "en": "Run it on each Exchange server (best in the Exchange Management Shell), as a "
        "domain user, with: powershell -ExecutionPolicy Bypass -File collect.ps1",
        "pl": "Uruchom go na każdym serwerze Exchange (najlepiej w Exchange Management Shell), "
        "jako użytkownik domeny: powershell -ExecutionPolicy Bypass -File collect.ps1",
    },
    "changes_nothing": {
        "en": "It only reads: it changes nothing on this machine or in the directory.",
        "pl": "Skrypt tylko czyta: niczego nie zmienia na tej maszynie ani w katalogu.",
    },
    "send_back": {
        "en": "Send back the zip it names at the end; kbdoctor reads it with: kbdoctor collect "
        "--import <unzipped folder> -o facts.yaml",
        "pl": "Odeślij plik zip wskazany na końcu; kbdoctor czyta go poleceniem: kbdoctor "
        "collect --import <rozpakowany folder> -o facts.yaml",
    },
    "names_known": {
        "en": "Names kbdoctor already knows (edit them if they are wrong):",
        "pl": "Nazwy, które kbdoctor już zna (popraw je, jeśli są błędne):",
    },
    "names_found": {
        "en": "Names not given are looked up on this machine below.",
        "pl": "Nazwy niepodane są niżej wyszukiwane na tej maszynie.",
    },
    "note_missing_program": {
        "en": "skipped: {program} is not installed on this machine",
        "pl": "pominięto: {program} nie jest zainstalowany na tej maszynie",
    },
    "note_no_exchange": {
        "en": "skipped: the Exchange cmdlets are not available (run the script in the Exchange "
        "Management Shell)",
        "pl": "pominięto: polecenia Exchange są niedostępne (uruchom skrypt w Exchange "
        "Management Shell)",
    },
    "note_failed": {
        "en": "failed: {error}",
        "pl": "nie powiodło się: {error}",
    },
    "note_no_dcs": {
        "en": "skipped: no domain controller is known or could be found from this machine",
        "pl": "pominięto: żaden kontroler domeny nie jest znany ani nie dał się znaleźć z tej "
        "maszyny",
    },
    "note_no_exchange_servers": {
        "en": "skipped: no Exchange server is known or could be found from this machine",
        "pl": "pominięto: żaden serwer Exchange nie jest znany ani nie dał się znaleźć z tej "
        "maszyny",
    },
    "note_no_domain": {
        "en": "skipped: the domain is not known (this machine is not in a domain)",
        "pl": "pominięto: domena nie jest znana (ta maszyna nie należy do domeny)",
    },
    "note_no_fqdn": {
        "en": "skipped: the full DNS name of this Exchange server is not known",
        "pl": "pominięto: pełna nazwa DNS tego serwera Exchange nie jest znana",
    },
    "note_udp_needs_portqry": {
        "en": "skipped: UDP ports are tested with portqry only, which is not installed",
        "pl": "pominięto: porty UDP sprawdza tylko portqry, który nie jest zainstalowany",
    },
    "progress": {
        "en": "kbdoctor: running",
        "pl": "kbdoctor: uruchamiam",
    },
    "done": {
        "en": "kbdoctor: done. Send this file back:",
        "pl": "kbdoctor: gotowe. Odeślij ten plik:",
    },
}


def script_text(key: str, lang: Lang, **values: Any) -> str:
    """The text of ``key`` in ``lang``, with its placeholders filled; one line, always."""
    text = TEXTS[key][lang].format(**values)
    if any(ord(c) < 32 or c in "\u2028\u2029\x85" for c in text):
        raise ValueError(f"script text {key!r} must be one line without control characters")
    return text
