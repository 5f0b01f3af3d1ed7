"""The app as a user runs it: a private Xvfb screen, the real `annotator` process started with a
fresh home folder, driven by real X input events (xdotool) and checked from outside (window
titles, the project file read with sqlite3, exit codes), with a screenshot per step.

There is no window manager: windows have no frames and nobody moves the keyboard focus, so
`focus()` gives a window the input focus (what a click does under a window manager) before
keys are sent; `key()` releases the modifiers after each chord. Every wait is for a condition,
with a timeout: nothing relies on a fixed sleep.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

TOOLS = ("Xvfb", "xdotool", "xwininfo", "xprop", "import")
SCREEN = (1400, 900)
WAIT_S = 30.0
START_S = 120.0  # to the first window: a cold start on a loaded 2-core machine (normally 3-8 s)
NAME = "alice"
T = TypeVar("T")


def missing_tools() -> list[str]:
    """The programs this suite needs that are not installed."""
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def wait_until(check: Callable[[], T], what: str, timeout: float = WAIT_S) -> T:
    """Poll `check` until it returns something truthy (returned); AssertionError naming `what`
    after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


@contextmanager
def xvfb_display() -> Iterator[str]:
    """A private X server (`:N`) for the session; stopped afterwards."""
    read_end, write_end = os.pipe()
    width, height = SCREEN
    screen = f"{width}x{height}x24"
    server = subprocess.Popen(
        # -noreset: by default an X server resets when its last client leaves, and each probe
        # (xdotool) is often the only client: an app connecting during that reset is refused
        # ("could not connect to display"), which made a test fail now and then.
        [
            "Xvfb",
            "-displayfd",
            str(write_end),
            "-screen",
            "0",
            screen,
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        raise RuntimeError("Xvfb did not start")
    display = f":{number}"

    def answers() -> bool:
        probe = subprocess.run(
            ["xdotool", "getdisplaygeometry"],
            env={**os.environ, "DISPLAY": display},
            capture_output=True,
            timeout=30,
        )
        return probe.returncode == 0

    try:
        wait_until(answers, f"the X server {display} to accept clients")
        yield display
    finally:
        server.terminate()
        server.wait(10)


class Desktop:
    """One test's view of the screen: X tools on its display, screenshots in its folder."""

    def __init__(self, display: str, shots: Path) -> None:
        self.display = display
        self.shots = shots
        self._shot_number = 0

    def run(self, *command: str) -> str:
        env = {**os.environ, "DISPLAY": self.display}
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)
        return done.stdout

    def xdo(self, *args: str) -> str:
        return self.run("xdotool", *args)

    def windows(self) -> dict[int, str]:
        """Every mapped window with a title: id -> title."""
        found = {}
        for line in self.xdo("search", "--onlyvisible", "--name", ".").split():
            title = self.xdo("getwindowname", line).strip()
            if title:
                found[int(line)] = title
        return found

    def app_windows(self) -> set[int]:
        """Every mapped window of the app, titled or not (menus, popups)."""
        return {int(w) for w in self.xdo("search", "--onlyvisible", "--class", "annotator").split()}

    def window(
        self, pattern: str, timeout: float = WAIT_S, alive: Callable[[], None] = lambda: None
    ) -> int:
        """Wait for a shown window whose title matches `pattern` (a regex); its id. `alive`
        raises when waiting longer is pointless (the app has ended)."""

        def find() -> int | None:
            alive()
            return self.shown(pattern)

        return wait_until(find, f"a window titled {pattern!r} (shown: {self.windows()})", timeout)

    def shown(self, pattern: str) -> int | None:
        """A shown window whose title matches `pattern` (a regex), if there is one now."""
        regex = re.compile(pattern)
        return next((w for w, t in self.windows().items() if regex.search(t)), None)

    def gone(self, pattern: str, timeout: float = WAIT_S) -> None:
        """Wait until no shown window's title matches `pattern`."""
        regex = re.compile(pattern)
        wait_until(
            lambda: not any(regex.search(t) for t in self.windows().values()),
            f"the window {pattern!r} to close",
            timeout,
        )

    def geometry(self, window: int) -> tuple[int, int, int, int]:
        """x, y, width, height of a window on the screen."""
        info = self.run("xwininfo", "-id", str(window))
        field = {
            key: int(re.search(rf"{key}:\s+(-?\d+)", info).group(1))
            for key in ("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height")
        }
        return tuple(field.values())

    def min_size(self, window: int) -> tuple[int, int] | None:
        """The minimum size the window asks for (WM_NORMAL_HINTS), if any."""
        hints = self.run("xprop", "-id", str(window), "WM_NORMAL_HINTS")
        found = re.search(r"minimum size: (\d+) by (\d+)", hints)
        return (int(found.group(1)), int(found.group(2))) if found else None

    def focus(self, window: int) -> None:
        """Give `window` the keyboard focus (no window manager does it here)."""
        self.xdo("windowfocus", "--sync", str(window))

    def key(self, *chords: str) -> None:
        """Press and release each chord (e.g. "ctrl+shift+a"), then release every modifier."""
        self.xdo("key", "--delay", "60", *chords)
        self.xdo("keyup", "ctrl", "shift", "alt")

    def type(self, text: str) -> None:
        self.xdo("type", "--delay", "15", text)

    def click(self, window: int, x: int, y: int) -> None:
        """A left click at (x, y) inside `window`."""
        self.xdo("mousemove", "--window", str(window), str(x), str(y), "click", "1")

    def resize(self, window: int, width: int, height: int) -> None:
        self.xdo("windowsize", "--sync", str(window), str(width), str(height))

    def shot(self, step: str) -> Path:
        """Save the whole screen as the next numbered screenshot of this test."""
        self._shot_number += 1
        path = self.shots / f"{self._shot_number:02d}-{step}.png"
        self.run("import", "-window", "root", str(path))
        return path


class RunningApp:
    """The `annotator` desktop app in its own process, with a fresh user home folder."""

    def __init__(self, desktop: Desktop, home: Path, work: Path) -> None:
        self.desktop = desktop
        self.home = home
        self.work = work
        self.process: subprocess.Popen | None = None
        self.window = 0

    def env(self) -> dict[str, str]:
        """A new user's environment: their own HOME and XDG folders, the X display, xcb."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("ANNOTATOR_")}
        env.update(
            HOME=str(self.home),
            XDG_CONFIG_HOME=str(self.home / ".config"),
            XDG_DATA_HOME=str(self.home / ".local/share"),
            XDG_CACHE_HOME=str(self.home / ".cache"),
            XDG_RUNTIME_DIR=str(self.home / ".run"),
            DISPLAY=self.desktop.display,
            QT_QPA_PLATFORM="xcb",
        )
        return env

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """Run `annotator ARGS` as this user (project set-up, as a user would from a shell)."""
        done = subprocess.run(
            [sys.executable, "-m", "annotator", *args],
            env=self.env(),
            cwd=self.work,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"annotator {' '.join(args)}: {done.stderr}"
        return done

    def start(self, args: Sequence[str] = (), *, name: str | None = NAME) -> int:
        """Start `annotator ARGS`; answer the first-run name prompt with `name` (None: leave it
        to the test); the main window's id once it shows."""
        (self.home / ".run").mkdir(parents=True, exist_ok=True, mode=0o700)
        self.log = (self.work / "app.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "annotator", *args],
            env=self.env(),
            cwd=self.work,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        if name is None:
            return 0
        self.answer_name_prompt(name)
        return self.main_window()

    def alive(self) -> None:
        """AssertionError with the app's output if it has ended."""
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(
                f"the app ended (exit code {self.process.returncode}):\n" + self.output()
            )

    def answer_name_prompt(self, name: str) -> None:
        prompt = self.desktop.window("^Annotator$", timeout=START_S, alive=self.alive)
        self.desktop.shot("name-prompt")
        self.desktop.focus(prompt)
        self.desktop.key("ctrl+a")
        self.desktop.type(name)
        self.desktop.key("Return")

    def main_window(self) -> int:
        self.window = self.desktop.window(r" — annotator$", timeout=START_S, alive=self.alive)
        return self.window

    def focus(self) -> None:
        """Focus the main window (after a dialog closes, nobody gives it back here)."""
        self.desktop.focus(self.window)

    def title(self) -> str:
        return self.desktop.windows().get(self.window, "")

    def menu(self, menu_key: str, item_key: str) -> None:
        """Open a menu by its Alt mnemonic and choose an item by its mnemonic."""
        self.focus()
        shown = self.desktop.app_windows()
        self.desktop.key(f"alt+{menu_key}")
        wait_until(lambda: self.desktop.app_windows() - shown, f"the menu alt+{menu_key}", 10)
        self.desktop.key(item_key)

    def click_article(self) -> None:
        """Click the middle of the window, where the article is, to give it the focus."""
        _x, _y, width, height = self.desktop.geometry(self.window)
        self.desktop.click(self.window, width // 2, height // 2)

    def label_first_word(self, key: str = "1") -> None:
        """Click into the article, select its first word with the keyboard, press a label key."""
        self.click_article()
        self.desktop.key("ctrl+Home", "shift+ctrl+Right", key)

    def quit(self, timeout: float = 30) -> int:
        """Ctrl+Q in the main window; the exit code (the process must end by itself)."""
        self.focus()
        self.desktop.key("ctrl+q")
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the app did not quit within {timeout:.0f} s of Ctrl+Q") from None

    def output(self) -> str:
        return (self.work / "app.log").read_text(errors="replace")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        if self.process is not None:
            self.log.close()


def query(db: Path, sql: str, *params: object) -> list[tuple]:
    """Rows from the project file, read-only, as another program sees what the app committed."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as connection:
        return connection.execute(sql, params).fetchall()


def spans_of(db: Path, annotator: str) -> list[tuple[int, int, str]]:
    """(start, end, covered text) of an annotator's spans, in text order."""
    return query(
        db,
        'SELECT s.start, s."end", substr(d.text, s.start + 1, s."end" - s.start) FROM span s '
        "JOIN annotator a ON a.id = s.annotator_id JOIN document d ON d.id = s.document_id "
        'WHERE a.name = ? ORDER BY s.document_id, s.start, s."end"',
        annotator,
    )
