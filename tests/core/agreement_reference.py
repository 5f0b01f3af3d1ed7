"""The agreement computation as it was before it worked on segments (token by token, pair by
pair): the oracle that tests/core/test_agreement_equivalence.py compares compute_agreement with."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import combinations
from statistics import fmean

from annotator.core.agreement import (
    NONE,
    AgreementReport,
    DocumentAgreement,
    DocumentLayers,
    PairAgreement,
)
from annotator.core.agreement_relations import relation_counts
from annotator.core.agreement_spans import EXACT, OVERLAP, MatchCounts, match_counts
from annotator.core.agreement_tokens import (
    OUTSIDE,
    AlphaTally,
    cohen_kappa,
    token_labels,
    tokenize,
)


def reference_agreement(
    documents: Iterable[DocumentLayers], annotators: Sequence[str]
) -> AgreementReport:
    """compute_agreement as of main 0587269, without progress."""
    names = tuple(annotators)
    pairs = list(combinations(names, 2))
    spans: dict[tuple[tuple[str, str], str], dict[str, MatchCounts]] = {
        (p, m): {} for p in pairs for m in (EXACT, OVERLAP)
    }
    relations: dict[tuple[str, str], dict[str, MatchCounts]] = {p: {} for p in pairs}
    tokens: dict[tuple[str, str], Counter[tuple[str, str]]] = {p: Counter() for p in pairs}
    alpha, ranked, count, units = AlphaTally(), [], 0, 0
    for doc in documents:
        count += 1
        words = tokenize(doc.text)
        marked: dict[str, set[int]] = {name: set() for name in names}
        columns = {
            name: token_labels(words, doc.layers.get(name, ()), marked[name]) for name in names
        }
        alpha.add([columns[name] for name in names], set().union(*marked.values()))
        units += len(words)
        f1s, kappas = [], []
        for a, b in pairs:
            counts = match_counts(doc.layers.get(a, ()), doc.layers.get(b, ()))
            _add(spans[(a, b), EXACT], counts[EXACT])
            _add(spans[(a, b), OVERLAP], counts[OVERLAP])
            f1s.append(sum(counts[OVERLAP].values(), MatchCounts()).f1)
            _add(
                relations[a, b], relation_counts(doc.relations.get(a, ()), doc.relations.get(b, ()))
            )
            doc_tokens = Counter((columns[a][i], columns[b][i]) for i in marked[a] | marked[b])
            if len(words) > len(marked[a] | marked[b]):
                doc_tokens[OUTSIDE, OUTSIDE] += len(words) - len(marked[a] | marked[b])
            tokens[a, b].update(doc_tokens)
            kappas.append(cohen_kappa(doc_tokens))
        defined = [k for k in kappas if k is not None]
        ranked.append(
            DocumentAgreement(
                doc.id,
                doc.title,
                fmean(1.0 if f is None else f for f in f1s) if f1s else 1.0,
                fmean(defined) if defined else None,
                sum(len(spans) for spans in doc.layers.values()),
            )
        )
    ranked.sort(key=lambda d: (d.overlap_f1, 1.0 if d.kappa is None else d.kappa, d.id))
    matrix: Counter[tuple[str, str]] = Counter()
    for pair_counts in tokens.values():
        for (x, y), n in pair_counts.items():
            x, y = (NONE if x == OUTSIDE else x), (NONE if y == OUTSIDE else y)
            matrix[x, y] += n
            matrix[y, x] += n
    return AgreementReport(
        annotators=names,
        documents=count,
        units=units,
        alpha=alpha.alpha,
        pairs=[
            PairAgreement(
                a,
                b,
                dict(sorted(spans[(a, b), EXACT].items())),
                dict(sorted(spans[(a, b), OVERLAP].items())),
                cohen_kappa(tokens[a, b]),
                units,
                dict(sorted(relations[a, b].items())),
            )
            for a, b in pairs
        ],
        confusion=dict(sorted(matrix.items())),
        ranked=ranked,
    )


def _add(total: dict[str, MatchCounts], counts: dict[str, MatchCounts]) -> None:
    for label, more in counts.items():
        total[label] = total.get(label, MatchCounts()) + more
