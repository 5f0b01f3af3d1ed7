"""A CoNLL-2003 sample and a reader of CoNLL output, for tests of imported tokens."""

from __future__ import annotations

from pathlib import Path

CONLL = """-DOCSTART- -X- -X- O

EU NNP B-NP B-ORG
rejects VBZ B-VP O
German JJ B-NP B-MISC
call NN I-NP O
. . O O

The DT B-NP O
EU-wide JJ I-NP B-MISC
ban NN I-NP O
hit VBD B-VP O
U.S. NNP B-NP B-LOC
exports NNS I-NP O
. . O O

-DOCSTART- -X- -X- O

Peter NNP B-NP B-PER
Blackburn NNP I-NP I-PER

BRUSSELS NNP B-NP B-LOC
1996-08-22 CD I-NP O
"""


def conll_documents(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents as sentences of (token, tag): first and last columns, blank lines split."""
    documents: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in [*path.read_text("utf-8").splitlines(), ""]:
        fields = line.split()
        if not fields or fields[0] == "-DOCSTART-":
            if sentence:
                documents[-1].append(sentence)
                sentence = []
            if fields:
                documents.append([])
            continue
        sentence.append((fields[0], fields[-1]))
    return documents


def tokens_only(documents):
    """The same documents as sentences of token texts only."""
    return [[[token for token, _ in sentence] for sentence in doc] for doc in documents]
