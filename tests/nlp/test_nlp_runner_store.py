"""How a suggestion run stores: the rows it writes (emoji, CRLF, CJK offsets), one
transaction per group of documents, not one per batch, in a writer thread beside the matching."""

from __future__ import annotations

import gc
import threading

import pytest
from nlp_progress import RecordingProgress
from sqlalchemy import Engine, event

from annotator.nlp import runner
from annotator.nlp.lexicon import LexiconSuggester
from annotator.nlp.runner import suggest_documents

TEXTS = [
    "🚀 Baykar sold the TB2.\r\nBaykar TB2 again 🚀🚀 TB2",
    "中国 buyers met Baykar\r\n\r\nand the TB2 team.",
    "Nothing here.",
    "baykar tb2 and BAYKAR",
    "Saab 🚀 and Baykar, Saab.",
]
LEXICON = {"ACTOR": {"Baykar": 1, "Saab": 1, "TB2": 1}, "PLATFORM": {"TB2": 2}}
"""TB2 is suggested as a PLATFORM with a score of 2/3."""


@pytest.fixture
def corpus(project):
    ids = [next(iter(project.add_document(t, verbatim=True).documents)) for t in TEXTS]
    project.add_span(ids[0], "alice", "ACTOR", 2, 8)  # the first Baykar is marked already
    return ids


def stored_rows(project, ids):
    """Every pending suggestion as (text index, label, start, end, score, model, words)."""
    rows = []
    for n, doc_id in enumerate(ids):
        text = project.document(doc_id).text
        rows += [
            (n, s.label, s.start, s.end, s.score, s.model, text[s.start : s.end])
            for s in project.suggestions(doc_id)
        ]
    return rows


def test_a_run_stores_code_point_offsets_scores_and_models(project, corpus):
    report = suggest_documents(project.location, None, [LexiconSuggester(LEXICON)], batch_size=2)
    assert stored_rows(project, corpus) == [
        (0, "PLATFORM", 18, 21, 2 / 3, "lexicon", "TB2"),
        (0, "ACTOR", 24, 30, 1.0, "lexicon", "Baykar"),
        (0, "PLATFORM", 31, 34, 2 / 3, "lexicon", "TB2"),
        (0, "PLATFORM", 44, 47, 2 / 3, "lexicon", "TB2"),
        (1, "ACTOR", 14, 20, 1.0, "lexicon", "Baykar"),
        (1, "PLATFORM", 32, 35, 2 / 3, "lexicon", "TB2"),
        (3, "ACTOR", 0, 6, 1.0, "lexicon", "baykar"),
        (3, "PLATFORM", 7, 10, 2 / 3, "lexicon", "tb2"),
        (3, "ACTOR", 15, 21, 1.0, "lexicon", "BAYKAR"),
        (4, "ACTOR", 0, 4, 1.0, "lexicon", "Saab"),
        (4, "ACTOR", 11, 17, 1.0, "lexicon", "Baykar"),
        (4, "ACTOR", 19, 23, 1.0, "lexicon", "Saab"),
    ]
    assert report.stored["lexicon"] == 12 and report.documents == 5


@pytest.fixture
def commits():
    """How many transactions every engine commits while the test runs."""
    counted = []

    def count(_conn):
        counted.append(1)

    event.listen(Engine, "commit", count)
    yield counted
    event.remove(Engine, "commit", count)


def _commits_of_a_run(project, commits, **options):
    before = len(commits)
    suggest_documents(project.location, None, [LexiconSuggester(LEXICON)], redo=True, **options)
    return len(commits) - before


def test_a_group_of_documents_is_stored_in_one_transaction_whatever_the_batch_size(
    project, corpus, commits
):
    one_batch = _commits_of_a_run(project, commits, batch_size=5)
    assert _commits_of_a_run(project, commits, batch_size=1) == one_batch
    assert _commits_of_a_run(project, commits, batch_size=2) == one_batch


