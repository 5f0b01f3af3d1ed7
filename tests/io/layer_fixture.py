"""A small project with every kind of layer (three annotators, gold, suggestions), for
golden export tests; the same project every time."""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

from annotator.core.model import NewSuggestion, Status
from annotator.core.project import Project
from annotator.io.exporter import export
from annotator.io.writers.registry import WRITERS

TEXTS = (
    "Baykar sold the Bayraktar TB2 to Poland in 2023.",
    "Türkiye 🇹🇷 weighs the TF Kaan; Azerbaijan waits for the Akıncı.",
    "No spans here at all, only a status.",
    "Egypt and Qatar discussed the Rafale F4 — again,\r\nciting an ageing fleet.",
    "Saab offered the Gripen E to the Ministry of Defence.",
    "Indonesia signed for the KF-21 Boramae after sanctions on its traditional supplier.",
)
PHRASES = {
    "ACTOR": ("Baykar", "Poland", "Türkiye", "Azerbaijan", "Egypt", "Qatar", "Saab", "Indonesia"),
    "PLATFORM": ("Bayraktar TB2", "TF Kaan", "Akıncı", "Rafale F4", "Gripen E", "KF-21 Boramae"),
    "MOTIVATION": ("an ageing fleet", "sanctions on its traditional supplier"),
}
ANNOTATORS = ("ana", "ben", "cem", "judge")
LAYERS = ("gold", "ana", "ben", "majority", "all", "suggestions")
VARIANTS = {"+done": {"only_done": True}, "+actor": {"labels": ["ACTOR"]}}
"""Options also exported for each layer, to JSONL only."""


def _marks(text: str) -> list[tuple[str, int, int]]:
    found = []
    for label, phrases in PHRASES.items():
        for phrase in phrases:
            at = text.find(phrase)
            if at >= 0:
                found.append((label, at, at + len(phrase)))
    return sorted(found, key=lambda mark: (mark[1], mark[2], mark[0]))


def build_layer_project(target: str | Path) -> Project:
    """The project: per document, each annotator marks a different subset of the phrases
    (some relabelled, some trimmed), sets a status; `judge` is gold; a model suggests."""
    project = Project.create(target)
    statuses = (Status.DONE, Status.IN_PROGRESS, Status.SKIPPED, Status.TODO)
    for n, text in enumerate(TEXTS):
        doc = next(iter(project.add_document(text, title=f"Doc {n}").documents))
        marks = [] if n == 2 else _marks(project.document(doc).text)
        for a, name in enumerate(ANNOTATORS):
            for m, (label, start, end) in enumerate(marks):
                if (m + a + n) % 4 == 3:
                    continue  # this annotator missed it
                if name == "cem" and m == 0:
                    label = "MOTIVATION" if label != "MOTIVATION" else "ACTOR"
                if name == "ben" and m == 1 and end - start > 3:
                    end -= 1
                project.add_span(doc, name, label, start, end)
            if name != "judge" or n % 2 == 1:
                project.set_status(doc, name, statuses[(a + n) % len(statuses)])
        proposals = [NewSuggestion(start, end, label, 0.5) for label, start, end in marks]
        proposals.append(NewSuggestion(0, 3, "ACTOR", 0.1))
        project.store_suggestions(doc, "lexicon", proposals)
    for n, suggestion in enumerate(project.suggestions(project.document_ids()[0])):
        if n == 0:
            project.accept_suggestion(suggestion.id, "ana")
        elif n == 1:
            project.reject_suggestion(suggestion.id, "ben")
    project.set_gold("judge")
    return project


def digest(path: Path) -> str:
    """SHA-256 of a file, or of a folder's files (relative names and contents, sorted)."""
    h = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        h.update(str(file.relative_to(path) if path.is_dir() else file.name).encode())
        h.update(hashlib.sha256(file.read_bytes()).digest())
    return h.hexdigest()


def export_every_layer(project: Project, folder: Path) -> dict[str, str]:
    """Export every layer to every format (and with VARIANTS to JSONL) under `folder`;
    return the digest of each export by "LAYER[VARIANT] FORMAT", and leave each layer's whole
    JSONL export in `folder` as LAYER.jsonl."""
    digests = {}
    exports = folder / "exports"
    exports.mkdir()
    for layer in LAYERS:
        cases = [(fmt, "", {}) for fmt in sorted(WRITERS)]
        cases += [("jsonl", variant, options) for variant, options in VARIANTS.items()]
        for fmt, variant, options in cases:
            target = exports / f"{layer}{variant}-{fmt}{WRITERS[fmt].suffix}"
            export(project, fmt, target, layer=layer, **options)
            digests[f"{layer}{variant} {fmt}"] = digest(target)
        (folder / f"{layer}.jsonl").write_bytes((exports / f"{layer}-jsonl.jsonl").read_bytes())
    return digests


def write_golden(folder: Path) -> None:
    """Write the golden files into `folder`: each layer's JSONL and digests.json."""
    with tempfile.TemporaryDirectory() as tmp, build_layer_project(Path(tmp) / "p.db") as project:
        digests = export_every_layer(project, Path(tmp))
        for layer in LAYERS:
            (folder / f"{layer}.jsonl").write_bytes((Path(tmp) / f"{layer}.jsonl").read_bytes())
    text = json.dumps(digests, indent=1, sort_keys=True) + "\n"
    (folder / "digests.json").write_text(text, "utf-8")


if __name__ == "__main__":  # python tests/io/layer_fixture.py FOLDER: (re)write the golden files
    write_golden(Path(sys.argv[1]))
