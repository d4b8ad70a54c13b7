"""Bytes in the encodings Windows writes become the same text."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kbdoctor.collectors.decoding import decode_bytes, guess_code_page

POLISH = "Zarejestrowane nazwy główne usług (SPN) dla CN=EX01:\n        SMTPSVC/EX01\n"
GERMAN = "Stammverzögerung: 0.0336332s\nQuelle: de.pool.ntp.org\nPräzision: -23 (über)\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + POLISH.encode("utf-8"), "utf-8-sig"),
        (POLISH.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + POLISH.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + POLISH.encode("utf-16-be"), "utf-16-be"),
        (POLISH.encode("utf-16-le"), "utf-16-le"),
        (POLISH.encode("utf-16-be"), "utf-16-be"),
        (POLISH.encode("cp852"), "cp852"),
        (POLISH.encode("cp1250"), "cp1250"),
    ],
)
def test_polish_text_reads_the_same_in_every_encoding_windows_writes(
    data: bytes, encoding: str
) -> None:
    decoded = decode_bytes(data)
    assert decoded.text == POLISH
    assert decoded.encoding == encoding


@pytest.mark.parametrize("encoding", ["cp850", "cp1252"])
def test_german_oem_and_ansi_bytes_are_recognised(encoding: str) -> None:
    decoded = decode_bytes(GERMAN.encode(encoding))
    assert decoded.text == GERMAN
    assert decoded.encoding == encoding


def test_french_ansi_accents_are_not_read_as_czech_capitals() -> None:
    text = "Indicateur de saut : 0 (aucun avertissement)\nPrécision : -23\nDécalage de phase\n"
    assert decode_bytes(text.encode("cp1252")).text == text


def test_crlf_and_lone_cr_become_lf() -> None:
    assert decode_bytes(b"a\r\nb\rc\n").text == "a\nb\nc\n"


def test_evtx_magic_is_binary_without_text() -> None:
    decoded = decode_bytes(b"ElfFile\x00" + bytes(range(256)))
    assert decoded.text is None
    assert decoded.encoding == "binary:evtx"


def test_bytes_with_scattered_nuls_are_binary() -> None:
    assert decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\x13\x00").text is None


def test_polish_bytes_are_guessed_as_cp852_not_cp850() -> None:
    assert guess_code_page("łóżko ślęczy źdźbło".encode("cp852")) == "cp852"


@pytest.mark.fuzz
@given(st.binary(max_size=2000))
def test_any_bytes_decode_without_raising(data: bytes) -> None:
    decoded = decode_bytes(data)
    assert decoded.text is None or "\r" not in decoded.text