def test_groups_end_at_a_number_of_documents_or_an_amount_of_text(
    project, corpus, commits, monkeypatch
):
    one_group = _commits_of_a_run(project, commits, batch_size=2)
    monkeypatch.setattr(runner, "STORE_DOCUMENTS", 2)
    assert _commits_of_a_run(project, commits, batch_size=2) == one_group + 2  # 2 + 2 + 1
    monkeypatch.setattr(runner, "STORE_DOCUMENTS", 512)
    monkeypatch.setattr(runner, "STORE_CHARACTERS", 1)  # every document is a group of its own
    assert _commits_of_a_run(project, commits, batch_size=2) == one_group + 4
    expected = stored_rows(project, corpus)
    monkeypatch.undo()
    _commits_of_a_run(project, commits, batch_size=2)
    assert stored_rows(project, corpus) == expected


def test_a_cancel_stores_the_batches_done_of_the_group(project, corpus):
    progress = RecordingProgress(cancel_after=3)  # the start report, then two batches
    report = suggest_documents(
        project.location, None, [LexiconSuggester(LEXICON)], batch_size=2, progress=progress
    )
    assert report.cancelled and report.documents == 4
    assert [len(project.suggestions(i)) for i in corpus] == [4, 2, 0, 3, 0]
    with project.snapshot():
        ran = project.documents_with_suggestions("lexicon")
    assert ran == set(corpus[:4])


class _GroupWatch(LexiconSuggester):
    """The lexicon, noting the thread each call runs on and what the collector is doing."""

    def __init__(self) -> None:
        super().__init__(LEXICON)
        self.collecting: list[bool] = []
        self.second_group = threading.Event()

    def suggest(self, texts, progress=None):
        self.collecting.append(gc.isenabled())
        if len(self.collecting) > 1:
            self.second_group.set()
        return super().suggest(texts, progress)


def test_a_group_is_stored_in_another_thread_while_the_next_is_matched(
    project, corpus, monkeypatch
):
    monkeypatch.setattr(runner, "STORE_DOCUMENTS", 2)
    lexicon = _GroupWatch()
    storing = []
    store = runner._Run._store

    def wait_for_the_next_group(run, kept, lengths):
        storing.append(threading.current_thread() is threading.main_thread())
        # stored in the caller's thread, the first group would wait here for ever
        assert len(storing) > 1 or lexicon.second_group.wait(timeout=10)
        store(run, kept, lengths)

    monkeypatch.setattr(runner._Run, "_store", wait_for_the_next_group)
    report = suggest_documents(project.location, None, [lexicon], batch_size=2)
    assert storing == [False, False, False]  # groups of 2 + 2 + 1, none in the caller's thread
    assert report.stored["lexicon"] == len(stored_rows(project, corpus)) == 12
    assert lexicon.collecting == [False, False, False] and gc.isenabled()


def test_a_store_that_fails_in_the_writer_thread_fails_the_run(project, corpus, monkeypatch):
    monkeypatch.setattr(runner, "STORE_DOCUMENTS", 2)
    store = runner._Run._store
    groups = []

    def fail_the_second_group(run, kept, lengths):
        groups.append(kept)
        if len(groups) == 2:
            raise OSError("disk full")
        store(run, kept, lengths)

    monkeypatch.setattr(runner._Run, "_store", fail_the_second_group)
    with pytest.raises(OSError, match="disk full"):
        suggest_documents(project.location, None, [LexiconSuggester(LEXICON)], batch_size=2)
    assert len(groups) == 2  # the run stopped at the failure: the third group was never stored
    assert [len(project.suggestions(i)) for i in corpus] == [4, 2, 0, 0, 0]
    assert gc.isenabled()


def test_the_writer_is_given_the_texts_lengths_and_reads_no_text(project, corpus):
    """Reading rows back would take Python's lock from the matching once a row: the run hands
    the writer the lengths of the texts it read (an end at the very end of a text is kept)."""
    written = []

    def record(conn, cursor, statement, *rest):
        if threading.current_thread().name.startswith("suggestion-store"):
            written.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        suggest_documents(project.location, None, [LexiconSuggester(LEXICON)])
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert any("INTO suggestion " in statement for statement in written)
    assert not [statement for statement in written if "FROM document" in statement]
    assert (3, "ACTOR", 15, 21, 1.0, "lexicon", "BAYKAR") in stored_rows(project, corpus)
