"""The desktop app's start-up path: no Alembic for an up-to-date project file and no agreement
code for the argument parser (each checked in a fresh interpreter); the garbage collector,
paused while the command line is parsed, runs again for every other command."""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project

FIXTURES = Path(__file__).parents[1] / "fixtures"
OPEN_AND_LIST = (
    "import sys; from annotator.core.project import Project;"
    " Project.open(sys.argv[1]).close();"
    " print(*sorted({m.split('.')[0] for m in sys.modules} & {'alembic', 'mako'}))"
)


def _loaded_by_open(path: Path) -> list[str]:
    """Which of Alembic and Mako a fresh interpreter has loaded after opening `path`."""
    out = subprocess.run(
        [sys.executable, "-c", OPEN_AND_LIST, str(path)], capture_output=True, text=True, check=True
    )
    return out.stdout.split()


def test_opening_an_up_to_date_project_imports_no_alembic(tmp_path):
    path = tmp_path / "current.db"
    Project.create(path).close()
    assert _loaded_by_open(path) == []


def test_opening_an_old_project_imports_alembic_to_upgrade_it(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "project-rev0004.db", path)
    assert _loaded_by_open(path) == ["alembic", "mako"]
    assert _loaded_by_open(path) == []  # upgraded: the next open reads the revision only


def test_building_the_cli_parser_imports_no_agreement_code():
    code = (
        "import sys, annotator.cli; annotator.cli.build_parser();"
        " print('annotator.core.agreement' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]


def test_collector_runs_again_for_cli_commands_and_usage_errors(tmp_path, capsys):
    assert main(["init", "--db", str(tmp_path / "p.db")]) == 0
    assert gc.isenabled()
    with pytest.raises(SystemExit):
        main(["no-such-command"])
    assert gc.isenabled()
