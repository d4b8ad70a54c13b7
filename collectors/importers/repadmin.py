"""Readers of ``repadmin`` output: the replication health of domain controllers (KB step 2).

``repadmin /showrepl`` (text; labels are localised, so it is read by structure)::

    Default-First-Site-Name\\DC1
    DSA Options: IS_GC
    ==== INBOUND NEIGHBORS ======================================
    DC=contoso,DC=com
        Default-First-Site-Name\\DC2 via RPC
            DSA object GUID: 985dd406-194e-4581-944e-8ae8471d9cd5
            Last attempt @ 2019-11-11 08:18:05 failed, result 1722 (0x6ba):
                The RPC server is unavailable.
            1 consecutive failure(s).
            Last success @ 2019-11-11 08:16:47.

The unindented ``Site\\DC`` line names the destination (the DC whose inbound neighbours these
are); an indented ``Site\\DC ...`` line opens a link from that source; the first line with
``@ <date>`` is the last attempt (its ``NNNN (0xHHHH)`` is the result, none means success), the
second is the last success, and a line starting with a number is the consecutive failure count.
Results are kept as signed 32-bit integers (0x80090322 is -2146893022).

``repadmin /showrepl * /csv`` (11 fields with ``Destination DSA``, or 10 fields without it in
older builds; English headers are mapped by name, anything else by position)::

    showrepl_COLUMNS,Destination DSA Site,Destination DSA,Naming Context,Source DSA Site,...
    showrepl_INFO,HAM,HSHPI220,"DC=internal",HAM,SADS055,RPC,0,0,2015-07-07 09:15:37,0

``repadmin /replsummary`` (per source and per destination, not per link)::

    Source DSA          largest delta    fails/total %%   error
     DC02                      09m:55s    1 /   4   25  (8524) The DSA operation is unable ...
    Destination DSA     largest delta    fails/total %%   error
     DC01                      09m:55s    1 /   4   25  (8524) The DSA operation is unable ...

A summary names links only when the pairs are certain: with a single failing destination every
failing source replicates to it (and the other way round); otherwise it says so in a warning.

Every complete output also yields a ``check_run`` (check "replication") with the number of
failing links, so that a clean run is evidence and not just an absence of facts.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from kbdoctor.collectors.importers.base import (
    ImportWarning,
    Material,
    ReaderBase,
    ReadResult,
    parse_datetime,
    source_for,
    warning,
)
from kbdoctor.collectors.localized import Language, alternation, words
from kbdoctor.collectors.segments import LogicalLine, command_of, unwrap_console
from kbdoctor.collectors.shapes import is_result_code
from kbdoctor.engine.facts import CheckRun, Fact, ReplicationLink

_RESULT = re.compile(r"(?<![\w-])(-?\d{1,10})\s*\(\s*(0x[0-9a-fA-F]{1,8})\s*\)")
_DATE_AFTER_AT = re.compile(
    r"\s@\s*(?P<date>\d[\d\-./: ]*\d(?:\s*[AaPp]\.?\s?[Mm]\.?)?)"
)
_AT_LINE = re.compile(r"\s@(?:\s|$)")
# Japanese (and other languages that put the date first) print no "@": "2026-09-07 13:14:59 の最後
# の試行は、失敗しました。結果は 8524 (0x214c):", "最後に成功したのは 2026-09-07 12:00:23 です。".
# repadmin's own ISO date and time is what marks those lines.
_ISO_DATE_TIME = re.compile(r"(?<!\d)(?P<date>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?!\d)")
_HEADER_DC = re.compile(r"^(?P<site>[^\s\\:=,]+)\\(?P<dc>[^\s\\:=,]+)\s*$")
_LINK = re.compile(r"^\s+(?P<site>[^\s\\:=,@]+)\\(?P<dc>[^\s\\:=,@]+)(?:\s+\S.*)?$")
_NAMING_CONTEXT = re.compile(r"^(?:DC|CN|OU|O)=[^=]+(?:,\s*(?:DC|CN|OU|O)=[^=,]+)*\s*$", re.I)
_REPADMIN_BANNER = re.compile(r"^Repadmin\s*:.*\s(?P<dc>[^\s]+?)\.?\s*$", re.I)
# "1 consecutive failure(s)." or, in languages that put the label first, "...: 1."
_COUNT_LINE = re.compile(r"^\s+(?P<count>\d+)(?:\s+\S.*)?$|^\s+\D*:\s*(?P<late>\d+)\.?\s*$")
_SECTION = re.compile(r"^\s*={3,}")
_NOT_A_NAME = frozenset({"localhost", ".", "*"})


def signed32(value: int) -> int:
    """A Win32 or HRESULT code as the signed 32-bit integer Windows prints in decimal."""
    value &= 0xFFFFFFFF
    return value - 0x1_0000_0000 if value >= 0x8000_0000 else value


def parse_result(text: str) -> int | None:
    """The code of ``1722 (0x6ba)`` or ``-2146893022 (0x80090322)``; the hex part decides."""
    match = _RESULT.search(text)
    if match is None:
        return None
    return signed32(int(match.group(2), 16))


def _date_after_at(line: str) -> datetime | None:
    match = _DATE_AFTER_AT.search(line) or _ISO_DATE_TIME.search(line)
    return parse_datetime(match.group("date").rstrip(" .")) if match else None


def _is_at_line(line: str) -> bool:
    """A line of a link that reports an attempt or a success: ``@ <date>`` in most languages,
    a bare ISO date and time where the sentence puts the date first."""
    return _AT_LINE.search(line) is not None or _ISO_DATE_TIME.search(line) is not None


def _typed_dc(material: Material) -> str | None:
    """The DC named on the typed command line: ``repadmin /showrepl DC2`` (not ``*``)."""
    command = command_of(material)
    match = re.search(r"/showrepl\s+(?P<dc>[^\s/*]\S*)", command or "", re.I)
    if match is None or match.group("dc").casefold() in _NOT_A_NAME:
        return None
    return match.group("dc").strip("\"'")


# ---------------------------------------------------------------------------------------------
# repadmin /showrepl (text)


@dataclass
class _OpenLink:
    source: str
    naming_context: str | None
    destination: str | None
    first: int
    last: int
    attempted: bool = False
    result: int = 0
    failures: int | None = None
    last_success: datetime | None = None
    success_seen: bool = False


@dataclass
class _ShowreplState:
    destination: str | None = None
    banner_destination: str | None = None
    naming_context: str | None = None
    sections: int = 0
    complete_header: bool = False
    link: _OpenLink | None = None
    facts: list[Fact] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    failing: int = 0
    links: int = 0
    truncated: bool = False


_FLAT_LINK = re.compile(r"^(?P<site>[^\s\\:=,@]+)\\(?P<dc>[^\s\\:=,@]+)\s+\S.*$")


def _reindented(lines: list[str]) -> list[str]:
    """``/showrepl`` lines with the indentation a web page or chat took away given back, when
    every line lost it: after the ``====`` line, a naming context (a DN) starts at the margin,
    ``Site\\DC via RPC`` is a link (indented once) and what follows a link belongs to it
    (indented twice). Text that kept any indentation is returned as it is."""
    if any(line[:1] in (" ", "\t") and line.strip() for line in lines):
        return lines
    section = next((i for i, line in enumerate(lines) if _SECTION.match(line)), None)
    if section is None:
        return lines
    result = list(lines[: section + 1])
    in_link = False
    for line in lines[section + 1 :]:
        body = line.strip()
        if not body or _SECTION.match(body) or _NAMING_CONTEXT.match(body):
            in_link = False if body else in_link
            result.append(line)
        elif _FLAT_LINK.match(body) and not _HEADER_DC.match(body):
            in_link = True
            result.append("    " + body)
        elif in_link:
            result.append("        " + body)
        else:
            result.append(line)
    return result


class ShowreplTextReader(ReaderBase):
    r"""Every inbound replication link with its last attempt and result, and one ``check_run`` when
    the output is whole.

    Example (a real capture, the DC it ran on given with ``--host``)::

        DC=contoso,DC=com
            Default-First-Site-Name\DC2 via RPC
                DSA object GUID: 985dd406-194e-4581-944e-8ae8471d9cd5
                Last attempt @ 2019-11-11 08:18:05 failed, result 1722 (0x6ba):
                    The RPC server is unavailable.
                1 consecutive failure(s).
                Last success @ 2019-11-11 08:16:47.

    Facts: replication_link
    """

    program = "repadmin"
    name = "repadmin-showrepl"
    command = "repadmin /showrepl"

    def _sniff(self, material: Material) -> bool:
        lines = _reindented(material.lines())[:3000]
        for index, line in enumerate(lines):
            if _LINK.match(line) and not _HEADER_DC.match(line):
                window = lines[index + 1 : index + 5]
                if any(_is_at_line(below) for below in window):
                    return True
        return False

    def _read(self, material: Material, result: ReadResult) -> None:
        state = _ShowreplState()
        for index, line in enumerate(_reindented(material.lines())):
            self._line(material, state, index, line.rstrip("\r"))
        self._close(material, state)
        if state.complete_header and state.links and not state.truncated:
            state.facts.append(
                CheckRun(
                    check="replication",
                    found=state.failing,
                    provenance=source_for(self, material, 0, len(material.lines()) - 1),
                )
            )
        elif state.links:
            state.warnings.append(
                warning(material, None, "repadmin.showrepl_partial")
            )
        result.facts.extend(state.facts)
        result.warnings.extend(state.warnings)

    def _line(self, material: Material, state: _ShowreplState, index: int, line: str) -> None:
        if not line.strip():
            return
        if _SECTION.match(line):
            self._close(material, state)
            state.sections += 1
            if state.sections == 1:
                state.complete_header = state.complete_header or state.destination is not None
            return
        if line[0] not in " \t":
            self._unindented(material, state, line)
            return
        link = _LINK.match(line)
        if link is not None and state.sections <= 1:
            self._close(material, state)
            state.link = _OpenLink(
                source=link.group("dc"),
                naming_context=state.naming_context,
                destination=state.destination or state.banner_destination,
                first=index,
                last=index,
            )
            return
        current = state.link
        if current is None:
            return
        if _is_at_line(line):
            current.last = index
            if not current.attempted:
                current.attempted = True
                result = parse_result(line)
                current.result = result if result is not None else 0
            elif not current.success_seen:
                current.success_seen = True
                current.last_success = _date_after_at(line)
            return
        count = _COUNT_LINE.match(line)
        if count is not None and current.attempted and current.result != 0:
            if current.failures is None and not current.success_seen:
                current.failures = int(count.group("count") or count.group("late"))
                current.last = index
            return
        if current.attempted and current.result != 0 and _RESULT.search(line) is None:
            current.last = index  # the message line of the failure

    def _unindented(self, material: Material, state: _ShowreplState, line: str) -> None:
        self._close(material, state)
        stripped = line.strip()
        header = _HEADER_DC.match(stripped)
        if header is not None:
            # A new DC's output: ``repadmin /showrepl *`` prints one after another.
            state.destination = header.group("dc")
            state.sections = 0
            state.naming_context = None
            state.complete_header = True
            return
        banner = _REPADMIN_BANNER.match(stripped)
        if banner is not None:
            named = banner.group("dc")
            state.destination = None
            state.banner_destination = None if named.casefold() in _NOT_A_NAME else named
            state.sections = 0
            state.naming_context = None
            return
        if _NAMING_CONTEXT.match(stripped):
            state.naming_context = stripped

    def _close(self, material: Material, state: _ShowreplState) -> None:
        current, state.link = state.link, None
        if current is None:
            return
        if not current.attempted:
            if state.sections <= 1:
                state.truncated = True
                state.warnings.append(
                    warning(material, current.first, "repadmin.link_without_attempt",
                            source=current.source)
                )
            return
        destination = current.destination or _typed_dc(material)
        if destination is None and material.host_hint is not None:
            destination = material.host_hint.name.strip()
        if not destination:
            state.warnings.append(
                warning(material, current.first, "repadmin.link_without_destination",
                        source=current.source)
            )
            return
        if current.result != 0 and current.failures is None:
            state.truncated = True
        state.links += 1
        state.failing += current.result != 0
        state.facts.append(
            ReplicationLink(
                source=current.source,
                destination=destination,
                naming_context=current.naming_context,
                last_result=current.result,
                consecutive_failures=current.failures if current.result != 0 else 0,
                last_success=current.last_success,
                provenance=source_for(self, material, current.first, current.last),
            )
        )


# ---------------------------------------------------------------------------------------------
# repadmin /showrepl * /csv

_CSV_ROLES = {
    "destinationdsasite": "destination_site",
    "destinationdcsite": "destination_site",
    "destinationdsa": "destination",
    "destinationdc": "destination",
    "namingcontext": "naming_context",
    "sourcedsasite": "source_site",
    "sourcedcsite": "source_site",
    "sourcedsa": "source",
    "sourcedc": "source",
    "transporttype": "transport",
    "numberoffailures": "failures",
    "lastfailuretime": "failure_time",
    "lastsuccesstime": "success_time",
    "lastfailurestatus": "status",
}
_POSITIONS: dict[int, tuple[str, ...]] = {
    11: (
        "kind", "destination_site", "destination", "naming_context", "source_site", "source",
        "transport", "failures", "failure_time", "success_time", "status",
    ),
    10: (
        "kind", "destination_site", "naming_context", "source_site", "source",
        "transport", "failures", "failure_time", "success_time", "status",
    ),
}  # fmt: skip


def _csv_fields(line: str) -> list[str]:
    try:
        return next(csv.reader([line]))
    except (csv.Error, StopIteration):
        return []


def _header_roles(fields: list[str]) -> tuple[str, ...] | None:
    roles: list[str] = ["kind"]
    for name in fields[1:]:
        role = _CSV_ROLES.get(re.sub(r"\W", "", name).casefold())
        if role is None:
            return None
        roles.append(role)
    needed = {"source", "failures", "status"}
    return tuple(roles) if needed <= set(roles) else None


def _csv_number(text: str) -> int | None:
    """A count or result code of a CSV cell, when shaped like one (shapes.is_result_code)."""
    text = text.strip()
    if not is_result_code(text):
        return None
    return signed32(int(text, 16)) if text.lower().startswith("0x") else int(text)


def _csv_time(text: str) -> datetime | None:
    text = text.strip()
    if not text or text == "0" or text.startswith("("):
        return None
    return parse_datetime(text)


class ShowreplCsvReader(ReaderBase):
    """Example (a real capture)::

        showrepl_COLUMNS,Destination DSA Site,Destination DSA,Naming Context,Source DSA Site,Source DSA,Transport Type,Number of Failures,Last Failure Time,Last Success Time,Last Failure Status
        showrepl_INFO,HAM,HSHPI220,"CN=Configuration,DC=internal",HAM,SADS055,RPC,0,0,2015-07-07 09:15:37,0
        showrepl_INFO,HAM,HSHPI220,"CN=Configuration,DC=internal",HAM,SADS008,RPC,0,0,2015-07-07 09:18:37,0

    Facts: replication_link, check_run
    """  # noqa: E501 - a real sample keeps its width

    program = "repadmin"
    name = "repadmin-showrepl-csv"
    command = "repadmin /showrepl * /csv"

    def _sniff(self, material: Material) -> bool:
        return any(
            line.lstrip("\ufeff").startswith(("showrepl_COLUMNS", "showrepl_INFO"))
            for line in material.lines()[:200]
        )

    def _read(self, material: Material, result: ReadResult) -> None:
        roles: tuple[str, ...] | None = None
        header_seen = False
        rows = 0
        failing = 0
        bad_rows = 0
        for logical in unwrap_console(material.lines()):
            line = logical.text.strip().lstrip("\ufeff")
            if line.startswith("showrepl_COLUMNS"):
                header_seen = True
                roles = _header_roles(_csv_fields(line))
                continue
            if not line.startswith("showrepl_"):
                continue
            fields = _csv_fields(line)
            if not line.startswith("showrepl_INFO"):
                result.warnings.append(
                    warning(material, logical.first, "repadmin.csv_reported", text=line[:200])
                )
                bad_rows += 1
                continue
            layout = roles if roles is not None and len(roles) == len(fields) else None
            layout = layout or _POSITIONS.get(len(fields))
            if layout is None:
                result.warnings.append(
                    warning(material, logical.first, "repadmin.csv_field_count",
                            count=len(fields))
                )
                bad_rows += 1
                continue
            fact = self._link(material, dict(zip(layout, fields, strict=True)), logical)
            if isinstance(fact, ImportWarning):
                result.warnings.append(fact)
                bad_rows += 1
                continue
            rows += 1
            failing += fact.last_result != 0
            result.facts.append(fact)
        if header_seen and rows and not bad_rows:
            result.facts.append(
                CheckRun(
                    check="replication",
                    found=failing,
                    provenance=source_for(self, material, 0, len(material.lines()) - 1),
                )
            )
        elif rows:
            result.warnings.append(
                warning(material, None, "repadmin.csv_partial")
            )
        # else: not one row read, and nothing to warn about: the base says nothing was found

    def _link(
        self, material: Material, row: dict[str, str], logical: LogicalLine
    ) -> ReplicationLink | ImportWarning:
        first, last = logical.first, logical.last
        source = row.get("source", "").strip()
        destination = row.get("destination", "").strip()
        if not destination:
            destination = _typed_dc(material) or ""
        if not destination and material.host_hint is not None:
            destination = material.host_hint.name.strip()
        failures = _csv_number(row.get("failures", ""))
        status = _csv_number(row.get("status", ""))
        if not source or not destination or failures is None or failures < 0 or status is None:
            key = (
                "repadmin.csv_row_without_destination"
                if source and not destination
                else "repadmin.csv_row_unreadable"
            )
            return warning(material, first, key)
        failure_time = _csv_time(row.get("failure_time", ""))
        success_time = _csv_time(row.get("success_time", ""))
        # The status column keeps the last failure's code after the link recovered; a later
        # success with no consecutive failure means the last attempt succeeded.
        recovered = (
            failures == 0
            and success_time is not None
            and (failure_time is None or success_time > failure_time)
        )
        return ReplicationLink(
            source=source,
            destination=destination,
            naming_context=row.get("naming_context", "").strip() or None,
            last_result=0 if recovered else status,
            consecutive_failures=failures,
            last_success=success_time,
            provenance=source_for(self, material, first, last),
        )


# ---------------------------------------------------------------------------------------------
# repadmin /replsummary

_SUMMARY_ROW = re.compile(
    r"^\s+(?P<name>\S+)\s+(?P<delta>\S.*?)\s+(?P<fails>\d+)\s*/\s*(?P<total>\d+)\s+(?P<pct>\d+)"
    r"\s*(?:\(\s*(?P<code>-?\d{1,10}|0x[0-9a-fA-F]{1,8})\s*\)\s*(?P<message>.*))?$"
)
_OPERATIONAL_ERROR = re.compile(r"^\s+(?P<code>-?\d{1,10})\s+-\s+(?P<name>\S+)\s*$")


@dataclass(frozen=True)
class RepadminLabels:
    """The labels of repadmin's output the readers look for. ``/showrepl`` is read by structure
    alone in every language (``Site\\DC`` lines, indentation, ``@``/ISO dates, ``NNNN (0xHHHH)``
    results, the ``====`` section line), as is the CSV form by the position of its fields."""

    # the start of the two header lines of /replsummary (``Source DSA  largest delta ...``);
    # a header is also recognised by its "/" and "%%" whatever its words
    summary_source: tuple[str, ...]
    summary_destination: tuple[str, ...]


LABELS: Mapping[str, Language[RepadminLabels]] = {
    # en: repadmin's own English output, as in the real capture of the ReplsummaryReader
    # docstring and the fixtures below
    "en": Language(
        RepadminLabels(summary_source=("Source DSA",), summary_destination=("Destination DSA",)),
        sources=(
            "tests/data/importers/repadmin/replsummary_8524_en.txt",
            "tests/data/importers/repadmin/replsummary_clean_en.txt",
        ),
    ),
    # pl: a fixture written from the real English structure with Polish labels (no public
    # Polish capture found); its test relies on the words
    "pl": Language(
        RepadminLabels(
            summary_source=("Źródłowy DSA",), summary_destination=("Docelowy DSA",)
        ),
        sources=("tests/data/importers/repadmin/replsummary_1722_pl.cp852.txt",),
    ),
    # ja: real captures (a public Japanese guide, see the "# source:" line of each file)
    "ja": Language(
        RepadminLabels(summary_source=("ソース DSA",), summary_destination=("宛先 DSA",)),
        sources=(
            "tests/data/importers/real/repadmin/replsummary_two_dcs_ja.txt",
            "tests/data/importers/real/repadmin/replsummary_three_dcs_ja.txt",
        ),
    ),
}
# German "Quell"/"Ziel" were listed before without any source and no German capture was found:
# dropped; a German header is still recognised by its "/" and "%%". No Spanish, Italian or
# Russian /replsummary or /showrepl capture was found either (code, issues and pages corpora):
# their headers are recognised by the same "/" and "%%", their rows by structure.

_SUMMARY_HEADER_WORDS = re.compile(
    rf"^(?:{alternation(words(LABELS, 'summary_source') + words(LABELS, 'summary_destination'))})",
    re.I,
)
_START_TIME = re.compile(r"(\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}:\d{2})")


@dataclass(frozen=True)
class _SummaryRow:
    name: str
    fails: int
    total: int
    code: int | None
    index: int


@dataclass
class _SummaryRun:
    first: int
    started: datetime | None = None
    headers: int = 0
    sources: list[_SummaryRow] = field(default_factory=list)
    destinations: list[_SummaryRow] = field(default_factory=list)
    unreachable: list[tuple[str, int, int]] = field(default_factory=list)
    last: int = 0


def _is_summary_header(line: str) -> bool:
    if line[:1] in (" ", "\t") or not line.strip():
        return False
    return "/" in line and ("%" in line or bool(_SUMMARY_HEADER_WORDS.match(line)))


class ReplsummaryReader(ReaderBase):
    """Example (a real capture)::

        Replication Summary Start Time: 2024-04-23 06:07:59
        Beginning data collection for replication summary, this may take awhile:
        Source DSA          largest delta    fails/total %%   error
         DC01                      09m:15s    0 /   4    0
         DC02                      09m:55s    1 /   4   25  (8524) The DSA operation is unable to proceed because of a DNS lookup failure.
        Destination DSA     largest delta    fails/total %%   error
         DC01                      09m:55s    1 /   4   25  (8524) The DSA operation is unable to proceed because of a DNS lookup failure.
         DC02                      09m:10s    0 /   4    0

    Facts: check_run, replication_link
    """  # noqa: E501 - a real sample keeps its width

    program = "repadmin"
    name = "repadmin-replsummary"
    command = "repadmin /replsummary"

    def _sniff(self, material: Material) -> bool:
        lines = material.lines()[:3000]
        headers = [i for i, line in enumerate(lines) if _is_summary_header(line)]
        if len(headers) < 2:
            return False
        return any(_SUMMARY_ROW.match(line) for line in lines) or all(
            not lines[i + 1].strip() or _is_summary_header(lines[i + 1])
            for i in headers
            if i + 1 < len(lines)
        )

    def _read(self, material: Material, result: ReadResult) -> None:
        for run in self._runs(material):
            self._facts(material, run, result)

    def _runs(self, material: Material) -> list[_SummaryRun]:
        runs: list[_SummaryRun] = []
        run: _SummaryRun | None = None
        pending_start: tuple[int, datetime | None] | None = None
        section: list[_SummaryRow] | None = None
        for index, raw in enumerate(material.lines()):
            line = raw.rstrip("\r")
            if not line.strip():
                continue
            if _is_summary_header(line):
                if run is None or run.headers >= 2:
                    start = pending_start or (index, None)
                    run = _SummaryRun(first=start[0], started=start[1])
                    runs.append(run)
                    pending_start = None
                run.headers += 1
                section = run.sources if run.headers == 1 else run.destinations
                run.last = index
                continue
            if line[0] not in " \t":
                section = None
                date = _START_TIME.search(line)
                if date is not None and (run is None or run.headers >= 2):
                    pending_start = (index, parse_datetime(date.group(1)))
                continue
            row = _SUMMARY_ROW.match(line)
            if row is not None and section is not None and run is not None:
                code_text = row.group("code")
                code = None
                if code_text is not None:
                    code = _csv_number(code_text)
                section.append(
                    _SummaryRow(
                        row.group("name"),
                        int(row.group("fails")),
                        int(row.group("total")),
                        code,
                        index,
                    )
                )
                run.last = index
                continue
            failure = _OPERATIONAL_ERROR.match(line)
            if failure is not None and run is not None:
                run.unreachable.append((failure.group("name"), int(failure.group("code")), index))
                run.last = index
        return runs

    def _facts(self, material: Material, run: _SummaryRun, result: ReadResult) -> None:
        for name, error, index in run.unreachable:
            result.warnings.append(
                warning(material, index, "repadmin.dc_unreachable", dc=name, error=error)
            )
        if run.headers < 2 or not (run.sources or run.destinations):
            result.warnings.append(
                warning(material, run.first, "repadmin.summary_without_rows")
            )
            return
        bad_sources = [row for row in run.sources if row.fails > 0]
        bad_destinations = [row for row in run.destinations if row.fails > 0]
        found = max(
            sum(row.fails for row in bad_sources), sum(row.fails for row in bad_destinations)
        ) + len(run.unreachable)
        links = self._pairs(bad_sources, bad_destinations)
        if links is None:
            result.warnings.append(
                warning(material, run.first, "repadmin.summary_ambiguous",
                        sources=len(bad_sources), destinations=len(bad_destinations))
            )
            links = []
        for source, destination, code_row in links:
            code: int | None = code_row.code
            if code is None:
                other = destination if code_row is source else source
                code = other.code
            if code is None:
                result.warnings.append(
                    warning(material, code_row.index, "repadmin.link_without_code",
                            source=source.name, destination=destination.name)
                )
                continue
            first, last = sorted((source.index, destination.index))
            result.facts.append(
                ReplicationLink(
                    source=source.name,
                    destination=destination.name,
                    last_result=code,
                    observed_at=run.started,
                    provenance=source_for(
                        self, material, first, last, inferred="from repadmin /replsummary totals"
                    ),
                )
            )
        result.facts.append(
            CheckRun(
                check="replication",
                found=found,
                observed_at=run.started,
                provenance=source_for(self, material, run.first, run.last),
            )
        )

    @staticmethod
    def _pairs(
        sources: list[_SummaryRow], destinations: list[_SummaryRow]
    ) -> list[tuple[_SummaryRow, _SummaryRow, _SummaryRow]] | None:
        """(source, destination, row whose error code describes the link), or None when the
        pairs are not certain."""
        if not sources and not destinations:
            return []
        if len(destinations) == 1 and sources:
            return [(source, destinations[0], source) for source in sources]
        if len(sources) == 1 and destinations:
            return [(sources[0], destination, destination) for destination in destinations]
        return None


READERS = (ShowreplTextReader(), ShowreplCsvReader(), ReplsummaryReader())
