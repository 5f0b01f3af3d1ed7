"""Import streams: documents are stored a batch at a time inside the one import transaction, a
JSONL file is read a line at a time, and what needs the whole input (bad lines, unknown labels,
repeats, near-duplicates) is still judged over all of it, all or nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core import importing
from annotator.core.errors import ImportFailed, UnknownLabels
from annotator.core.model import ImportedDocument, ImportedSpan
from annotator.io.importer import import_files
from annotator.io.readers.jsonl import iter_jsonl

BATCH = 3


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch):
    monkeypatch.setattr(importing, "_BATCH", BATCH)


def record(n: int, label: str = "ACTOR", text: str | None = None) -> dict[str, object]:
    text = text or f"Article {n}: Baykar 👍🏽 builds the TB{n}.\r\nمرحبا 北京"
    return {"text": text, "spans": [{"start": 0, "end": 7, "label": label}]}


def write(path: Path, records: list[object]) -> Path:
    lines = (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(project) -> tuple[int, int]:
    ids = project.document_ids()
    return len(ids), sum(map(len, project.spans_of_documents(ids).values()))


def test_batches_are_stored_before_the_rest_is_read(project, monkeypatch):
    """Each batch is stored when it is full, before the next documents are asked for, so the
    import never holds the whole corpus."""
    asked = 0
    asked_when_stored: list[int] = []
    store = importing._Import.add

    def add(self, documents):
        asked_when_stored.append(asked)
        store(self, documents)

    def documents() -> Iterator[ImportedDocument]:
        nonlocal asked
        for n in range(3 * BATCH + 1):
            asked += 1
            yield ImportedDocument(f"text {n}", f"doc {n}", "gen", verbatim=True)

    monkeypatch.setattr(importing._Import, "add", add)
    report = project.import_documents(documents())
    assert report.documents_added == 3 * BATCH + 1
    assert asked_when_stored == [BATCH, 2 * BATCH, 3 * BATCH, 3 * BATCH + 1]
    assert len(project.document_ids()) == 3 * BATCH + 1


def test_the_jsonl_reader_yields_each_document_as_its_line_is_read():
    consumed: list[bytes] = []

    def lines() -> Iterator[bytes]:
        for n in range(5):
            line = json.dumps(record(n)).encode() + b"\n"
            consumed.append(line)
            yield line

    documents = iter_jsonl(Path("in.jsonl"), lines(), [])
    first = next(documents)
    assert first.line == 1 and len(consumed) == 1
    assert [doc.line for doc in documents] == [2, 3, 4, 5]


def test_a_bad_line_late_in_the_file_stores_nothing_and_names_every_bad_line(project, tmp_path):
    good = [record(n) for n in range(4 * BATCH)]
    path = write(tmp_path / "big.jsonl", [*good, "{oops", *good[:2], {"text": 3}])
    before = counts(project)
    with pytest.raises(ImportFailed) as info:
        import_files(project, [path])
    assert [(e.line, e.reason.split(":")[0]) for e in info.value.errors] == [
        (4 * BATCH + 1, "invalid JSON"),
        (4 * BATCH + 4, '"text" must be a string, got a number (3)'),
    ]
    assert counts(project) == before == (0, 0)


def test_unknown_labels_over_every_batch_are_named_with_their_counts(project, tmp_path):
    records = [record(n, label="WEAPON" if n % 4 == 0 else "ACTOR") for n in range(4 * BATCH)]
    records.append(record(99, label="Vendor"))
    path = write(tmp_path / "labels.jsonl", records)
    with pytest.raises(UnknownLabels) as info:
        import_files(project, [path])
    assert [(u.name, u.spans, u.line) for u in info.value.labels] == [
        ("Vendor", 1, 4 * BATCH + 1),
        ("WEAPON", 3, 1),
    ]
    assert counts(project) == (0, 0)
    report = import_files(project, [path], add_labels=True).stored
    assert report.labels_added == ["WEAPON", "Vendor"]
    assert (report.documents_added, report.spans_added) == (4 * BATCH + 1, 4 * BATCH + 1)


def test_repeats_and_near_duplicates_across_batches_are_counted_once(project, tmp_path):
    first = record(1, text="Baykar builds the TB2 in Istanbul.")
    spaced = record(2, text="Baykar  builds the TB2\nin Istanbul.")
    fillers = [record(n) for n in range(10, 10 + 2 * BATCH)]
    path = write(tmp_path / "repeats.jsonl", [first, *fillers, first, spaced])
    report = import_files(project, [path]).stored
    assert report.documents_added == 2 * BATCH + 2
    assert report.documents_existing == 0
    assert (report.spans_added, report.spans_existing) == (2 * BATCH + 2, 0)
    assert len(report.document_ids) == 2 * BATCH + 2
    assert [(d.where, d.other_where) for d in report.near_duplicates] == [
        (f"{path}:{2 * BATCH + 3}", f"{path}:1")
    ]
    again = import_files(project, [path]).stored
    assert (again.documents_added, again.documents_existing) == (0, 2 * BATCH + 2)
    assert (again.spans_added, again.spans_existing) == (0, 2 * BATCH + 2)


def test_skip_bad_stores_none_of_a_bad_files_good_lines(project, tmp_path):
    bad = write(tmp_path / "a.jsonl", [*(record(n) for n in range(2 * BATCH)), "{oops"])
    good = write(tmp_path / "b.jsonl", [record(100), record(101)])
    result = import_files(project, [bad, good], skip_bad=True)
    assert [(e.path, e.line) for e in result.skipped] == [(str(bad), 2 * BATCH + 1)]
    assert [str(s) for s in result.per_file] == [f"{good}: 2 document(s), 2 span(s)"]
    assert counts(project) == (2, 2)


def test_spans_of_a_document_met_in_two_batches_are_stored_once(project):
    doc = ImportedDocument(
        "Baykar builds", "t", "s", spans=[ImportedSpan(0, 6, "ACTOR")], verbatim=True
    )
    other = [ImportedDocument(f"x {n}", "x", "s", verbatim=True) for n in range(BATCH)]
    copy = ImportedDocument(
        "Baykar builds", "t", "s", spans=[ImportedSpan(0, 6, "ACTOR")], verbatim=True
    )
    report = project.import_documents(iter([doc, *other, copy]))
    assert (report.documents_added, report.spans_added, report.spans_existing) == (4, 1, 0)


def test_progress_counts_kib_read_from_the_open_transaction_to_the_end(project, tmp_path):
    big = write(tmp_path / "a.jsonl", [record(n, text="x" * 3000 + f" {n}") for n in range(700)])
    small = write(tmp_path / "b.jsonl", [record(1)])
    reports: list[tuple[int, int]] = []

    class Recorder:
        def report(self, done: int, total: int) -> None:
            reports.append((done, total))

        def cancelled(self) -> bool:
            return False

    import_files(project, [big, small], progress=Recorder())
    total = -(-(big.stat().st_size + small.stat().st_size) // 1024)
    assert reports[0] == (0, total)
    assert reports[-1] == (total, total)
    assert len(reports) > 3  # within the big file too, not only at file ends
    assert [done for done, _ in reports] == sorted(done for done, _ in reports)
    assert {t for _, t in reports} == {total}
