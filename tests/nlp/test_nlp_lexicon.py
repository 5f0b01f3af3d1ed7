"""The lexicon: tag once, suggested everywhere (case and whitespace tolerant), term lists."""

from __future__ import annotations

import time
from collections import Counter
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError, NotFoundError
from annotator.nlp.lexicon import LEXICON_SCORE, SPANS_KEY, LexiconSuggester, load_term_list
from annotator.nlp.termlists import save_term_list, term_lists_for


def found(suggester, text):
    (items,) = suggester.suggest([text])
    return [(s.label, text[s.start : s.end]) for s in items]


def test_phrases_match_whatever_the_case_and_the_whitespace_between_tokens():
    lex = LexiconSuggester({"ACTOR": ["Baykar"], "PLATFORM": ["TF Kaan"]})
    text = "BAYKAR and baykar build the TF  Kaan; the tf\nkaan flew. Baykarova is no match."
    assert found(lex, text) == [
        ("ACTOR", "BAYKAR"),
        ("ACTOR", "baykar"),
        ("PLATFORM", "TF  Kaan"),
        ("PLATFORM", "tf\nkaan"),
    ]
    (items,) = lex.suggest([text])
    assert {s.score for s in items} == {LEXICON_SCORE}


def test_a_phrase_never_matches_across_a_paragraph_break():
    lex = LexiconSuggester({"PLATFORM": ["TF Kaan"]})
    assert found(lex, "the TF\n\nKaan and TF\r\n\r\nKaan") == []


def test_case_sensitive_and_whitespace_strict_options():
    lex = LexiconSuggester(
        {"ACTOR": ["Baykar"], "PLATFORM": ["TF Kaan"]},
        case_sensitive=True,
        whitespace_tolerant=False,
    )
    assert found(lex, "BAYKAR Baykar TF  Kaan TF Kaan") == [
        ("ACTOR", "Baykar"),
        ("PLATFORM", "TF Kaan"),
    ]


def test_offsets_are_code_points_in_emoji_crlf_and_cjk_text():
    lex = LexiconSuggester({"ACTOR": ["Baykar", "中国航天科工"], "PLATFORM": ["TB2 drones"]})
    text = "🚀🇹🇷 Baykar\r\nsold TB2\r\ndrones; 中国航天科工 😀 replied. 𝔘𝔫𝔦 Baykar"
    (items,) = lex.suggest([text])
    assert [(s.label, text[s.start : s.end]) for s in items] == [
        ("ACTOR", "Baykar"),
        ("PLATFORM", "TB2\r\ndrones"),
        ("ACTOR", "中国航天科工"),
        ("ACTOR", "Baykar"),
    ]
    assert items[-1].end == len(text)


def test_of_overlapping_matches_only_the_longest_is_suggested():
    lex = LexiconSuggester(
        {
            "ACTOR": ["Turkish Aerospace", "Turkish Aerospace", "turkish aerospace"],
            "PLATFORM": ["Aerospace", "Aerospace Industries Kaan"],
            "PER": ["Simmons", "P. Simmons"],
        }
    )
    assert len(lex.patterns) == 5
    text = "Turkish Aerospace said P. Simmons, not Simmons, saw Turkish Aerospace Industries Kaan."
    assert found(lex, text) == [
        ("ACTOR", "Turkish Aerospace"),
        ("PER", "P. Simmons"),
        ("PER", "Simmons"),
        ("PLATFORM", "Aerospace Industries Kaan"),  # longer than "Turkish Aerospace"
    ]


def test_a_phrase_is_suggested_with_its_most_frequent_label_and_that_share():
    lex = LexiconSuggester(
        {"LOC": Counter({"New York": 3, "Boston": 1}), "ORG": Counter({"NEW YORK": 1}), "X": []}
    )
    (items,) = lex.suggest(["NEW YORK beat Boston; new york wins."])
    assert [(s.label, s.start, s.end, s.score) for s in items] == [
        ("LOC", 0, 8, 0.75),
        ("LOC", 14, 20, 1.0),
        ("LOC", 22, 30, 0.75),
    ]
    assert lex.choices() == {"new york": ("LOC", 0.75), "boston": ("LOC", 1.0)}
    assert LexiconSuggester({"ORG": ["Ajax"], "LOC": ["ajax"]}).choices() == {
        "ajax": ("LOC", 0.5)  # a tie: the first label by name
    }


