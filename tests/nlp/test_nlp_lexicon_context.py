"""What the lexicon learns from where phrases were marked and rejected (issue 22): the label a
context favours, extents widened over name words, later mentions of a name, rejections."""

from __future__ import annotations

from unittest import mock

from annotator.core.model import NewSuggestion
from annotator.nlp.lexicon import LexiconSuggester
from annotator.nlp.lexicon_context import LexiconContext, context_features, shape

TEAM, PLACE = "ACTOR", "PLATFORM"


def places(text, *phrases):
    """(start, end) of each phrase, each found after the one before."""
    found, at = [], 0
    for phrase in phrases:
        at = text.index(phrase, at)
        found.append((at, at + len(phrase)))
        at += len(phrase)
    return found


def revised_names(learned, names, new, *matched):
    """What a context learned from `names` marked PER in `learned` makes of the lexicon's
    PER matches of `matched` in `new`, as the texts of its suggestions."""
    context = LexiconContext()
    context.learn(learned, [(*p, "PER") for p in places(learned, *names)])
    found = [NewSuggestion(*p, "PER") for p in places(new, *matched)]
    return [new[s.start : s.end] for s in context.revise(new, found)]


def marked(project, text, spans, annotator="alice"):
    """A document with `annotator`'s spans: (phrase, label) in text order."""
    document = next(iter(project.add_document(text).documents))
    at = 0
    for phrase, label in spans:
        start = text.index(phrase, at)
        project.add_span(document, annotator, label, start, start + len(phrase))
        at = start + len(phrase)
    return document


def shown(suggester, text):
    (items,) = suggester.suggest([text])
    return [(text[s.start : s.end], s.label) for s in items]


SPORTS = (
    "Boston beat Chicago 3-1 on Monday.\n"
    "Fans in Boston cheered the win.\n"
    "Chicago beat Boston 2-0 on Tuesday.\n"
    "Rain fell in Chicago all day.\n"
    "Boston beat Toronto 5-4 on Friday.\n"
)
SPORTS_SPANS = [
    ("Boston", TEAM),
    ("Chicago", TEAM),
    ("Boston", PLACE),
    ("Chicago", TEAM),
    ("Boston", TEAM),
    ("Chicago", PLACE),
    ("Boston", TEAM),
    ("Toronto", TEAM),
]


def test_an_ambiguous_phrase_takes_the_label_its_context_favours(project):
    marked(project, SPORTS, SPORTS_SPANS)
    lexicon = LexiconSuggester.from_project(project, "alice")
    text = "Crowds in Boston waited.\nBoston beat Chicago 1-0.\nSnow fell in Chicago."
    assert shown(lexicon, text) == [
        ("Boston", PLACE),
        ("Boston", TEAM),
        ("Chicago", TEAM),
        ("Chicago", PLACE),
    ]
    (items,) = lexicon.suggest([text])
    assert all(0.5 < s.score < 1 for s in items)  # the context's share, not certainty


def test_without_context_the_label_marked_most_often_wins(project):
    marked(project, SPORTS, SPORTS_SPANS)
    lexicon = LexiconSuggester.from_project(project, "alice", context=None)
    assert shown(lexicon, "Crowds in Boston waited.") == [("Boston", TEAM)]


NAMES = (
    "On Monday Paul Simmons met Anna Graf.\n"
    "Simmons said Graf would go.\n"
    "Then K. Novak and P. Taylor joined them.\n"
    "Later Novak thanked Taylor.\n"
)
NAMES_SPANS = [
    ("Paul Simmons", TEAM),
    ("Anna Graf", TEAM),
    ("Simmons", TEAM),
    ("Graf", TEAM),
    ("K. Novak", TEAM),
    ("P. Taylor", TEAM),
    ("Novak", TEAM),
    ("Taylor", TEAM),
]


def test_a_known_surname_is_suggested_with_the_name_words_before_it(project):
    marked(project, NAMES, NAMES_SPANS)
    lexicon = LexiconSuggester.from_project(project, "alice")
    text = "We saw Kenji Simmons and M. Graf. Taylor left."
    assert shown(lexicon, text) == [
        ("Kenji Simmons", TEAM),
        ("M. Graf", TEAM),
        ("Taylor", TEAM),
    ]
    bare = LexiconSuggester.from_project(project, "alice", context=None)
    assert shown(bare, text) == [("Simmons", TEAM), ("Graf", TEAM), ("Taylor", TEAM)]


