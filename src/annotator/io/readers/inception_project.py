"""An INCEpTION project export (`.zip` with `exportedproject*.json`): each document with each
user's annotations as that user's layer.

Read: `annotation/<document>/<user>.tsv` (WebAnno TSV 3), `.xmi`, and `.zip` (UIMA CAS XMI with
its TypeSystem.xml, as INCEpTION exports XMI), plus `curation/<document>/CURATION_USER.*` as the
layer `curation`. A user's state in `exportedproject*.json` becomes the document's status in the
user's layer (FINISHED: done, IN_PROGRESS: in progress, IGNORE: skipped). `.txt` annotation files
(the project exported as plain text) hold no annotations and are noted; any other annotation
format is refused by name. An export holding annotations only in INCEpTION's internal binary
form (`annotation_ser/*.ser`) is refused: re-export the project as WebAnno TSV 3 or UIMA XMI.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path, PurePosixPath

from annotator.core.errors import InputError
from annotator.core.labelrules import annotator_problem
from annotator.core.model import ImportedDocument, Status
from annotator.io.base import MAX_FILE_BYTES, ReadResult
from annotator.io.readers.webanno_tsv import read_webanno_tsv
from annotator.io.readers.xmi import load_type_system, xmi_document
from annotator.io.writers.xmi import TYPESYSTEM_FILE

_PROJECT_JSON = re.compile(r"exportedproject[^/]*\.json$")
_LAYER_FOLDERS = {"annotation": None, "curation": "curation"}
_STATES = {
    "FINISHED": Status.DONE.value,
    "IN_PROGRESS": Status.IN_PROGRESS.value,
    "IGNORE": Status.SKIPPED.value,
}
_RE_EXPORT = "export the project from INCEpTION as WebAnno TSV 3 or UIMA CAS XMI"


def is_inception_project(data: bytes) -> bool:
    """Whether the bytes are a zip archive with an `exportedproject*.json` at its top."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(_PROJECT_JSON.fullmatch(name) for name in archive.namelist())
    except zipfile.BadZipFile:
        return False


def read_inception_project(path: Path, data: bytes) -> ReadResult:
    """The documents of every user's (and the curation's) annotation files, each with its
    user as annotator, or InputError naming the entry and the reason."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(str(path), None, f"not a zip archive: {exc}") from None
    with archive:
        states = _states(path, archive)
        documents: list[ImportedDocument] = []
        notes: list[str] = []
        annotated: set[str] = set()
        for name in sorted(archive.namelist()):
            parts = PurePosixPath(name).parts
            if len(parts) != 3 or parts[0] not in _LAYER_FOLDERS or name.endswith("/"):
                continue
            folder, document_name, file_name = parts
            user = _LAYER_FOLDERS[folder] or PurePosixPath(file_name).stem
            inner = Path(f"{path}!/{name}")
            problem = annotator_problem(user)
            if problem:
                raise InputError(str(inner), None, f"the user name cannot be a layer: {problem}")
            read = _annotation_file(inner, _entry(path, archive, name))
            if read is None:
                notes.append(_plain_text_note(name, archive.namelist()))
                continue
            (document,) = read
            notes += [f"{name}: layer {user}", *(f"{name}: {note}" for note in read.skipped)]
            annotated.add(document_name)
            document.annotator = user
            document.status = states.get((document_name, user))
            document.title = document_name
            document.meta["inception_document"] = document_name
            documents.append(document)
        if not documents:
            raise InputError(str(path), None, _nothing_read(archive.namelist()))
        notes += [
            f"{name}: no annotation file read for this document (not imported)"
            for name in sorted(archive.namelist())
            if name.startswith("source/")
            and not name.endswith("/")
            and name.removeprefix("source/") not in annotated
        ]
    return ReadResult(documents, skipped=notes)


def _annotation_file(path: Path, data: bytes) -> ReadResult | None:
    """The document of one annotation file by its extension; None with nothing to read."""
    suffix = path.suffix.lower()
    if suffix == ".tsv":
        return read_webanno_tsv(path, data)
    if suffix == ".xmi":
        return xmi_document(path, data, None)
    if suffix == ".zip":
        return _xmi_zip(path, data)
    if suffix == ".txt":
        return None  # the plain-text export holds no annotations
    reason = f"annotations in the format {suffix or 'without extension'} are not read; {_RE_EXPORT}"
    raise InputError(str(path), None, reason)


def _xmi_zip(path: Path, data: bytes) -> ReadResult:
    """The XMI document in a per-user zip, read with the TypeSystem.xml beside it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(str(path), None, f"not a zip archive: {exc}") from None
    with archive:
        names = archive.namelist()
        xmis = [n for n in names if n.lower().endswith(".xmi")]
        if len(xmis) != 1:
            reason = f"expected one .xmi file in the zip, found {len(xmis)}"
            raise InputError(str(path), None, reason)
        types = [n for n in names if PurePosixPath(n).name.lower() == TYPESYSTEM_FILE.lower()]
        ts = None
        if types:
            types_path = Path(f"{path}!/{types[0]}")
            ts = load_type_system(types_path, _entry(path, archive, types[0]))
        return xmi_document(Path(f"{path}!/{xmis[0]}"), _entry(path, archive, xmis[0]), ts)


def _entry(path: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    """An entry's bytes, refused above MAX_FILE_BYTES (by its stated size and while reading)."""
    where = str(Path(f"{path}!/{name}"))
    if archive.getinfo(name).file_size > MAX_FILE_BYTES:
        raise InputError(where, None, "the entry is larger than 512 MiB")
    try:
        with archive.open(name) as entry:
            data = entry.read(MAX_FILE_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(where, None, f"cannot read the entry: {exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(where, None, "the entry is larger than 512 MiB")
    return data


def _states(path: Path, archive: zipfile.ZipFile) -> dict[tuple[str, str], str]:
    """(document, user) -> our status, from the project's annotation documents."""
    name = next(n for n in archive.namelist() if _PROJECT_JSON.fullmatch(n))
    try:
        project = json.loads(_entry(path, archive, name))
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{path}!/{name}", None, f"not valid JSON: {exc}") from None
    records = project.get("annotation_documents") if isinstance(project, dict) else None
    states = {}
    for record in records if isinstance(records, list) else []:
        if isinstance(record, dict) and record.get("state") in _STATES:
            states[(str(record.get("name")), str(record.get("user")))] = _STATES[record["state"]]
    return states


def _plain_text_note(name: str, names: list[str]) -> str:
    """The note on an annotation file exported as plain text."""
    binary = "annotation_ser/" + name.removeprefix("annotation/").rsplit(".", 1)[0] + ".ser"
    if binary in names:
        return (
            f"{name}: exported as plain text; the annotations are only in {binary} "
            f"(INCEpTION's internal binary CAS), not read; {_RE_EXPORT} to bring them"
        )
    return f"{name}: plain text, no annotations"


def _nothing_read(names: list[str]) -> str:
    """Why an export gave no document."""
    if any(n.startswith("annotation_ser/") for n in names):
        return (
            "the project export holds its annotations only as INCEpTION's internal binary CAS "
            f"(annotation_ser/*.ser), which cannot be read; {_RE_EXPORT}"
        )
    return "the project export holds no annotation files (annotation/<document>/<user>.*)"
