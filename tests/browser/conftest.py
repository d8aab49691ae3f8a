"""Real-browser tests: a Streamlit server on a throw-away demo database, driven by Debian's
Chromium through Playwright's sync API.

Never `playwright install` (nothing can be downloaded here) and no pytest-playwright plugin:
the system Chromium is launched directly. Fixtures:

- `demo_db`: a temp dir with a SQLite database loaded by `manage.py demo` (once per session);
- `server_factory`: starts a new `streamlit run app.py` process on that database and returns
  its base URL; every process it started is stopped at the end of the session;
- `server`: one process shared by the tests of a module;
- `fresh_server`: a brand-new process for one test (cold start), stopped after it;
- `browser`: Chromium, launched once per session; `page`: a new context for every test.

When a test fails, the tail of its server's log and a screenshot path are added to the report.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the tests import the app's own tables (permissions, i18n)
    sys.path.insert(0, str(ROOT))

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
# A wait for a state, not a sleep: generous because a first Streamlit render or a rerun can
# take many seconds on a 2-core machine that is busy with something else.
TIMEOUT_MS = 60_000
HEALTH_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
BROWSER_TEST_TIMEOUT_S = 900
DEMO_PASSWORD = "browser-pass-2026"  # every demo account gets it (≥ 10 characters)

_THIS_DIR = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: real-browser test (Streamlit server + system Chromium); slow"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _THIS_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            # One xdist worker takes them all: one demo database, one Chromium.
            item.add_marker(pytest.mark.xdist_group("browser"))
            # A whole flow is dozens of reruns; beside another worker and a busy core it has
            # taken three minutes. Each wait inside keeps its own 60 s limit.
            item.add_marker(pytest.mark.timeout(BROWSER_TEST_TIMEOUT_S))


# --------------------------------------------------------------------------- server


@dataclass
class DemoDatabase:
    dir: Path
    env: dict[str, str]
    password: str


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path
    _log_file: object = field(repr=False, default=None)

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError as err:
            return f"(no server log: {err})"
        return "\n".join(text.splitlines()[-lines:]) or "(server log is empty)"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT_S)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


# Base URL -> server, so a failing test's report can show the right log.
_SERVERS: dict[str, Server] = {}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def _start_server(db: DemoDatabase, index: int) -> Server:
    """One `streamlit run app.py` process; retried on another port if the port was taken
    between picking it and Streamlit binding it."""
    last_error = ""
    for attempt in range(3):
        port = _free_port()
        log = db.dir / f"server-{index}-{attempt}.log"
        log_file = log.open("w", encoding="utf-8")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                # Editing files during a run must not make the server re-import db.models.
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=db.env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        server = Server(f"http://127.0.0.1:{port}", process, log, log_file)
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while time.monotonic() < deadline:
            if _healthy(server.url):
                _SERVERS[server.url] = server
                return server
            if process.poll() is not None:
                break
            time.sleep(0.25)
        exited = process.poll() is not None
        server.stop()
        last_error = (
            f"streamlit {'exited with code ' + str(process.returncode) if exited else 'did not'}"
            f" answer {server.url}/_stcore/health within {HEALTH_TIMEOUT_S:.0f} s.\n"
            f"--- server log tail ({log}) ---\n{server.log_tail()}"
        )
        if not (exited and "is not available" in server.log_tail()):
            break  # not a port race: retrying would only hide the cause
    print(last_error, file=sys.stderr)
    pytest.fail(last_error, pytrace=False)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> DemoDatabase:
    """A fresh SQLite database with the demo city and one account per role."""
    tmp = tmp_path_factory.mktemp("browser")
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'app.db'}",
        UPLOAD_DIR=str(tmp / "uploads"),
        APP_ENV="test",
        DEFAULT_LANGUAGE="zh-CN",  # the tests read Chinese labels unless they ask for ?lang=en
        PYTHONUNBUFFERED="1",
    )
    result = subprocess.run(
        # The small sample: pages with a few hundred rows each, in a tenth of the full
        # demo's time (the full year is measured in BENCHMARKS.md, not here).
        [sys.executable, "manage.py", "demo", "--size", "small", "--password", DEMO_PASSWORD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if result.returncode != 0:
        pytest.fail(
            f"manage.py demo failed (exit {result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
            pytrace=False,
        )
    return DemoDatabase(tmp, env, DEMO_PASSWORD)


@pytest.fixture(scope="session")
def demo_password(demo_db: DemoDatabase) -> str:
    return demo_db.password


@pytest.fixture(scope="session")
def server_factory(demo_db: DemoDatabase) -> Iterator[Callable[[], Server]]:
    """Starts a new server process on the demo database each time it is called."""
    started: list[Server] = []

    def start() -> Server:
        server = _start_server(demo_db, len(started))
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
        _SERVERS.pop(server.url, None)


@pytest.fixture(scope="module")
def server(server_factory: Callable[[], Server]) -> Iterator[str]:
    """Base URL of a server shared by the tests of one module."""
    srv = server_factory()
    yield srv.url
    srv.stop()


@pytest.fixture
def fresh_server(server_factory: Callable[[], Server]) -> Iterator[str]:
    """Base URL of a server process started for this test alone (nothing cached yet)."""
    srv = server_factory()
    yield srv.url
    srv.stop()


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} not found: the browser tests drive Debian's Chromium "
            "(apt-get install chromium); `playwright install` is not used"
        )
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    funcargs = getattr(item, "funcargs", {})
    for value in funcargs.values():
        if isinstance(value, str) and value in _SERVERS:
            srv = _SERVERS[value]
            report.sections.append((f"server log tail ({srv.log})", srv.log_tail()))
    pg = funcargs.get("page")
    db = funcargs.get("demo_db")
    if pg is not None and not pg.is_closed():
        lines = [f"url {pg.url}"]
        if isinstance(db, DemoDatabase):
            shot = db.dir / f"{item.name}.png".replace("/", "_")
            try:
                pg.screenshot(path=str(shot), full_page=True)
                lines.append(f"screenshot {shot}")
            except Exception as err:  # a failed screenshot must not hide the real failure
                lines.append(f"(no screenshot: {err})")
        report.sections.append(("browser", "\n".join(lines)))