def test_a_match_never_crosses_a_line_break_that_ends_a_sentence():
    lex = LexiconSuggester({"ORG": ["Major League Baseball", "Yahoo! Japan"]})
    wrapped = (
        "Every season the owners of the clubs in Major League\n"
        "Baseball meet to agree on the rules; the fans of Major\n"
        "League Baseball wait, and the players of Major League\n"
        "Baseball too, for the decision of the commissioner."
    )
    assert found(lex, wrapped) == [
        ("ORG", "Major League\nBaseball"),
        ("ORG", "Major\nLeague Baseball"),
        ("ORG", "Major League\nBaseball"),
    ]
    one_sentence_a_line = (
        "BASEBALL - RESULTS\n"
        "Results of games played on Tuesday in Major League\n"
        "Baseball fans saw Boston beat Chicago 5-3 at Fenway Park on a cold and windy night.\n"
        "Toronto won the second game of the series against Seattle after ten innings."
    )
    assert found(lex, one_sentence_a_line) == []
    assert found(lex, "Standings in Major\nleague baseball") == [("ORG", "Major\nleague baseball")]
    exclaimed = "when the team won the game, all the fans shouted Yahoo!\nJapan then won the cup"
    assert found(lex, exclaimed) == []  # the sentencizer ends a sentence at "!"
    assert found(lex, "Shares of Yahoo! Japan rose.") == [("ORG", "Yahoo! Japan")]
    assert found(lex, "Results: Major League\r\nBaseball and MAJOR LEAGUE BASEBALL 🚀") == [
        ("ORG", "MAJOR LEAGUE BASEBALL")
    ]


def test_empty_lexicon_is_unavailable_with_a_hint():
    lex = LexiconSuggester({"ACTOR": ["  "]})
    assert not lex.available()
    assert "mark a span" in lex.unavailable_reason()
    assert lex.suggest(["Baykar", ""]) == [[], []]


def test_ten_thousand_patterns_build_and_match_quickly():
    phrases = {"ACTOR": [f"Company {i} Defence" for i in range(10_000)]}
    began = time.perf_counter()
    lex = LexiconSuggester(phrases)
    assert found(lex, "Company 9999 Defence and company 17 defence") == [
        ("ACTOR", "Company 9999 Defence"),
        ("ACTOR", "company 17 defence"),
    ]
    assert time.perf_counter() - began < 10


def test_lexicon_grows_after_a_new_human_span(project):
    first = next(iter(project.add_document("Baykar sold drones.").documents))
    other = next(iter(project.add_document("Later, BAYKAR  said Rheinmetall agreed.").documents))
    assert not LexiconSuggester.from_project(project).available()

    project.add_span(first, "alice", "ACTOR", 0, 6)
    lex = LexiconSuggester.from_project(project)
    assert found(lex, project.document(other).text) == [("ACTOR", "BAYKAR")]

    text = project.document(other).text
    start = text.index("Rheinmetall")
    project.add_span(other, "bob", "ACTOR", start, start + len("Rheinmetall"))
    lex = LexiconSuggester.from_project(project)
    assert found(lex, "rheinmetall and Baykar") == [
        ("ACTOR", "rheinmetall"),
        ("ACTOR", "Baykar"),
    ]


def test_the_project_lexicon_suggests_the_label_marked_most_often(project):
    text = "Kaan flew. The Kaan team said Kaan would fly again."
    first = next(iter(project.add_document(text).documents))
    project.add_span(first, "alice", "PLATFORM", 0, 4)
    project.add_span(first, "alice", "PLATFORM", 15, 19)
    project.add_span(first, "alice", "ACTOR", 30, 34)
    lexicon = LexiconSuggester.from_project(project, "alice", context=None)  # phrases alone
    (items,) = lexicon.suggest(["KAAN sold."])
    assert [(s.label, s.start, s.end, round(s.score, 3)) for s in items] == [
        ("PLATFORM", 0, 4, 0.667)
    ]


