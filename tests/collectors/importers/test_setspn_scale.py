"""The setspn readers look at every line of whatever they are offered (an event-log export of
hundreds of thousands of lines included), so the sniff must read each line a bounded number of
times: no copy of the rest of the file per line."""

from __future__ import annotations

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
