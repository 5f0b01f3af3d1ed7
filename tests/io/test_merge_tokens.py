"""Merge brings a project's imported tokens and sentences with its documents: an export after
the merge gives the tokens the file came with, as it does in the project they came from."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conll_samples import CONLL, conll_documents

from annotator.core.project import Project
from annotator.io.exporter import export
from annotator.io.importer import import_files
from annotator.io.merge_input import merge_files
from merge_builders import dump

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def theirs(tmp_path) -> Path:
    """A project file holding the CoNLL sample as imported (two documents with tokens)."""
    given = tmp_path / "in.conll"
    given.write_text(CONLL, "utf-8")
    path = tmp_path / "theirs.db"
    with Project.create(path) as other:
        import_files(other, [given], add_labels=True)
    return path


def exported(project: Project, out: Path) -> list[list[list[tuple[str, str]]]]:
    """The project's CoNLL export as documents of sentences of (token, tag)."""
    export(project, "conll", out, layer="all")
    return conll_documents(out)


def test_merged_documents_go_out_with_the_tokens_they_came_in_with(project, theirs, tmp_path):
    report = merge_files(project, [theirs])
    with Project(theirs) as other:
        expected = exported(other, tmp_path / "theirs.conll")
    assert exported(project, tmp_path / "ours.conll") == expected
    assert expected == conll_documents(tmp_path / "in.conll")
    assert (report.counts["document tokens"].added, report.counts["documents"].added) == (2, 2)


def test_merging_twice_changes_nothing(project, theirs):
    merge_files(project, [theirs])
    before = dump(project.path)
    again = merge_files(project, [theirs])
    assert dump(project.path) == before
    tokens = again.counts["document tokens"]
    assert (tokens.added, tokens.present) == (0, 2)
    assert not again.changed()


def test_a_shared_document_without_tokens_here_takes_theirs(project, theirs, tmp_path):
    with Project(theirs) as other:
        first = other.document(other.document_ids()[0])
    project.add_document(first.text, title="typed here", verbatim=True)
    report = merge_files(project, [theirs])
    assert report.counts["documents"].present == 1
    assert report.counts["document tokens"].added == 2
    assert len(project.tokenisations(project.document_ids())) == 2


def test_different_tokens_here_are_kept_and_reported(project, theirs):
    merge_files(project, [theirs])
    project.close()
    with sqlite3.connect(project.path) as conn:
        conn.execute("UPDATE document_tokens SET sentence_starts = '0' WHERE document_id = 1")
    conn.close()
    reopened = Project(project.path)
    try:
        report = merge_files(reopened, [theirs])
        ids = reopened.document_ids()
        assert reopened.tokenisations(ids)[ids[0]].sentence_starts == (0,)
    finally:
        reopened.close()
    (conflict,) = report.counts["document tokens"].conflicts
    assert "imported tokens or sentences differ there; kept this project's" in str(conflict)
    assert report.counts["document tokens"].present == 2


def test_a_file_from_before_stored_tokens_still_merges(project, tmp_path):
    old = tmp_path / "old.db"
    shutil.copy2(FIXTURES / "project-rev0009.db", old)
    report = merge_files(project, [old])
    assert report.counts["documents"].added == len(project.document_ids()) > 0
    assert report.counts["document tokens"].added == 0
    assert project.tokenisations(project.document_ids()) == {}
