"""Import and export from the desktop app, with every dialog stubbed."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from annotator.core.errors import Cancelled, ImportFailed
from annotator.core.importing import ImportReport
from annotator.core.layers import ALL, GOLD, MAJORITY
from annotator.core.project.store import WRITE_LOCK
from annotator.io.importer import FileImportReport
from annotator.ui import export_dialog, file_tasks, import_controller
from annotator.ui.export_dialog import ExportController, ExportDialog, ExportOptions
from annotator.ui.import_controller import ImportController, import_file_filter
from annotator.ui.workspace import Workspace

WAIT_MS = 10_000
YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


@pytest.fixture
def workspace(project):
    return Workspace(project, "alice")


@pytest.fixture
def dialogs(monkeypatch):
    """Record (and answer) every message box the controllers show."""
    seen: dict[str, list] = {"errors": [], "info": [], "questions": []}
    answers = {"question": YES}

    def fake_show_error(parent, title, error):
        seen["errors"].append((title, error))
        return QMessageBox.StandardButton.Ok

    def fake_inform(parent, title, text):
        seen["info"].append((title, text))

    def fake_ask(parent, title, text):
        seen["questions"].append((title, text))
        return answers["question"] == YES

    for module in (file_tasks, import_controller, export_dialog):
        monkeypatch.setattr(module, "show_error", fake_show_error)
    for module in (import_controller, export_dialog):
        monkeypatch.setattr(module, "inform", fake_inform)
        monkeypatch.setattr(module, "ask", fake_ask)
    seen["answers"] = answers  # type: ignore[assignment]
    return seen


@pytest.fixture
def mixed_folder(tmp_path):
    """One good text file and one JSONL file with a broken line."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "good.txt").write_text("Baykar builds the TB2 drone.\n", encoding="utf-8")
    (folder / "bad.jsonl").write_text('{"text": "fine"}\n{"text": \n', encoding="utf-8")
    return folder


def test_a_bad_file_stops_the_import_then_skipping_imports_the_good_one(
    qtbot, workspace, runner, dialogs, mixed_folder, monkeypatch
):
    project = workspace.project
    counts_at_question = []
    real_ask = import_controller.ask

    def ask(*args):
        counts_at_question.append(project.count_documents())
        return real_ask(*args)

    monkeypatch.setattr(import_controller, "ask", ask)
    changes = []
    workspace.changes_applied.connect(changes.append)
    controller = ImportController(workspace, runner)
    with qtbot.waitSignal(controller.imported, timeout=WAIT_MS) as blocker:
        first = controller.import_paths([mixed_folder])

    title, error = dialogs["errors"][0]
    assert title == "Import Failed" and isinstance(error, ImportFailed)
    assert [(e.path, e.line) for e in error.errors] == [(str(mixed_folder / "bad.jsonl"), 2)]
    assert counts_at_question == [0], "the failed import must store nothing"
    assert dialogs["questions"][0][1] == "Import the 1 good file and skip the bad ones?"
    assert isinstance(first.error, ImportFailed)

    report = blocker.args[0]
    assert report.stored.documents_added == 1
    assert [e.line for e in report.skipped] == [2]
    assert project.count_documents() == 1
    assert [d.text for d in project.iter_documents()] == ["Baykar builds the TB2 drone.\n"]
    summary_title, summary = dialogs["info"][-1]
    assert summary_title == "Import Finished"
    assert "1 added, 0 already present" in summary and "Skipped 1 file" in summary
    assert changes and changes[-1].documents == frozenset(report.stored.document_ids)


def test_declining_to_skip_leaves_the_database_unchanged(
    qtbot, workspace, runner, dialogs, mixed_folder
):
    dialogs["answers"]["question"] = NO
    controller = ImportController(workspace, runner)
    handle = controller.import_paths([mixed_folder])
    with qtbot.waitSignal(handle.finished, timeout=WAIT_MS):
        pass
    assert len(dialogs["questions"]) == 1
    assert controller.handle is handle, "no second import was started"
    assert workspace.project.count_documents() == 0
    assert dialogs["info"] == []


def test_reimport_reports_documents_already_present(qtbot, workspace, runner, dialogs, tmp_path):
    (tmp_path / "a.txt").write_text("Same text.", encoding="utf-8")
    controller = ImportController(workspace, runner)
    for _ in range(2):
        with qtbot.waitSignal(controller.imported, timeout=WAIT_MS) as blocker:
            controller.import_paths([tmp_path / "a.txt"])
    stored = blocker.args[0].stored
    assert (stored.documents_added, stored.documents_existing) == (0, 1)
    assert "0 added, 1 already present" in dialogs["info"][-1][1]


