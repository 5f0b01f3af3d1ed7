"""A file's own tokens and sentences as a document's Tokenisation (XMI, WebAnno TSV 3)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from itertools import pairwise

from annotator.core.model import Tokenisation


def file_tokenisation(
    tokens: Iterable[tuple[int, int]], sentence_begins: Iterable[int]
) -> Tokenisation | None:
    """The tokenisation of these [begin, end) tokens, each sentence starting at the first token
    at or after its begin; None when there are no tokens, or one is empty or overlaps the next
    (token exports then tokenise the document)."""
    ordered = sorted(tokens)
    if not ordered or any(begin >= end for begin, end in ordered):
        return None
    if any(end > begin for (_, end), (begin, _) in pairwise(ordered)):
        return None
    starts = tuple(begin for begin, _ in ordered)
    firsts = {bisect.bisect_left(starts, begin) for begin in sentence_begins}
    sentence_starts = tuple(sorted(n for n in firsts if n < len(starts)))
    return Tokenisation(starts, tuple(end for _, end in ordered), sentence_starts)
