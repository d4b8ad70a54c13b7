"""Which Windows events the rules use, and how one event record becomes facts.

The event log readers (``Get-WinEvent | Format-List`` text, Event Viewer text, ``wevtutil /f:xml``
and ``.evtx`` files) all meet here: each turns its material into :class:`EventRecord` objects and
hands them to an :class:`EventCollector`, so that the choice of events and the shape of the facts
are decided once. Logs hold thousands of events that say nothing about KB 979174; those are
dropped and counted, never reported one by one.

Kept events (provider as Windows names it, event id, symbolic name):

=====================================================  ====  =====================================
MSExchangeTransport                                    1035  SmtpReceiveAuthenticationFailed
MSExchangeTransport                                    2017  SmtpSendOutboundAuthenticationFailed
MSExchangeFrontEndTransport                            1035  the look-alike (password guessing on
                                                             Client Frontend): kept so that rules
                                                             can see it and decline it
Microsoft-Windows-Security-Kerberos                       3  KERB_ERROR (carries an error code)
Microsoft-Windows-Security-Kerberos                       4  KRB_AP_ERR_MODIFIED
Microsoft-Windows-Kerberos-Key-Distribution-Center       11  KDCEVENT_NAME_NOT_UNIQUE (dup. SPN)
Microsoft-Windows-Time-Service                         129, 36, 47, 24, 22, 50, 142, 134
=====================================================  ====  =====================================

Every kept record becomes an ``event`` fact; a Kerberos event that names an error also becomes a
``kerberos_error`` fact (event 4 always means KRB_AP_ERR_MODIFIED).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from kbdoctor.collectors.importers.base import ImportWarning, Material, Reader, ReadResult
from kbdoctor.collectors.localized import Language, label_names, words
from kbdoctor.engine.facts import Event, Fact, KerberosError, Source
from kbdoctor.engine.kerberos_codes import kerberos_code

EXCHANGE_TRANSPORT = "MSExchangeTransport"
EXCHANGE_FRONTEND = "MSExchangeFrontEndTransport"
SECURITY_KERBEROS = "Microsoft-Windows-Security-Kerberos"
KDC = "Microsoft-Windows-Kerberos-Key-Distribution-Center"
TIME_SERVICE = "Microsoft-Windows-Time-Service"


@dataclass(frozen=True)
class KeptEvent:
    """One event the rules use. ``template`` is the English message text (``%1``.. for the
    insertion strings) for events whose XML carries only the insertion strings, so that rules
    see the same sentence whatever the material was."""

    provider: str
    event_id: int
    name: str
    template: str | None = None
    kerberos: Literal["from-data", "modified"] | None = None


_TIME_EVENTS = (
    (129, "NtpClient could not find a domain peer (discovery error)"),
    (36, "time not synchronised for a long period"),
    (47, "no valid response from a manually configured peer"),
    (24, "no valid response from the domain controller peer"),
    (22, "NtpClient could not find a domain controller as time source"),
    (50, "time difference beyond the limit detected"),
    (142, "stopped advertising as a time source"),
    (134, "NtpClient could not resolve a manual peer in DNS"),
)

KEPT_EVENTS: tuple[KeptEvent, ...] = (
    KeptEvent(
        EXCHANGE_TRANSPORT,
        1035,
        "SmtpReceiveAuthenticationFailed",
        "Inbound authentication failed with error %1 for Receive connector %2. The "
        "authentication mechanism is %3. The source IP address of the client who tried to "
        "authenticate to Microsoft Exchange is [%4].",
    ),
    KeptEvent(
        EXCHANGE_TRANSPORT,
        2017,
        "SmtpSendOutboundAuthenticationFailed",
        "Outbound authentication failed with error %1 for Send connector %2. The authentication "
        "mechanism is %3. The target is %4.",
    ),
    KeptEvent(
        EXCHANGE_FRONTEND,
        1035,
        "SmtpReceiveAuthenticationFailed (front end)",
        "Inbound authentication failed with error %1 for Receive connector %2. The "
        "authentication mechanism is %3. The source IP address of the client who tried to "
        "authenticate to Microsoft Exchange is [%4].",
    ),
    KeptEvent(SECURITY_KERBEROS, 3, "KERB_ERROR", kerberos="from-data"),
    KeptEvent(SECURITY_KERBEROS, 4, "KRB_AP_ERR_MODIFIED", kerberos="modified"),
    KeptEvent(
        KDC,
        11,
        "KDCEVENT_NAME_NOT_UNIQUE",
        "The KDC encountered duplicate names while processing a Kerberos authentication "
        "request. The duplicate name is %1 (of type %2). This may result in authentication "
        "failures or downgrades to NTLM. In order to prevent this from occuring remove the "
        "duplicate entries for %1 in Active Directory.",
    ),
    *(KeptEvent(TIME_SERVICE, number, why) for number, why in _TIME_EVENTS),
)

_KEPT: dict[tuple[str, int], KeptEvent] = {(e.provider.lower(), e.event_id): e for e in KEPT_EVENTS}

# Names older Windows (and the Event Viewer of Windows Server 2003) show for the same providers.
_PROVIDER_NAMES: dict[str, str] = {
    EXCHANGE_TRANSPORT.lower(): EXCHANGE_TRANSPORT,
    EXCHANGE_FRONTEND.lower(): EXCHANGE_FRONTEND,
    SECURITY_KERBEROS.lower(): SECURITY_KERBEROS,
    "kerberos": SECURITY_KERBEROS,
    KDC.lower(): KDC,
    "kdc": KDC,
    TIME_SERVICE.lower(): TIME_SERVICE,
    "w32time": TIME_SERVICE,
}

KNOWN_PROVIDERS: tuple[str, ...] = tuple(_PROVIDER_NAMES.values())


def canonical_provider(raw: str) -> str:
    """The provider's name as current Windows writes it (``Kerberos`` -> the full name); other
    names come back trimmed and unchanged."""
    name = raw.strip()
    return _PROVIDER_NAMES.get(name.lower(), name)


def kept_event(provider: str, event_id: int) -> KeptEvent | None:
    return _KEPT.get((canonical_provider(provider).lower(), event_id))


# Event levels: XML carries numbers; text output carries the localised display name.
_LEVEL_NUMBERS = {
    0: "Information",
    1: "Critical",
    2: "Error",
    3: "Warning",
    4: "Information",
    5: "Verbose",
}
@dataclass(frozen=True)
class LevelNames:
    """The display names of the five standard event levels in one language, as text output
    (``LevelDisplayName``, the Event Viewer copy's ``Level:``, the XML's ``RenderingInfo``)
    prints them; XML and ``Format-List *`` also carry the number, which needs no table."""

    critical: tuple[str, ...]
    error: tuple[str, ...]
    warning: tuple[str, ...]
    information: tuple[str, ...]
    verbose: tuple[str, ...]


# The English name of each label of LevelNames (the level the fact states).
_ENGLISH = {
    "critical": "Critical",
    "error": "Error",
    "warning": "Warning",
    "information": "Information",
    "verbose": "Verbose",
}

LEVELS: Mapping[str, Language[LevelNames]] = {
    # en: the names themselves (Microsoft's StandardEventLevel names them, Event Viewer and
    # LevelDisplayName print "Information" for Informational)
    "en": Language(
        LevelNames(("Critical",), ("Error",), ("Warning",), ("Information",), ("Verbose",)),
        sources=(
            "https://learn.microsoft.com/en-us/dotnet/api/"
            "system.diagnostics.eventing.reader.standardeventlevel",
            "tests/data/importers/eventlog/wevtutil_renderedxml_1035_en.xml",
            "tests/data/importers/real/eventlog/viewer_1035_frontend_xml_tags_stripped_en.txt",
        ),
    ),
    # de: two real captures: a Get-WinEvent list (Fehler, Informationen) and an exported event
    # whose RenderingInfo renders Level 4 as "Informationen". "Kritisch", "Warnung" and
    # "Ausführlich" were listed before without any source: dropped.
    "de": Language(
        LevelNames((), ("Fehler",), (), ("Informationen",), ()),
        sources=(
            "tests/data/event_levels/getwinevent_codeintegrity_de.txt",
            "tests/data/event_levels/renderinginfo_check_logfiles_de.txt",
        ),
        gaps=("critical", "warning", "verbose"),
    ),
    # ru: two real Get-WinEvent lists (Ошибка; Предупреждение from a query of levels 1-3)
    "ru": Language(
        LevelNames((), ("Ошибка",), ("Предупреждение",), (), ()),
        sources=(
            "tests/data/event_levels/getwinevent_lastauthentication_ru.txt",
            "tests/data/event_levels/getwinevent_rdpcorets_ru.txt",
        ),
        gaps=("critical", "information", "verbose"),
    ),
    # pl: "Błąd" as the fixtures of the Polish readers print it (written from the real English
    # layouts with Polish labels; no public Polish capture found). "Krytyczny", "Ostrzeżenie",
    # "Informacje", "Informacja" and "Pełne" had no source: dropped.
    "pl": Language(
        LevelNames((), ("Błąd",), (), (), ()),
        sources=(
            "tests/data/importers/eventlog/viewer_details_kerberos4_pl.txt",
            "tests/data/importers/real/eventlog/viewer_1035_xml_cut_short_pl.txt",
        ),
        gaps=("critical", "warning", "information", "verbose"),
    ),
}
# The French names ("Critique", "Erreur", "Avertissement", "Commentaires") were listed before
# without any source and no capture of them was found: dropped. A name no table knows is kept as
# written (never turned into an English level by a guess), and the number is used where the
# output carries one.

_LEVEL_NAMES = {
    word.lower(): _ENGLISH[name] for name in label_names(LevelNames) for word in words(LEVELS, name)
}


def level_name(raw: str | int | None) -> str | None:
    """An event level in English (``2``, ``Błąd`` and ``Fehler`` are all ``Error``): a number by
    the standard levels, a name by :data:`LEVELS`; a name no table knows comes back as written,
    so that nothing is lost and nothing is guessed."""
    if raw is None:
        return None
    if isinstance(raw, int):
        return _LEVEL_NUMBERS.get(raw, str(raw))
    text = raw.strip()
    if not text:
        return None
    if text.isdigit():
        return _LEVEL_NUMBERS.get(int(text), text)
    return _LEVEL_NAMES.get(text.lower(), text)


@dataclass(frozen=True)
class EventRecord:
    """One event as a reader found it. ``data`` holds the EventData insertion strings in order,
    with their names where the provider names them (manifest-based providers do, classic event
    sources such as MSExchangeTransport do not)."""

    provider: str
    event_id: int
    host: str | None = None
    message: str | None = None
    data: tuple[tuple[str | None, str], ...] = ()
    log: str | None = None
    level: str | None = None
    time: datetime | None = None


_PLACEHOLDER = re.compile(r"%(\d+)")


def message_of(record: EventRecord, kept: KeptEvent) -> str:
    """The rendered message when the material has one; otherwise the English template filled
    with the insertion strings, or the insertion strings joined in order."""
    if record.message and record.message.strip():
        return _one_line(record.message)
    values = [value for _, value in record.data]
    if kept.template is not None and values:
        needed = max(int(n) for n in _PLACEHOLDER.findall(kept.template))
        if len(values) >= needed:
            return _one_line(_PLACEHOLDER.sub(lambda m: values[int(m.group(1)) - 1], kept.template))
    parts = [f"{name}: {value}" if name else value for name, value in record.data if value.strip()]
    return _one_line("; ".join(parts)) if parts else kept.name


def _one_line(text: str) -> str:
    """Messages are kept on one line: Format-List wraps them at the console width and the
    XML keeps the provider's own line breaks, and rules should see the same text from both."""
    return " ".join(text.split())


