"""Each reader's label table, language by language (issue 9, item 3): a sample in that language
read to the facts a person reads in it.

Real captures are used where the repository has one (their ``# source:`` line says where they
were published); a sample marked "constructed" is built from the structure of a real capture and
the words of the table, and says which.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import pytest
from kbdoctor.collectors.importers import eventlog_text, nltest, repadmin, setspn, w32tm
from kbdoctor.collectors.importers.base import HostHint, Reader, ReadResult
from kbdoctor.collectors.segments import CommandMaterial, split_segments
from kbdoctor.engine.facts import (
    CheckRun,
    ClockOffset,
    DomainController,
    Event,
    Fact,
    ReplicationLink,
    SpnListing,
    SpnQuery,
    TimeStatus,
)

from tests.collectors.importers.fixtures import DATA, text_material, text_without_header
from tests.collectors.test_localized import TABLES

F = TypeVar("F", bound=Callable[..., None])
T = TypeVar("T", bound=Fact)
SAMPLED: set[tuple[str, str]] = set()


def sample(module: str, lang: str) -> Callable[[F], F]:
    """Marks a test as the sample of ``lang`` in ``module``'s table."""

    def mark(test: F) -> F:
        SAMPLED.add((module, lang))
        return test

    return mark


def read(reader: Reader, relative: str, host: str | None = "EX01") -> ReadResult:
    """A fixture under tests/data/importers read by ``reader`` as ``collect`` cuts it, with the
    leading ``# source:``/``# note:`` lines of a real capture blanked (Windows never prints
    them)."""
    path = DATA / relative
    data = path.read_bytes()
    total = ReadResult()
    hint = HostHint(host, "option") if host else None
    for segment in split_segments(text_without_header(path)):
        material = CommandMaterial(str(path), data, segment.text, segment.first_line, hint,
                                   segment.line_map, command=segment.command)
        if reader.sniff(material):
            result = reader.read(material)
            total.facts.extend(result.facts)
            total.warnings.extend(result.warnings)
    return total


def of(result: ReadResult, kind: type[T]) -> list[T]:
    return [fact for fact in result.facts if isinstance(fact, kind)]


STRIP, MONITOR, STATUS, _PEERS = w32tm.READERS
SHOWREPL, _CSV, SUMMARY = repadmin.READERS
_LISTING, _QUERY, DUPLICATES = setspn.READERS
_LIST, DETAILS = eventlog_text.READERS


def test_every_language_of_every_table_has_a_sample() -> None:
    tables = {(module, lang) for module, table in TABLES.items() for lang in table}
    assert tables == SAMPLED


# ------------------------------------------------------------------------------------- w32tm


@sample("w32tm", "en")
def test_w32tm_english_monitor_reads_each_offset_from_the_reference() -> None:
    result = read(MONITOR, "w32tm/w32tm_monitor_en.txt")
    offsets = {(f.host, f.reference) for f in of(result, ClockOffset)}
    assert offsets
    assert all(reference != "from" for _, reference in offsets)
    # constructed from that structure: a reference named by a plain word is placed because
    # "offset" and "from" are the sentence's words
    text = "dc1[10.0.0.1:123]:\n    NTP: +0.0000000s offset from zeit\n"
    text += "dc2[10.0.0.2:123]:\n    NTP: +1.5000000s offset from zeit\n"
    facts = of(MONITOR.read(text_material(text)), ClockOffset)
    assert [(f.host, f.reference, f.offset_s) for f in facts] == [
        ("dc1", "zeit", 0.0), ("dc2", "zeit", 1.5)
    ]


@sample("w32tm", "de")
def test_w32tm_german_stripchart_and_status() -> None:
    # the real German word order of issue 9: the host comes before "wird verfolgt"
    [offset] = of(read(STRIP, "w32tm/w32tm_stripchart_de.txt"), ClockOffset)
    assert (offset.host, offset.reference) == ("time.windows.com", "EX01")
    # constructed from that line: a plain host name is told from the sentence's words only by
    # the table ("zeitgeber", "wird" and "verfolgt" all have a short name's shape)
    text = "zeitgeber wird verfolgt [10.0.0.1:123].\n10:11:12, -00.0100000s\n"
    [plain] = of(STRIP.read(text_material(text)), ClockOffset)
    assert plain.host == "zeitgeber"
    # a real capture: "Quelle:"
    [status] = of(read(STATUS, "real/w32tm/status_time_windows_com_de.txt"), TimeStatus)
    assert status.time_source == "time.windows.com,0x9"


