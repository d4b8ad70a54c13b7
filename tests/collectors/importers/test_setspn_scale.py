"""The setspn readers look at every line of whatever they are offered (an event-log export of
hundreds of thousands of lines included), so the sniff must read each line a bounded number of
times: no copy of the rest of the file per line."""

from __future__ import annotations

import re
from typing import SupportsIndex, overload

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kbdoctor.collectors.importers import setspn
from kbdoctor.collectors.importers.base import Material
from kbdoctor.collectors.importers.setspn import SetspnListReader, SetspnQueryReader

from tests.collectors.importers.fixtures import text_material


class _CopyCountingLines(list[setspn._Line]):
    """The lines of a material, counting every line a slice copies."""

    copied = 0

    @overload
    def __getitem__(self, index: SupportsIndex) -> setspn._Line: ...
    @overload
    def __getitem__(self, index: slice) -> list[setspn._Line]: ...
    def __getitem__(self, index: SupportsIndex | slice) -> setspn._Line | list[setspn._Line]:
        if isinstance(index, slice):
            part = super().__getitem__(index)
            type(self).copied += len(part)
            return part
        return super().__getitem__(index)


def _event_log_text(records: int) -> str:
    """``Get-WinEvent | Format-List`` text: unindented label lines, none a setspn header."""
    record = (
        "TimeCreated  : 02.12.2026 05:00:00\n"
        "ProviderName : MSExchangeFrontEndTransport\n"
        "Id           : 1035\n"
        "Message      : Inbound authentication failed with error IllegalMessage for Receive\n"
        "               connector Default Frontend EX01\n"
        "\n"
    )
    return record * records


@pytest.mark.parametrize("reader", [SetspnListReader(), SetspnQueryReader()])
def test_sniffing_a_large_foreign_file_copies_no_more_lines_than_it_has(
    reader: SetspnListReader | SetspnQueryReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = setspn._lines

    def counting(material: Material) -> list[setspn._Line]:
        return _CopyCountingLines(original(material))

    monkeypatch.setattr(setspn, "_lines", counting)
    monkeypatch.setattr(_CopyCountingLines, "copied", 0)
    material = text_material(_event_log_text(2000), host=None)
    line_count = len(material.lines())

    assert reader.sniff(material) is False
    assert _CopyCountingLines.copied <= line_count


def test_a_listing_header_is_still_recognised_across_blank_lines_before_its_spns() -> None:
    material = text_material(
        "Registered ServicePrincipalNames for CN=EX01,OU=Servers,DC=corp,DC=com:\n"
        "\n"
        "\n"
        "        SMTPSVC/EX01\n",
        host=None,
    )
    assert SetspnListReader().sniff(material) is True


_LINE_TEXTS = st.sampled_from(["", "   ", "\t", "CN=a,", "  HOST/x", "text", "DC=b:"])


@given(st.lists(_LINE_TEXTS, max_size=30))
def test_the_next_non_blank_line_of_each_line_is_the_first_later_line_with_text(
    texts: list[str],
) -> None:
    lines = [setspn._Line(i, t) for i, t in enumerate(texts)]
    after = setspn._next_non_blank(lines)
    assert after == [next((n for n in lines[i + 1 :] if n.body), None) for i in range(len(lines))]


class _ReadCountingLine(setspn._Line):
    """A line of a material, counting every time a reader looks at its text."""

    reads = 0

    @property
    def body(self) -> str:
        type(self).reads += 1
        return self.text.strip()


# A bound on how often each line is looked at, whatever the file holds: the readers test a line
# a handful of times; joining forwards from every line of a run of N fragments looked at each
# one about N / 2 times.
_READS_PER_LINE = 16


@pytest.mark.parametrize("fragment", ["CN=a,", "DC=a,"])
@pytest.mark.parametrize("reader", [SetspnListReader(), SetspnQueryReader()])
def test_a_run_of_dn_fragments_is_read_a_bounded_number_of_times_per_line(
    reader: SetspnListReader | SetspnQueryReader, fragment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def counting(material: Material) -> list[setspn._Line]:
        return [_ReadCountingLine(i, t) for i, t in enumerate(material.lines())]

    monkeypatch.setattr(setspn, "_lines", counting)
    monkeypatch.setattr(_ReadCountingLine, "reads", 0)
    material = text_material(f"{fragment}\n" * 2000, host=None)
    line_count = len(material.lines())

    assert reader.sniff(material) is False
    reader.read(material)
    assert _ReadCountingLine.reads <= 2 * _READS_PER_LINE * line_count


def _joined_line_by_line(lines: list[setspn._Line], index: int) -> tuple[str, int]:
    """The specification of a wrapped header: from ``index``, while the text so far ends with a
    comma, take in the next line when it is unindented and starts with CN=, OU= or DC=."""
    text, last = lines[index].body, index
    while text.endswith(",") and last + 1 < len(lines) and not lines[last + 1].indented:
        following = lines[last + 1].body
        if not re.match(r"^(?:CN|OU|DC)=", following, re.IGNORECASE):
            break
        text, last = text + following, last + 1
    return text, last


_HEADER_LINES = st.sampled_from(
    [
        "",
        "  ",
        "Registered ServicePrincipalNames for CN=EX01,",
        "Registered ServicePrincipalNames for DC=corp,",
        "CN=a,",
        "cn=b,",
        "OU=Servers,",
        "DC=corp,",
        "dc=com:",
        "DC=com:",
        "CN=EX02:",
        "ou=x",
        "x,",
        ",",
        "HTTP/ex01,",
        "        SMTPSVC/EX01",
        "\tCN=indented,",
        "text:",
    ]
)


@given(st.lists(_HEADER_LINES, max_size=25))
def test_each_lines_header_is_the_line_by_line_join(texts: list[str]) -> None:
    lines = [setspn._Line(i, t) for i, t in enumerate(texts)]
    headers = setspn._WrappedHeaders(lines)
    for pos in range(len(lines)):
        text, last = _joined_line_by_line(lines, pos)
        assert (headers.text(pos), headers.last(pos)) == (text, last)
        assert headers.account(pos) == (setspn._dn_in(text) if text.endswith(":") else None)


def test_a_dn_the_console_wrapped_over_three_lines_is_one_account() -> None:
    lines = [
        setspn._Line(i, t)
        for i, t in enumerate(
            [
                "Registered ServicePrincipalNames for CN=Myuser,CN=Users,",
                "DC=intranet,",
                "DC=corporate,DC=com:",
                "    gassvc/GASSERVER",
            ]
        )
    ]
    headers = setspn._WrappedHeaders(lines)
    assert headers.last(0) == 2
    assert headers.account(0) == "CN=Myuser,CN=Users,DC=intranet,DC=corporate,DC=com"
    # from its second line on, the header is a fragment that names no account
    assert headers.account(1) is None
    assert headers.last(3) == 3
