"""Readers by format name, `--format auto` detection, and the files a list of paths stands for.

io's own readers are here; other packages add theirs at start-up with `register_reader`
(annotator.nlp.formats registers "spacy", which the command line and the app call first).
Without it such a format is absent: its name is an unknown format and its files are not
listed from folders."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from annotator.core.errors import AnnotatorError, InputError
from annotator.core.input_file import refuse_unless_regular
from annotator.io.base import LineReader, Reader, input_lines
from annotator.io.readers.brat import read_brat
from annotator.io.readers.conll import read_conll
from annotator.io.readers.csv import read_csv
from annotator.io.readers.docx import read_docx
from annotator.io.readers.html import read_html
from annotator.io.readers.inception_project import is_inception_project, read_inception_project
from annotator.io.readers.jsonl import iter_jsonl, read_jsonl
from annotator.io.readers.labelstudio import read_labelstudio
from annotator.io.readers.pdf import read_pdf
from annotator.io.readers.text import read_md, read_txt
from annotator.io.readers.webanno_tsv import is_webanno_tsv, read_webanno_tsv
from annotator.io.readers.xmi import read_xmi

_READERS: dict[str, Reader] = {
    "txt": read_txt,
    "md": read_md,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "html": read_html,
    "pdf": read_pdf,
    "docx": read_docx,
    "xmi": read_xmi,
    "brat": read_brat,
    "conll": read_conll,
    "labelstudio": read_labelstudio,
    "webanno": read_webanno_tsv,
    "inception": read_inception_project,
}
READERS: Mapping[str, Reader] = MappingProxyType(_READERS)
"""Every import format by the name `--format` takes (a live, read-only view)."""
LINE_READERS: Mapping[str, LineReader] = MappingProxyType({"jsonl": iter_jsonl})
"""The formats an import reads a line at a time (io.base.LineReader), storing as it reads."""

_EXTENSIONS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".xmi": "xmi",
    ".ann": "brat",
    ".conll": "conll",
    ".iob": "conll",
    ".json": "labelstudio",
}
EXTENSIONS: Mapping[str, str] = MappingProxyType(_EXTENSIONS)
"""File extensions (lower case) and the format each means; folders yield only these files
(a live, read-only view)."""


_FOLDER_EXTENSIONS_OF_FORMAT: dict[str, tuple[str, ...]] = {
    "conll": (".train", ".dev", ".test", ".testa", ".testb"),
}
"""Extensions too vague for `--format auto` that folders also yield when the format is named
(CoNLL-2003's eng.train, eng.testa, ...)."""


_JSON_LIST_OF_OBJECTS = re.compile(rb"\s*\[\s*\{")


class UnknownFormatError(AnnotatorError):
    """A format name no reader is registered for (a usage error)."""


def register_reader(name: str, reader: Reader, extensions: Sequence[str] = ()) -> None:
    """Make `reader` the import format `name`, detected by the given file extensions (lower
    case, with the dot); a name or extension is registered once (the same again is a no-op),
    and a refused registration changes nothing."""
    if _READERS.get(name, reader) is not reader:
        raise ValueError(f"import format {name!r} is already registered")
    for extension in extensions:
        if _EXTENSIONS.get(extension, name) != name:
            raise ValueError(f"file extension {extension!r} already means another format")
    _READERS[name] = reader
    _EXTENSIONS.update(dict.fromkeys(extensions, name))


def reader_for(name: str) -> Reader:
    """The reader registered as `name`, or UnknownFormatError listing the known formats."""
    try:
        return READERS[name]
    except KeyError:
        known = ", ".join(sorted(READERS))
        raise UnknownFormatError(f'unknown format "{name}"; choose one of {known}') from None


def detect_format(path: Path, data: bytes) -> str:
    """The format for `--format auto`: by extension, else by content, else txt."""
    if _is_brat_text(path):
        return "brat"
    if is_webanno_tsv(data):  # before the extension: its files end in .tsv, like CSV's
        return "webanno"
    by_extension = EXTENSIONS.get(path.suffix.lower())
    if by_extension == "labelstudio" and _starts_with_json_document(data):
        return "jsonl"  # JSON lines named .json
    if by_extension:
        return by_extension
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if is_inception_project(data):  # a zip named on the command line; folders skip .zip
        return "inception"
    if head.startswith(b"PK\x03\x04") and _is_docx(data):
        return "docx"
    if _starts_with_json_document(data):
        return "jsonl"
    if _JSON_LIST_OF_OBJECTS.match(head.removeprefix(b"\xef\xbb\xbf")):
        return "labelstudio"
    if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"-DOCSTART-"):
        return "conll"
    markup = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if markup.startswith((b"<!doctype html", b"<html")) or (
        markup.startswith(b"<") and b"<html" in markup
    ):
        return "html"
    return "txt"


