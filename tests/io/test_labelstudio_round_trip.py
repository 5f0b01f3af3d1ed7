"""A project handed to Label Studio and taken back: our export imported into a fresh project
keeps every annotator's spans and the pending suggestions of every model, with their scores."""

from __future__ import annotations

from annotator.core.model import NewSuggestion
from annotator.core.project import Project
from annotator.io.exporter import export
from annotator.io.importer import import_files

TEXTS = ["Baykar 👍🏽 sells the TB2\r\nto Kyiv.", "Ankara 🇹🇷 buys the Akinci."]


def spans_and_suggestions(project: Project) -> tuple[set[tuple], set[tuple]]:
    """Every span as (text, annotator, label, start, end) and every pending suggestion as
    (text, label, start, end, model, score)."""
    spans, suggestions = set(), set()
    for doc in project.iter_documents():
        spans |= {(doc.text, s.annotator, s.label, s.start, s.end) for s in project.spans(doc.id)}
        suggestions |= {
            (doc.text, x.label, x.start, x.end, x.model, x.score)
            for x in project.suggestions(doc.id)
        }
    return spans, suggestions


def test_spans_per_annotator_and_pending_suggestions_come_back(project, tmp_path):
    first, second = (next(iter(project.add_document(t, verbatim=True).documents)) for t in TEXTS)
    tb2, kyiv = TEXTS[0].index("TB2"), TEXTS[0].index("Kyiv")
    project.add_span(first, "alice", "ACTOR", 0, 6)
    project.add_span(first, "bob", "PLATFORM", tb2, tb2 + 3)
    project.add_span(second, "bob", "ACTOR", 0, 6)
    project.store_suggestions(
        first,
        "spacy-1",
        [NewSuggestion(tb2, tb2 + 3, "PLATFORM", 0.5), NewSuggestion(0, 6, "ACTOR")],
    )
    project.store_suggestions(first, "lexicon", [NewSuggestion(kyiv, kyiv + 4, "ACTOR", 0.25)])
    project.store_suggestions(second, "lexicon", [NewSuggestion(20, 26, "PLATFORM", 0.75)])
    decided = project.suggestions(second)[0]
    project.store_suggestions(second, "spacy-1", [NewSuggestion(0, 6, "ACTOR", 0.9)])
    project.reject_suggestion(decided.id, "alice")  # decided: not exported, not imported
    out = tmp_path / "ls"
    export(project, "labelstudio", out, layer="all")

    with Project.create(tmp_path / "fresh.db") as fresh:
        report = import_files(fresh, [out / "tasks.json"])
        assert spans_and_suggestions(fresh) == spans_and_suggestions(project)
    assert report.stored.suggestions_added == 4 and report.stored.spans_added == 3
    assert str(report.per_file[0]).endswith("2 document(s), 3 span(s), 4 suggestion(s)")
