"""The minimum precision on a small project: what decisions hide, what stays, the setting."""

from __future__ import annotations

import re

import pytest

from annotator.core.calibration import shape_in
from annotator.core.model import NewSuggestion
from annotator.core.project import Project
from annotator.nlp.calibration import (
    MIN_PRECISION_SETTING,
    held_out_counts,
    min_precision,
    project_calibration,
    save_min_precision,
)
from annotator.nlp.projectmodel import record_model
from annotator.nlp.runner import suggest_documents

TEXT = "Baykar sold drones to Saab."


class ScoredSuggester:
    """Suggests (label, word, score) wherever the word occurs."""

    version = ""

    def __init__(self, name, triples):
        self.name, self.triples = name, triples

    def available(self):
        return True

    def unavailable_reason(self):
        return ""

    def suggest(self, texts, progress=None):
        found = []
        for text in texts:
            found.append(
                [
                    NewSuggestion(text.find(w), text.find(w) + len(w), label, score)
                    for label, w, score in self.triples
                    if w in text
                ]
            )
        return found


def decide(project, model, label, score, accepted, rejected):
    """A document holding `accepted` + `rejected` suggestions of `model` (one word each),
    decided so by bob."""
    words = [f"w{i}" for i in range(accepted + rejected)]
    doc = next(iter(project.add_document(" ".join(words), verbatim=True).documents))
    at, items = 0, []
    for word in words:
        items.append(NewSuggestion(at, at + len(word), label, score))
        at += len(word) + 1
    project.store_suggestions(doc, model, items)
    for n, suggestion in enumerate(project.suggestions(doc, annotator="bob")):
        if n < accepted:
            project.accept_suggestion(suggestion.id, "bob")
        else:
            project.reject_suggestion(suggestion.id, "bob")


def suggested(project, suggester):
    doc = next(iter(project.add_document(TEXT, verbatim=True).documents))
    report = suggest_documents(project.location, [doc], [suggester], annotator="alice")
    words = {TEXT[s.start : s.end] for s in project.suggestions(doc, annotator="alice")}
    return words, report.hidden[suggester.name]


@pytest.fixture
def lexicon():
    return ScoredSuggester("lexicon:alice", [("ACTOR", "Baykar", 1.0), ("ACTOR", "Saab", 0.7)])


def test_reliably_wrong_suggestions_are_hidden_others_shown(project, lexicon):
    # another annotator's lexicon, same kind and label, score 1: rejected 28 times of 30
    decide(project, "lexicon:bob", "ACTOR", 1.0, 2, 28)
    assert suggested(project, lexicon) == ({"Saab"}, 1)  # 0.7 is another bin: no evidence
    assert project_calibration(project).estimate("lexicon", "ACTOR", 1.0).expected < 0.4


def test_a_few_rejections_hide_nothing(project, lexicon):
    decide(project, "lexicon:bob", "ACTOR", 1.0, 0, 3)
    assert suggested(project, lexicon) == ({"Baykar", "Saab"}, 0)


def test_accepted_suggestions_keep_their_bin_shown(project, lexicon):
    decide(project, "lexicon:bob", "ACTOR", 1.0, 20, 10)
    assert suggested(project, lexicon) == ({"Baykar", "Saab"}, 0)


def test_a_minimum_of_zero_shows_everything(project, lexicon):
    decide(project, "lexicon:bob", "ACTOR", 1.0, 2, 28)
    save_min_precision(project, 0.0)
    assert suggested(project, lexicon) == ({"Baykar", "Saab"}, 0)


def test_the_held_out_evaluation_counts_for_the_project_model(project, tmp_path):
    metrics = {"labels": {"ACTOR": {"precision": 0.1, "tp": 2, "fp": 18}}}
    record_model(project, tmp_path, "2026-12-06T09:00:00Z", metrics)
    assert held_out_counts(project) == {("project-model", "ACTOR"): (2, 18)}
    model = ScoredSuggester("project-model:2026-12-06T09:00:00Z", [("ACTOR", "Saab", 0.55)])
    # Beta(5.5 + 1, 4.5 + 9): expected 0.325, reliably below 0.6
    assert project_calibration(project).estimate("project-model", "ACTOR", 0.55).expected == (
        pytest.approx(0.325)
    )
    assert suggested(project, model) == (set(), 1)


def test_the_setting_persists_and_refuses_nonsense(project_target):
    with Project.create(project_target) as project:
        assert min_precision(project) == 0.6
        save_min_precision(project, 0.75)
        with pytest.raises(ValueError):
            save_min_precision(project, 1.5)
    with Project(project_target) as project:
        assert min_precision(project) == 0.75
        project.set_setting(MIN_PRECISION_SETTING, "high")  # damaged: the default applies
        assert min_precision(project) == 0.6
        save_min_precision(project, 0.6)
        assert project.get_setting(MIN_PRECISION_SETTING) is None


def test_decided_extents_are_read_in_code_points_as_the_runner_sees_them(project):
    text = "🚀 said P. Simmons\r\nSIMMONS said 中国 Simmons. Simmons Corp met."
    doc = next(iter(project.add_document(text, verbatim=True).documents))
    places = [m.start() for m in re.finditer("(?i)simmons", text)]
    items = [NewSuggestion(at, at + 7, "ACTOR", 1.0) for at in places]
    project.store_suggestions(doc, "lexicon", items)
    for suggestion in project.suggestions(doc, annotator="bob"):
        project.reject_suggestion(suggestion.id, "bob")
    shapes = [shape_in(text, at, at + 7) for at in places]
    assert shapes == ["joined", "caps", "alone", "joined"]
    decisions = project_calibration(project).decisions
    assert decisions == {
        ("lexicon", "ACTOR", 9, "joined"): (0, 2),
        ("lexicon", "ACTOR", 9, "caps"): (0, 1),
        ("lexicon", "ACTOR", 9, "alone"): (0, 1),
    }


def test_a_hidden_suggestion_leaves_the_place_to_the_next_suggester(project, lexicon):
    decide(project, "lexicon:bob", "ACTOR", 1.0, 2, 28)
    model = ScoredSuggester("project-model:2026", [("ACTOR", "Baykar", 0.9)])
    doc = next(iter(project.add_document(TEXT, verbatim=True).documents))
    report = suggest_documents(project.location, [doc], [lexicon, model], annotator="alice")
    assert (report.hidden[lexicon.name], report.stored[model.name]) == (1, 1)
    shown = {(s.model, TEXT[s.start : s.end]) for s in project.suggestions(doc, annotator="alice")}
    assert shown == {("lexicon:alice", "Saab"), ("project-model:2026", "Baykar")}
