"""Real-window suite: the app on a private Xvfb screen (xcb), one fresh user per test.

Needs Xvfb, xdotool, x11-utils (xwininfo, xprop) and imagemagick (`import`); without them the
tests skip, unless ANNOTATOR_TEST_REALWINDOW_REQUIRED=1 (as `.ci/run` sets) makes that a
failure. Screenshots go to artifacts/screenshots/TEST/ (ANNOTATOR_SCREENSHOTS moves them).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from desktop import Desktop, RunningApp, missing_tools, xvfb_display

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("ANNOTATOR_SCREENSHOTS", ROOT / "artifacts" / "screenshots"))


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.realwindow)


@pytest.fixture(scope="session")
def display():
    missing = missing_tools()
    if missing:
        reason = f"the real-window suite needs {', '.join(missing)}"
        if os.environ.get("ANNOTATOR_TEST_REALWINDOW_REQUIRED"):
            pytest.fail(reason)
        pytest.skip(reason)
    with xvfb_display() as name:
        yield name


@pytest.fixture
def desktop(display, request):
    shots = SCREENSHOTS / request.node.name
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    return Desktop(display, shots)


@pytest.fixture
def app(desktop, tmp_path):
    """The app, not yet started, for a new user whose home folder is empty; killed if a test
    leaves it running, and its output must hold no traceback."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    running = RunningApp(desktop, home, work)
    yield running
    running.stop()
    output = running.output() if (work / "app.log").exists() else ""
    print(f"app output:\n{output}")  # shown with a failing test's report
    assert "Traceback" not in output, output
