"""Article metadata through the command line (issue 19 item 7): imported with the documents,
and carried by every export."""

from __future__ import annotations

from cli_run import run

from annotator.core.project import Project

BODY = "In a significant shift in defense alliances, Azerbaijan and Baykar signed.\n"
SEED = " date 2024-03-08 " + BODY  # how the seed article opens: the date, then the text


def test_import_stores_the_named_source_else_the_file(tmp_path):
    seed = tmp_path / "azerbaijan-baykar-2024-03-08.txt"
    seed.write_text(SEED, encoding="utf-8")
    named = tmp_path / "named.txt"
    named.write_text("Source: Reuters\nURL: https://r.example/1\n\nOther text.", encoding="utf-8")
    db = tmp_path / "p.db"
    assert run("init", "--db", db) == 0
    assert run("import", "--db", db, seed, named) == 0
    with Project.open(db) as project:
        docs = {doc.meta["filename"]: doc for doc in project.iter_documents()}
    assert docs[seed.name].source == str(seed)
    assert docs[seed.name].meta["date"] == "2024-03-08"
    assert not docs[seed.name].title.startswith("date")
    assert docs["named.txt"].source == "Reuters"
    assert docs["named.txt"].meta["url"] == "https://r.example/1"
    assert docs["named.txt"].text == "Other text."
