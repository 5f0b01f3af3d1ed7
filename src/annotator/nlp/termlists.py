"""Term lists: one term per line in a UTF-8 file, stored per label in the project."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.core.errors import InputError, NotFoundError
from annotator.core.input_file import read_regular_file
from annotator.core.labelrules import spelling_in

TERM_LISTS_SETTING = "term_lists"
ALLOWED_CONTROLS = {"\t"}
MAX_TERM_LIST_BYTES = 64 * 1024 * 1024
"""Term lists above this size are refused rather than read into memory."""


def load_term_list(path: str | Path) -> list[str]:
    """Terms of a UTF-8 file, one a line; blank lines and '#' comments are skipped."""
    path = Path(path)
    try:
        data = read_regular_file(path, MAX_TERM_LIST_BYTES)
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read the term list: {exc.strerror}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    terms: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate(data.splitlines(), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                str(path),
                number,
                f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                "save the file as UTF-8",
            ) from None
        for ch in line:
            if unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS:
                raise InputError(
                    str(path), number, f"control character U+{ord(ch):04X} in a term list"
                )
        term = " ".join(line.split())
        if term and not term.startswith("#") and term not in seen:
            seen.add(term)
            terms.append(term)
    return terms


def term_lists_for(project: Any) -> dict[str, list[str]]:
    """The project's stored term lists, {label: [terms]}."""
    stored = project.get_setting(TERM_LISTS_SETTING) or {}
    return {str(label): [str(t) for t in terms] for label, terms in stored.items()}


def span_labels(project: Any) -> list[str]:
    """Names of the project's span labels (document labels cannot be suggested), in order."""
    return [lab.name for lab in project.labels() if getattr(lab, "kind", "span") == "span"]


def save_term_list(
    project: Any, label: str, terms: Iterable[str], *, replace: bool = False
) -> list[str]:
    """Add terms to a label's list (or replace it) and store it; returns the label's list.
    `label` matches the project's label without regard to case."""
    labels = span_labels(project)
    ours = spelling_in(label, labels)
    if ours is None:
        known = ", ".join(labels) or "none yet"
        raise NotFoundError(f"no label named {label!r} for a term list (labels: {known})")
    label = ours
    lists = term_lists_for(project)
    current = [] if replace else lists.get(label, [])
    seen = set(current)
    for term in terms:
        term = " ".join(term.split())
        if term and term not in seen:
            seen.add(term)
            current.append(term)
    lists[label] = current
    project.set_setting(TERM_LISTS_SETTING, lists)
    return current
