"""The majority and suggestions export layers carry relations: the majority keeps a relation
when more than half of the annotators have it (type and both spans' identity; a symmetric pair
in either order), the suggestions layer carries the pending relation suggestions with the spans
they link. Figures worked out by hand in the docstrings."""

from __future__ import annotations

import json

from annotator.core.model import NewSuggestion
from annotator.io.exporter import export

TEXT = "Azerbaijan buys 🛩 JF-17C jets from Pakistan, a partner of Turkey."
WORDS = {"AZ": "Azerbaijan", "JETS": "JF-17C jets", "PK": "Pakistan", "TR": "Turkey"}
LABELS = {"AZ": "ACTOR", "JETS": "PLATFORM", "PK": "ACTOR", "TR": "ACTOR"}
LINKS = {
    "ana": [("BUYS", "AZ", "JETS"), ("SUPPLIES", "PK", "JETS"), ("PARTNERS_WITH", "PK", "TR")],
    "ben": [("BUYS", "AZ", "JETS"), ("PARTNERS_WITH", "TR", "PK"), ("BUYS", "TR", "JETS")],
    "cem": [("SUPPLIES", "PK", "JETS"), ("SUPPLIES", "TR", "JETS")],
}


def mark(project, doc_id: int, who: str) -> dict[str, int]:
    ids = {}
    for name, word in WORDS.items():
        start = TEXT.index(word)
        (ids[name],) = project.add_span(
            doc_id, who, LABELS[name], start, start + len(word)
        ).spans_added
    return ids


def exported(project, tmp_path, layer: str) -> tuple[list[str], set[tuple[str, str, str]]]:
    """The one document's span texts and its relations as (type, head text, tail text)."""
    out = tmp_path / f"{layer}.jsonl"
    report = export(project, "jsonl", out, layer=layer)
    (line,) = out.read_text("utf-8").splitlines()
    record = json.loads(line)
    texts = [record["text"][s["start"] : s["end"]] for s in record["spans"]]
    links = {(r["type"], texts[r["head"]], texts[r["tail"]]) for r in record.get("relations", [])}
    assert sum(report.relations_per_type.values()) == len(links)
    return texts, links


def test_the_majority_keeps_the_relations_most_annotators_have(project, tmp_path):
    """Three voters, so a relation needs two. BUYS Azerbaijan → jets: ana, ben (kept).
    SUPPLIES Pakistan → jets: ana, cem (kept). PARTNERS_WITH Pakistan ↔ Turkey: ana and ben,
    who linked it the other way round (kept, once). BUYS Turkey → jets: ben alone; SUPPLIES
    Turkey → jets: cem alone (both left out)."""
    (doc_id,) = project.add_document(TEXT, "Jets", verbatim=True).documents
    for who, links in LINKS.items():
        ids = mark(project, doc_id, who)
        for kind, head, tail in links:
            project.add_relation(doc_id, who, kind, ids[head], ids[tail])
    texts, links = exported(project, tmp_path, "majority")
    assert texts == list(WORDS.values())
    assert links == {
        ("BUYS", "Azerbaijan", "JF-17C jets"),
        ("SUPPLIES", "Pakistan", "JF-17C jets"),
        ("PARTNERS_WITH", "Pakistan", "Turkey"),
    }


def test_half_of_the_annotators_is_no_majority(project, tmp_path):
    """dan marks the same spans and links nothing: four voters, so a relation needs three.
    Every span has four votes (kept); no relation has more than two (none kept)."""
    (doc_id,) = project.add_document(TEXT, "Jets", verbatim=True).documents
    for who, links in {**LINKS, "dan": []}.items():
        ids = mark(project, doc_id, who)
        for kind, head, tail in links:
            project.add_relation(doc_id, who, kind, ids[head], ids[tail])
    texts, links = exported(project, tmp_path, "majority")
    assert texts == list(WORDS.values())
    assert links == set()


def test_the_suggestions_layer_carries_the_pending_relation_suggestions(project, tmp_path):
    """ana has a span suggestion on Pakistan and two pending relation suggestions (BUYS
    Azerbaijan → jets, SUPPLIES Pakistan → jets) and a rejected one (PARTNERS_WITH Pakistan ↔
    Turkey); ben a pending BUYS Azerbaijan → jets too. The layer: the suggested span, the spans
    the pending relations link (Pakistan once), and BUYS and SUPPLIES, BUYS once."""
    (doc_id,) = project.add_document(TEXT, "Jets", verbatim=True).documents
    start = TEXT.index("Pakistan")
    project.store_suggestion_batch("lexicon", {doc_id: [NewSuggestion(start, start + 8, "ACTOR")]})
    for who in ("ana", "ben"):
        ids = mark(project, doc_id, who)
        proposed = [("BUYS", ids["AZ"], ids["JETS"], 0.9)]
        if who == "ana":
            proposed += [("SUPPLIES", ids["PK"], ids["JETS"], 0.7)]
            proposed += [("PARTNERS_WITH", ids["PK"], ids["TR"], 0.6)]
        project.store_relation_suggestions(doc_id, who, proposed, "relations-nb")
    (rejected,) = [
        x for x in project.relation_suggestions(doc_id, "ana") if x.type == "PARTNERS_WITH"
    ]
    project.reject_relation_suggestion(rejected.id)
    texts, links = exported(project, tmp_path, "suggestions")
    assert texts == ["Azerbaijan", "JF-17C jets", "Pakistan"]
    assert links == {("BUYS", "Azerbaijan", "JF-17C jets"), ("SUPPLIES", "Pakistan", "JF-17C jets")}


def test_without_relation_suggestions_the_suggestions_layer_exports_as_before(project, tmp_path):
    (doc_id,) = project.add_document(TEXT, "Jets", verbatim=True).documents
    start = TEXT.index("Pakistan")
    project.store_suggestion_batch("lexicon", {doc_id: [NewSuggestion(start, start + 8, "ACTOR")]})
    mark(project, doc_id, "ana")  # spans, no relation suggestion
    out = tmp_path / "s.jsonl"
    export(project, "jsonl", out, layer="suggestions")
    assert "relations" not in json.loads(out.read_text("utf-8"))
