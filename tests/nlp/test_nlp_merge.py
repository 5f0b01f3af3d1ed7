"""After a merge the lexicon does not propose again what a collaborator rejected."""

from __future__ import annotations

from annotator.core.project import Project
from annotator.io.merge_input import merge_files
from annotator.nlp.lexicon import LexiconSuggester
from annotator.nlp.runner import suggest_documents
from merge_builders import SHARED

PHRASES = {"ACTOR": ["Baykar"], "PLATFORM": ["drones"]}


def proposed(project: Project, doc_id: int) -> list[tuple[str, int, int]]:
    return [(s.label, s.start, s.end) for s in project.suggestions(doc_id)]


def laptop_that_rejected_drones(path) -> None:
    with Project.create(path) as laptop:
        (doc_id,) = laptop.add_document(SHARED, verbatim=True).documents
        suggest_documents(laptop.location, None, [LexiconSuggester(PHRASES)])
        drones = next(s for s in laptop.suggestions(doc_id) if s.label == "PLATFORM")
        laptop.reject_suggestion(drones.id, "alice")


def test_a_rejected_suggestion_is_not_proposed_again_on_a_merged_document(project, tmp_path):
    laptop = tmp_path / "laptop.db"
    laptop_that_rejected_drones(laptop)
    merge_files(project, [laptop])
    (doc_id,) = project.document_ids()
    assert proposed(project, doc_id) == [("ACTOR", 0, 6)]

    report = suggest_documents(project.location, None, [LexiconSuggester(PHRASES)])
    assert report.skipped["lexicon"] == 0, "a merged document is no run of this project's"
    assert proposed(project, doc_id) == [("ACTOR", 0, 6)]
    report = suggest_documents(project.location, None, [LexiconSuggester(PHRASES)], redo=True)
    assert proposed(project, doc_id) == [("ACTOR", 0, 6)]


def test_a_rejection_merged_onto_our_pending_suggestion_hides_it(project, tmp_path):
    (doc_id,) = project.add_document(SHARED, verbatim=True).documents
    suggest_documents(project.location, None, [LexiconSuggester(PHRASES)])
    assert proposed(project, doc_id) == [("ACTOR", 0, 6), ("PLATFORM", 16, 22)]
    laptop = tmp_path / "laptop.db"
    laptop_that_rejected_drones(laptop)
    merge_files(project, [laptop])
    assert proposed(project, doc_id) == [("ACTOR", 0, 6)]
    suggest_documents(project.location, None, [LexiconSuggester(PHRASES)], redo=True)
    assert proposed(project, doc_id) == [("ACTOR", 0, 6)]
