"""PDF: the text layer of every page (pypdf, imported on first use); scans need OCR first."""

from __future__ import annotations

import io
import logging
import warnings
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.model import ImportedDocument
from annotator.io.base import title_from_text

# pypdf logs every recoverable oddity of a file; its failures reach the user as InputError.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def read_pdf(path: Path, data: bytes) -> list[ImportedDocument]:
    """Read a PDF as one document, its pages' text joined by blank lines."""
    from pypdf.errors import DependencyError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            pages = _page_texts(path, data)
        except InputError:
            raise
        except DependencyError as exc:  # AES without the optional `cryptography` package
            reason = (
                f"encrypted PDF that cannot be decrypted here ({exc}); import an unprotected copy"
            )
            raise InputError(str(path), None, reason) from exc
        except Exception as exc:  # pypdf raises many types on damaged files; none may escape
            reason = str(exc) or type(exc).__name__
            raise InputError(str(path), None, f"not a readable PDF: {reason}") from exc
    text = "\n\n".join(page.strip("\r\n") for page in pages if page.strip())
    if not text:
        raise InputError(str(path), None, "no text layer (scanned PDF?); run OCR first")
    return [
        ImportedDocument(
            text=text,
            title=title_from_text(text, path.name),
            source=str(path),
            meta={"format": "pdf", "filename": path.name, "pages": len(pages)},
        )
    ]


def _page_texts(path: Path, data: bytes) -> list[str]:
    """Each page's text; an encrypted file must open without a password."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        reason = "encrypted PDF that needs a password; import an unprotected copy"
        raise InputError(str(path), None, reason)
    pages = [page.extract_text() or "" for page in reader.pages]
    if not pages:
        raise InputError(str(path), None, "PDF has no pages")
    return pages
