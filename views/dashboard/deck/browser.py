"""Headless Chromium, run once per export: it opens a local HTML file and prints it to PDF or
takes a screenshot. Nothing is downloaded: the browser is the one installed on the machine
(CI: Debian's `chromium` and `fonts-noto-cjk`), the page carries plotly.js inline.

Why the browser's own command line and not kaleido: kaleido 1.x drives the same Chromium
(through choreographer, asynchronously) but only renders single figures; a deck also needs a
cover, tables and page breaks, i.e. Chromium's printing anyway. One process per export, no
extra dependency, and a whole process group to kill on a timeout.

Each run gets its own temporary directory (profile, HOME, the page, the output), removed
afterwards whatever happens; a run past the timeout is killed with all its children."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from config import get_settings
from services.core.errors import DomainError

log = logging.getLogger(__name__)

DEBIAN_CHROMIUM = "/usr/bin/chromium"
COMMANDS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Chromium takes a few hundred MB and a core: at most this many exports at once per process.
CONCURRENT_RUNS = 2
_turns = threading.BoundedSemaphore(CONCURRENT_RUNS)

FLAGS = (
    "--headless",
    # The page is our own, escaped, offline and locked by its Content-Security-Policy; the
    # sandbox refuses to start as root and in containers without user namespaces.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",  # a container's /dev/shm is often 64 MB
    # Print or shoot only once the page's scripts have drawn every chart: virtual time runs
    # ahead while the page is idle, so this waits for the drawing, not for 10 s.
    "--virtual-time-budget=10000",
    "--run-all-compositor-stages-before-draw",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--mute-audio",
    "--hide-scrollbars",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
    # Virtual time: timers plotly sets run before the capture, without waiting for real.
    "--virtual-time-budget=15000",
)


class DeckError(DomainError):
    default_key = "deck.failed"


class BrowserMissing(DeckError):
    """No Chromium at CHROMIUM_PATH (or, unset, on this machine)."""

    default_key = "deck.no_browser"


def find_browser() -> str:
    """The Chromium to run: CHROMIUM_PATH as given (a path or a command name), else Debian's
    /usr/bin/chromium, else the first known command on PATH. BrowserMissing if none."""
    wanted = get_settings().chromium_path.strip()
    candidates = (wanted,) if wanted else (DEBIAN_CHROMIUM, *COMMANDS)
    for name in candidates:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserMissing(path=wanted or DEBIAN_CHROMIUM)


def render(page_html: str, *, output: str, extra: tuple[str, ...] = ()) -> bytes:
    """Open `page_html` in headless Chromium and return the file it writes: `output` is
    "pdf" (--print-to-pdf) or "png" (--screenshot, sized by `extra`)."""
    browser = find_browser()
    timeout = get_settings().chromium_timeout_seconds
    if not _turns.acquire(timeout=timeout):
        raise DeckError("deck.busy")
    try:
        with tempfile.TemporaryDirectory(prefix="deck-", ignore_cleanup_errors=True) as tmp:
            work = Path(tmp)
            page = work / "deck.html"
            page.write_text(page_html, encoding="utf-8")
            result = work / f"out.{output}"
            what = "--print-to-pdf" if output == "pdf" else "--screenshot"
            command = [browser, *FLAGS, f"--user-data-dir={work / 'profile'}", *extra,
                       f"{what}={result}", page.as_uri()]
            _run(command, home=work, timeout=timeout)
            if not result.is_file() or result.stat().st_size == 0:
                raise DeckError("deck.failed")
            return result.read_bytes()
    finally:
        _turns.release()


def _run(command: list[str], *, home: Path, timeout: int) -> None:
    # HOME and the XDG folders inside the temporary directory: whatever Chromium keeps
    # (caches, crash reports, its NSS database) goes when the directory does.
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_CACHE_HOME": str(home / ".cache")}
    env.pop("DISPLAY", None)
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, cwd=home,
                                start_new_session=True)
    except OSError as exc:
        log.warning("deck: cannot start %s: %s", command[0], exc)
        raise BrowserMissing(path=command[0]) from exc
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid)
        proc.communicate()
        log.warning("deck: Chromium did not finish within %s s", timeout)
        raise DeckError("deck.timeout", seconds=timeout) from None
    finally:
        _kill_group(proc.pid)  # helpers (crash handler) that outlive the browser
    if proc.returncode != 0:
        log.warning("deck: Chromium exited %s: %s", proc.returncode,
                    err.decode(errors="replace")[-2000:])
        raise DeckError("deck.failed")


def _kill_group(pgid: int) -> None:
    """The browser was started as the leader of a new session: its group is its own."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
