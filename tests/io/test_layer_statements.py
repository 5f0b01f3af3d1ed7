"""Layer reads (exports, agreement, training data) cost a fixed number of statements per chunk
of documents, whatever the layer, and exports write exactly what they wrote before reads were
batched (golden files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from layer_fixture import LAYERS, build_layer_project, export_every_layer

from annotator.core.agreement_project import project_agreement, shared_documents
from annotator.core.layers import CHUNK
from annotator.core.model import ImportedDocument, ImportedSpan, NewSuggestion
from annotator.core.project import Project
from annotator.io.exporter import export
from annotator.nlp.trainingdata import collect_layer
from sql_count import SqlCount, counting_sql

GOLDEN = Path(__file__).parents[1] / "fixtures" / "export_layers"
"""layer_fixture's exports before reads were batched (`python tests/io/layer_fixture.py FOLDER`)."""
PER_CHUNK = 3
"""Statements a chunk may cost at most: documents, spans, statuses."""
SIZES = (CHUNK - 100, 2 * (CHUNK - 100))
"""One chunk of documents, then two."""


@pytest.mark.any_backend
def test_every_layer_exports_to_every_format_exactly_as_before(project_target, tmp_path):
    with build_layer_project(project_target) as project:
        digests = export_every_layer(project, tmp_path)
    for layer in LAYERS:
        assert (tmp_path / f"{layer}.jsonl").read_text("utf-8") == (
            GOLDEN / f"{layer}.jsonl"
        ).read_text("utf-8"), layer
    assert digests == json.loads((GOLDEN / "digests.json").read_text("utf-8"))


def corpus_project(path: Path, documents: int) -> Project:
    """`documents` documents, each marked by ana, ben and judge (gold) with a status each, and
    a pending suggestion."""
    records = []
    for n in range(documents):
        text = f"Report {n}: Baykar sold the TB2 to Poland."
        at = text.index("Baykar")
        for name in ("ana", "ben", "judge"):
            spans = [ImportedSpan(at, at + 6, "ACTOR")]
            if name != "ben":
                spans.append(ImportedSpan(at + 16, at + 19, "PLATFORM"))
            status = "done" if (n + len(name)) % 3 else "in_progress"
            records.append(
                ImportedDocument(text, spans=spans, annotator=name, status=status, verbatim=True)
            )
    project = Project.create(path)
    project.import_documents(records)
    project.set_gold("judge")
    ids = project.document_ids()
    project.store_suggestion_batch("lexicon", {i: [NewSuggestion(0, 6, "ACTOR")] for i in ids})
    return project


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """A corpus project of each size in SIZES, by size."""
    folder = tmp_path_factory.mktemp("corpora")
    projects = {size: corpus_project(folder / f"{size}.db", size) for size in SIZES}
    yield projects
    for project in projects.values():
        project.close()


def costs(corpora, job) -> list[tuple[SqlCount, object]]:
    """What `job(project)` costs each corpus, and what it returned, smallest corpus first."""
    found = []
    for project in corpora.values():
        with counting_sql(project) as count:
            result = job(project)
        found.append((count, result))
    return found


@pytest.mark.parametrize("layer", ["gold", "ana", "majority", "all", "suggestions"])
def test_statements_of_an_export_grow_with_chunks_not_documents(corpora, tmp_path, layer):
    def job(project):
        return export(project, "jsonl", tmp_path / "out.jsonl", layer=layer, overwrite=True)

    (small, small_report), (large, large_report) = costs(corpora, job)
    assert [small_report.documents, large_report.documents] == list(SIZES)
    assert 0 < large.statements - small.statements <= PER_CHUNK  # one chunk more
    assert small.statements <= 6 + PER_CHUNK  # BEGIN, labels, annotators, ids... and a chunk
    assert small.transactions == large.transactions == 1  # one snapshot


@pytest.mark.parametrize("layer", ["gold", "all"])
def test_suggestions_for_predictions_cost_one_statement_per_chunk(corpora, tmp_path, layer):
    def job(project):
        out = tmp_path / "ls"
        return export(project, "labelstudio", out, layer=layer, overwrite=True)

    (small, small_report), (large, large_report) = costs(corpora, job)
    predictions = "pending suggestion(s) as Label Studio predictions"
    assert [small_report.also_wrote, large_report.also_wrote] == [{predictions: n} for n in SIZES]
    assert 0 < large.statements - small.statements <= PER_CHUNK + 1  # and the suggestions
    assert small.transactions == large.transactions == 1


def test_agreement_reads_its_layers_a_chunk_at_a_time(corpora):
    (small, small_report), (large, large_report) = costs(
        corpora, lambda project: project_agreement(project, ["ana", "ben"])
    )
    shared = [len(shared_documents(project, ["ana", "ben"])) for project in corpora.values()]
    assert [small_report.documents, large_report.documents] == shared
    assert 0 < large.statements - small.statements <= PER_CHUNK
    assert small.statements <= 8 + PER_CHUNK  # BEGIN, annotators, each one's done documents...
    assert small.transactions == large.transactions == 1


@pytest.mark.parametrize("layer", ["gold", "majority"])
def test_training_data_reads_its_layer_a_chunk_at_a_time(corpora, layer):
    (small, small_documents), (large, large_documents) = costs(
        corpora, lambda project: collect_layer(project, layer)
    )
    assert [len(small_documents), len(large_documents)] == list(SIZES)
    assert 0 < large.statements - small.statements <= PER_CHUNK
    assert small.statements <= 6 + PER_CHUNK
    assert small.transactions == large.transactions == 1
