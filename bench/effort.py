"""A simulated annotator: how many actions a corpus with gold spans costs, document by document.

For each document in order: suggest; accept each correct suggestion (1 action); reject each
wrong one still pending (1; those an accept resolved cost nothing); mark each gold span no
suggestion found by hand (2: select, then the label key); mark the document done, so the
project learns. By hand alone a document costs 2 actions per gold span.

The annotator works through a desk: `ProjectDesk` calls the Python API, `CliDesk` runs the
`annotator` commands (in this process) a script would run.
"""

from __future__ import annotations

import contextlib
import io
import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol

LABELS = ("PER", "ORG", "LOC", "MISC")
COLORS = ("#e6194b", "#3cb44b", "#4363d8", "#f58231")
SCHEMA = [{"name": name, "color": color} for name, color in zip(LABELS, COLORS, strict=True)]
WINDOW = 20
"""Documents per reported window."""


class Proposal(NamedTuple):
    """A pending suggestion as the desk shows it."""

    id: int
    start: int
    end: int
    label: str
    model: str


class Desk(Protocol):
    """What the simulated annotator works through."""

    def add_documents(self, records: Sequence[dict[str, Any]]) -> list[int]:
        """Store the texts (no spans); their document ids, in order."""
        ...

    def suggest(self, document_id: int) -> None:
        """Run the suggesters over one document."""
        ...

    def pending(self, document_id: int) -> list[Proposal]:
        """The document's pending suggestions."""
        ...

    def decide(self, accept: bool, ids: Sequence[int]) -> None:
        """Accept (or reject) suggestions, one action each, in order."""
        ...

    def finish(self, document_id: int, record: dict[str, Any], spans: Sequence[dict]) -> None:
        """Mark `spans` by hand and mark the document done."""
        ...

    def retrain(self) -> None:
        """Train the project model on the annotator's layer (it suggests from then on)."""
        ...


@dataclass
class DocumentEffort:
    """What one document cost."""

    gold: int
    accepted: int
    rejected: int
    resolved: int
    """Wrong suggestions an accept dismissed with it (no action)."""
    by_hand: int
    suggest_seconds: float
    shown: Counter = field(default_factory=Counter)
    correct: Counter = field(default_factory=Counter)
    """Suggestions shown and correct ones, per suggester kind."""
    costs: Counter = field(default_factory=Counter)
    """What cost: wrong suggestions and missed gold spans by kind (`cost_kinds`)."""

    @property
    def actions(self) -> int:
        return self.accepted + self.rejected + 2 * self.by_hand


def simulate(
    desk: Desk, records: Sequence[dict[str, Any]], retrain_every: int | None = None
) -> list[DocumentEffort]:
    """Annotate every record (text and gold `spans`) through `desk`, in order; with
    `retrain_every`, the project model is trained again after every that many documents."""
    from annotator.nlp.suggesters import kind_of

    efforts = []
    for n, (document_id, record) in enumerate(
        zip(desk.add_documents(records), records, strict=True), 1
    ):
        gold = {(s["start"], s["end"], s["label"]) for s in record["spans"]}
        started = time.perf_counter()
        desk.suggest(document_id)
        seconds = time.perf_counter() - started
        shown = desk.pending(document_id)
        right = [p for p in shown if (p.start, p.end, p.label) in gold]
        desk.decide(True, [p.id for p in right])
        wrong = [p.id for p in desk.pending(document_id)]
        desk.decide(False, wrong)
        found = {(p.start, p.end, p.label) for p in right}
        missed = [s for s in record["spans"] if (s["start"], s["end"], s["label"]) not in found]
        rejected = set(wrong)
        costs = cost_kinds(
            gold, [(p.start, p.end, p.label) for p in shown if p.id in rejected], missed, shown
        )
        desk.finish(document_id, record, missed)
        efforts.append(
            DocumentEffort(
                gold=len(gold),
                accepted=len(right),
                rejected=len(wrong),
                resolved=len(shown) - len(right) - len(wrong),
                by_hand=len(missed),
                suggest_seconds=seconds,
                shown=Counter(kind_of(p.model) for p in shown),
                correct=Counter(kind_of(p.model) for p in right),
                costs=costs,
            )
        )
        if retrain_every and n % retrain_every == 0 and n < len(records):
            desk.retrain()
    return efforts


def cost_kinds(
    gold: set[tuple[int, int, str]],
    wrong: Sequence[tuple[int, int, str]],
    missed: Sequence[dict],
    shown: Sequence[Proposal],
) -> Counter:
    """Wrong suggestions by kind (a gold extent with another label, inside a longer gold span,
    overlapping one, or where there is none) and missed gold spans by kind (a suggestion had
    its extent with another label, one lay inside it, or none touched it)."""
    extents = {(start, end) for start, end, _ in gold}
    kinds: Counter = Counter()
    for start, end, _ in wrong:
        if (start, end) in extents:
            kinds["wrong: label"] += 1
        elif any(s <= start and end <= e for s, e in extents):
            kinds["wrong: inside a longer gold span"] += 1
        elif any(s < end and start < e for s, e in extents):
            kinds["wrong: overlaps a gold span"] += 1
        else:
            kinds["wrong: no gold span there"] += 1
    for span in missed:
        start, end = span["start"], span["end"]
        if any((p.start, p.end) == (start, end) for p in shown):
            kinds["missed: suggested with another label"] += 1
        elif any(start <= p.start and p.end <= end for p in shown):
            kinds["missed: a part was suggested"] += 1
        else:
            kinds["missed: nothing suggested"] += 1
    return kinds


