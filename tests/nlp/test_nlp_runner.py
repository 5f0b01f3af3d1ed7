"""Batch suggestions: default suggesters, order, dedupe, cancel mid-run and resume."""

from __future__ import annotations

import pytest
from nlp_progress import RecordingProgress

from annotator.core.errors import AnnotatorError, NotFoundError
from annotator.core.model import NewSuggestion, Status
from annotator.core.project import Project
from annotator.nlp.lexicon import LexiconSuggester
from annotator.nlp.runner import (
    available_suggesters_report,
    default_suggesters,
    suggest_documents,
)
from annotator.nlp.suggesters import combine, ordered

TEXTS = [
    "Baykar sold drones.",
    "🚀 BAYKAR\r\nsold TB2  drones to 中国 buyers.",
    "Nothing to see.",
    "baykar again",
    "Saab and Baykar",
]


class FixedSuggester:
    """Suggests the given (label, word) pairs wherever the word occurs."""

    def __init__(self, name, pairs, available=True):
        self.name, self.pairs, self._available = name, pairs, available
        self.version = ""
        self.calls: list[int] = []

    def available(self):
        return self._available

    def unavailable_reason(self):
        return "" if self._available else "switched off for the test"

    def suggest(self, texts, progress=None):
        self.calls.append(len(texts))
        out = []
        for text in texts:
            items = []
            for label, word in self.pairs:
                at = text.find(word)
                if at >= 0:
                    items.append(NewSuggestion(at, at + len(word), label, 0.7))
            out.append(items)
        return out


@pytest.fixture
def corpus_ids(project):
    ids = [next(iter(project.add_document(t, verbatim=True).documents)) for t in TEXTS]
    project.add_span(ids[0], "alice", "ACTOR", 0, 6)
    project.add_span(ids[0], "alice", "PLATFORM", 12, 18)
    return ids


def stored(project, doc_id):
    text = project.document(doc_id).text
    return [(s.model, s.label, text[s.start : s.end]) for s in project.suggestions(doc_id)]


def test_default_suggesters_store_suggestions_with_exact_offsets(project, corpus_ids):
    report = suggest_documents(project.location, None)
    assert report.suggesters == ["lexicon"] and not report.cancelled
    assert report.documents == report.total == 5
    assert stored(project, corpus_ids[0]) == []  # already marked by a person
    assert stored(project, corpus_ids[1]) == [
        ("lexicon", "ACTOR", "BAYKAR"),
        ("lexicon", "PLATFORM", "drones"),
    ]
    assert stored(project, corpus_ids[3]) == [("lexicon", "ACTOR", "baykar")]
    assert report.stored["lexicon"] == 4


def test_cancel_after_the_first_batch_keeps_it_and_a_second_run_resumes(project, corpus_ids):
    lexicon = LexiconSuggester({"ACTOR": ["Baykar"]})
    progress = RecordingProgress(cancel_after=2)  # the start report, then one batch
    report = suggest_documents(project.location, None, [lexicon], batch_size=2, progress=progress)
    assert report.cancelled and report.documents == 2
    assert progress.reports == [(0, 5), (2, 5)]
    # document 0: alice already marked Baykar there, so nothing is proposed
    assert [len(stored(project, i)) for i in corpus_ids] == [0, 1, 0, 0, 0]

    again = FixedSuggester("lexicon", [("ACTOR", "Baykar"), ("ACTOR", "baykar")])
    report = suggest_documents(project.location, None, [again], batch_size=2)
    # both documents of the first batch were run over (one found nothing): both are skipped
    assert not report.cancelled and report.skipped["lexicon"] == 2
    assert sum(again.calls) == 3  # only the documents the cancelled run never reached
    assert [len(stored(project, i)) for i in corpus_ids] == [0, 1, 0, 1, 1]

    report = suggest_documents(project.location, None, [again], batch_size=2, redo=True)
    assert sum(again.calls) == 8 and report.skipped["lexicon"] == 0


def test_first_suggester_wins_identical_suggestions(project, corpus_ids):
    first = FixedSuggester("lexicon", [("ACTOR", "Saab")])
    second = FixedSuggester("pipeline:x", [("ACTOR", "Saab"), ("ACTOR", "Baykar")])
    suggest_documents(project.location, [corpus_ids[4]], [first, second])
    assert stored(project, corpus_ids[4]) == [
        ("lexicon", "ACTOR", "Saab"),
        ("pipeline:x", "ACTOR", "Baykar"),
    ]


def test_rejected_suggestions_are_not_proposed_again(project, corpus_ids):
    suggester = FixedSuggester("lexicon", [("ACTOR", "Saab")])
    suggest_documents(project.location, [corpus_ids[4]], [suggester])
    (suggestion,) = project.suggestions(corpus_ids[4])
    project.reject_suggestion(suggestion.id, "alice")
    suggest_documents(project.location, [corpus_ids[4]], [suggester], redo=True)
    assert project.suggestions(corpus_ids[4]) == []