_ERROR_NAME = re.compile(r"\b(K(?:RB|DC)_(?:AP_|ERR_)[A-Z_]+)\b")
_ERROR_HEX = re.compile(r"\b(0x[0-9A-Fa-f]{1,8})\s+K(?:RB|DC)_")
_SPN = re.compile(r"\b([A-Za-z][\w-]*/[A-Za-z0-9][\w.-]*(?::\d+)?)(?:@[\w.-]+)?")


def _data(record: EventRecord, *names: str) -> str | None:
    """The first non-empty insertion string among ``names``, in the order of ``names``."""
    by_name = {name.lower(): value.strip() for name, value in record.data if name}
    for wanted in names:
        value = by_name.get(wanted.lower())
        if value and value != "-":
            return value
    return None


def kerberos_error_of(record: EventRecord, kept: KeptEvent, message: str) -> tuple[str, str | None]:
    """The canonical Kerberos error and the target (SPN or server) an event names. Named
    EventData wins; the rendered message is read by its tokens (``0x25 KRB_AP_ERR_SKEW``, an
    SPN), which Windows does not translate, so a Polish or German message reads the same."""
    target = _data(record, "ServerName", "TargetName", "Server", "Target")
    if target is None:
        spn = _SPN.search(message)
        target = spn.group(1).rstrip(".") if spn else None
    elif "@" in target:
        target = target.split("@", 1)[0]
    if kept.kerberos == "modified":
        return "KRB_AP_ERR_MODIFIED", target
    code = _data(record, "ErrorCode", "Status")
    named = _data(record, "ErrorMessage")
    if named is None:
        found = _ERROR_NAME.search(message)
        named = found.group(1) if found else None
    if code is None:
        found = _ERROR_HEX.search(message)
        code = found.group(1) if found else None
    if named is not None:
        return kerberos_code(named), target
    if code is not None:
        return kerberos_code(code), target
    return "", target


