"""Format-List records: fields, wrapped values, record boundaries."""

from __future__ import annotations

from kbdoctor.collectors.importers.base import Material
from kbdoctor.collectors.parsing.format_list import (
    find_table_header,
    looks_like_listing,
    parse_records,
    split_list_value,
)


def material(text: str, first_line: int = 1) -> Material:
    return Material(path="fl.txt", data=text.encode(), text=text, first_line=first_line)


# Console width 80: the first two LastError lines were wrapped at spaces, the third (exactly 80
# columns) cut the FQDN in the middle.
WRAPPED = (
    "\n"
    "Identity     : EX01\\3\n"
    "Status       : Retry\n"
    "LastError    : [{LRT=1/2/2024 10:00:00 AM};{LED=451 4.4.0 Primary target\n"
    '               responded with: "454 4.7.0 Temporary authentication failure."};\n'
    "               {FQDN=ex02.mailhub-primary.datacenter-westeurope02.corp.example.c\n"
    "               om};{IP=10.0.0.12}]\n"
    "MessageCount : 3\n"
    "\n"
    "Identity     : EX01\\Submission\n"
    "LastError    :\n"
)


def test_records_are_split_at_blank_lines_and_keep_their_line_spans() -> None:
    records = parse_records(material(WRAPPED))
    assert [r.value("Identity") for r in records] == ["EX01\\3", "EX01\\Submission"]
    first = records[0]
    assert (first.first, first.last) == (1, 7)
    error = first.get("lasterror")
    assert error is not None
    assert (error.first, error.last) == (3, 6)
    assert len(WRAPPED.split("\n")[5]) == 80


def test_continuations_join_with_a_space_except_where_a_word_was_cut_at_the_width() -> None:
    value = parse_records(material(WRAPPED))[0].value("LastError")
    assert value == (
        "[{LRT=1/2/2024 10:00:00 AM};{LED=451 4.4.0 Primary target responded with: "
        '"454 4.7.0 Temporary authentication failure."}; '
        "{FQDN=ex02.mailhub-primary.datacenter-westeurope02.corp.example.com};{IP=10.0.0.12}]"
    )


def test_empty_values_read_as_none() -> None:
    assert parse_records(material(WRAPPED))[1].value("LastError") is None


def test_text_that_is_not_a_listing_ends_a_record() -> None:
    text = "Name : EX01\nsome error text without colon\nName : EX02\n"
    assert [r.value("Name") for r in parse_records(material(text))] == ["EX01", "EX02"]


def test_sniff_helper_needs_the_given_number_of_properties() -> None:
    m = material(WRAPPED)
    assert looks_like_listing(m, ("Identity", "MessageCount"), needed=2)
    assert not looks_like_listing(m, ("Identity", "AuthMechanism"), needed=2)


def test_collection_values_split_and_lose_the_truncation_mark() -> None:
    assert split_list_value("{[::]:25, 0.0.0.0:25}") == ["[::]:25", "0.0.0.0:25"]
    assert split_list_value("{a, b, c, d...}") == ["a", "b", "c", "d"]
    assert split_list_value("{}") == []


def test_table_header_is_found_only_with_its_rule_line() -> None:
    table = "Identity DeliveryType Status\n-------- ------------ ------\nEX01\\3 Smtp Retry\n"
    assert find_table_header(material(table), ("Identity", "DeliveryType")) == 0
    assert find_table_header(material("Identity DeliveryType\nx y\n"), ("Identity",)) is None


def _value_lines(value: str, width: int, column: int) -> list[str]:
    """``value`` cut hard every ``width - column`` characters, as Polish PowerShell writes it."""
    room = width - column
    return [value[i : i + room] for i in range(0, len(value), room)]


def test_a_hard_cut_console_is_joined_exactly_spaces_at_the_cut_included() -> None:
    value = (
        '[{LRT=28.11.2026 09:12:44};{LED=451 4.4.0 Podstawowy docelowy adres IP odpowiedział: '
        '"454 4.7.0 Błąd uwierzytelniania tymczasowego". Podjęto próbę przejścia w tryb failover '
        "do alternatywnego hosta, ale nie powiodło się.};{FQDN=ex02.firma.pl};{IP=10.1.2.3}]"
    )
    pieces = _value_lines(value, 119, 15)
    lines = ["Identity     : EX01\\3", "LastError    : " + pieces[0]]
    lines += [" " * 15 + piece for piece in pieces[1:]]
    assert {len(line) for line in lines[1:-1]} == {119}
    assert parse_records(material("\n".join(lines) + "\n"))[0].value("LastError") == value


def test_word_wrapped_lines_that_happen_to_fill_the_width_keep_their_space() -> None:
    first = "LastError    : " + "one two three " * 7 + "fourteen"
    first = first + "x" * (119 - len(first))
    second = " " * 15 + "five six seven " * 6 + "eightteen"
    second = second + "y" * (119 - len(second))
    lines = [first, second, " " * 15 + "the end", " " * 15 + "short line here", " " * 15 + "x"]
    value = parse_records(material("\n".join(lines) + "\n"))[0].value("LastError")
    assert value is not None
    assert " five six" in value
    assert " the end short line here x" in value