def test_a_word_seen_just_outside_spans_is_not_taken_in():
    text = (
        "President Graf met President Novak.\n"
        "President Simmons met Anna Graf, Paul Novak, Ivan Sato and Omar Levy."
    )
    names = ("Graf", "Novak", "Simmons", "Anna Graf", "Paul Novak", "Ivan Sato", "Omar Levy")
    new = "President Taylor met Mark Taylor."
    assert revised_names(text, names, new, "Taylor", "Taylor") == ["Taylor", "Mark Taylor"]


def test_a_name_is_suggested_again_where_its_last_word_recurs(project):
    marked(project, NAMES, NAMES_SPANS)
    lexicon = LexiconSuggester.from_project(project, "alice")
    text = "Paul Simmons arrived.\nLater, Simmons and Graf spoke; Simmonsville is a town."
    assert shown(lexicon, text) == [
        ("Paul Simmons", TEAM),
        ("Simmons", TEAM),
        ("Graf", TEAM),
    ]
    assert shown(lexicon, "Anna Rossi arrived. Rossi spoke.") == []  # Rossi was never marked


def test_later_mentions_need_a_majority_of_such_words_marked_alone():
    context = LexiconContext()
    text = "Deutsche Bank said the Bank would wait. Deutsche Bank and the Bank agreed."
    context.learn(text, [(*p, "ORG") for p in places(text, "Deutsche Bank", "Deutsche Bank")])
    new = "Royal Bank said the Bank would wait."
    (start, end) = places(new, "Royal Bank")[0]
    assert context.revise(new, [NewSuggestion(start, end, "ORG")]) == [
        NewSuggestion(start, end, "ORG")
    ]


def test_a_phrase_rejected_where_nothing_was_marked_is_not_suggested_there_again(project):
    text = "Theresa May said no.\nTheresa May said yes.\nIn May the rain came.\n"
    document = marked(project, text, [("May", TEAM), ("May", TEAM)])
    month = text.index("In May") + 3
    project.store_suggestions(document, "lexicon:alice", [NewSuggestion(month, month + 3, TEAM)])
    (suggestion,) = project.suggestions(document, annotator="alice")
    project.reject_suggestion(suggestion.id, "alice")

    lexicon = LexiconSuggester.from_project(project, "alice")
    assert shown(lexicon, "In May the talks resumed. Then May said no.") == [("May", TEAM)]
    assert shown(LexiconSuggester.from_project(project, "alice", context=None), "In May") == [
        ("May", TEAM)
    ]


def test_a_rejection_inside_a_marked_span_is_not_counted_as_no_label():
    context = LexiconContext()
    text = "Paul Simmons said Simmons would go."
    spans = [(*p, "PER") for p in places(text, "Paul Simmons", "Simmons")]
    inside = (text.index("Simmons"), text.index("Simmons") + 7, "PER")
    context.learn(text, spans, [inside])
    assert context.phrases["simmons"] == {"PER": 1}


def test_marked_documents_hold_own_and_gold_spans_and_own_rejections(project):
    first = marked(project, "Baykar sold drones.", [("Baykar", TEAM)])
    second = marked(project, "Saab met Baykar.", [("Saab", TEAM)], annotator="bob")
    third = marked(project, "Kaan and Saab.", [("Kaan", PLACE)], annotator="carol")
    project.set_gold("carol")
    project.store_suggestions(second, "lexicon", [NewSuggestion(9, 15, TEAM)])
    (suggestion,) = project.suggestions(second, annotator="alice")
    project.reject_suggestion(suggestion.id, "alice")

    got = project.marked_documents("alice")
    assert [(d.text, d.spans, d.rejected) for d in got] == [
        ("Baykar sold drones.", [(0, 6, TEAM)], []),
        ("Kaan and Saab.", [(0, 4, PLACE)], []),
    ]
    everyone = project.marked_documents(None, limit=2)
    assert [(d.text, d.spans, d.rejected) for d in everyone] == [
        ("Saab met Baykar.", [(0, 4, TEAM)], [(9, 15, TEAM)]),
        ("Kaan and Saab.", [(0, 4, PLACE)], []),
    ]
    assert first < second < third