def record_facts(record: EventRecord, host: str, kept: KeptEvent, source: Source) -> list[Fact]:
    message = message_of(record, kept)
    provider = canonical_provider(record.provider)
    facts: list[Fact] = [
        Event(
            host=host,
            source=provider,
            event_id=record.event_id,
            message=message,
            log=record.log.strip() if record.log and record.log.strip() else None,
            level=level_name(record.level),
            time=record.time,
            provenance=source,
        )
    ]
    if kept.kerberos is not None:
        code, target = kerberos_error_of(record, kept, message)
        if code:
            facts.append(
                KerberosError(
                    host=host, code=code, target=target, message=message, provenance=source
                )
            )
    return facts


@dataclass
class EventCollector:
    """Gathers the facts of one material's records: keeps the events of the table, counts the
    others, and takes the host from the ``--host`` hint when a record does not name it."""

    reader: Reader
    material: Material
    result: ReadResult = field(default_factory=ReadResult)
    kept: int = 0
    skipped: int = 0

    def add(self, record: EventRecord, source: Source, line: int | None) -> None:
        kept = kept_event(record.provider, record.event_id)
        if kept is None:
            self.skipped += 1
            return
        host = (record.host or "").strip()
        if not host and self.material.host_hint is not None:
            host = self.material.host_hint.name.strip()
        if not host:
            self.warn(
                line,
                "eventlog.no_host",
                event_id=record.event_id,
                provider=canonical_provider(record.provider),
            )
            return
        try:
            facts = record_facts(record, host, kept, source)
        except ValueError as error:  # pydantic rejects what the material made impossible
            self.warn(line, "eventlog.event_unreadable", event_id=record.event_id, detail=error)
            return
        self.kept += 1
        self.result.facts.extend(facts)

    def warn(self, line: int | None, key: str, /, **params: object) -> None:
        """A warning at ``line`` (1-based, in the file; None for the whole material)."""
        self.result.warnings.append(ImportWarning.at(self.material.path, line, key, **params))

    def finish(self) -> ReadResult:
        if self.skipped:
            self.warn(None, "eventlog.others_skipped", skipped=self.skipped, kept=self.kept)
        return self.result