def per_window(efforts: Sequence[DocumentEffort], size: int = WINDOW) -> list[float]:
    """Actions per gold span in each window of `size` documents (a shorter last one too)."""
    windows = [efforts[i : i + size] for i in range(0, len(efforts), size)]
    return [sum(e.actions for e in w) / max(1, sum(e.gold for e in w)) for w in windows]


def quality(efforts: Sequence[DocumentEffort]) -> dict[str, tuple[float, float]]:
    """(precision, recall) per suggester kind over all documents."""
    gold = sum(e.gold for e in efforts)
    shown: Counter = sum((e.shown for e in efforts), Counter())
    correct: Counter = sum((e.correct for e in efforts), Counter())
    return {kind: (correct[kind] / shown[kind], correct[kind] / gold) for kind in sorted(shown)}


class ProjectDesk:
    """The simulated annotator's desk over the Python API (what the app's commands do)."""

    def __init__(self, db: Path, annotator: str = "sim", *, learning: bool = False) -> None:
        from annotator.core.project import Project
        from annotator.core.schema import parse_schema

        self.db, self.annotator, self.learning = db, annotator, learning
        with Project.create(db, parse_schema(json.dumps(SCHEMA))):
            pass

    def _project(self) -> Any:
        from annotator.core.project import Project

        return Project(self.db)

    def add_documents(self, records: Sequence[dict[str, Any]]) -> list[int]:
        from annotator.core.model import ImportedDocument

        documents = [
            ImportedDocument(r["text"], r["meta"]["title"], meta=r["meta"]) for r in records
        ]
        with self._project() as project:
            return project.import_documents(documents).document_ids

    def suggest(self, document_id: int) -> None:
        """The lexicon's suggestions (with `learning`, every available suggester's)."""
        from annotator.nlp.lexicon import LexiconSuggester
        from annotator.nlp.runner import default_suggesters, suggest_documents

        with self._project() as project:
            if self.learning:
                chosen = default_suggesters(project, self.annotator)
            else:
                chosen = [LexiconSuggester.from_project(project, self.annotator)]
        chosen = [s for s in chosen if s.available()]
        if chosen:
            suggest_documents(self.db, [document_id], chosen, annotator=self.annotator)

    def retrain(self) -> None:
        from annotator.nlp.train_options import TrainOptions
        from annotator.nlp.training import train_project_model

        with self._project() as project:
            train_project_model(project, TrainOptions(layer=self.annotator))

    def pending(self, document_id: int) -> list[Proposal]:
        with self._project() as project:
            found = project.suggestions(document_id, annotator=self.annotator)
        return [Proposal(x.id, x.start, x.end, x.label, x.model) for x in found]

    def decide(self, accept: bool, ids: Sequence[int]) -> None:
        from annotator.core.commands.suggestions import (
            AcceptSuggestionCommand,
            RejectSuggestionCommand,
        )

        command = AcceptSuggestionCommand if accept else RejectSuggestionCommand
        with self._project() as project:
            for suggestion_id in ids:
                command(suggestion_id, self.annotator).apply(project)

    def finish(self, document_id: int, record: dict[str, Any], spans: Sequence[dict]) -> None:
        from annotator.core.model import Status

        with self._project() as project, project.transaction():
            for span in spans:
                project.add_span(
                    document_id, self.annotator, span["label"], span["start"], span["end"]
                )
            project.set_status(document_id, self.annotator, Status.DONE)


class CliDesk:
    """The same desk through `annotator` commands, run in this process, as a script runs them:
    `import --report json`, `suggest --doc`, `decide list|accept|reject`, and an import of
    the spans marked by hand with the document's status."""

    def __init__(self, db: Path, annotator: str = "sim") -> None:
        self.db, self.annotator, self.folder = db, annotator, db.parent
        schema = self.folder / "labels.json"
        schema.write_text(json.dumps(SCHEMA), encoding="utf-8")
        self.run("init", "--labels", schema)

    def run(self, *argv: object) -> str:
        """`annotator ARGV... --db DB`: its standard output; a non-zero exit raises."""
        from annotator.cli import main

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main([*map(str, argv), "--db", str(self.db)])
        if code != 0:
            raise RuntimeError(f"annotator {' '.join(map(str, argv))}: exit {code}")
        return out.getvalue()

    def _jsonl(self, name: str, records: Sequence[dict[str, Any]]) -> Path:
        path = self.folder / name
        with path.open("w", encoding="utf-8", newline="\n") as out:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        return path

    def add_documents(self, records: Sequence[dict[str, Any]]) -> list[int]:
        texts = [{"text": r["text"], "meta": r["meta"]} for r in records]
        report = json.loads(self.run("import", "--report", "json", self._jsonl("in.jsonl", texts)))
        return list(report["documents"])

    def suggest(self, document_id: int) -> None:
        self.run("suggest", "--doc", document_id, "--annotator", self.annotator)

    def pending(self, document_id: int) -> list[Proposal]:
        listed = self.run(
            "decide",
            "list",
            "--doc",
            document_id,
            "--annotator",
            self.annotator,
            "--format",
            "json",
        )
        return [
            Proposal(x["id"], x["start"], x["end"], x["label"], x["model"])
            for x in json.loads(listed)
        ]

    def decide(self, accept: bool, ids: Sequence[int]) -> None:
        if ids:
            self.run(
                "decide", "accept" if accept else "reject", *ids, "--annotator", self.annotator
            )

    def finish(self, document_id: int, record: dict[str, Any], spans: Sequence[dict]) -> None:
        marked = {"text": record["text"], "spans": list(spans), "status": "done"}
        self.run("import", self._jsonl("marked.jsonl", [marked]), "--annotator", self.annotator)

    def retrain(self) -> None:
        self.run("train", "--layer", self.annotator)
