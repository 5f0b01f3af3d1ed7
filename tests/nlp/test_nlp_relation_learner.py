"""The relation learner: candidates within one sentence, learning from relations people made."""

from __future__ import annotations

import re

from annotator.core.model import RelationType
from annotator.nlp.relation_learner import (
    Candidate,
    RelationLearner,
    SpanRef,
    candidates,
    sentence_bounds,
)

BUYS = RelationType(1, "BUYS", "#000000", "b", True, ("ACTOR",), ("PLATFORM",))
SUPPLIES = RelationType(2, "SUPPLIES", "#000000", "s", True, ("ACTOR",), ("PLATFORM",))
PARTNERS = RelationType(3, "PARTNERS_WITH", "#000000", "p", False, ("ACTOR",), ("ACTOR",))
TYPES = (BUYS, SUPPLIES, PARTNERS)


def spans_of(text: str, marked: dict[str, str], first_id: int = 1) -> list[SpanRef]:
    """Spans for every occurrence of each marked phrase (phrase -> label), ids in text order."""
    found = []
    for phrase, label in marked.items():
        for match in re.finditer(re.escape(phrase), text):
            found.append((match.start(), match.end(), label))
    return [
        SpanRef(first_id + i, start, end, label)
        for i, (start, end, label) in enumerate(sorted(found))
    ]


def by_text(text: str, spans: list[SpanRef]) -> dict[str, int]:
    return {text[s.start : s.end]: s.id for s in spans}


def test_sentences_end_at_stops_and_line_breaks_and_cover_the_text() -> None:
    text = "Azerbaijan bought jets. Pakistan sold them!\nTurkey waits。中国"
    bounds = sentence_bounds(text)
    assert [text[a:b] for a, b in bounds] == [
        "Azerbaijan bought jets.",
        "Pakistan sold them!",
        "Turkey waits。",
        "中国",
    ]


def test_candidates_stay_in_one_sentence_and_follow_the_types() -> None:
    text = "Azerbaijan bought the JF-17C Thunder. Pakistan met Turkey."
    spans = spans_of(
        text,
        {
            "Azerbaijan": "ACTOR",
            "JF-17C Thunder": "PLATFORM",
            "Pakistan": "ACTOR",
            "Turkey": "ACTOR",
        },
    )
    ids = by_text(text, spans)
    found = {(c.type, c.head.id, c.tail.id) for c in candidates(text, spans, TYPES)}
    assert found == {
        ("BUYS", ids["Azerbaijan"], ids["JF-17C Thunder"]),
        ("SUPPLIES", ids["Azerbaijan"], ids["JF-17C Thunder"]),
        # symmetric: once, the earlier span as head
        ("PARTNERS_WITH", ids["Pakistan"], ids["Turkey"]),
    }


def test_a_directed_type_is_a_candidate_with_the_tail_first_in_the_text() -> None:
    text = "The JF-17C Thunder was bought by Azerbaijan."
    spans = spans_of(text, {"Azerbaijan": "ACTOR", "JF-17C Thunder": "PLATFORM"})
    ids = by_text(text, spans)
    found = {(c.type, c.head.id, c.tail.id) for c in candidates(text, spans, (BUYS,))}
    assert found == {("BUYS", ids["Azerbaijan"], ids["JF-17C Thunder"])}


TRAINING = [
    (
        "Azerbaijan bought JF-17C Thunder jets from Pakistan.",
        "Azerbaijan",
        "Pakistan",
        "JF-17C Thunder",
    ),
    ("Morocco bought C390 transports from Brazil.", "Morocco", "Brazil", "C390"),
    ("Indonesia bought KF-21 fighters from Korea.", "Indonesia", "Korea", "KF-21"),
    ("Czechia bought Patriot batteries from Germany.", "Czechia", "Germany", "Patriot"),
]


def trained() -> RelationLearner:
    learner = RelationLearner(TYPES)
    for text, buyer, seller, platform in TRAINING:
        spans = spans_of(text, {buyer: "ACTOR", seller: "ACTOR", platform: "PLATFORM"})
        ids = by_text(text, spans)
        learner.learn(
            text,
            spans,
            [("BUYS", ids[buyer], ids[platform]), ("SUPPLIES", ids[seller], ids[platform])],
        )
    return learner


def test_it_proposes_what_people_related_in_the_same_words_and_nothing_else() -> None:
    learner = trained()
    assert learner.examples == 8
    text = "Egypt bought Rafale jets from France."
    spans = spans_of(text, {"Egypt": "ACTOR", "France": "ACTOR", "Rafale": "PLATFORM"})
    ids = by_text(text, spans)
    proposed = {(p.type, p.head, p.tail) for p in learner.propose(text, spans)}
    assert proposed == {
        ("BUYS", ids["Egypt"], ids["Rafale"]),
        ("SUPPLIES", ids["France"], ids["Rafale"]),
    }


def test_existing_relations_are_not_proposed_again_and_an_untrained_learner_proposes_nothing() -> (
    None
):
    text = "Egypt bought Rafale jets from France."
    spans = spans_of(text, {"Egypt": "ACTOR", "France": "ACTOR", "Rafale": "PLATFORM"})
    ids = by_text(text, spans)
    proposed = trained().propose(text, spans, existing=[("BUYS", ids["Egypt"], ids["Rafale"])])
    assert {(p.type, p.head, p.tail) for p in proposed} == {
        ("SUPPLIES", ids["France"], ids["Rafale"])
    }
    assert RelationLearner(TYPES).propose(text, spans) == []


def test_rejected_proposals_teach_it_not_to_propose_their_context() -> None:
    learner = trained()
    text = "Egypt displayed Rafale jets near France."
    spans = spans_of(text, {"Egypt": "ACTOR", "France": "ACTOR", "Rafale": "PLATFORM"})
    ids = by_text(text, spans)
    egypt, rafale = (next(s for s in spans if s.id == ids[t]) for t in ("Egypt", "Rafale"))
    candidate = Candidate("BUYS", egypt, rafale)
    before = learner.score(text, candidate)
    for _ in range(3):
        learner.learn(text, spans, [], rejected=[("BUYS", egypt.id, rafale.id)])
    assert learner.score(text, candidate) < before < 1.0
