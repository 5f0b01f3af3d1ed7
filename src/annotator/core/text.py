"""Canonical text: what plain imports store, and the hash that identifies a document."""

from __future__ import annotations

import hashlib
import re
import unicodedata

NORMALIZATION = "NFC+LF"


def canonical_text(text: str) -> str:
    """Strip a BOM, turn CRLF and lone CR into LF, and compose to NFC (before any annotation)."""
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def text_sha256(text: str) -> str:
    """The identity of a document's text (UTF-8, hex), used to dedupe imports and merges."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_KEY_SLICE = 1 << 16
"""Characters normalised at a time by whitespace_key (a long text is never split whole)."""
_WHITESPACE = re.compile(r"\s")


def whitespace_key(text: str) -> str:
    """The identity of a text apart from whitespace: SHA-256 hex of `" ".join(text.split())`
    (runs of whitespace as one space, none at the ends), stored beside each document to report
    near-duplicates. Computed a slice at a time, cut at whitespace, so memory stays a few
    copies of a slice whatever the text's length."""
    digest = hashlib.sha256()
    start, separator = 0, ""
    while start < len(text):
        cut = _WHITESPACE.search(text, start + _KEY_SLICE)
        end = cut.start() if cut else len(text)
        words = text[start:end].split()
        if words:
            digest.update((separator + " ".join(words)).encode("utf-8", "surrogatepass"))
            separator = " "
        start = end
    return digest.hexdigest()


def is_mostly_rtl(text: str, sample: int = 5_000) -> bool:
    """True when right-to-left letters (Arabic, Hebrew, ...) outnumber left-to-right ones in the
    text's opening, so the view should align it to the right."""
    rtl = ltr = 0
    for ch in text[:sample]:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            rtl += 1
        elif kind == "L":
            ltr += 1
    return rtl > ltr
