"""The tokenizer of a project language: spaCy's rules for it, whole grapheme clusters, then CJK
segmentation.

spaCy's own Chinese, Japanese and Korean tokenizers need jieba or pkuseg, SudachiPy or mecab-ko
(its default Chinese one cuts Latin words into letters): projects in those languages get the
multi-language rules, and their scripts are segmented by annotator.nlp.segmentation, as in every
other project.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.nlp.loading import shared_blank
from annotator.nlp.segmentation import segmented
from annotator.nlp.tokenise import whole_graphemes

if TYPE_CHECKING:
    from spacy.tokens import Doc

CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})
MULTI_LANGUAGE = "xx"
_CODE = re.compile(r"[a-z]{2,3}")


def base_language(language: str) -> str:
    """The spaCy language whose tokenizer rules `language` uses."""
    return MULTI_LANGUAGE if language in CJK_LANGUAGES else language


def check_language(code: str) -> str:
    """The language code, lower-cased, if spaCy can tokenise it here (with no extra package);
    else AnnotatorError saying why."""
    language = code.strip().lower()
    if not _CODE.fullmatch(language):
        raise AnnotatorError(f"{code!r} is not a language code: give one like en, de, zh or ko")
    try:
        shared_blank(base_language(language))
    except ImportError as exc:
        reason = str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise AnnotatorError(f"spaCy cannot tokenise {language!r} here: {reason}") from None
    return language


def tokenised(text: str, ranges: Iterable[tuple[int, int]], language: str) -> Doc:
    """The text's tokens by `language`'s rules, merged where they split a grapheme cluster
    (`tokenise.whole_graphemes`), then CJK segmented so that every given range starts and ends
    at token boundaries where its script allows (annotator.nlp.segmentation, which never cuts
    inside a cluster either)."""
    doc = whole_graphemes(shared_blank(base_language(language)).tokenizer(text), text)
    return segmented(doc, ranges, text=text)
