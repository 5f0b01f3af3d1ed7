"""Texts that break naive exporters (emoji, CRLF, combining marks, RTL, CJK) and their spans."""

from __future__ import annotations

SAMPLES: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "Emoji and CRLF",
        "Baykar sells the TB2 🚁 to Kyiv.\r\nThe 👩‍👩‍👧 family said: Bayraktar\r\nTB2 works.\r\n",
        [("Baykar", "ACTOR"), ("TB2", "PLATFORM"), ("Bayraktar\r\nTB2", "PLATFORM")],
    ),
    (
        "Combining marks",
        "Cafe\u0301 owners in Tu\u0308rkiye back Baykar. Ne\u0301e\u0301 agrees.",
        [("Cafe\u0301", "ACTOR"), ("Tu\u0308rkiye", "ACTOR"), ("Baykar", "ACTOR")],
    ),
    (
        "RTL",
        "شركة بايكار تبيع طائرة TB2 لأوكرانيا.\nقال المتحدث ذلك.",
        [("بايكار", "ACTOR"), ("TB2", "PLATFORM"), ("لأوكرانيا", "MOTIVATION")],
    ),
    (
        "CJK",
        "拜卡 公司 出售 TB2 无人机。\n东京 报道。",
        [("拜卡", "ACTOR"), ("TB2", "PLATFORM"), ("东京", "ACTOR")],
    ),
    ("No spans", "Nothing to see here.", []),
]


CJK_TOKENS = {"拜卡": ["拜", "卡"], "东京": ["东", "京"]}
"""The token formats' tokens of the CJK sample spans: one per Han character."""


def span_tokens(needle: str) -> list[str]:
    """The tokens the token formats (CoNLL, HF) write for a sample span's text."""
    return CJK_TOKENS.get(needle, needle.split())


def fill(project, annotator: str = "alice") -> dict[int, str]:
    """Store every sample verbatim with its spans; returns {document id: text}."""
    texts = {}
    for title, text, spans in SAMPLES:
        doc = next(iter(project.add_document(text, title=title, verbatim=True).documents))
        texts[doc] = text
        for needle, label in spans:
            start = text.index(needle)
            project.add_span(doc, annotator, label, start, start + len(needle))
    return texts


def expected_spans() -> set[tuple[str, int, int, str]]:
    """(text, start, end, label) of every sample span."""
    found = set()
    for _, text, spans in SAMPLES:
        for needle, label in spans:
            start = text.index(needle)
            found.add((text, start, start + len(needle), label))
    return found


def stored_spans(project) -> set[tuple[str, int, int, str]]:
    """(text, start, end, label) of every span in a project, whatever its layer."""
    found = set()
    for doc in project.iter_documents():
        for span in project.spans(doc.id):
            found.add((doc.text, span.start, span.end, span.label))
    return found
