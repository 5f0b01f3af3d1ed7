"""Plain text and Markdown: one document per file, stored as written (canonicalised later),
less a metadata header block (Title:, Date:, ... lines) or Markdown front matter at the top."""

from __future__ import annotations

from pathlib import Path

from annotator.core.model import ImportedDocument
from annotator.io.decode import decode_bytes
from annotator.io.readers.article_meta import article_document, split_front_matter, split_header


def read_txt(path: Path, data: bytes) -> list[ImportedDocument]:
    """Read a .txt file as one document; a header block gives its title, date, source, URL."""
    found, text = split_header(decode_bytes(path, data))
    return [article_document(path, text, "txt", found)]


def read_md(path: Path, data: bytes) -> list[ImportedDocument]:
    """Read a Markdown file as one document; front matter (or a header block) gives its
    metadata and is left out of the text; the rest of the markup stays in the text."""
    matter, text = split_front_matter(decode_bytes(path, data))
    header, text = split_header(text)
    return [article_document(path, text, "md", matter.fill(header))]
