"""CJK segmentation after spaCy's tokenizer: Han and Kana one token per character, Hangul cut at
span edges (or per syllable in an unspaced CJK document), grapheme clusters never cut."""

from __future__ import annotations

import pytest

from annotator.core.errors import AnnotatorError
from annotator.nlp.languages import check_language, tokenised
from annotator.nlp.segmentation import is_unspaced_cjk


def words(text: str, ranges=(), language: str = "en") -> list[str]:
    return [token.text for token in tokenised(text, ranges, language)]


@pytest.mark.parametrize(
    ("text", "unspaced"),
    [
        ("阿塞拜疆总统阿利耶夫今天在巴库会见了土耳其国防部长。", True),
        ("東京都でトヨタ自動車の社長が会見した。", True),
        ("서울에서만났다", True),
        ("서울에서 대한민국으로부터 온 삼성전자 대표가 말했다.", False),  # Korean has spaces
        ("拜卡 公司 出售 TB2 无人机。", False),
        ("Baykar sold the TB2 to 阿塞拜疆 in 2020.", False),  # mostly Latin letters
        ("No CJK at all.", False),
        ("", False),
    ],
)
def test_unspaced_cjk_documents_are_detected(text, unspaced):
    assert is_unspaced_cjk(text) is unspaced


def test_han_and_kana_are_a_token_each_and_latin_runs_stay_whole():
    assert words("我在Google工作，TB2无人机。") == [
        *"我在",
        "Google",
        *"工作，",
        "TB2",
        *"无人机。",
    ]
    assert words("東京のトヨタ") == list("東京のトヨタ")


def test_hangul_words_are_cut_only_at_span_edges_unless_the_document_is_unspaced():
    text = "서울에서 대한민국으로부터 왔다"
    assert words(text) == ["서울에서", "대한민국으로부터", "왔다"]
    assert words(text, [(0, 2), (5, 9)]) == ["서울", "에서", "대한민국", "으로부터", "왔다"]
    assert words("서울에서만났다") == list("서울에서만났다")


def test_no_cut_inside_a_grapheme_cluster():
    with_selector = "葛\U000e0100城市"  # an ideograph with its variation selector
    assert words(with_selector) == ["葛\U000e0100", "城", "市"]
    voiced = "か\u3099き"  # a combining voiced sound mark
    assert words(voiced) == ["か\u3099", "き"]
    jamo = "\u1112\u1161\u11ab\u1100\u1173\u11af"  # 한글 as conjoining jamo, unspaced
    assert words(jamo) == ["\u1112\u1161\u11ab", "\u1100\u1173\u11af"]


def test_text_without_cjk_is_tokenised_as_before():
    import spacy

    text = "Baykar sells the TB2 🚁 to Kyiv.\r\nThe end."
    assert words(text) == [t.text for t in spacy.blank("en")(text)]


def test_languages_are_checked():
    assert check_language(" DE ") == "de"
    assert check_language("zh") == "zh"  # CJK: multi-language rules plus segmentation
    with pytest.raises(AnnotatorError, match="not a language code"):
        check_language("../x")
    with pytest.raises(AnnotatorError, match="spaCy cannot tokenise 'qq'"):
        check_language("qq")
    with pytest.raises(AnnotatorError, match=r"spaCy cannot tokenise 'th'.*PyThaiNLP"):
        check_language("th")
