"""An article's metadata as its file states it: title, date, source, URL and author.

Dates are stored as ISO `YYYY-MM-DD` in meta["date"]; a date that cannot be read unambiguously
is kept as given in meta["date_text"]. The source goes to meta["source"], which becomes the
document's `source` when stored (core.importing); the URL to meta["url"].

Plain text may open with a header block (`Title:`, `Date:`, `Source:`, `URL:`, `Author:` lines,
or a `date YYYY-MM-DD` prefix) and Markdown with YAML front matter; `split_header` and
`split_front_matter` read them and return the text that follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from annotator.core.model import ImportedDocument
from annotator.io.base import title_from_text

ALIASES = {
    "title": "title",
    "headline": "title",
    "date": "date",
    "published": "date",
    "source": "source",
    "publisher": "source",
    "url": "url",
    "link": "url",
    "author": "author",
}
"""Header and front-matter keys (lower case) and the field each one fills."""

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T ]\d)")
_DAY_FIRST = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})$")
_WORDS = re.compile(r"[a-z]+\.?|\d+(?:st|nd|rd|th)?", re.I)
_HEADER_LINE = re.compile(r"[ \t]*([A-Za-z]+)[ \t]*:[ \t]*(\S.*?)\s*$")
_DATE_PREFIX = re.compile(r"[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})(?=\s|$)[ \t]*(\r\n|\r|\n)?", re.I)
_FRONT_MATTER = re.compile(r"---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", re.S)


@dataclass
class ArticleMeta:
    """What a file says about its article; "" where it says nothing."""

    title: str = ""
    date: str = ""
    source: str = ""
    url: str = ""
    author: str = ""

    def fill(self, other: ArticleMeta) -> ArticleMeta:
        """These values, with the other's where these are empty."""
        return ArticleMeta(
            **{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)}
        )

    def meta(self) -> dict[str, str]:
        """The document meta entries: date (ISO, else date_text), source, url and author."""
        found = {"source": self.source, "url": self.url, "author": self.author}
        return {**date_entry(self.date), **{key: value for key, value in found.items() if value}}


def article_document(path: Path, text: str, fmt: str, found: ArticleMeta) -> ImportedDocument:
    """One document from a whole file: the stated title, else its first non-empty line."""
    return ImportedDocument(
        text=text,
        title=found.title or title_from_text(text, path.name),
        source=str(path),
        meta={"format": fmt, "filename": path.name, **found.meta()},
    )


def iso_date(text: str) -> str | None:
    """`YYYY-MM-DD` for a date written unambiguously (ISO, with or without a time; `8 March
    2024`, `March 8, 2024`, `08.03.2024`, RFC 2822), else None (e.g. `03/08/2024`)."""
    text = text.strip()
    numeric = _ISO.match(text)
    if numeric:
        return _valid(int(numeric[1]), int(numeric[2]), int(numeric[3]))
    day_first = _DAY_FIRST.match(text)
    if day_first:
        return _valid(int(day_first[3]), int(day_first[2]), int(day_first[1]))
    return _written_date(text) or _rfc2822_date(text)


def date_entry(value: str) -> dict[str, str]:
    """{"date": ISO} for a readable date, {"date_text": value} for another, {} for none."""
    value = value.strip()
    if not value:
        return {}
    iso = iso_date(value)
    return {"date": iso} if iso else {"date_text": value}


def meta_title(meta: dict[str, Any]) -> str:
    """meta["title"] when it is a usable string, else ""."""
    title = meta.get("title")
    return title.strip() if isinstance(title, str) else ""


def normalise_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """A record's meta with its "date" made ISO (or moved to "date_text" when unreadable)."""
    value = meta.get("date")
    if not isinstance(value, str) or not value.strip() or iso_date(value) == value:
        return meta
    rest = {key: item for key, item in meta.items() if key != "date"}
    return {**rest, **date_entry(value)}


def split_header(text: str) -> tuple[ArticleMeta, str]:
    """The header block opening a plain text, and the text after it. A header is a run of
    `Key: value` lines (keys in ALIASES) or a `date YYYY-MM-DD` prefix at the very top,
    ended by a blank line or the first other line; a text that is only a header stays whole."""
    found: dict[str, str] = {}
    position = len(text) - len(text.lstrip())  # blank lines and spaces before the header
    while True:
        prefix = _DATE_PREFIX.match(text, position)
        if prefix and "date" not in found:
            found["date"] = prefix[1]
            position = prefix.end()
            if prefix[2] is None:  # the article goes on on the same line (the seed's case)
                break
            continue
        end = text.find("\n", position)
        end = len(text) if end < 0 else end + 1
        line = _HEADER_LINE.fullmatch(text[position:end].rstrip("\r\n"))
        key = ALIASES.get(line[1].lower()) if line else None
        if line is None or key is None or key in found:
            break
        found[key] = line[2]
        position = end
    body = text[position:].lstrip(" \t\r\n")
    if not found or not body.strip():
        return ArticleMeta(), text
    return ArticleMeta(**found), body


def split_front_matter(text: str) -> tuple[ArticleMeta, str]:
    """Markdown's YAML front matter (`---` lines around `key: value` lines, at the very start)
    and the text after it; scalar values of keys in ALIASES are read, the rest is dropped."""
    text = text.removeprefix("\ufeff")
    match = _FRONT_MATTER.match(text)
    if match is None:
        return ArticleMeta(), text
    found: dict[str, str] = {}
    for raw in match[1].splitlines():
        line = _HEADER_LINE.fullmatch(raw)
        key = ALIASES.get(line[1].lower()) if line and not raw[:1].isspace() else None
        if line and key and key not in found:
            found[key] = _unquoted(line[2])
    return ArticleMeta(**found), text[match.end() :].lstrip("\r\n")


def _unquoted(value: str) -> str:
    """A YAML scalar without its quotes."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _written_date(text: str) -> str | None:
    """`8 March 2024`, `March 8, 2024`, `Fri, Mar 8 2024`: one month name, a day, a year."""
    words = [word.rstrip(".").lower() for word in _WORDS.findall(text)]
    months = [_MONTHS[word] for word in words if word in _MONTHS]
    numbers = [int(word.rstrip("stndrh")) for word in words if word[0].isdigit()]
    if len(months) != 1 or len(numbers) < 2:
        return None
    years = [n for n in numbers[:3] if n >= 1000]
    days = [n for n in numbers[:3] if n < 100]
    if len(years) != 1 or len(days) != 1:
        return None
    return _valid(years[0], months[0], days[0])


def _rfc2822_date(text: str) -> str | None:
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None
