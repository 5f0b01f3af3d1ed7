"""spaCy DocBins from annotated texts and back: the training-data file spaCy's CLI reads.

Every aligned span goes to `doc.spans["sc"]` (overlaps kept, for spancat). `doc.ents` (for NER,
which cannot overlap) gets the selection of `spacy.util.filter_spans`: longest span first, a tie
goes to the earlier start, and a tie on the same tokens to the label first in alphabetical order;
a span overlapping one already chosen is left out of `doc.ents` (it stays in `spans["sc"]`) and
counted. Tokens outside the chosen entities are "O".

A record with the tokens its document was imported with keeps exactly those; any other text is
tokenised by its record's language, with no token splitting a grapheme cluster and CJK segmented
so that spans keep their extent (`languages.tokenised`). Offsets are aligned with the tokens as
docs/architecture.md says (`tokenise.char_span_aligned`): strict, then trimmed of whitespace,
then expanded to token boundaries; never contracted. Each adjusted or dropped span is counted by
reason, so a caller can report it; a span that would grow by more than `MAX_GROWTH` characters
(on either kind of tokens) is left out and named in `DocBinStats.errors`.

Building a DocBin with span groups is slow because srsly scans its catalogue registries for every
msgpack call; `cached_msgpack_registries` snapshots them for the length of one build or read.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.language import DEFAULT_LANGUAGE
from annotator.core.model import Tokenisation
from annotator.io.writers.span_growth import MAX_GROWTH, growth_error
from annotator.nlp.languages import base_language, tokenised
from annotator.nlp.loading import shared_blank
from annotator.nlp.tokenise import DROPPED, EXPANDED, TRIMMED, char_span_aligned

if TYPE_CHECKING:
    from spacy.tokens import Doc, DocBin
    from spacy.vocab import Vocab

SPANS_KEY = "sc"
ATTRS = ("ORTH", "SENT_START", "ENT_IOB", "ENT_TYPE")
"""The token attributes a DocBin of ours stores (spaCy adds SPACY): all we set. spaCy's default
adds eight we never set (tags, lemmas, parses...), which took 3x the memory and time."""

TRIMMED_REASON = "spacy: trimmed of surrounding whitespace to fit token boundaries"
EXPANDED_REASON = (
    "spacy: expanded to the enclosing token boundaries (covers more text than annotated)"
)
UNALIGNED_REASON = (
    "spacy: cannot be aligned with spaCy tokens (whitespace only or outside the text)"
)
DUPLICATE_REASON = "spacy: same label and tokens as another span once aligned (kept once)"
NOT_IN_ENTS_REASON = (
    "spacy: left out of doc.ents (NER) because it overlaps a longer or earlier span; "
    "still in spans['sc'] (spancat)"
)
NO_ENTS_REASON = (
    "spacy: WARNING the file has no doc.ents at all, so it cannot train an NER; "
    "none of these spans could be aligned"
)
_ADJUSTED = {TRIMMED: TRIMMED_REASON, EXPANDED: EXPANDED_REASON}


@dataclass(frozen=True, slots=True)
class DocRecord:
    """One text with its spans as (start, end, label) in code points, small user data (a
    writer's carries "document_id" and "title"), the language it is tokenised by, and the
    tokens it came with, if any."""

    text: str
    spans: Sequence[tuple[int, int, str]] = ()
    user_data: dict[str, Any] | None = None
    language: str = DEFAULT_LANGUAGE
    tokens: Tokenisation | None = None
    """The tokens and sentences to keep (a document imported with them), else None: tokenise."""


@dataclass(slots=True)
class DocBinStats:
    """What a build did: documents, spans in spans['sc'], entities, and every adjustment."""

    documents: int = 0
    given: int = 0
    """Spans given, before alignment."""
    spans: int = 0
    ents: int = 0
    longest_tokens: int = 0
    adjusted: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


_cache_lock = threading.Lock()
_cache_depth = 0
_cache_saved: list[tuple[Any, Any]] = []


@contextmanager
def cached_msgpack_registries() -> Iterator[None]:
    """Snapshot srsly's msgpack encoder/decoder registries for the block (about 10× faster
    DocBins); what was there before is restored when the last nested or concurrent user leaves.

    An encoder registered while the block runs is not seen until it ends.
    """
    import srsly.msgpack as sm

    global _cache_depth
    with _cache_lock:
        if _cache_depth == 0:
            for registry in (sm.msgpack_encoders, sm.msgpack_decoders):
                _cache_saved.append((registry, vars(registry).get("get_all")))
                snapshot = dict(registry.get_all())
                registry.get_all = lambda snapshot=snapshot: snapshot  # an instance attribute
        _cache_depth += 1
    try:
        yield
    finally:
        with _cache_lock:
            _cache_depth -= 1
            if _cache_depth == 0:
                while _cache_saved:
                    registry, before = _cache_saved.pop()
                    if before is None:
                        del registry.get_all  # the class's method shows through again
                    else:
                        registry.get_all = before


def build_docbin(
    records: Iterable[DocRecord], *, store_user_data: bool = True
) -> tuple[DocBin, DocBinStats]:
    """A DocBin of the records, on their own tokens when they have them, else each tokenised
    by its language (`languages.tokenised`), with spans['sc'] and doc.ents."""
    stats = DocBinStats()
    with cached_msgpack_registries():
        docbin = _docbin(records, stats, store_user_data)
    _call_out_no_ents(stats)
    return docbin, stats


def write_docbin(
    records: Iterable[DocRecord],
    target: Path,
    *,
    shard_size: int | None = None,
    store_user_data: bool = True,
) -> DocBinStats:
    """Build the DocBin (see build_docbin) and write it to the file `target`; with a
    `shard_size`, `target` is a folder that receives one DocBin per `shard_size` records
    (`shard_name`), each built, written and let go before the next, so memory stays flat
    in the number of records (`spacy train` reads such a folder as it reads one file)."""
    stats = DocBinStats()
    with cached_msgpack_registries():
        if shard_size is None:
            _docbin(records, stats, store_user_data).to_disk(target)
        else:
            for number, shard in enumerate(_shards(records, shard_size)):
                _docbin(shard, stats, store_user_data).to_disk(target / shard_name(number))
    _call_out_no_ents(stats)
    return stats


def shard_name(number: int) -> str:
    """The file name of the `number`-th shard (from 0) of a sharded DocBin export; names sort
    in the order written."""
    return f"{number:05d}.spacy"


def _shards(records: Iterable[DocRecord], size: int) -> Iterator[Iterator[DocRecord]]:
    """The records in consecutive runs of `size`, each read lazily (consume one run before
    asking for the next)."""
    remaining = iter(records)
    while (first := next(remaining, None)) is not None:
        yield chain((first,), islice(remaining, size - 1))


def _docbin(records: Iterable[DocRecord], stats: DocBinStats, store_user_data: bool) -> DocBin:
    """A DocBin of the records, counted into `stats` (inside cached_msgpack_registries)."""
    from spacy.tokens import DocBin

    docbin = DocBin(attrs=ATTRS, store_user_data=store_user_data)
    for record in records:
        doc = _doc(record)
        _annotate(doc, record, stats)
        stats.given += len(record.spans)
        if store_user_data and record.user_data:
            doc.user_data.update(record.user_data)
        add_to_docbin(docbin, doc, {label for _, _, label in record.spans})
    return docbin


def add_to_docbin(docbin: DocBin, doc: Doc, labels: Iterable[str]) -> None:
    """`DocBin.add(doc)` without its nine strings per token: a DocBin of ATTRS needs only its
    tokens' texts and the labels of its spans and ents (`labels`, all of them) in its string
    table, where DocBin.add also puts each token's tag, lemma, norm, morph, dependency and
    entity ids, which we never set (a tenth of an export's time, and a bigger file)."""
    import numpy
    import srsly
    from spacy.attrs import SPACY

    tokens = doc.to_array(docbin.attrs)  # ORTH first (DocBin puts it there)
    docbin.tokens.append(tokens)
    docbin.spaces.append(doc.to_array(SPACY).reshape((-1, 1)).astype(bool))
    docbin.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
    strings = doc.vocab.strings
    docbin.strings.update(strings[orth] for orth in numpy.unique(tokens[:, 0]).tolist())
    docbin.strings.update(labels)
    docbin.cats.append(doc.cats)
    if docbin.store_user_data:
        docbin.user_data.append(srsly.msgpack_dumps(doc.user_data))
    docbin.span_groups.append(doc.spans.to_bytes())


def _call_out_no_ents(stats: DocBinStats) -> None:
    """Count every span as dropped under NO_ENTS_REASON when spans were given but none
    became an entity."""
    if stats.given and not stats.ents:
        stats.dropped[NO_ENTS_REASON] += stats.given


def _doc(record: DocRecord) -> Doc:
    """The record's Doc: on its own tokens when it has them (no tokenizer runs), else tokenised
    by its language."""
    if record.tokens is None:
        ranges = [(start, end) for start, end, _ in record.spans]
        return tokenised(record.text, ranges, record.language)
    vocab = shared_blank(base_language(record.language)).vocab
    return _doc_of_tokens(vocab, record.text, record.tokens)


def _doc_of_tokens(vocab: Vocab, text: str, tokens: Tokenisation) -> Doc:
    """A Doc of exactly these tokens and sentences; whitespace between two tokens other than
    one space becomes a whitespace token, as spaCy's tokenizer makes it."""
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    starts: list[bool] = []
    sentence_starts = set(tokens.sentence_starts)
    position = 0
    for n, (start, end) in enumerate(zip(tokens.starts, tokens.ends, strict=True)):
        gap = text[position:start]
        if gap == " " and words:
            spaces[-1] = True
        elif gap:
            words.append(gap)
            spaces.append(False)
            starts.append(not words[:-1])
        words.append(text[start:end])
        spaces.append(False)
        starts.append(n in sentence_starts)
        position = end
    if position < len(text):
        words.append(text[position:])
        spaces.append(False)
        starts.append(False)
    if not sentence_starts:
        return Doc(vocab, words=words, spaces=spaces)
    return Doc(vocab, words=words, spaces=spaces, sent_starts=starts)


def _annotate(doc: Doc, record: DocRecord, stats: DocBinStats) -> None:
    """Align the record's spans to tokens, set spans['sc'] and doc.ents, count what changed."""
    from spacy.util import filter_spans

    aligned = {}
    for start, end, label in record.spans:
        span, how = char_span_aligned(doc, start, end, label, text=record.text)
        if span is None or how == DROPPED:
            stats.dropped[UNALIGNED_REASON] += 1
            continue
        grown = span.end_char - span.start_char - len(record.text[start:end].strip())
        if how == EXPANDED and grown > MAX_GROWTH:
            stats.errors.append(_growth_error(record, start, end, label, grown))
            continue
        if how in _ADJUSTED:
            stats.adjusted[_ADJUSTED[how]] += 1
        key = (span.start, span.end, label)
        if key in aligned:
            stats.dropped[DUPLICATE_REASON] += 1
        else:
            aligned[key] = span
    group = [aligned[key] for key in sorted(aligned)]
    doc.spans[SPANS_KEY] = group
    ents = filter_spans(group)
    doc.ents = ents
    stats.documents += 1
    stats.spans += len(group)
    stats.ents += len(ents)
    if len(group) > len(ents):
        stats.dropped[NOT_IN_ENTS_REASON] += len(group) - len(ents)
    if group:
        stats.longest_tokens = max(stats.longest_tokens, max(len(span) for span in group))


def _growth_error(record: DocRecord, start: int, end: int, label: str, grown: int) -> str:
    """The report's line for a span that would grow too much, named by the record's user data."""
    user = record.user_data or {}
    document, title = user.get("document_id", "?"), str(user.get("title", ""))
    return f"spacy: {growth_error(document, title, label, record.text, start, end, grown)}"


def read_docbin(data: bytes, *, lang: str = "en") -> list[DocRecord]:
    """The documents of a DocBin: text, spans from every span group and doc.ents (each
    (start, end, label) once, spans['sc'] first) and user data; ValueError when unreadable."""
    from spacy.tokens import DocBin

    nlp = shared_blank(lang)
    try:
        with cached_msgpack_registries():
            docbin = DocBin().from_bytes(data)
            docs = list(docbin.get_docs(nlp.vocab))
    except Exception as exc:  # zlib, msgpack, numpy and KeyError all mean "not a DocBin"
        raise ValueError(_reason(exc)) from None
    return [_record(doc) for doc in docs]


def _record(doc: Doc) -> DocRecord:
    keys = sorted(doc.spans, key=lambda key: (key != SPANS_KEY, key))
    groups = [doc.spans[key] for key in keys] + [doc.ents]
    spans = {(s.start_char, s.end_char, s.label_): None for group in groups for s in group}
    return DocRecord(doc.text, list(spans), dict(doc.user_data) or None, tokens=_tokens(doc))


def _tokens(doc: Doc) -> Tokenisation:
    """The doc's tokens (whitespace ones included) and, when it has them, its sentences."""
    starts = tuple(token.idx for token in doc)
    ends = tuple(token.idx + len(token.text) for token in doc)
    if not doc.has_annotation("SENT_START"):
        return Tokenisation(starts, ends)
    return Tokenisation(starts, ends, tuple(token.i for token in doc if token.is_sent_start))


def _reason(exc: Exception) -> str:
    """A one-line reason for a failed DocBin read, without internals' tracebacks."""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"not a spaCy DocBin (.spacy) file, or a damaged one: {detail[:200]}"