@sample("w32tm", "pl")
def test_w32tm_polish_stripchart_and_status() -> None:
    [offset] = of(read(STRIP, "w32tm/w32tm_stripchart_pl.cp852.txt"), ClockOffset)
    assert offset.host == "dc01.firma.pl"
    assert offset.offset_s == pytest.approx(-0.0123456)
    [status] = of(read(STATUS, "w32tm/w32tm_query_status_verbose_pl.utf16.txt"), TimeStatus)
    assert status.time_source == "Local CMOS Clock"


@sample("w32tm", "fr")
def test_w32tm_french_status_real_capture() -> None:
    [status] = of(read(STATUS, "real/w32tm/status_verbose_vmic_provider_fr.txt"), TimeStatus)
    assert status.time_source == "VM IC Time Synchronization Provider"
    assert status.stratum == 4
    # the "Source :" label places the source even when a line above it is missing, where the
    # fixed position would take the wrong line (constructed from the real capture)
    text = (
        "Indicateur de dérive : 0(Aucun avertissement)\nCouche : 4 (Référence secondaire)\n"
        "Précision : -23 (119.209ns par battement)\nDélai de racine : 0.1303487s\n"
        "ID de référence : 0x564D5450 (IP de la source :  86.77.84.80)\n"
        "Heure de la dernière synchronisation réussie : 15/09/2025 01:11:10\n"
        "Source : VM IC Time Synchronization Provider\nIntervalle d’interrogation : 6 (64s)\n"
    )
    [shifted] = of(STATUS.read(text_material(text)), TimeStatus)
    assert shifted.time_source == "VM IC Time Synchronization Provider"


@sample("w32tm", "zh")
def test_w32tm_chinese_status_real_capture() -> None:
    [status] = of(read(STATUS, "real/w32tm/status_verbose_time_facebook_zh.txt"), TimeStatus)
    assert status.time_source == "time.facebook.com"
    assert status.last_sync == datetime(2025, 9, 14, 23, 55, 21)


# ------------------------------------------------------------------------------------ setspn


@sample("setspn", "en")
def test_setspn_english_forest_run_without_its_command_line() -> None:
    # public sample: the forest-wide run is told by the word "forest" (no setspn command line)
    runs = of(read(DUPLICATES, "setspn/setspn_X_none_domain_and_forest_en.txt"), CheckRun)
    assert [(r.scope, r.found) for r in runs] == [
        ("domain", 0), ("forest", 0)
    ]


@sample("setspn", "pl")
def test_setspn_polish_forest_run_without_its_command_line() -> None:
    # constructed from setspn_X_F_duplicate_pl.txt without its "C:\>setspn -X -F" line: the
    # words of the table ("Sprawdzanie lasu", "Przetwarzanie wpisu") carry the run
    text = (
        "Sprawdzanie lasu DC=firma,DC=pl\nPrzetwarzanie wpisu 0\n\n"
        "znaleziono 0 grup zduplikowanych nazw SPN.\n"
    )
    material = text_material(text)
    assert DUPLICATES.sniff(material)
    runs = of(DUPLICATES.read(material), CheckRun)
    assert [(r.scope, r.found) for r in runs] == [("forest", 0)]


@sample("setspn", "es")
def test_setspn_spanish_listing_real_capture() -> None:
    # no label of the table is known in Spanish: the DN header and the indented SPNs carry it
    [listing] = of(read(_LISTING, "real/setspn/list_svc_sql_kerberoasting_lab_es.txt", None),
                   SpnListing)
    assert listing.account == "CN=svc_sql,CN=Users,DC=adlab,DC=local"
    assert listing.spns == [
        "MSSQLSvc/DC01.adlab.local\\SQLEXPRESS", "MSSQLSvc/DC01.adlab.local:1433"
    ]


