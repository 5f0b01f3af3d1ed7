"""Training the project model: data, split, metrics.json, the record, and the suggester."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from nlp_progress import RecordingProgress
from nlp_synthetic import corpus, fill_project

from annotator.core.errors import AnnotatorError, Cancelled
from annotator.core.project import Project
from annotator.nlp.evaluation import score_spans
from annotator.nlp.projectmodel import ProjectModelSuggester, recorded_model
from annotator.nlp.train_options import TrainOptions
from annotator.nlp.trainconfig import batch_texts, batch_words
from annotator.nlp.training import models_dir, train_project_model
from annotator.nlp.trainingdata import LayerDocument, paragraph_pieces, split_documents


def test_training_writes_metrics_and_records_the_model(trained):
    location, report = trained
    folder = report.path.parent
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    assert set(metrics["labels"]) == {"ACTOR", "PLATFORM", "MOTIVATION"}
    for scores in [*metrics["labels"].values(), metrics["overall"]]:
        assert {"precision", "recall", "f1", "tp", "fp", "fn"} <= set(scores)
    assert metrics["documents"] == {"train": 32, "dev": 8}
    assert metrics["layer"] == "gold" and metrics["date"].endswith("Z")
    assert metrics["alignment"] == {"strict": sum(metrics["spans"].values())}
    assert metrics["settings"]["suggester_max_size"] == metrics["longest_span_tokens"] >= 8
    assert report.steps > 0 and report.overall.f1 > 0.2
    with Project(location) as project:
        record = recorded_model(project)
    assert record["path"] == str(report.path) and record["date"] == metrics["date"]


def test_trained_model_suggests_spans_with_scores(trained):
    location, report = trained
    with Project(location) as project:
        suggester = ProjectModelSuggester.from_project(project, threshold=0.3)
    assert suggester.available() and suggester.name == f"project-model:{report.date}"
    text = "🚀 Baykar signed a contract with Saab for K2 tanks to deter aggression."
    (items,) = suggester.suggest([text])
    assert items and all(0.3 <= s.score <= 1.0 for s in items)
    assert ("ACTOR", "Baykar") in [(s.label, text[s.start : s.end]) for s in items]


def test_saved_model_loads_in_a_fresh_interpreter(trained):
    _, report = trained
    script = (
        "import sys, spacy; nlp = spacy.load(sys.argv[1]); "
        "print(nlp.pipe_names, len(nlp('Baykar sold drones.').spans['sc']) >= 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(report.path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "spancat" in done.stdout


def test_no_model_yet_is_unavailable_with_a_hint(project):
    suggester = ProjectModelSuggester.from_project(project)
    assert not suggester.available()
    assert "train a model first (annotator train" in suggester.unavailable_reason()


def test_too_few_documents_are_refused(project):
    fill_project(project, corpus(1))
    with pytest.raises(AnnotatorError, match="training needs at least 2"):
        train_project_model(project, TrainOptions(layer="alice"))
    assert recorded_model(project) is None


def test_ner_is_refused_when_every_span_overlaps_another(project):
    articles = []
    for text, spans in corpus(4):
        # every span is also marked with a second label: nothing NER could learn from
        twins = [("MOTIVATION" if lab != "MOTIVATION" else "ACTOR", s, e) for lab, s, e in spans]
        articles.append((text, [*spans, *twins]))
    fill_project(project, articles)
    with pytest.raises(AnnotatorError, match=r"cannot train an NER.*overlap"):
        train_project_model(project, TrainOptions(layer="alice", ner=True, max_steps=2))
    assert recorded_model(project) is None
    assert not list(models_dir(project).glob("*/model"))


def test_ner_training_keeps_non_overlapping_entities(project, tmp_path):
    articles = corpus(6)
    text, spans = articles[0]
    articles[0] = (text, [*spans, ("MOTIVATION", spans[0][1], spans[1][2])])  # one overlap
    fill_project(project, articles)
    options = TrainOptions(layer="alice", ner=True, max_steps=2)
    report = train_project_model(project, options, out_dir=tmp_path)
    ner = report.metrics["ner"]
    assert ner["dropped_overlapping"] == 3
    assert ner["entities"] == sum(len(s) for _, s in articles) - 3
    assert (tmp_path / "model" / "ner").is_dir()


def test_cancel_during_training_saves_nothing(project):
    fill_project(project, corpus(6))
    progress = RecordingProgress(cancel_after=4)
    with pytest.raises(Cancelled):
        train_project_model(project, TrainOptions(layer="alice", max_steps=50), progress=progress)
    assert progress.reports[0] == (1, 52)
    assert recorded_model(project) is None
    assert not list(models_dir(project).iterdir())


def test_split_is_by_document_and_deterministic():
    docs = [LayerDocument(i, "", ()) for i in range(1, 11)]
    train, dev = split_documents(docs, 0.2, seed=3)
    _, dev_again = split_documents(list(reversed(docs)), 0.2, seed=3)
    assert [d.id for d in dev] == [d.id for d in dev_again] and len(dev) == 2
    assert {d.id for d in train} | {d.id for d in dev} == set(range(1, 11))
    assert [d.id for d in split_documents(docs, 0.2, seed=4)[1]] != [d.id for d in dev]
    assert len(split_documents(docs[:2], 0.9, seed=0)[0]) == 1


def test_scores_are_exact_match_per_label():
    gold = [[("A", 0, 5), ("B", 6, 9)], [("A", 1, 2)]]
    predicted = [[("A", 0, 5), ("B", 6, 8)], [("A", 1, 2), ("A", 3, 4)]]
    scores = score_spans(gold, predicted)
    assert (scores["A"].tp, scores["A"].fp, scores["A"].fn) == (2, 1, 0)
    assert (scores["B"].precision, scores["B"].recall, scores["B"].f1) == (0.0, 0.0, 0.0)
    assert scores["ALL"].to_dict()["precision"] == 0.5


def test_long_documents_are_cut_at_blank_lines_that_no_span_crosses():
    text = "Baykar sold TB2 drones today.\n\nSaab sold jets.\n\nThe deal was large.\n\nEnd."
    crossing = (text.index("jets"), text.index("large") + len("large"))
    end = (len(text) - 4, len(text))
    doc = LayerDocument(7, text, (("ACTOR", 0, 6), ("MOTIVATION", *crossing), ("X", *end)))
    pieces = paragraph_pieces(doc, max_words=6)
    assert [p.text for p in pieces] == [
        "Baykar sold TB2 drones today.\n\n",
        "Saab sold jets.\n\nThe deal was large.\n\n",
        "End.",
    ]
    assert [p.id for p in pieces] == [7, 7, 7]
    assert [(p.text[s:e], label) for p in pieces for label, s, e in p.spans] == [
        ("Baykar", "ACTOR"),
        ("jets.\n\nThe deal was large", "MOTIVATION"),
        ("End.", "X"),
    ]
    assert paragraph_pieces(doc, max_words=100) == [doc]


def test_batches_shrink_as_suggester_sizes_grow():
    sizes = [batch_words(k) for k in (1, 11, 20, 37, 100)]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == 1000 and sizes[-1] >= 50
    assert batch_texts(3) == 4 and batch_texts(37) == 1


def test_the_steps_reported_are_the_steps_asked_and_run(project, tmp_path, monkeypatch):
    """`--max-steps 100` once reported 101: spaCy numbers steps from 0 and stops after step
    max_steps. Each step is one nlp.update (one sub-batch: no gradient accumulation)."""
    from spacy.language import Language

    updates = []
    real_update = Language.update

    def counted_update(self, *args, **kwargs):
        updates.append(kwargs.get("sgd"))
        return real_update(self, *args, **kwargs)

    monkeypatch.setattr(Language, "update", counted_update)
    fill_project(project, corpus(6))  # one annotator, no gold: the default layer is hers
    report = train_project_model(project, TrainOptions(max_steps=5), out_dir=tmp_path)
    assert len(updates) == report.steps == report.metrics["steps"] == 5
    assert report.layer == report.metrics["layer"] == "alice"


def test_fewer_than_two_steps_are_refused(project):
    fill_project(project, corpus(4))
    with pytest.raises(ValueError, match="at least 2 steps, not 1"):
        train_project_model(project, TrainOptions(max_steps=1))