def line_reader_for(path: Path, fmt: str) -> LineReader | None:
    """The line reader for a file of format `fmt` (`auto`: as detect_format decides from its
    extension and first line), or None when it is read whole."""
    if fmt == "auto":
        if EXTENSIONS.get(path.suffix.lower()) not in LINE_READERS:
            return None
        lines = input_lines(path)
        fmt = detect_format(path, next(lines, b""))
        lines.close()
    return LINE_READERS.get(fmt)


def iter_input_files(
    paths: Iterable[Path | str], passed_over: list[InputError] | None = None, fmt: str = "auto"
) -> list[Path]:
    """Named files as given, plus the known-format files under named folders (sorted, no hidden;
    with a named `fmt`, also the extensions only that format claims).

    Entries under the folders that are not regular files (named pipes, devices, sockets, links
    to them) and subfolders that cannot be listed are left out, with the reason appended to
    `passed_over` when it is given; a named path is kept for its reader to refuse."""
    files: dict[Path, None] = {}
    extensions = {*EXTENSIONS, *_FOLDER_EXTENSIONS_OF_FORMAT.get(fmt, ())}
    for given in map(Path, paths):
        if given.is_dir():
            files.update(dict.fromkeys(_folder_files(given, extensions, passed_over)))
        elif os.path.exists(given):
            files[given] = None
        else:
            raise InputError(str(given), None, "no such file or folder")
    return [path for path in files if not _is_listed_brat_text(path, files)]


def _folder_files(
    folder: Path, extensions: set[str], passed_over: list[InputError] | None
) -> list[Path]:
    """Regular files with one of the extensions under `folder`, skipping names that start with a
    dot; the other entries with such an extension, and subfolders that cannot be listed, go to
    `passed_over`."""
    found, left_out = [], []

    def unlisted(exc: OSError) -> None:
        reason = f"cannot list the folder: {exc.strerror or exc}"
        left_out.append(InputError(str(exc.filename), None, reason))

    for root, dirs, names in os.walk(folder, onerror=unlisted):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in names:
            if not name.startswith(".") and Path(name).suffix.lower() in extensions:
                path = Path(root, name)
                try:
                    refuse_unless_regular(path, path.stat())
                    found.append(path)
                except InputError as exc:
                    left_out.append(exc)
                except OSError:
                    found.append(path)  # a dangling link: its reader names the problem
    if passed_over is not None:
        passed_over.extend(sorted(left_out, key=lambda error: error.path))
    return sorted(found)


def _is_brat_text(path: Path) -> bool:
    """Whether a .txt is the text of a brat document (an .ann beside it, or annotation.conf)."""
    return path.suffix.lower() == ".txt" and (
        path.with_suffix(".ann").is_file() or (path.parent / "annotation.conf").is_file()
    )


def _is_listed_brat_text(path: Path, files: Mapping[Path, None]) -> bool:
    """A .txt whose .ann is also an input: the brat reader reads it with the .ann."""
    return path.suffix.lower() == ".txt" and path.with_suffix(".ann") in files


def _is_docx(data: bytes) -> bool:
    """Whether the bytes are a zip archive holding word/document.xml."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _starts_with_json_document(data: bytes) -> bool:
    """Whether the first non-blank line is a JSON object with a "text" key."""
    for line in io.BytesIO(data.removeprefix(b"\xef\xbb\xbf")):
        if line.strip():
            try:
                first = json.loads(line)
            except (ValueError, RecursionError):
                return False
            return isinstance(first, dict) and "text" in first
    return False
