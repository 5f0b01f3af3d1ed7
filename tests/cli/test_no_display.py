"""Without a display the app says so in one line (issue 19 item 8), instead of Qt aborting with
a message about libxcb-cursor0."""

from __future__ import annotations

import os
import subprocess
import sys

from annotator.cli.gui import NO_DISPLAY, missing_display


def test_a_display_server_or_a_chosen_platform_is_enough():
    assert missing_display({}, "linux") == NO_DISPLAY
    assert missing_display({"DISPLAY": ":0"}, "linux") == ""
    assert missing_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux") == ""
    assert missing_display({"QT_QPA_PLATFORM": "offscreen"}, "linux") == ""
    assert missing_display({}, "win32") == "" and missing_display({}, "darwin") == ""


def test_the_app_started_without_a_display_says_why_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env["HOME"] = str(tmp_path)
    command = [sys.executable, "-m", "annotator", "--db", str(tmp_path / "p.db")]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == f"annotator: {NO_DISPLAY}\n"
