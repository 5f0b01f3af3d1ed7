"""Tokens for scripts written without spaces between words, so that every span keeps its extent.

spaCy's rules for spaced languages leave an unspaced Chinese or Japanese clause as one token, and
a span inside it would grow to the whole clause. So, after the language's tokenizer:
- every Han, Kana or CJK punctuation character is a token of its own, in any document (as BERT's
  basic tokenizer does for Han, and most CJK NER corpora tag characters), so mixed English/CJK
  text works too; Latin letters and digits beside them stay as the tokenizer cut them;
- Korean puts spaces between words, but a particle is written onto its noun (서울에서 = 서울 +
  에서): a Hangul word is cut where a span starts or ends inside it;
- a document written mostly in CJK scripts without spaces between them (`is_unspaced_cjk`,
  checked per document) gets a token per Hangul syllable as well.
No cut falls before a combining mark, a variation selector or a jamo that continues a Hangul
syllable, nor beside a zero-width joiner, so a token never splits a grapheme cluster.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

_HAN_KANA = (
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3100-\u312f\u31a0-\u31bf"  # Bopomofo
    "\u3190-\u319f\u31c0-\u31ff"  # Kanbun, CJK strokes, Katakana extensions
    "\u3200-\u33ff"  # enclosed CJK letters, CJK compatibility
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs
    "\ufe10-\ufe1f\ufe30-\ufe4f"  # vertical and compatibility forms
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"  # fullwidth punctuation
    "\uff66-\uff9f"  # halfwidth Katakana
    "\U00020000-\U0002fa1f\U00030000-\U000323af"  # ideograph extensions B to H
)
_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uffa0-\uffdc"
_HAN_KANA_CHAR = re.compile(f"[{_HAN_KANA}]")
_HANGUL_CHAR = re.compile(f"[{_HANGUL}]")
_HANGUL_RUN = re.compile(f"[{_HANGUL}]+")
_CJK = re.compile(f"[{_HAN_KANA}{_HANGUL}]")
_CJK_LETTER = re.compile(f"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff{_HANGUL}]")
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_HAN_KANA}{_HANGUL}]) +(?=[{_HAN_KANA}{_HANGUL}])")
_JOINERS = "\u200c\u200d"
_NEVER_FIRST = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u1160-\u11ff\ud7b0-\ud7ff]")
"""Variation selectors, and the Hangul vowel and final jamo that continue a syllable."""


def is_unspaced_cjk(text: str) -> bool:
    """Whether the text is mostly (half its letters or more) Han, Kana or Hangul, with fewer
    than one space between CJK characters per ten of them."""
    cjk = len(_CJK_LETTER.findall(text))
    if not cjk or 2 * cjk < sum(1 for c in text if c.isalpha()):
        return False
    return 10 * len(_SPACE_BETWEEN_CJK.findall(text)) < cjk


def span_edges(text: str, ranges: Iterable[tuple[int, int]]) -> list[int]:
    """Where the given ranges start and end once trimmed of surrounding whitespace, in order."""
    edges = set()
    for start, end in ranges:
        piece = text[start:end]
        if piece.strip():
            edges.add(start + len(piece) - len(piece.lstrip()))
            edges.add(end - len(piece) + len(piece.rstrip()))
    return sorted(edges)


def segmented(doc: Doc, ranges: Iterable[tuple[int, int]], *, text: str | None = None) -> Doc:
    """`doc` with its tokens holding CJK characters cut as the module docstring says (the same
    Doc when nothing needs cutting). `ranges`: the spans' (start, end), whose edges
    (`span_edges`) are worked out only for a text with CJK; `text` is doc.text, to spare
    rebuilding it."""
    from spacy.tokens import Doc

    text = doc.text if text is None else text
    if not _CJK.search(text):
        return doc
    edges = span_edges(text, ranges)
    unspaced = is_unspaced_cjk(text)
    words: list[str] = []
    spaces: list[bool] = []
    cut_any = False
    for token in doc:
        word = token.text
        pieces = _pieces(word, token.idx, edges, unspaced) if _CJK.search(word) else [word]
        cut_any = cut_any or len(pieces) > 1
        words += pieces
        spaces += [False] * (len(pieces) - 1) + [bool(token.whitespace_)]
    return Doc(doc.vocab, words=words, spaces=spaces) if cut_any else doc


def _pieces(word: str, offset: int, edges: Sequence[int], unspaced: bool) -> list[str]:
    """The word cut before and after each Han or Kana character (and Hangul syllable, when
    `unspaced`), and at each span edge that touches a run of Hangul."""
    cuts = set()
    for match in _HAN_KANA_CHAR.finditer(word):
        cuts.update(match.span())
    if unspaced:
        for match in _HANGUL_CHAR.finditer(word):
            cuts.update(match.span())
    else:
        for match in _HANGUL_RUN.finditer(word):
            first = bisect.bisect_left(edges, offset + match.start())
            last = bisect.bisect_right(edges, offset + match.end())
            cuts.update(edge - offset for edge in edges[first:last])
    kept = sorted(at for at in cuts if 0 < at < len(word) and _may_cut(word, at))
    bounds = [0, *kept, len(word)]
    return [word[a:b] for a, b in pairwise(bounds)]


def _may_cut(word: str, at: int) -> bool:
    """Whether a cut before word[at] leaves every grapheme cluster whole."""
    after, before = word[at], word[at - 1]
    if after in _JOINERS or before in _JOINERS or _NEVER_FIRST.match(after):
        return False
    return not unicodedata.category(after).startswith("M")
