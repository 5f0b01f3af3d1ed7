"""`annotator docs` writes the list as it reads it, a page at a time, in one snapshot: the same
table and JSON as a whole list would give, for any offset and limit."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest
from cli_run import run

from annotator.core.model import ImportedDocument, ImportedSpan
from annotator.core.project import Project
from annotator.core.project import documents as documents_part
from annotator.core.storage import repo
from annotator.terminal import table

TEXTS = ["Baykar 👍🏽 builds the TB2.", "مرحبا Baykar", "北京 Baykar\r\nTB2", "Plain TB2 text"]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "p.db"
    with Project.create(path) as project:
        project.import_documents(
            [
                ImportedDocument(
                    f"{text} #{n}",
                    f"Title {n}",
                    "src",
                    spans=[ImportedSpan(0, 6, "ACTOR")] if n % 2 else [],
                    annotator="alice",
                    verbatim=True,
                )
                for n in range(11)
                for text in [TEXTS[n % len(TEXTS)]]
            ]
        )
    return path


@pytest.fixture
def pages(monkeypatch):
    """Pages of 3 rows; the list of every page's size read."""
    monkeypatch.setattr(documents_part, "SUMMARY_BATCH", 3)
    sizes: list[int] = []
    summaries = repo.summaries

    def counted(*args, **kwargs):
        rows = summaries(*args, **kwargs)
        sizes.append(len(rows))
        return rows

    monkeypatch.setattr(repo, "summaries", counted)
    return sizes


@pytest.mark.parametrize(("offset", "limit"), [(0, None), (2, None), (1, 7), (4, 3), (20, None)])
def test_json_is_the_whole_lists_json_read_a_page_at_a_time(db, pages, capsys, offset, limit):
    with Project.open(db) as project:
        whole = [asdict(row) for row in project.documents(offset=offset, limit=limit)]
    pages.clear()
    argv = ["docs", "--db", db, "--format", "json", "--offset", offset]
    assert run(*argv, *(["--limit", limit] if limit else [])) == 0
    out = capsys.readouterr().out
    assert out == json.dumps(whole, ensure_ascii=False, indent=1) + "\n"
    assert pages and max(pages) <= 3
    assert sum(pages) == len(whole)


def test_the_table_is_the_whole_lists_table(db, pages, capsys):
    with Project.open(db) as project:
        rows = project.documents()
    expected = table(
        ["id", "status", "spans", "chars", "date", "title"],
        [(r.id, r.status.value, r.span_count, r.length, r.date, r.title) for r in rows],
    )
    pages.clear()
    assert run("docs", "--db", db) == 0
    assert capsys.readouterr().out == expected + "\n"
    assert max(pages) <= 3