@sample("setspn", "ru")
def test_setspn_russian_query_not_found_real_capture() -> None:
    # "Такое SPN не найдено." after the shortened prompt "> setspn -q ...": no account holds it
    [query] = of(read(_QUERY, "real/setspn/query_http_not_found_winrm_ru.txt", None), SpnQuery)
    assert (query.spn, query.accounts) == ("http/somehost.somedomain.com", [])


# ---------------------------------------------------------------------------------- repadmin


@sample("repadmin", "en")
def test_repadmin_english_replsummary() -> None:
    result = read(SUMMARY, "repadmin/replsummary_8524_en.txt")
    assert [r.found for r in of(result, CheckRun)] == [1]
    links = of(result, ReplicationLink)
    assert [(f.source, f.destination, f.last_result) for f in links] == [
        ("DC02", "DC01", 8524)
    ]


@sample("repadmin", "pl")
def test_repadmin_polish_replsummary() -> None:
    result = read(SUMMARY, "repadmin/replsummary_1722_pl.cp852.txt")
    assert [r.found for r in of(result, CheckRun)] == [3]


@sample("repadmin", "ja")
def test_repadmin_japanese_replsummary_real_capture() -> None:
    result = read(SUMMARY, "real/repadmin/replsummary_two_dcs_ja.txt")
    assert [r.found for r in of(result, CheckRun)] == [0]
    # constructed from that capture with its "%%" columns cut off by a narrow paste: the
    # headers are then known by their words alone
    text = (
        "ソース DSA          最大デルタ    失敗/合計\n AD1   23m:19s    0 /   5    0\n"
        "宛先 DSA     最大デルタ    失敗/合計\n AD2   28m:00s    0 /   5    0\n"
    )
    material = text_material(text)
    assert SUMMARY.sniff(material)
    assert [r.found for r in of(SUMMARY.read(material), CheckRun)] == [0]


# ------------------------------------------------------------------------------------ nltest


@sample("nltest", "en")
def test_nltest_english_site_by_its_label() -> None:
    [dc] = of(read(nltest.READERS[0], "real/nltest/dsgetdc_contoso_short_name_en.txt"),
              DomainController)
    assert (dc.name, dc.site, dc.pdc) == ("DC1", "Default-First-Site-Name", True)


# ----------------------------------------------------------------------------- Event Viewer


def _without_xml(relative: str, label: str) -> str:
    """The header and description of a fixture's Event Viewer copy, without its XML part, so
    that only the labels can be read (constructed from that fixture)."""
    text = (DATA / relative).read_text(encoding="utf-8-sig")
    kept = [line for line in text.split("\n") if not line.startswith(("# source:", "# note:"))]
    body = "\n".join(kept)
    return body[: body.index(label)]


@sample("eventlog_text", "en")
def test_event_viewer_english_copy() -> None:
    [event] = of(read(DETAILS, "eventlog/viewer_details_1035_en.txt"), Event)
    assert (event.source, event.event_id, event.host, event.level) == (
        "MSExchangeTransport", 1035, "EX02.corp.example.com", "Error"
    )


@sample("eventlog_text", "pl")
def test_event_viewer_polish_copy() -> None:
    [event] = of(read(DETAILS, "eventlog/viewer_details_kerberos4_pl.txt"), Event)
    assert (event.source, event.event_id, event.host, event.log) == (
        "Microsoft-Windows-Security-Kerberos", 4, "EX01.corp.example.com", "System"
    )
    assert event.time == datetime(2024, 3, 14, 9, 20, 11)


@pytest.mark.parametrize(
    ("lang", "relative", "xml_label"),
    [
        ("ru", "real/eventlog/viewer_1035_xml_cut_short_ru.txt", "Xml события:"),
        ("ja", "real/eventlog/viewer_1035_whole_xml_ja.txt", "イベント XML:"),
    ],
)
def test_event_viewer_copy_read_by_its_labels_alone(
    lang: str, relative: str, xml_label: str
) -> None:
    material = text_material(_without_xml(relative, xml_label))
    assert DETAILS.sniff(material)
    [event] = of(DETAILS.read(material), Event)
    assert (event.source, event.event_id, event.host, event.log) == (
        "MSExchangeTransport", 1035, "EX02.corp.example.com", "Application"
    )


SAMPLED.update({("eventlog_text", "ru"), ("eventlog_text", "ja")})

