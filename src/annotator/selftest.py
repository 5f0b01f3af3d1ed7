"""`annotator --selftest`: every layer once, in a temporary project, from source or frozen.

One line per step; the first failing step ends the run with its reason (exit 1). It touches
no user file: it runs against a throwaway profile (ANNOTATOR_HOME in a temporary folder, which
also holds the project, the exports and the window layout), so the user's settings, recent
projects and annotator name stay as they were.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TextIO

from annotator.core.project import Project

ANNOTATOR = "selftest"
WORD = re.compile(r"\b[A-Z][a-z]{3,}\b")


@dataclass
class SelfTest:
    """What the steps share: the temporary folder and the project opened by the first step."""

    folder: Path
    stack: ExitStack
    project: Project | None = None
    phrases: dict[str, str] = field(default_factory=dict)  # label -> phrase marked

    @property
    def opened(self) -> Project:
        """The project the first step made (steps run in order)."""
        assert self.project is not None, "the project step did not run"
        return self.project


def step_project(t: SelfTest) -> str:
    """A new project with the default schema, through the Alembic migrations."""
    from annotator.core.storage.migrate import HEAD

    path = t.folder / "selftest.db"
    t.project = t.stack.enter_context(Project.create(path))
    names = [label.name for label in t.opened.labels()]
    if not names:
        raise RuntimeError("the default schema gave no labels")
    return f"{path.name}: schema {HEAD}, labels {', '.join(names)}"


def step_import(t: SelfTest) -> str:
    """The bundled sample articles, copied out as .txt files and imported as a folder."""
    from annotator.io.importer import import_files

    samples = files("annotator.resources") / "samples"
    folder = t.folder / "samples"
    folder.mkdir()
    for entry in json.loads((samples / "index.json").read_text(encoding="utf-8")):
        (folder / entry["file"]).write_bytes((samples / entry["file"]).read_bytes())
    report = import_files(t.opened, [folder], "auto")
    added = report.stored.documents_added
    if added == 0:
        raise RuntimeError("no document was imported")
    return f"{added} document(s) from {len(report.files)} bundled sample file(s)"


def step_spans(t: SelfTest) -> str:
    """One span per label (two at most) on the first document, on words found elsewhere too."""
    documents = list(t.opened.iter_documents())
    first, others = documents[0], " ".join(d.text for d in documents[1:])
    words = [m for m in WORD.finditer(first.text) if m.group() in others]
    labels = [label.name for label in t.opened.labels()][:2]
    chosen = list(dict.fromkeys(m.group() for m in words))[: len(labels)]
    if len(chosen) < len(labels):
        raise RuntimeError("the samples share too few words to mark")
    for label, word in zip(labels, chosen, strict=True):
        match = next(m for m in words if m.group() == word)
        t.opened.add_span(first.id, ANNOTATOR, label, match.start(), match.end())
        t.phrases[label] = word
    stored = len(t.opened.spans(first.id, ANNOTATOR))
    marked = ", ".join(f"{label} {word!r}" for label, word in t.phrases.items())
    return f"{stored} span(s) stored in document {first.id}: {marked}"


def step_export(t: SelfTest) -> str:
    """The spans out as JSONL (read back) and as a spaCy DocBin."""
    from annotator.io.exporter import export

    jsonl = export(t.opened, "jsonl", t.folder / "out.jsonl", layer=ANNOTATOR)
    lines = jsonl.path.read_text(encoding="utf-8").splitlines()
    spans = sum(len(json.loads(line).get("spans", [])) for line in lines)
    if spans != len(t.phrases):
        raise RuntimeError(f"the JSONL export holds {spans} span(s), not {len(t.phrases)}")
    docbin = export(t.opened, "spacy", t.folder / "out.spacy", layer=ANNOTATOR)
    size = docbin.path.stat().st_size
    return f"jsonl: {len(lines)} document(s), {spans} span(s); spacy: {size:,} bytes"


def step_suggest(t: SelfTest) -> str:
    """The lexicon suggester proposes the marked words where they occur elsewhere."""
    from annotator.nlp.lexicon import LexiconSuggester
    from annotator.nlp.runner import suggest_documents

    lexicon = LexiconSuggester.from_project(t.opened)
    report = suggest_documents(t.opened.location, None, [lexicon])
    stored = report.stored[lexicon.name]
    if stored == 0:
        raise RuntimeError("the lexicon suggested nothing")
    return f"lexicon: {stored} suggestion(s) in {report.documents} document(s)"


def step_registries(t: SelfTest) -> str:
    """Every registered function the project-model training config names resolves."""
    from annotator.nlp.registries import training_functions

    found, missing = training_functions()
    if missing:
        raise RuntimeError(f"unresolved spaCy functions: {', '.join(missing)}")
    return f"{len(found)} spaCy functions of the training config resolve"


def step_window(t: SelfTest) -> str:
    """The main window on the project, offscreen, then closed."""
    from annotator.ui.selftest_window import show_and_close

    settings = t.folder / "qsettings"
    settings.mkdir()
    return show_and_close(t.opened, ANNOTATOR, settings)


STEPS: list[tuple[str, Callable[[SelfTest], str]]] = [
    ("project", step_project),
    ("import", step_import),
    ("spans", step_spans),
    ("export", step_export),
    ("suggest", step_suggest),
    ("registry", step_registries),
    ("window", step_window),
]


def _use_throwaway_profile(stack: ExitStack, home: Path) -> None:
    """Point every user path (settings, data, default project) at `home` until `stack` closes."""
    saved = {name: os.environ.get(name) for name in ("ANNOTATOR_HOME", "ANNOTATOR_DB")}

    def restore() -> None:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    stack.callback(restore)
    os.environ.pop("ANNOTATOR_DB", None)
    os.environ["ANNOTATOR_HOME"] = str(home)


def run_selftest(out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run every step in order; 0 when all pass, 1 at the first failure (reason printed)."""
    out, err = out or sys.stdout, err or sys.stderr
    began = time.perf_counter()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="annotator-st-")))
        _use_throwaway_profile(stack, folder / "home")
        state = SelfTest(folder, stack)
        for name, step in STEPS:
            start = time.perf_counter()
            try:
                detail = step(state)
            except Exception as exc:
                print(f"FAIL {name}: {type(exc).__name__}: {exc}", file=out, flush=True)
                traceback.print_exc(file=err)
                return 1
            print(f"ok   {name:<8} {detail} [{time.perf_counter() - start:.2f} s]", file=out)
            out.flush()
    print(f"selftest passed in {time.perf_counter() - began:.1f} s", file=out)
    return 0
