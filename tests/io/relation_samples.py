"""Documents with relations (the seed article's links, with emoji and CRLF; RTL; CJK), and the
relations a project holds, as (text, type, head, tail) by offsets and labels, for round trips."""

from __future__ import annotations

SEED = (
    "Azerbaijan 🇦🇿 buys JF-17C Thunder jets from Pakistan.\r\n"
    "It joins TF Kaan with Turkey, citing concerns over Russian reliability."
)
RTL = "شركة بايكار تبيع طائرة TB2 لأوكرانيا."
CJK = "拜卡 公司 出售 TB2 无人机。"
PLAIN = "Nothing links here: Baykar alone."

DOCUMENTS: list[tuple[str, str, list[tuple[str, str]], list[tuple[str, str, str]]]] = [
    (
        "Seed",
        SEED,
        [
            ("Azerbaijan", "ACTOR"),
            ("JF-17C Thunder jets", "PLATFORM"),
            ("Pakistan", "ACTOR"),
            ("TF Kaan", "PLATFORM"),
            ("Turkey", "ACTOR"),
            ("concerns over Russian reliability", "MOTIVATION"),
        ],
        [
            ("BUYS", "Azerbaijan", "JF-17C Thunder jets"),
            ("SUPPLIES", "Pakistan", "JF-17C Thunder jets"),
            ("PARTNERS_WITH", "Azerbaijan", "Turkey"),
            ("MOTIVATES", "concerns over Russian reliability", "Azerbaijan"),
        ],
    ),
    ("RTL", RTL, [("بايكار", "ACTOR"), ("TB2", "PLATFORM")], [("SUPPLIES", "بايكار", "TB2")]),
    ("CJK", CJK, [("拜卡", "ACTOR"), ("TB2", "PLATFORM")], [("SUPPLIES", "拜卡", "TB2")]),
    ("Plain", PLAIN, [("Baykar", "ACTOR")], []),
]

End = tuple[int, int, str]
Link = tuple[str, str, End, End]
"""(document text, relation type, head (start, end, label), tail (start, end, label))."""


def _end(text: str, needle: str, label: str) -> End:
    start = text.index(needle)
    return start, start + len(needle), label


def fill_relations(project, annotator: str = "alice") -> dict[int, str]:
    """Store the documents verbatim with their spans and relations; {document id: text}."""
    texts = {}
    for title, text, spans, relations in DOCUMENTS:
        doc = next(iter(project.add_document(text, title=title, verbatim=True).documents))
        texts[doc] = text
        ids = {}
        for needle, label in spans:
            start, end, _ = _end(text, needle, label)
            changes = project.add_span(doc, annotator, label, start, end)
            ids[needle] = changes.spans_added[0]
        for kind, head, tail in relations:
            project.add_relation(doc, annotator, kind, ids[head], ids[tail])
    return texts


def expected_links() -> set[Link]:
    """Every sample relation by offsets and labels."""
    labels = {(text, needle): label for _, text, spans, _ in DOCUMENTS for needle, label in spans}
    return {
        (
            text,
            kind,
            _end(text, head, labels[(text, head)]),
            _end(text, tail, labels[(text, tail)]),
        )
        for _, text, _, relations in DOCUMENTS
        for kind, head, tail in relations
    }


def stored_links(project, annotator: str | None = None) -> set[Link]:
    """The project's relations (one annotator's, or all) by offsets and labels."""
    ids = project.document_ids()
    texts = {doc_id: project.document(doc_id).text for doc_id in ids}
    found = set()
    for doc_id, relations in project.relations_of_documents(ids).items():
        spans = {span.id: span for span in project.spans(doc_id)}
        for relation in relations:
            if annotator not in (None, relation.annotator):
                continue
            head, tail = spans[relation.head], spans[relation.tail]
            found.add(
                (
                    texts[doc_id],
                    relation.type,
                    (head.start, head.end, head.label),
                    (tail.start, tail.end, tail.label),
                )
            )
    return found