def test_import_folder_uses_the_folder_dialog_and_remembers_it(
    qtbot, workspace, runner, dialogs, tmp_path, monkeypatch
):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "one.md").write_text("# One\n\nBody.", encoding="utf-8")
    asked = []

    def fake_dir(parent, caption, start, *args):
        asked.append(start)
        return str(folder)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", fake_dir)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    controller = ImportController(workspace, runner, settings=settings)
    with qtbot.waitSignal(controller.imported, timeout=WAIT_MS):
        controller.import_folder()
    assert controller.last_dir == str(folder)
    assert settings.value("import/last_dir") == str(folder)
    assert ImportController(workspace, runner, settings=settings).last_dir == str(folder)
    assert workspace.project.count_documents() == 1


def test_import_files_offers_a_filter_per_format(
    qtbot, workspace, runner, dialogs, tmp_path, monkeypatch
):
    path = tmp_path / "note.txt"
    path.write_text("A note.", encoding="utf-8")
    filters = []

    def fake_open(parent, caption, start, file_filter, *args):
        filters.append(file_filter)
        return [str(path)], file_filter.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", fake_open)
    controller = ImportController(workspace, runner)
    with qtbot.waitSignal(controller.imported, timeout=WAIT_MS):
        controller.import_files()
    entries = filters[0].split(";;")
    assert entries[0].startswith("All supported files (") and "*.jsonl" in entries[0]
    assert "JSON Lines (*.jsonl *.ndjson)" in entries
    assert entries[-1] == "All files (*)"
    assert filters[0] == import_file_filter()
    assert controller.last_dir == str(tmp_path)


def test_cancelled_dialogs_import_nothing(workspace, runner, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a: ([], ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: "")
    controller = ImportController(workspace, runner)
    assert controller.import_files() is None and controller.import_folder() is None
    assert runner.active() == []


def test_read_only_workspace_refuses_to_import(project, runner, dialogs, mixed_folder):
    controller = ImportController(Workspace(project, "alice", read_only=True), runner)
    assert controller.import_paths([mixed_folder]) is None
    assert "read-only" in dialogs["errors"][0][1]
    assert runner.active() == []


def test_a_cancelled_import_says_nothing_was_stored(qtbot, workspace, runner, dialogs, tmp_path):
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    controller = ImportController(workspace, runner)
    with WRITE_LOCK:  # another writer is busy: the import waits, and the user cancels
        handle = controller.import_paths([tmp_path / "a.txt"])
        with qtbot.waitSignal(handle.finished, timeout=WAIT_MS):
            handle.cancel()
    title, error = dialogs["errors"][0]
    assert title == "Import Cancelled"
    assert isinstance(error, Cancelled) and "nothing was stored" in str(error)
    assert workspace.project.count_documents() == 0


# -- export ----------------------------------------------------------------------------


@pytest.fixture
def annotated(project):
    """A project with one document and one span by alice."""
    doc_id = next(iter(project.add_document("Baykar builds the TB2.").documents))
    label = project.labels()[0].name
    project.add_span(doc_id, "alice", label, 0, 6)
    return project, label


def _stub_save(monkeypatch, path):
    calls = []

    def fake_save(parent, caption, start, file_filter, *args):
        calls.append((start, file_filter, args))
        return str(path), file_filter.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    return calls


def _select_layer(dialog: ExportDialog, layer: str) -> None:
    dialog.layer_combo.setCurrentIndex(dialog.layer_combo.findData(layer))


def test_export_dialog_writes_jsonl(qtbot, annotated, runner, dialogs, tmp_path, monkeypatch):
    project, label = annotated
    out = tmp_path / "out.jsonl"
    calls = _stub_save(monkeypatch, out)
    controller = ExportController(Workspace(project, "alice"), runner)
    dialog = controller.open_dialog()
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.browse_button.click()
    assert dialog.path_edit.text() == str(out) and ok.isEnabled()
    assert calls[0][2][-1] == QFileDialog.Option.DontConfirmOverwrite
    _select_layer(dialog, "alice")
    with qtbot.waitSignal(controller.exported, timeout=WAIT_MS) as blocker:
        ok.click()
    report = blocker.args[0]
    assert report.documents == 1 and report.path == out
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records[0]["text"] == "Baykar builds the TB2."
    assert records[0]["spans"] == [{"start": 0, "end": 6, "label": label}]
    assert records[0]["annotator"] == "alice"
    assert dialogs["info"][-1] == (
        "Export Finished",
        f"Exported 1 document to {out}.\nSpans: ACTOR 1.",
    )
    assert controller.last_dir == str(tmp_path)


def test_export_asks_before_replacing_a_file(
    qtbot, annotated, runner, dialogs, tmp_path, monkeypatch
):
    project, _ = annotated
    out = tmp_path / "existing.jsonl"
    out.write_text('{"text": "an earlier export"}\n', encoding="utf-8")
    _stub_save(monkeypatch, out)
    controller = ExportController(Workspace(project, "alice"), runner)
    dialog = controller.open_dialog()
    qtbot.addWidget(dialog)

    dialogs["answers"]["question"] = NO
    dialog.browse_button.click()
    assert dialog.path_edit.text() == "", "declined: the path is not taken"

    dialogs["answers"]["question"] = YES
    dialog.browse_button.click()
    assert dialog.path_edit.text() == str(out)
    assert dialog.options().overwrite is True
    assert dialogs["questions"][-1][1] == "existing.jsonl already exists. Replace it?"
    with qtbot.waitSignal(controller.exported, timeout=WAIT_MS):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert len(dialogs["questions"]) == 2, "no second question on OK"
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["text"]


def test_typed_existing_path_is_confirmed_on_ok(qtbot, annotated, runner, dialogs, tmp_path):
    project, _ = annotated
    out = tmp_path / "typed.jsonl"
    out.write_text('{"text": "old"}\n', encoding="utf-8")
    dialogs["answers"]["question"] = NO
    dialog = ExportDialog(Workspace(project, "alice"))
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(out))
    dialog.accept()
    assert dialog.result() != ExportDialog.DialogCode.Accepted
    assert len(dialogs["questions"]) == 1
    assert out.read_text(encoding="utf-8") == '{"text": "old"}\n'


