"""The token exports' rules composed: whole grapheme clusters and CJK segmentation apply together
to tokenised documents, and a document's imported tokens win over both and over the project's
language."""

from __future__ import annotations

import json

from spacy.tokens import DocBin

from annotator.core.language import LANGUAGE_SETTING
from annotator.io.exporter import export
from annotator.io.importer import import_files
from annotator.nlp.loading import shared_blank

THUMB = "\U0001f44d\U0001f3fd"  # 👍🏽: one cluster, which spaCy's rules split
FLAG = "\U0001f1e6\U0001f1ff"  # 🇦🇿: one cluster, which spaCy's rules split
CJK_TEXT = f"无人机{THUMB}在巴库展出{FLAG}。"
CJK_TOKENS = ["无", "人", "机", THUMB, "在", "巴", "库", "展", "出", FLAG, "。"]
CONLL_ZH = """-DOCSTART- -X- O

阿塞拜疆 B-ACTOR
在 O
巴库 B-ACTOR
展出 O
无人机 O
。 O
"""


def export_tokens(project, tmp_path) -> dict[str, list[str]]:
    """The first document's tokens as the hf, conll and spacy exports of every layer write them."""
    hf = tmp_path / "out.jsonl"
    export(project, "hf", hf, layer="all")
    conll = tmp_path / "out.conll"
    export(project, "conll", conll, layer="all")
    spacy = tmp_path / "out.spacy"
    export(project, "spacy", spacy, layer="all")
    lines = conll.read_text("utf-8").splitlines()
    doc = next(iter(DocBin().from_disk(spacy).get_docs(shared_blank("en").vocab)))
    return {
        "hf": json.loads(hf.read_text("utf-8").splitlines()[0])["tokens"],
        "conll": [line.split()[0] for line in lines if line and not line.startswith("-DOCSTART-")],
        "spacy": [token.text for token in doc if not token.is_space],
    }


def test_a_cjk_document_with_emoji_gets_a_token_per_han_character_and_per_cluster(
    project, tmp_path
):
    project.set_setting(LANGUAGE_SETTING, "zh")
    doc = next(iter(project.add_document(CJK_TEXT, title="cjk", verbatim=True).documents))
    start = CJK_TEXT.index("巴库")
    project.add_span(doc, "alice", "ACTOR", start, start + 2)
    tokens = export_tokens(project, tmp_path)
    assert tokens == {"hf": CJK_TOKENS, "conll": CJK_TOKENS, "spacy": CJK_TOKENS}


def test_imported_tokens_win_over_the_project_language(project, tmp_path):
    given = tmp_path / "in.conll"
    given.write_text(CONLL_ZH, "utf-8")
    import_files(project, [given], add_labels=True)
    project.set_setting(LANGUAGE_SETTING, "zh")
    expected = [line.split()[0] for line in CONLL_ZH.splitlines()[2:]]
    assert export_tokens(project, tmp_path) == {
        "hf": expected,
        "conll": expected,
        "spacy": expected,
    }
