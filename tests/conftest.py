"""Shared fixtures. Service tests run once on SQLite and once on PostgreSQL
(TEST_POSTGRES_URL, e.g. postgresql://postgres@127.0.0.1:5432/test)."""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import func, select

import config
from db.bootstrap import open_database
from db.engine import make_engine
from db.migrate import upgrade_to_head
from db.models import Role, User
from services.core.system import system_actor
from services.core.uow import UnitOfWork
from services.identity import passwords, users
from services.photos.store import PhotoStore
from tests.factories import make_template

# Fixtures of a small campaign (battle, task, units, liaisons) for the campaign tests.
pytest_plugins = ["tests.campaign_fixtures", "tests.dashboard_fixtures"]

REPO = Path(__file__).resolve().parents[1]
PHOTOS = REPO.parent / "shared" / "testdata" / "photos"
PASSWORD = "correct-horse-battery"
PG_ENV = "TEST_POSTGRES_URL"


# The app's own hasher, kept for the test of its parameters before the suite swaps it.
PRODUCTION_HASHER = passwords._hasher


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2 at the production cost (64 MiB, a fifth of a second a hash on these machines)
    made every account a test or the demo creates that slow; the tests check what is hashed
    and when, not how hard. Browser tests' app processes keep the real cost."""
    patch = pytest.MonkeyPatch()
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    patch.setattr(passwords, "_hasher", cheap)
    patch.setattr(passwords, "_DUMMY_HASH", cheap.hash("not-a-real-password"))
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test touches the developer's data/ or uploads/."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.delenv("APP_ENV", raising=False)
    config.get_settings.cache_clear()
    yield
    config.get_settings.cache_clear()


def _psycopg_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests skipped: set {PG_ENV} (see README) to run them")
    return _psycopg_url(base)


@contextmanager
def _pg_database(admin_url: str, template: str | None = None) -> Iterator[str]:
    """A throw-away database, so parallel runs and tests never collide."""
    name = f"effdesk_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'
                          + (f' TEMPLATE "{template}"' if template else "")))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_database_url(pg_admin_url: str) -> Iterator[str]:
    """An empty database for this test session."""
    with _pg_database(pg_admin_url) as url:
        yield url


@pytest.fixture(scope="session")
def pg_migrated_template(pg_admin_url: str) -> Iterator[str]:
    """Migrated once per session; each test gets a copy (CREATE DATABASE … TEMPLATE takes
    a tenth of the time the migrations take)."""
    with _pg_database(pg_admin_url) as url:
        engine = make_engine(url)
        upgrade_to_head(engine)
        engine.dispose()  # a template must have no open connections
        yield make_url(url).database


@pytest.fixture(scope="session")
def sqlite_migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated once per session; each test copies the file."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    open_database(f"sqlite:///{path}").dispose()  # the last close checkpoints the WAL
    return path


def migrated_sqlite(template: Path, path: Path) -> str:
    """A database at the newest schema in `path`, copied from the session's template."""
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_migrated_template")
        eng = make_engine(migrated_sqlite(template, tmp_path / "service.db"))
        yield eng
        eng.dispose()
        return
    admin_url = request.getfixturevalue("pg_admin_url")
    template = request.getfixturevalue("pg_migrated_template")
    with _pg_database(admin_url, template) as url:
        eng = make_engine(url)
        yield eng
        eng.dispose()


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine)


@pytest.fixture
def make_user(uow: UnitOfWork):
    def make(username: str, role: str = Role.ADMIN, **scope) -> User:
        return uow.run(
            users.create_user, actor=system_actor(), username=username,
            display_name=username.title(),
            role=role, password=PASSWORD, **scope,
        )

    return make


@pytest.fixture
def admin(make_user) -> User:
    return make_user("root", Role.ADMIN)


@pytest.fixture
def office(make_user) -> User:
    return make_user("office", Role.OFFICE)


@pytest.fixture
def inspector(make_user) -> User:
    return make_user("insp1", Role.INSPECTOR)


@pytest.fixture
def checklist(uow: UnitOfWork, office: User):
    """The demo checklist, saved by the office."""
    return make_template(uow, actor=office)


@pytest.fixture
def store(tmp_path: Path) -> PhotoStore:
    return PhotoStore(tmp_path / "store")


def stored_files(store: PhotoStore) -> list[str]:
    """Every file under the store, as paths relative to its root, sorted."""
    if not store.root.exists():
        return []
    return sorted(str(p.relative_to(store.root)) for p in store.root.rglob("*") if p.is_file())


def count_rows(uow: UnitOfWork, model, *where) -> int:
    with uow.read() as r:
        return r.session.exec(select(func.count()).select_from(model).where(*where)).one()


def at_once(calls: list[Callable]) -> list:
    """Run the calls at the same moment on separate threads; each one's result or the
    exception it raised, in order (the test looks at which one lost, and how)."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(30)
        try:
            return call()
        except Exception as exc:  # handed to the test
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))
