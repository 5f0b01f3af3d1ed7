"""HTML: the article's text, without navigation and scripts, parsed offline with html.parser."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.model import ImportedDocument
from annotator.io.decode import decode_bytes
from annotator.io.readers.article_meta import ArticleMeta, article_document
from annotator.io.readers.html_text import ArticleTextParser

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.I | re.S)
_META_KEYS = {
    "title": ("og:title", "twitter:title", "dc.title"),
    "date": (
        *("article:published_time", "og:article:published_time", "datepublished", "date"),
        *("pubdate", "publishdate", "dc.date", "citation_publication_date", "time"),
    ),
    "source": ("og:site_name", "dc.publisher", "publisher"),
    "url": ("og:url", "canonical"),
    "author": ("author", "article:author", "dc.creator", "citation_author"),
}
"""Where a page states each field, in order of preference (<meta> names and properties, the
canonical <link>, the first <time datetime>; see ArticleTextParser.meta)."""


def read_html(path: Path, data: bytes) -> list[ImportedDocument]:
    """Read an HTML page as one document: <article>/<main> text if any, else the body's."""
    markup = decode_bytes(path, data, hint=_declared_charset(data))
    parser = ArticleTextParser()
    parser.feed(_DOCTYPE_SUBSET.sub("", markup, count=1))
    parser.close()
    text = parser.text()
    if not text:
        raise InputError(str(path), None, "no text found in the HTML (only markup or boilerplate)")
    found = ArticleMeta(
        **{
            field: next((parser.meta[key] for key in keys if parser.meta.get(key)), "")
            for field, keys in _META_KEYS.items()
        }
    )
    titled = ArticleMeta(title=parser.title).fill(found).fill(ArticleMeta(title=parser.first_h1))
    return [article_document(path, text, "html", titled)]


def _declared_charset(data: bytes) -> str | None:
    """The encoding a <meta> declares, read as browsers do (latin-1 means cp1252)."""
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    if name in ("iso8859-1", "ascii"):
        return "cp1252"
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name
