"""spaCy DocBin (.spacy) import: texts as they are, spans from every span group and doc.ents."""

from __future__ import annotations

from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.model import ImportedDocument, ImportedSpan
from annotator.io.base import title_from_text


def read_spacy(path: Path, data: bytes) -> list[ImportedDocument]:
    """Every Doc of the DocBin as a verbatim document; spans deduplicated, spans['sc'] first."""
    from annotator.nlp.docbin import read_docbin

    try:
        records = read_docbin(data)
    except ValueError as exc:
        raise InputError(str(path), None, str(exc)) from None
    if not records:
        raise InputError(str(path), None, "the DocBin holds no documents")
    documents = []
    for number, record in enumerate(records, start=1):
        if not record.text.strip():
            raise InputError(str(path), None, f"document {number} has no text")
        user = record.user_data or {}
        title = user.get("title") if isinstance(user.get("title"), str) else ""
        documents.append(
            ImportedDocument(
                text=record.text,
                title=title or title_from_text(record.text, f"{path.name}:{number}"),
                source=str(path),
                spans=[ImportedSpan(start, end, label) for start, end, label in record.spans],
                verbatim=True,
            )
        )
    return documents