def test_what_is_not_an_earlier_export_is_refused_with_the_reason_and_never_asked(
    qtbot, annotated, dialogs, tmp_path, monkeypatch
):
    project, _ = annotated
    thesis = tmp_path / "thesis.jsonl"
    thesis.write_text("\\chapter{One}\n", encoding="utf-8")
    mine = tmp_path / "mydir"
    mine.mkdir()
    (mine / "thesis.tex").write_text("\\chapter{One}")
    dialogs["answers"]["question"] = YES
    dialog = ExportDialog(Workspace(project, "alice"))
    qtbot.addWidget(dialog)
    for fmt, out, reason in [
        ("jsonl", thesis, "is not an earlier jsonl export"),
        ("jsonl", project.path, "is the open project file; an export never replaces it"),
        ("brat", project.path.parent, f"holds the open project {project.path.name}"),
        ("brat", mine, "not a folder written by an annotator export"),
    ]:
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(fmt))
        dialog.path_edit.setText(str(out))
        dialog.accept()
        assert dialog.result() != ExportDialog.DialogCode.Accepted
        title, message = dialogs["errors"][-1]
        assert title == "Export" and message.startswith(f"{out}: {reason}"), message
        if fmt == "jsonl":  # picked in the file dialog: refused the same way, path not taken
            dialog.path_edit.clear()
            _stub_save(monkeypatch, out)
            dialog.browse_button.click()
            assert dialog.path_edit.text() == "" and dialogs["errors"][-1] == (title, message)
    assert dialogs["questions"] == []
    assert thesis.read_text(encoding="utf-8") == "\\chapter{One}\n"
    assert [p.name for p in mine.iterdir()] == ["thesis.tex"]


def test_layer_choices_and_export_errors_reach_the_error_dialog(
    qtbot, annotated, runner, dialogs, tmp_path
):
    project, _ = annotated
    project.add_span(1, "bob", project.labels()[0].name, 7, 13)
    controller = ExportController(Workspace(project, "alice"), runner)
    dialog = ExportDialog(Workspace(project, "alice"))
    qtbot.addWidget(dialog)
    texts = [dialog.layer_combo.itemText(i) for i in range(dialog.layer_combo.count())]
    assert texts == ["All annotators", "Me (alice)", "Gold", "Majority", "Suggestions", "bob"]
    gold_index = dialog.layer_combo.findData(GOLD)
    assert not dialog.layer_combo.model().item(gold_index).isEnabled()
    assert dialog.format_combo.currentData() == "jsonl"
    # two annotators, no gold: no layer is the default, the dialog asks for one
    assert dialog.layer_combo.currentIndex() == -1
    assert dialog.layer_combo.placeholderText() == "Choose a layer"

    options = ExportOptions("jsonl", tmp_path / "gold.jsonl", layer=GOLD)
    handle = controller.run(options)
    with qtbot.waitSignal(handle.finished, timeout=WAIT_MS):
        pass
    title, error = dialogs["errors"][0]
    assert title == "Export Failed" and "no gold layer" in str(error)
    assert not (tmp_path / "gold.jsonl").exists()


