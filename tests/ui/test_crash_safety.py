"""Killing the app mid-session loses nothing that was on screen: every edit is committed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from annotator.core.project import Project

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QApplication
    from annotator.core.project import Project
    from annotator.core.settings import Settings
    from annotator.ui.main_window import MainWindow
    from annotator.ui.workspace import Workspace

    app = QApplication([])
    window = MainWindow(Workspace(Project(sys.argv[1]), "alice"), Settings(auto_suggest=False),
                        lambda *a: None)
    window.show()
    for word, label in (("Baykar", "ACTOR"), ("TB2", "PLATFORM")):
        window.article.setTextCursor(window.article.document().find(word))
        window.annotate.apply_label(label)
    window.actions_by_id["doc.done"].trigger()
    print("edited", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # no close, no cleanup: as if the power went
    """
)


def test_spans_and_status_survive_a_kill(tmp_path):
    path = tmp_path / "p.db"
    with Project.create(path) as project:
        doc_id = next(iter(project.add_document("Baykar sold TB2 drones.").documents))
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert "edited" in result.stdout
    with Project.open(path) as project:
        assert [(s.label, s.start, s.end) for s in project.spans(doc_id, "alice")] == [
            ("ACTOR", 0, 6),
            ("PLATFORM", 12, 15),
        ]
        assert project.status(doc_id, "alice").value == "done"
        with project.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
