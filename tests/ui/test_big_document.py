"""A document with many spans: colours only for the blocks in view, edits applied incrementally
(the highlights after an edit are those of a fresh view; list rows inserted, not reset)."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from PySide6.QtGui import QColor

from annotator.core.commands import AddSpanCommand, RelabelSpanCommand, RemoveSpanCommand
from annotator.core.intervals import SpanIndex
from annotator.core.model import Document, ImportedDocument, Span
from annotator.core.settings import Settings
from annotator.ui.article_view import ArticleView
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace

PARAGRAPH = (
    "Baykar 🚀 sold the TB2\r\nto 日本語 Azerbaïjan 👨‍👩‍👧 forces; e\u0301lite 𝔘nicode Kaan.\r\n"
)
TEXT = PARAGRAPH * 120
LABELS = ("ACTOR", "PLATFORM", "MOTIVATION")
TINTS = {"ACTOR": QColor("#E69F00"), "PLATFORM": QColor("#56B4E9"), "MOTIVATION": QColor("#009E73")}


def dense_spans(count: int, seed: int) -> list[Span]:
    """Overlapping and nested spans, some across line breaks, all over TEXT."""
    rng = random.Random(seed)
    spans = []
    for n in range(1, count + 1):
        start = rng.randrange(len(TEXT) - 90)
        spans.append(Span(n, 1, "alice", rng.choice(LABELS), start, start + rng.randint(1, 90)))
    return spans


def view_of(qtbot, spans) -> ArticleView:
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    with qtbot.waitExposed(view):
        view.show()
    view.show_document(Document(1, "t", "", TEXT, "0" * 64), spans, TINTS)
    view.viewport().repaint()
    return view


def scroll(view: ArticleView, fraction: float) -> None:
    bar = view.verticalScrollBar()
    bar.setValue(round(bar.maximum() * fraction))
    view.viewport().repaint()


def colours(view: ArticleView, number: int) -> list[tuple]:
    """(start, length, colours) of each highlight range in a block (stripes: every stop)."""
    found = []
    for fmt in view.document().findBlockByNumber(number).layout().formats():
        brush = fmt.format.background()
        gradient = brush.gradient()
        paint = [c.name() for _, c in gradient.stops()] if gradient else [brush.color().name()]
        found.append((fmt.start, fmt.length, tuple(paint)))
    return found


def test_only_the_blocks_in_view_are_coloured_until_scrolled_to(qtbot):
    spans = dense_spans(900, 1)
    view = view_of(qtbot, spans)
    last = view.document().blockCount() - 2  # the last block is the empty one after the final \n
    assert colours(view, 0)
    assert colours(view, last) == []  # far below the viewport: not coloured yet
    scroll(view, 1.0)
    assert colours(view, last)
    reference = view_of(qtbot, spans)
    scroll(reference, 1.0)
    assert colours(view, last) == colours(reference, last)


def test_edits_recolour_exactly_like_a_fresh_view(qtbot):
    spans = dense_spans(900, 2)
    view = view_of(qtbot, spans)
    places = (0.0, 0.5, 1.0, 0.25)
    for place in places:
        scroll(view, place)
    final = SpanIndex(spans)
    rng = random.Random(5)
    for n in range(60):
        kind = n % 3
        if kind == 0:  # add, often across a line break
            start = rng.randrange(len(TEXT) - 80)
            new = Span(10_000 + n, 1, "alice", rng.choice(LABELS), start, start + 70)
            final.add(new)
            view.update_spans([new], [])
        elif kind == 1:  # relabel
            old = final[rng.randrange(len(final))]
            changed = replace(old, label=next(x for x in LABELS if x != old.label))
            final.add(changed)
            view.update_spans([changed], [])
        else:  # remove
            old = final[rng.randrange(len(final))]
            final.remove(old.id)
            view.update_spans([], [old.id])
        view.viewport().repaint()
    reference = view_of(qtbot, list(final))
    for place in places:
        scroll(reference, place)
    blocks = range(view.document().blockCount())
    assert [colours(view, n) for n in blocks] == [colours(reference, n) for n in blocks]
    assert sum(1 for n in blocks if colours(view, n)) > 20  # many blocks were compared


@pytest.fixture
def window(qtbot, project):
    project.import_documents([ImportedDocument(TEXT, "Big", verbatim=True)])
    for span in dense_spans(400, 3):
        project.add_span(1, "alice", span.label, span.start, span.end)
    win = MainWindow(
        Workspace(project, "alice"), Settings(snap_to_words=False, auto_suggest=False), print
    )
    qtbot.addWidget(win)
    with qtbot.waitExposed(win):
        win.show()
    win.workspace.open_document(1)
    return win


def test_an_edit_reads_only_the_spans_it_changed_and_updates_the_list_in_place(
    qtbot, window, monkeypatch
):
    ws, project = window.workspace, window.workspace.project
    stored = project.spans  # the truth, read before any spy
    reads: list[str] = []
    for name in ("spans", "span_layer"):
        real = getattr(project, name)
        monkeypatch.setattr(project, name, lambda *a, _n=name, _r=real: reads.append(_n) or _r(*a))
    model = window.span_list.model
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))

    def untimed(span: Span) -> Span:  # the listed layer is read without timestamps
        return replace(span, created_at=None, updated_at=None)

    def check() -> None:
        truth = stored(1, "alice")
        rows = [model.span_at(r) for r in range(model.rowCount())]
        assert list(map(untimed, rows)) == list(map(untimed, truth))
        assert sorted(s.id for s in window.article.index) == sorted(s.id for s in truth)

    assert ws.execute(AddSpanCommand(1, "alice", "ACTOR", 5, 95))
    added = ws.layer.get(max(s.id for s in stored(1, "alice")))
    check()
    assert ws.execute(RelabelSpanCommand(added.id, label="PLATFORM"))
    check()
    assert model.span_at(model.row_of(added.id)).label == "PLATFORM"
    assert ws.execute(RemoveSpanCommand(added.id))
    check()
    ws.undo_stack.undo()
    check()
    assert reads == [] and resets == []