def test_my_layer_is_greyed_with_the_reason_until_i_mark_a_span(qtbot, annotated):
    project, _ = annotated  # alice's spans only: carol has none, so no layer to export yet
    dialog = ExportDialog(Workspace(project, "carol"))
    qtbot.addWidget(dialog)
    mine = dialog.layer_combo.findData("carol")
    assert dialog.layer_combo.itemText(mine) == "Me (carol)"
    assert not dialog.layer_combo.model().item(mine).isEnabled()
    tip = dialog.layer_combo.itemData(mine, Qt.ItemDataRole.ToolTipRole)
    assert tip == "carol has marked no span yet"
    project.add_span(1, "carol", project.labels()[0].name, 7, 13)
    dialog = ExportDialog(Workspace(project, "carol"))
    qtbot.addWidget(dialog)
    assert dialog.layer_combo.model().item(dialog.layer_combo.findData("carol")).isEnabled()


def test_the_dialog_opens_on_the_layer_export_takes_without_layer(qtbot, annotated, tmp_path):
    project, _ = annotated  # alice's spans only: her layer
    dialog = ExportDialog(Workspace(project, "bob"))
    qtbot.addWidget(dialog)
    assert dialog.layer_combo.currentData() == "alice"
    project.add_span(1, "bob", project.labels()[0].name, 7, 13)
    project.set_gold("bob")
    dialog = ExportDialog(Workspace(project, "alice"))
    qtbot.addWidget(dialog)
    assert dialog.layer_combo.currentData() == GOLD
    majority = dialog.layer_combo.findData(MAJORITY)
    tip = dialog.layer_combo.itemData(majority, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Majority: the spans (same label, start and end) marked by more than")


def test_without_a_default_layer_ok_asks_for_one_and_exports_nothing(
    qtbot, annotated, dialogs, tmp_path
):
    project, _ = annotated
    project.add_span(1, "bob", project.labels()[0].name, 7, 13)
    dialog = ExportDialog(Workspace(project, "alice"))
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "out.jsonl"))
    dialog.accept()
    ((title, error),) = dialogs["errors"]
    assert title == "Export" and str(error).startswith("Choose the layer to export")
    assert dialog.result() != dialog.DialogCode.Accepted
    dialog.layer_combo.setCurrentIndex(dialog.layer_combo.findData(ALL))
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.options().layer == ALL and not (tmp_path / "out.jsonl").exists()


def test_export_dialog_splits_into_a_folder_with_chosen_labels(
    qtbot, workspace, runner, tmp_path, dialogs
):
    for n in range(10):
        doc = next(iter(workspace.project.add_document(f"Doc {n}: Baykar TB2").documents))
        workspace.project.add_span(doc, "alice", "ACTOR", 7, 13)
        workspace.project.add_span(doc, "alice", "PLATFORM", 14, 17)
    dialog = ExportDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.labels_list.item(1).setCheckState(Qt.CheckState.Unchecked)  # no PLATFORM
    dialog.split_check.setChecked(True)
    dialog.split_edit.setText("0.6,0.2,0.2")
    dialog.seed_spin.setValue(5)
    dialog.path_edit.setText(str(tmp_path / "corpus"))
    dialog.accept()
    options = dialog.options()
    assert (options.labels, options.split, options.seed) == (
        ("ACTOR", "MOTIVATION"),
        (0.6, 0.2, 0.2),
        5,
    )
    handle = ExportController(workspace, runner).run(options)
    with qtbot.waitSignal(handle.finished, timeout=10000):
        pass
    lines = (tmp_path / "corpus" / "train.jsonl").read_text().splitlines()
    assert len(lines) == 6 and "PLATFORM" not in "".join(lines)