def test_offsets_stay_code_points_with_emoji_crlf_and_rtl_text():
    context = LexiconContext()
    text = "🚀 Paul Simmons\r\nسلام Anna Graf 😀 Graf\r\n"
    context.learn(text, [(*p, "PER") for p in places(text, "Paul Simmons", "Anna Graf", "Graf")])
    new = "😀🇹🇷 Kenji Simmons\r\nמרים Graf"
    found = [NewSuggestion(*p, "PER") for p in places(new, "Simmons", "Graf")]
    revised = context.revise(new, found)
    assert [new[s.start : s.end] for s in revised] == ["Kenji Simmons", "Graf"]


def test_context_features_stay_on_the_line_and_shapes_are_short():
    text = "SPORT - NEW YORK\nNEW YORK 1996-08-22\nFans in New York, said"
    start = text.index("NEW YORK\n")
    assert context_features(text, start, start + 8) == ["p:-", "ps:-", "n:$", "ns:$", "caps"]
    start = text.index("New York")
    assert context_features(text, start, start + 8) == ["p:in", "ps:xx", "n:,", "ns:,", "cased"]
    assert [shape(w) for w in ("Simmons", "P.", "U.S.", "1996", "NATO")] == [
        "Xxx",
        "X.",
        "X.X.",
        "dd",
        "XX",
    ]


def test_a_capital_that_opens_a_sentence_is_judged_apart():
    text = "We met Anna Graf and Paul Novak. Later Graf left."
    names = ("Anna Graf", "Paul Novak", "Graf")
    new = "But Novak stayed. We saw Mark Novak."
    assert revised_names(text, names, new, "Novak", "Novak") == ["Novak", "Mark Novak"]


def test_a_name_no_phrase_matched_is_found_by_the_word_that_opens_it():
    context = LexiconContext()
    text = (
        "We met Rania Brandt and Rania Okafor.\nThen Jonas Berg and Jonas Levy came.\n"
        "Rania said Okafor and Levy would stay. Jonas left.\n"
    )
    names = ("Rania Brandt", "Rania Okafor", "Jonas Berg", "Jonas Levy", "Okafor", "Levy")
    context.learn(text, [(*p, "PER") for p in places(text, *names)])
    assert context.opening() == {"Jonas": ("PER", 2 / 3), "Rania": ("PER", 2 / 3)}
    new = "Reporters saw Rania Dumont.\nLater, Dumont and Rania spoke; Jonas\nSato left."
    revised = context.revise(new, [])
    assert [(new[s.start : s.end], s.label) for s in revised] == [
        ("Rania Dumont", "PER"),
        ("Dumont", "PER"),
    ]


def test_a_name_word_at_a_line_start_is_taken_in():
    text = "Kenji Graf came.\nKenji Sato came. Then Kenji Novak came."
    names = ("Kenji Graf", "Kenji Sato", "Kenji Novak")
    new = "as he said\nKenji Novak left (Mark Novak stayed)"
    assert revised_names(text, names, new, "Novak", "Novak") == ["Kenji Novak", "Novak"]


def test_a_document_learned_again_is_added_from_its_kept_counts():
    text = "On Monday Paul Simmons met Anna Graf."
    spans = [(*p, "PER") for p in places(text, "Paul Simmons", "Anna Graf")]
    context = LexiconContext()
    context.learn(text, spans)
    with mock.patch.object(LexiconContext, "_learn") as learn:
        context.learn(text, list(reversed(spans)))
    learn.assert_not_called()
    assert context.examples == {"PER": 4}
    assert context.edges[("PER", "<", "w:paul")] == [2, 0]
    other = LexiconContext()
    other.learn(text, spans[:1])
    assert other.examples == {"PER": 1}


def test_a_word_opening_a_sentence_is_taken_in_only_if_it_was_seen_in_names():
    """A capital opening a sentence says nothing by its shape: names that opened list items
    ("Actors: Baykar Technologies; ...") do not make "Later" in "Later Vestel" part of a name."""
    text = "Buyers: Anna Graf; Paul Novak; Mark Levy."
    names = ("Anna Graf", "Paul Novak", "Mark Levy")
    new = "Vestel flew. Later Vestel landed."
    assert revised_names(text, names, new, "Vestel", "Vestel") == ["Vestel", "Vestel"]
