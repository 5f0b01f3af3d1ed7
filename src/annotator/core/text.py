"""Canonical text: what plain imports store, and the hash that identifies a document."""

from __future__ import annotations

import hashlib
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
