"""Agreement counted a batch of documents at a time (issue 21): the same figures whatever the
batches, the tokens numbered across texts, the layers read as integer columns."""

from __future__ import annotations

import random
import sqlite3

import numpy as np
import pytest
from agreement_reference import reference_agreement
from test_agreement_equivalence import random_documents

from agreement_data import build_agreement_project
from annotator.core import agreement
from annotator.core.agreement import DocumentLayers, compute_agreement
from annotator.core.agreement_project import iter_batches, project_agreement
from annotator.core.agreement_tokens import AlphaTally, index_tokens, tokenize
from annotator.core.project import Project
from sql_count import counting_sql


@pytest.fixture
def project(tmp_path):
    with Project(build_agreement_project(tmp_path / "p.db")) as proj:
        yield proj


def test_documents_over_several_batches_report_what_token_by_token_counting_does(monkeypatch):
    monkeypatch.setattr(agreement, "BATCH", 7)
    documents = random_documents(random.Random(11), "abcd", 60)
    documents.append(
        DocumentLayers(60, "O", "Baykar sold TB2 .", {"a": [("O", 0, 6)], "b": [("ACTOR", 0, 11)]})
    )  # a label named like the outside of spans counts as it, as token by token
    ours = compute_agreement(documents, list("abcd"))
    reference = reference_agreement(documents, list("abcd"))
    assert ours.to_dict(lowest=61) == reference.to_dict(lowest=61)
    assert ours.ranked == reference.ranked
    assert ours.confusion == reference.confusion
    assert ours.alpha == pytest.approx(reference.alpha, rel=1e-12)


def test_alpha_from_unit_counts_does_not_depend_on_their_order():
    units = {
        ("B", "B", "A", "B"): 33,
        ("B", "B", "B", "B"): 23,
        ("O", "A", "O", "A"): 19,
        ("A", "A", "O", "B"): 35,
        ("O", "O", "A", "B"): 7,
        ("O", "A", "O", "B"): 31,
    }  # summed unit by unit, this order and the reverse differ in the last bit
    forward, backward = AlphaTally(), AlphaTally()
    forward.add_units(units)
    backward.add_units(dict(reversed(units.items())))
    assert forward.alpha == backward.alpha


def test_tokens_are_numbered_across_texts_as_tokenize_finds_them_in_each():
    rng = random.Random(3)
    alphabet = "ab_1 \t\r\n,.é中😀\u200f\u0661-'\x1c\xa0\ud800"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(40)]
    index = index_tokens(texts)
    tokens = [tokenize(text) for text in texts]
    assert index.counts().tolist() == [len(t) for t in tokens]
    before = np.cumsum([0] + [len(t) for t in tokens])
    assert index.firsts().tolist() == before[:-1].tolist()
    for number, (text, found) in enumerate(zip(texts, tokens, strict=True)):
        positions = list(range(-1, len(text) + 2))
        ended, started = index.bounds(np.full(len(positions), number), np.array(positions))
        expected_ended = [before[number] + sum(e <= p for e in found.ends) for p in positions]
        expected_started = [before[number] + sum(s < p for s in found.starts) for p in positions]
        assert ended.tolist() == expected_ended, text
        assert started.tolist() == expected_started, text


def test_layers_are_read_as_integer_columns_a_batch_at_a_time(project, tmp_path):
    (batch,) = iter_batches(project, [1, 2, 3], ["alice", "bob"])
    assert batch.ids == [1, 2, 3] and batch.labels == sorted(batch.labels)
    assert batch.spans.dtype == np.int64 and batch.spans.shape[1] == 5
    names = ["alice", "bob"]
    read = {
        (batch.ids[d], names[a], batch.labels[label], s, e)
        for d, a, label, s, e in batch.spans.tolist()
    }
    with sqlite3.connect(tmp_path / "p.db") as raw:
        stored = set(
            raw.execute(
                'SELECT document_id, annotator.name, label.name, start, "end" FROM span '
                "JOIN annotator ON annotator.id = annotator_id JOIN label ON label.id = label_id "
                "WHERE document_id IN (1, 2, 3) AND annotator.name IN ('alice', 'bob')"
            )
        )
    assert read == stored and len(batch.spans) == len(stored) > 0
    assert batch.span_counts == [sum(row[0] == i for row in stored) for i in (1, 2, 3)]


def test_agreement_reads_the_same_statements_whatever_the_number_of_annotators(project):
    with counting_sql(project) as two:
        project_agreement(project, ["alice", "bob"])
    with counting_sql(project) as three:
        project_agreement(project, ["alice", "bob", "carol"])
    assert three.statements == two.statements
