"""QtOffsets against a real QTextDocument / QPlainTextEdit: positions, lengths, selected text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("PySide6")

from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit

from annotator.core.offsets import QtOffsets, selection_to_span

EXAMPLE = "Baykar 🚀 sold TB2\r\nto Azerbaïjan and e\u0301lite 👨‍👩‍👧 forces; 𝔘nicode Kaan."

ATOMS = [
    "a", "Z", " ", "\t", "🚀", "👨‍👩‍👧", "🇦🇿", "👍🏽", "e\u0301", "\u200d", "\r\n", "\r", "\n",
    "سلام", "שלום", "漢字", "\u00a0", "\u2028", "\u2029", "\ufeff", "𝔘",
]  # fmt: skip
texts = st.lists(st.sampled_from(ATOMS), max_size=20).map("".join)


def as_selected_text(s: str) -> str:
    """What QTextCursor.selectedText returns for stored text s: every block break is U+2029."""
    return s.replace("\r\n", "\u2029").replace("\r", "\u2029").replace("\n", "\u2029")


def valid_cps(text: str) -> list[int]:
    """Code points that round-trip: not the LF of a CRLF, not within or after leading BOMs."""
    boms = len(text) - len(text.lstrip("\ufeff"))
    return [
        i
        for i in range(len(text) + 1)
        if text[max(i - 1, 0) : i + 1] != "\r\n" and not 0 < i <= boms
    ]


def select(doc: QTextDocument, q_start: int, q_end: int) -> QTextCursor:
    """A cursor selecting Qt positions [q_start, q_end)."""
    cursor = QTextCursor(doc)
    cursor.setPosition(q_start)
    cursor.setPosition(q_end, QTextCursor.MoveMode.KeepAnchor)
    return cursor


@settings(max_examples=60, deadline=None)
@given(texts, st.data())
def test_positions_match_a_real_document(qapp, text, data):
    conv = QtOffsets(text)
    shown_texts = [conv.display_text()]
    if not text.startswith("\ufeff\ufeff"):  # PySide drops one leading BOM, not all of them
        shown_texts.append(text)
    for shown in shown_texts:  # raw and display text give the same positions
        doc = QTextDocument()
        doc.setPlainText(shown)
        assert doc.characterCount() - 1 == conv.qt_length
    cps = valid_cps(text)
    for _ in range(5):
        a, b = sorted(data.draw(st.sampled_from(cps)) for _ in range(2))
        cursor = select(doc, conv.to_qt(a), conv.to_qt(b))
        expected = as_selected_text(text[a:b].lstrip("\ufeff") if a == 0 else text[a:b])
        assert cursor.selectedText() == expected
        span = conv.selection_to_span(cursor.selectionStart(), cursor.selectionEnd())
        assert (span is None) == (text[a:b].replace("\ufeff", "").strip() == "")


def test_example_in_a_plain_text_edit(qapp):
    conv = QtOffsets(EXAMPLE)
    edit = QPlainTextEdit()
    edit.setPlainText(conv.display_text())
    doc = edit.document()
    assert doc.characterCount() - 1 == conv.qt_length == 75
    found = doc.find("Kaan")
    assert (found.selectionStart(), found.selectionEnd()) == (70, 74)
    assert conv.to_qt(EXAMPLE.index("Kaan")) == 70
    assert selection_to_span(EXAMPLE, found.selectionStart(), found.selectionEnd()) == (66, 70)
    elite = doc.find("e\u0301lite")
    span = selection_to_span(EXAMPLE, elite.selectionStart(), elite.selectionEnd())
    assert span is not None and EXAMPLE[span[0] : span[1]] == "e\u0301lite"


def test_qt_rewrites_only_what_the_converter_expects(qapp):
    text = "\ufeffa\r\nb\rc\u00a0d\u2028e🚀"
    conv = QtOffsets(text)
    doc = QTextDocument()
    doc.setPlainText(text)
    assert doc.characterCount() - 1 == conv.qt_length == 11
    assert doc.toPlainText() == "a\nb\nc d\ne🚀"  # NBSP and U+2028 rewritten in toPlainText only
    assert doc.toRawText() == "a\u2029b\u2029c\u00a0d\u2028e🚀"
