"""The Export dialog offers the HF token limit (records of at most N tokens) for hf only."""

from __future__ import annotations

import json

from annotator.ui import export_dialog
from annotator.ui.export_dialog import ExportController, ExportDialog
from annotator.ui.workspace import Workspace

TEXT = "Baykar sold the TB2 to Poland. Saab offered the Gripen E to Brazil. Kyiv waits."


def choose(dialog: ExportDialog, fmt: str) -> None:
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(fmt))


def test_the_token_limit_is_shown_for_hf_only_and_reaches_the_export(
    qtbot, project, runner, tmp_path, monkeypatch
):
    shown = []
    monkeypatch.setattr(export_dialog, "inform", lambda parent, title, text: shown.append(text))
    doc = next(iter(project.add_document(TEXT).documents))
    project.add_span(doc, "alice", "ACTOR", 0, 6)
    workspace = Workspace(project, "alice")
    dialog = ExportDialog(workspace)
    qtbot.addWidget(dialog)
    widgets = (dialog.max_tokens_check, dialog.max_tokens_spin)
    choose(dialog, "jsonl")
    assert not any(widget.isVisibleTo(dialog) for widget in widgets)
    choose(dialog, "hf")
    assert all(widget.isVisibleTo(dialog) for widget in widgets)
    assert dialog.options().max_tokens is None
    assert dialog.max_tokens_spin.value() == 512 and not dialog.max_tokens_spin.isEnabled()
    dialog.max_tokens_check.setChecked(True)
    dialog.max_tokens_spin.setValue(8)
    dialog.layer_combo.setCurrentIndex(dialog.layer_combo.findData("alice"))
    dialog.path_edit.setText(str(tmp_path / "records.jsonl"))
    options = dialog.options()
    assert options.max_tokens == 8
    assert dialog.choices()["limit_tokens"] and dialog.choices()["max_tokens"] == 8

    controller = ExportController(workspace, runner)
    with qtbot.waitSignal(controller.exported, timeout=10_000):
        controller.run(options)
    rows = [json.loads(line) for line in (tmp_path / "records.jsonl").read_text().splitlines()]
    assert len(rows) > 1 and max(len(row["tokens"]) for row in rows) <= 8
    assert f"{len(rows)} record(s) of at most 8 tokens written." in shown[-1]

    choose(dialog, "conll")
    assert dialog.options().max_tokens is None  # a limit only hf takes is not passed on