def test_unknown_documents_and_unavailable_suggesters_are_refused(project, corpus_ids):
    with pytest.raises(NotFoundError, match="no document with id 999"):
        suggest_documents(project.location, [corpus_ids[0], 999])
    off = FixedSuggester("pipeline:off", [], available=False)
    with pytest.raises(AnnotatorError, match="pipeline:off: switched off for the test"):
        suggest_documents(project.location, None, [off])
    assert all(project.suggestions(i) == [] for i in corpus_ids)


def test_no_available_suggester_explains_each(tmp_path):
    location = tmp_path / "empty.db"
    Project.create(location).close()
    with pytest.raises(AnnotatorError) as caught:
        suggest_documents(location, None)
    message = str(caught.value)
    assert "lexicon: the lexicon is empty" in message
    assert "project-model: no project model yet" in message
    assert "pipeline:en_core_web_sm" in message


def test_available_report_and_configured_order(project, corpus_ids):
    report = available_suggesters_report(project)
    assert [name.partition(":")[0] for name, _, _ in report] == [
        "lexicon",
        "project-model",
        "pipeline",
    ]
    assert report[0] == ("lexicon", True, "")
    project.set_setting("suggester_order", ["pipeline", "lexicon"])
    names = [name for name, _, _ in available_suggesters_report(project)]
    assert names[0].startswith("pipeline") and names[1] == "lexicon"
    assert [s.name for s in default_suggesters(project)] == ["lexicon"]


def test_trained_model_is_used_by_default(trained):
    location, report = trained
    with Project(location) as project:
        names = [s.name for s in default_suggesters(project)]
        doc_id = project.add_document("Saab signed a contract with Baykar for K2 tanks.")
    assert names[:2] == ["lexicon", f"project-model:{report.date}"]
    (doc_id,) = doc_id.documents
    result = suggest_documents(location, [doc_id])
    assert result.stored["lexicon"] >= 3
    with Project(location) as project:
        models = {s.model for s in project.suggestions(doc_id)}
    assert "lexicon" in models


def test_combine_merges_in_order_and_reports_progress():
    a = FixedSuggester("lexicon", [("ACTOR", "Baykar")])
    b = FixedSuggester("project-model:1", [("ACTOR", "Baykar"), ("PLATFORM", "TB2")])
    suggesters = ordered([b, a])
    assert [s.name for s in suggesters] == ["lexicon", "project-model:1"]
    progress = RecordingProgress()
    merged = combine(suggesters, ["TB2 by Baykar", "none"], progress)
    assert [(name, s.label, s.start) for name, s in merged[0]] == [
        ("project-model:1", "PLATFORM", 0),
        ("lexicon", "ACTOR", 7),
    ]
    assert merged[1] == [] and progress.reports[-1] == (4, 4)


# -- whose spans the lexicon learns from, and done documents ---------------------------------

LEAK_TEXTS = ["Baykar sold drones to Saab and Roketsan.", "Baykar, Saab and Roketsan met."]


@pytest.fixture
def two_annotators(project):
    """Alice marked "Baykar", Bob "Saab", the gold layer "Roketsan" (all in the first text)."""
    first, second = (
        next(iter(project.add_document(t, verbatim=True).documents)) for t in LEAK_TEXTS
    )
    project.add_span(first, "alice", "ACTOR", 0, 6)
    project.add_span(first, "bob", "ACTOR", 22, 26)
    project.add_span(first, "gold", "ACTOR", 31, 39)
    project.set_gold("gold")
    return first, second


def suggested_words(project, doc_id, annotator):
    """The words pending for `annotator` (another annotator's own lexicon's are not)."""
    text = project.document(doc_id).text
    return sorted(text[s.start : s.end] for s in project.suggestions(doc_id, annotator=annotator))


def test_the_lexicon_learns_from_the_annotators_own_spans_and_gold_not_from_others(
    project, two_annotators
):
    _first, second = two_annotators
    suggest_documents(project.location, [second], annotator="alice")
    assert suggested_words(project, second, "alice") == ["Baykar", "Roketsan"]
    suggest_documents(project.location, [second], annotator="bob", redo=True)
    assert suggested_words(project, second, "bob") == ["Roketsan", "Saab"]
    assert suggested_words(project, second, "alice") == ["Baykar", "Roketsan"]  # not Bob's


def test_the_project_setting_widens_the_lexicon_to_every_annotator(project, two_annotators):
    _first, second = two_annotators
    project.set_setting("lexicon_learns_from_everyone", True)
    suggest_documents(project.location, [second], annotator="alice")
    assert suggested_words(project, second, "alice") == ["Baykar", "Roketsan", "Saab"]


def test_a_document_the_annotator_marked_done_gets_no_new_suggestions_unless_asked(
    project, two_annotators
):
    _first, second = two_annotators
    project.set_status(second, "alice", Status.DONE)
    report = suggest_documents(project.location, None, annotator="alice")
    assert suggested_words(project, second, "alice") == []
    assert report.done_skipped == 1 and report.documents == 2
    suggest_documents(project.location, None, annotator="bob")  # not done for bob
    assert suggested_words(project, second, "bob") == ["Roketsan", "Saab"]
    assert suggested_words(project, second, "alice") == []  # Bob's stay his
    suggest_documents(project.location, [second], annotator="alice", redo=True, include_done=True)
    assert suggested_words(project, second, "alice") == ["Baykar", "Roketsan"]
