"""decode_bytes: BOMs, UTF-16 without BOM, UTF-8, legacy encodings, and what is not text."""

from __future__ import annotations

import codecs
import random

import pytest

from annotator.core.errors import InputError
from annotator.io.decode import decode_bytes

SAMPLE = "Hello, wörld — “quoted” 😀\r\nsecond line"


def reason_for(data: bytes) -> str:
    with pytest.raises(InputError) as info:
        decode_bytes("in.txt", data)
    assert info.value.path == "in.txt"
    assert info.value.line is None
    return info.value.reason


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_a_bom_picks_the_encoding_and_is_dropped(bom, encoding):
    assert decode_bytes("in.txt", bom + SAMPLE.encode(encoding)) == SAMPLE


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_by_its_nul_bytes(encoding):
    assert decode_bytes("in.txt", SAMPLE.encode(encoding)) == SAMPLE


def test_utf8_is_kept_exactly_without_canonicalising_or_stripping():
    text = "  Cafe\u0301\r\nline\rend \n\n"
    assert decode_bytes("in.txt", text.encode("utf-8")) == text


def test_cp1252_is_detected():
    text = "façade — naïve “quotes”"
    assert decode_bytes("in.txt", text.encode("cp1252")) == text


@pytest.mark.parametrize(
    "text", ["Привет, мир! Это тестовый текст на русском языке.", "Привет, мир"]
)
def test_cp1251_russian_is_detected(text):
    assert decode_bytes("in.txt", text.encode("cp1251")) == text


def test_a_declared_encoding_is_used_when_the_bytes_are_not_utf8():
    assert decode_bytes("in.txt", "Ïðèâåò".encode("cp1252"), hint="cp1251") == "Привет"


def test_valid_utf8_wins_over_a_wrong_declaration_and_unknown_hints_are_ignored():
    assert decode_bytes("in.txt", "naïve".encode(), hint="cp1251") == "naïve"
    assert decode_bytes("in.txt", "naïve".encode("cp1252"), hint="no-such-codec") == "naïve"


@pytest.mark.parametrize(
    "data",
    [b"", b"  \n\t\r\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")],
)
def test_empty_or_whitespace_only_files_are_refused(data):
    assert reason_for(data) == "empty file"


def test_nul_bytes_outside_utf16_mean_binary():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"
    assert reason_for(png) == "binary file, not text (contains NUL bytes)"


def test_bytes_that_no_encoding_decodes_cleanly_are_binary():
    rng = random.Random(1)
    noise = bytes(rng.randrange(1, 256) for _ in range(3000))
    assert reason_for(noise) == (
        "binary file, not text (not UTF-8, and no known encoding decodes it cleanly)"
    )


def test_a_bom_whose_encoding_does_not_fit_is_binary():
    assert reason_for(codecs.BOM_UTF16_LE + b"a\x00b") == (
        "binary file, not text (utf-16-le byte-order mark, but not valid utf-16-le: "
        "truncated data at byte 4)"
    )


def test_utf16_looking_bytes_with_a_lone_surrogate_are_binary():
    data = "hello world".encode("utf-16-le") + b"\x00\xd8" + "more text".encode("utf-16-le")
    assert reason_for(data).startswith(
        "binary file, not text (NUL bytes typical of UTF-16, but not valid utf-16-le: "
    )