def test_a_built_lexicon_grows_in_place():
    lex = LexiconSuggester({"ACTOR": ["Baykar"]})
    assert found(lex, "Saab and Baykar") == [("ACTOR", "Baykar")]
    assert lex.add({"ACTOR": ["SAAB", "baykar"], "PLATFORM": ["Gripen E"]}) == 2
    assert lex.add({"ACTOR": ["saab"]}) == 0
    assert found(lex, "Saab and Baykar; the Gripen  E") == [
        ("ACTOR", "Saab"),
        ("ACTOR", "Baykar"),
        ("PLATFORM", "Gripen  E"),
    ]


def test_term_lists_feed_the_lexicon_for_their_label(project, tmp_path):
    path = tmp_path / "platforms.txt"
    path.write_text("\ufeff# platforms\nTB2\n\n  Leopard   2A8  \nTB2\n", encoding="utf-8")
    assert load_term_list(path) == ["TB2", "Leopard 2A8"]
    save_term_list(project, "PLATFORM", load_term_list(path))
    save_term_list(project, "PLATFORM", ["K2"])
    assert term_lists_for(project) == {"PLATFORM": ["TB2", "Leopard 2A8", "K2"]}
    lex = LexiconSuggester.from_project(project)
    assert found(lex, "tb2, LEOPARD 2A8 and K2") == [
        ("PLATFORM", "tb2"),
        ("PLATFORM", "LEOPARD 2A8"),
        ("PLATFORM", "K2"),
    ]


def test_term_list_for_an_unknown_label_is_refused_and_nothing_stored(project):
    with pytest.raises(NotFoundError, match="no label named 'VEHICLE'"):
        save_term_list(project, "VEHICLE", ["K2"])
    assert term_lists_for(project) == {}


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (b"TB2\nK2\nLeopard \xe9\n", 3, "not UTF-8 (byte 0xe9 at column 9)"),
        (b"TB2\nK\x072\n", 2, "control character U+0007"),
    ],
)
def test_bad_term_lists_name_the_line(tmp_path, content, line, reason):
    path = tmp_path / "terms.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        load_term_list(path)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: {reason}")


def test_missing_term_list_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read the term list"):
        load_term_list(tmp_path / "nope.txt")


def test_span_ruler_pipeline_finds_the_same_phrases():
    lex = LexiconSuggester({"ACTOR": ["Baykar", "Turkish Aerospace"], "PLATFORM": ["TB2"]})
    text = "BAYKAR and Turkish Aerospace build TB2s; the tb2 flies."
    (items,) = lex.suggest([text])
    doc = lex.pipeline()(text)
    assert [(s.start_char, s.end_char, s.label_) for s in doc.spans[SPANS_KEY]] == [
        (s.start, s.end, s.label) for s in items
    ]


WORDS = ["Baykar", "TF", "Kaan", "sold", "é", "🚀"]
WHITESPACE_LEXICON = LexiconSuggester({"ACTOR": ["Baykar sold"], "PLATFORM": ["TF Kaan"]})
GAPS = [" ", "  ", "\n", "\n\n", "\r\n", "\r\n\r\n", "\t", "\xa0", " \n", "\n\n\n", "\u2009"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), max_size=12))
def test_the_quick_whitespace_check_never_changes_the_result(pieces):
    text = "".join(word + gap for word, gap in pieces)
    lex = WHITESPACE_LEXICON
    quick = lex.suggest([text])
    with mock.patch("annotator.nlp.lexicon._may_have_inline_space", return_value=True):
        exact = lex.suggest([text])
    assert quick == exact
    for item in quick[0]:
        assert " ".join(text[item.start : item.end].split()) in ("Baykar sold", "TF Kaan")


def test_the_version_follows_the_phrases_and_options_not_their_order():
    one = LexiconSuggester({"ACTOR": ["Baykar", "Saab"], "PLATFORM": ["TB2"]})
    same = LexiconSuggester({"PLATFORM": ["TB2"], "ACTOR": ["Saab", "baykar"]})
    assert one.version == same.version  # case merged, order ignored
    assert LexiconSuggester({"ACTOR": ["Baykar"]}).version != one.version
    assert (
        LexiconSuggester(
            {"ACTOR": ["Baykar", "Saab"], "PLATFORM": ["TB2"]}, case_sensitive=True
        ).version
        != one.version
    )
    before = one.version
    assert one.add({"ACTOR": ["saab"]}) == 0 and one.version == before
    assert one.add({"ACTOR": ["Roketsan"]}) == 1 and one.version != before