def test_export_formats_are_offered_by_their_names(qtbot, annotated):
    project, _ = annotated
    dialog = ExportDialog(Workspace(project, "alice"))
    qtbot.addWidget(dialog)
    combo = dialog.format_combo
    offered = {combo.itemData(i): combo.itemText(i) for i in range(combo.count())}
    assert offered["spacy"] == "spaCy training data (DocBin)"
    assert offered["xmi"] == "UIMA CAS XMI for INCEpTION (folder)"
    assert all(f"({fmt})" not in text and text != fmt for fmt, text in offered.items())
    assert len(set(offered.values())) == len(offered)


def test_import_summary_names_what_each_file_left_out(tmp_path):
    from annotator.io.importer import FileSummary

    notes = ["2 rejected, 1 ignored examples skipped"]
    per_file = [
        FileSummary(tmp_path / "ner_news.jsonl", 3, 5, notes),
        FileSummary(tmp_path / "plain.txt", 1, 0),
    ]
    report = FileImportReport(ImportReport(documents_added=4), [], [], per_file)
    summary = import_controller.import_summary(report)
    assert "ner_news.jsonl: 2 rejected, 1 ignored examples skipped" in summary
    assert "plain.txt" not in summary


@pytest.fixture
def weapons(tmp_path):
    """A JSONL file whose spans carry WEAPON, a label the project lacks, and `actor`."""
    path = tmp_path / "weapons.jsonl"
    record = {
        "text": "Baykar sold drones.",
        "spans": [
            {"start": 0, "end": 6, "label": "actor"},
            {"start": 12, "end": 18, "label": "WEAPON"},
        ],
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def test_unknown_labels_refuse_the_import_then_yes_adds_them(
    qtbot, workspace, runner, dialogs, weapons, monkeypatch
):
    from annotator.core.errors import UnknownLabels
    from annotator.ui.error_dialog import build_error_box

    project = workspace.project
    labels_before = [label.name for label in project.labels()]
    stored_at_question = []
    real_ask = import_controller.ask

    def ask(*args):
        stored_at_question.append((project.count_documents(), len(project.labels())))
        return real_ask(*args)

    monkeypatch.setattr(import_controller, "ask", ask)
    controller = ImportController(workspace, runner)
    with qtbot.waitSignal(controller.imported, timeout=WAIT_MS) as blocker:
        first = controller.import_paths([weapons])

    title, error = dialogs["errors"][0]
    assert title == "Import Failed" and isinstance(error, UnknownLabels)
    assert isinstance(first.error, UnknownLabels)
    box = build_error_box(None, title, error)
    assert (
        box.text()
        == "The imported spans carry labels this project does not have; nothing was stored."
    )
    assert box.informativeText() == "WEAPON: 1 span, first in weapons.jsonl line 1"
    assert stored_at_question == [(0, len(labels_before))], "the refused import stored nothing"
    assert dialogs["questions"] == [("Add Labels?", "Add label WEAPON to the project?")]

    report = blocker.args[0]
    assert report.stored.labels_added == ["WEAPON"]
    assert [label.name for label in project.labels()] == [*labels_before, "WEAPON"]
    (document,) = project.iter_documents()
    assert sorted(span.label for span in project.spans(document.id)) == ["ACTOR", "WEAPON"]
    summary = dialogs["info"][-1][1]
    assert (
        "New labels: WEAPON" in summary
        and "Labels matched apart from case: actor as ACTOR" in summary
    )


def test_declining_to_add_labels_leaves_the_database_unchanged(
    qtbot, workspace, runner, dialogs, weapons
):
    dialogs["answers"]["question"] = NO
    labels_before = workspace.project.labels()
    controller = ImportController(workspace, runner)
    handle = controller.import_paths([weapons])
    with qtbot.waitSignal(handle.finished, timeout=WAIT_MS):
        pass
    assert [q[0] for q in dialogs["questions"]] == ["Add Labels?"]
    assert controller.handle is handle, "no second import was started"
    assert workspace.project.count_documents() == 0
    assert workspace.project.labels() == labels_before
    assert dialogs["info"] == []


def test_import_summary_names_near_duplicates(qtbot, workspace, runner, dialogs, tmp_path):
    path = tmp_path / "twice.jsonl"
    records = [{"text": "Baykar sold  drones."}, {"text": "Baykar sold drones.\n"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    controller = ImportController(workspace, runner)
    with qtbot.waitSignal(controller.imported, timeout=WAIT_MS):
        controller.import_paths([path])
    summary = dialogs["info"][-1][1]
    assert "Documents: 2 added, 0 already present." in summary
    assert (
        "1 near-duplicate:\n• 'Baykar sold drones.' "
        f"({path}:2) has the same text as 'Baykar sold  drones.' ({path}:1) apart from whitespace"
    ) in summary
