"""Bytes of a plain file to str: BOM, UTF-16 without BOM, UTF-8, then detected legacy encodings."""

from __future__ import annotations

import codecs
import re
import unicodedata
from contextlib import suppress
from pathlib import Path

from charset_normalizer import CharsetMatch, from_bytes

from annotator.core.errors import InputError

_BOMS = (  # UTF-32 first: its LE mark begins with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Ties between equally plausible single-byte decodings (common on short texts) go to the
# encoding most files are actually written in.
_PREFERRED = ("cp1252", "cp1251", "cp1250", "cp1253", "cp1254", "cp1257", "koi8_r", "iso8859_15")

_SAMPLE = 8192
_WORD = re.compile(r"[^\W\d_]+")


def decode_utf8(path: Path | str, data: bytes) -> str:
    """Strict UTF-8 (a leading BOM dropped), for formats whose offsets or tokens need the exact
    text; bad bytes are an InputError naming their line."""
    try:
        return data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(str(path), line, f"not valid UTF-8: {exc.reason}") from None


def decode_bytes(path: Path | str, data: bytes, hint: str | None = None) -> str:
    """Decode a plain file's bytes, dropping only the BOM; `hint` is a declared encoding to try."""
    text = _decode(path, data, hint)
    if not text.strip():
        raise InputError(str(path), None, "empty file")
    return text


def _decode(path: Path | str, data: bytes, hint: str | None) -> str:
    """Pick the encoding: BOM, NUL pattern of UTF-16, valid UTF-8, the hint, then detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(path, data, encoding, f"{encoding} byte-order mark", skip=len(bom))
    utf16 = _utf16_without_bom(data[:_SAMPLE])
    if utf16:
        return _strict(path, data, utf16, "NUL bytes typical of UTF-16")
    if b"\x00" in data:
        raise InputError(str(path), None, "binary file, not text (contains NUL bytes)")
    for encoding in ("utf-8", hint) if hint else ("utf-8",):
        with suppress(UnicodeDecodeError, LookupError):
            return data.decode(encoding)
    return _detect(path, data)


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 LE/BE when most code units have a NUL high byte (Latin text), else None."""
    pairs = len(sample) // 2
    if pairs == 0:
        return None
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    if odd_nuls >= 0.3 * pairs and even_nuls <= 0.05 * pairs:
        return "utf-16-le"
    if even_nuls >= 0.3 * pairs and odd_nuls <= 0.05 * pairs:
        return "utf-16-be"
    return None


def _strict(path: Path | str, data: bytes, encoding: str, why: str, skip: int = 0) -> str:
    """Decode data[skip:] strictly, naming the evidence for the encoding if the bytes misfit."""
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        reason = f"{why}, but not valid {encoding}: {exc.reason} at byte {skip + exc.start}"
        raise InputError(str(path), None, f"binary file, not text ({reason})") from exc


def _detect(path: Path | str, data: bytes) -> str:
    """The most plausible legacy decoding charset-normalizer offers (see _rank)."""
    matches = list(from_bytes(data))
    if not matches:
        reason = "not UTF-8, and no known encoding decodes it cleanly"
        raise InputError(str(path), None, f"binary file, not text ({reason})")
    return str(min(matches, key=_rank))


def _rank(match: CharsetMatch) -> tuple[float, float, float, int]:
    """Sort key: fewer implausible words, less chaos, more coherence, a more common encoding."""
    common = _PREFERRED.index(match.encoding) if match.encoding in _PREFERRED else len(_PREFERRED)
    odd = _implausible_share(str(match)[:_SAMPLE])
    return (round(odd, 2), round(match.chaos, 2), -round(match.coherence, 2), common)


def _implausible_share(text: str) -> float:
    """Share of non-ASCII words a wrong code page typically makes (chaos misses these on short
    texts): mixed scripts, or Latin words made only of accented letters ("Ďđčâĺň", "Привет")."""
    words = [word for word in _WORD.findall(text) if not word.isascii()]
    odd = sum(1 for word in words if _implausible(word))
    return odd / len(words) if words else 0.0


def _implausible(word: str) -> bool:
    """Whether a word mixes scripts or is three or more Latin letters, all of them accented."""
    scripts = {unicodedata.name(char, "?").split(" ", 1)[0] for char in word}
    if len(scripts) > 1:
        return True
    return scripts == {"LATIN"} and len(word) >= 3 and not any(char.isascii() for char in word)
